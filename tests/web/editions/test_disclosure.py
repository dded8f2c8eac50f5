"""Published figures never betray a respondent: an attacker with the API and the open data only.

One simulated edition (the demo's 2025, 292 respondents) is published; the tests read what the
public reads and try to recover every hidden cell by differencing published domains.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.utils.html import escape
from scipy.optimize import linprog
from typer.testing import CliRunner

from barometre.apps.editions import pipeline
from barometre.apps.editions.models import Edition
from barometre.apps.editions.queries import catalogue
from barometre.cli.main import app
from barometre.core.indicators.catalogue import ALL
from barometre.core.indicators.compute import _domains, compute_indicators, indicator_matrix
from barometre.core.stats.disclosure import DisclosureRule, interval
from barometre.core.stats.secondary import build_table, recoverable, required_width
from barometre.core.weighting import WeightingOptions
from barometre.core.wording.labels import INTERVAL_METHOD_TEXT, MAR_ASSUMPTION_TEXT

# Slow: one simulated, weighted and published edition (about 25 s) then every indicator recomputed.
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("simulated_2025")]
RULE = DisclosureRule()
HIDDEN_NUMBERS = ("estimate", "se", "ci_low", "ci_high", "n", "population", "respondent_share")


def _api_rows(client: Client, year: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    url: str | None = f"/api/v1/estimates?edition={year}&page_size=1000"
    while url:
        body = client.get(url).json()
        rows.extend(body["results"])
        url = body["next"]
    return rows


def _oracle(year: int) -> tuple[Any, Any, Any]:
    """The respondents behind the edition (what only the producer knows): arrays, weighting, matrix."""
    edition = Edition.objects.get(year=year)
    collapse = edition.weighting_report.get("collapse") or {}
    arrays, result = pipeline._weighting(edition, WeightingOptions(collapse=collapse) if collapse else None)
    qn = pipeline.questionnaire_for(edition)
    return arrays, result, (qn, indicator_matrix(arrays, result.rows, catalogue(), qn))


def _masks(arrays: Any, rows: np.ndarray, cells: list[tuple[str, str]], valid: np.ndarray) -> np.ndarray:
    cat = catalogue()
    by_key: dict[tuple[str, str], np.ndarray] = {}
    for bid in {b for b, _ in cells}:
        for value, mask in _domains(cat.breakdowns[bid], arrays.units):
            by_key[(bid, value)] = mask[rows] & valid
    return np.array([by_key[c] for c in cells], dtype=bool)


def _attack(published: dict[int, float], sizes: np.ndarray, membership: np.ndarray, cell: int) -> float:
    """Width of the feasible share of ``cell`` from published totals only (attacker's LP)."""
    size = float(sizes[membership[cell]].sum())
    pub = sorted(published)
    a_eq = membership[pub].astype(float)
    b_eq = np.array([published[c] for c in pub])
    bounds = list(zip(np.zeros_like(sizes), sizes, strict=True))
    obj = membership[cell].astype(float)
    lo = linprog(obj, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    hi = linprog(-obj, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    assert lo.status == 0 and hi.status == 0
    return (-hi.fun - lo.fun) / size


@pytest.fixture(scope="module")
def published_years(simulated_2025: int, django_db_blocker: Any) -> list[int]:
    """Every published edition: the demo's 2025 and, before it, a simulated 2024."""
    from barometre.apps.editions.models import EditionState

    with django_db_blocker.unblock():
        pipeline.simulate(2024, 7)
        return sorted(Edition.objects.filter(state=EditionState.PUBLISHED).values_list("year", flat=True))


# weights the edition again and attacks the cells of every indicator
def test_a_differencing_attack_through_the_api_and_the_open_data_recovers_no_hidden_cell(
    published_years: list[int], tmp_path: Path
) -> None:
    assert len(published_years) >= 2
    for year in published_years:
        _attack_edition(year, tmp_path / str(year))


def _attack_edition(year: int, tmp_path: Path) -> None:
    """Every published domain of the edition, read through the API and the open data only."""
    client = Client()
    rows = _api_rows(client, year)
    hidden_rows = [r for r in rows if r["suppressed"]]
    assert hidden_rows and Counter(r["reason"] for r in hidden_rows).keys() <= {
        "confidentiality",
        "complementary",
        "precision",
    }
    assert all(r[k] is None for r in hidden_rows for k in HIDDEN_NUMBERS)
    assert all(r["reason"] is None and r["n"] >= RULE.min_respondents for r in rows if not r["suppressed"])

    # the open data publishes exactly the same cells, hidden the same way
    result = CliRunner().invoke(app, ["opendata", "export", "--edition", str(year), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "estimations.csv", encoding="utf-8") as fh:
        opendata = {(r["indicator"], r["breakdown"], r["domain_value"]): r for r in csv.DictReader(fh)}
    for r in rows:
        o = opendata[(r["indicator"], r["breakdown"], r["domain_value"])]
        assert (o["suppressed"] == "true") == r["suppressed"]
        if r["suppressed"]:
            assert all(o[k] == "" for k in HIDDEN_NUMBERS) and o["reason"] == r["reason"]
        else:
            assert float(o["estimate"]) == pytest.approx(r["estimate"], abs=0.05)  # the CSV keeps 1 decimal

    arrays, result_w, (_, mat) = _oracle(year)
    ids = [ind.id for ind in mat.indicators]
    single_respondent_cells = 0
    attacked = 0
    for indicator in sorted({r["indicator"] for r in rows}):
        j = ids.index(indicator)
        y = mat.values[:, j]
        valid = ~np.isnan(y)
        cells_rows = [r for r in rows if r["indicator"] == indicator]
        cells = [(r["breakdown"], r["domain_value"]) for r in cells_rows]
        masks = _masks(arrays, result_w.rows, cells, valid)
        table = build_table(masks, np.nan_to_num(y), result_w.weights)
        hidden = {i for i, r in enumerate(cells_rows) if r["suppressed"]}
        for i in range(len(cells)):
            if masks[i].sum() == 1:
                single_respondent_cells += 1
                assert i in hidden and cells_rows[i]["reason"] == "confidentiality", cells[i]
        published_w = {
            i: r["estimate"] / 100 * r["population"] for i, r in enumerate(cells_rows) if not r["suppressed"]
        }
        published_n = {i: r["respondent_share"] / 100 * r["n"] for i, r in enumerate(cells_rows) if not r["suppressed"]}
        for h in hidden:
            if not masks[h].any():
                continue  # no respondent: nothing to protect
            # exact differencing: no combination of published domains adds up to the hidden one
            assert not recoverable(table, hidden, h), (indicator, cells[h])
            # a published 0 % or 100 % cell containing it already tells its value: not a differencing leak
            containing = [i for i in published_n if not (masks[h] & ~masks[i]).any()]
            if any(round(published_n[i], 9) in (0.0, float(cells_rows[i]["n"])) for i in containing):
                continue
            # the protection interval (capped by what the smallest published container already says)
            need = (
                required_width(table, hidden, h, RULE.min_feasible_width)
                if cells_rows[h]["reason"] == "confidentiality"
                else 1e-6
            )
            for sizes, published in ((table.systems[0].sizes, published_w), (table.systems[1].sizes, published_n)):
                width = _attack(published, sizes, table.membership, h)
                assert width >= need - 1e-6, (indicator, cells[h], width)
            attacked += 1
    assert attacked > 100, year
    assert single_respondent_cells > 0, year  # one-respondent domains exist, and they stay hidden


# recomputes every indicator of the edition
def test_recoding_every_indicator_as_its_complement_changes_no_decision(simulated_2025: int) -> None:
    arrays, result, (qn, _) = _oracle(simulated_2025)
    cat = catalogue()
    straight = compute_indicators(arrays, result, cat, qn, rule=RULE)
    recoded = compute_indicators(arrays, result, cat, qn, rule=RULE, complement=True)
    key = lambda r: (r.indicator, r.breakdown, r.domain_value)  # noqa: E731
    flipped = {key(r): r for r in recoded}
    assert len(flipped) == len(straight) and len({r.indicator for r in straight}) >= 40
    for r in straight:
        f = flipped[key(r)]
        assert (r.suppressed, r.reason, r.imprecise) == (f.suppressed, f.reason, f.imprecise), key(r)
        if r.estimate is not None and f.estimate is not None:
            assert r.estimate + f.estimate == pytest.approx(100.0)
    # both 0 % and 100 % cells exist and are treated alike
    assert any(r.estimate == 0.0 for r in straight if r.shown) or any(r.estimate == 100.0 for r in straight)


def test_intervals_are_the_korn_graubard_intervals_the_texts_name(simulated_2025: int) -> None:
    from barometre.apps.editions.models import IndicatorEstimate

    shown = IndicatorEstimate.objects.filter(edition__year=simulated_2025, suppressed=False)
    assert shown.exists()
    for e in shown:
        # Korn–Graubard without the design-df correction; the df correction can only widen it
        prec = interval(e.estimate / 100, e.se / 100, e.n)
        assert e.ci_low <= 100 * prec.low + 1e-9 and e.ci_high >= 100 * prec.high - 1e-9, e
        # and with df = n − 1 (no correction) it is that interval exactly
        same = interval(e.estimate / 100, e.se / 100, e.n, df=e.n - 1)
        assert (same.low, same.high) == pytest.approx((prec.low, prec.high), abs=1e-12)


def test_compute_json_rows_carry_base_suppression_precision_and_definition(simulated_2025: int) -> None:
    result = CliRunner().invoke(app, ["indicators", "compute", "--edition", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert {r["base"] for r in rows} == {"weighted", "respondents"}
    for r in rows:
        assert isinstance(r["suppressed"], bool) and isinstance(r["imprecise"], bool)
        assert r["reason"] in (None, "confidentiality", "complementary", "precision")
        assert (r["reason"] is None) != r["suppressed"]
        assert set(r["definition"]) == {"fr", "en"} and all(r["definition"].values())
        assert "${" not in r["definition"]["fr"] and "selected(" not in r["definition"]["en"]
        if r["suppressed"]:
            assert all(r[k] is None for k in HIDDEN_NUMBERS) and not r["imprecise"]
    weighted = Counter((r["indicator"], r["breakdown"], r["domain_value"]) for r in rows if r["base"] == "weighted")
    respondents = Counter(
        (r["indicator"], r["breakdown"], r["domain_value"]) for r in rows if r["base"] == "respondents"
    )
    assert weighted == respondents  # each cell on both bases, under the same disclosure


def test_compare_json_says_which_base_it_compared_and_lists_hidden_figures_apart(
    simulated_2025: int, django_db_blocker: Any
) -> None:
    from barometre.cli.demo import DEMO_SEED

    # the demo's own 2025 edition (its seed; the other tests take any published 2025)
    with django_db_blocker.unblock():
        pipeline.simulate(simulated_2025, DEMO_SEED)
    result = CliRunner().invoke(app, ["indicators", "compare", "--edition", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    rows, hidden = body["rows"], body["hidden"]
    assert all(r["base"] in ("weighted", "respondents") and r["published_base"] for r in rows + hidden)
    assert all(r["reason"] in ("confidentiality", "complementary", "precision") for r in hidden)
    assert all(r["estimate"] is None for r in hidden)
    targets = [r for r in rows if r["target"] and r["estimate"] is not None]
    assert len(targets) >= 10
    inside = sum(1 for r in targets if r["published_inside_ci"])
    assert inside >= 0.9 * len(targets), [r for r in targets if not r["published_inside_ci"]]


def test_no_results_page_shows_an_expression_and_every_page_names_the_interval(simulated_2025: int) -> None:
    client = Client()
    pages = ["/resultats/"] + [
        f"/resultats/{ind.id}/?edition={simulated_2025}" for ind in catalogue().for_edition(simulated_2025)
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "${" not in html and "selected(" not in html, url
        if url != "/resultats/":
            assert escape(INTERVAL_METHOD_TEXT["fr"][1:]) in html and escape(MAR_ASSUMPTION_TEXT["fr"]) in html, url


def test_opendata_methodology_names_the_interval_method_and_the_assumption(simulated_2025: int, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["opendata", "export", "--edition", "2025", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    text = package["barometre"]["methodology"]
    assert INTERVAL_METHOD_TEXT["fr"] in text and MAR_ASSUMPTION_TEXT["fr"] in text
    assert "linéarisation, intervalle" not in text and "normal" not in text
    with open(tmp_path / "indicateurs.csv", encoding="utf-8") as fh:
        definitions = [r["definition"] + r["definition_en"] for r in csv.DictReader(fh)]
    assert definitions and not any("${" in d or "selected(" in d for d in definitions)


def test_the_whole_population_cell_is_never_a_complement(simulated_2025: int) -> None:
    from barometre.apps.editions.models import IndicatorEstimate

    overall = IndicatorEstimate.objects.filter(edition__year=simulated_2025, breakdown=ALL)
    assert overall.exists() and not overall.filter(reason="complementary").exists()


def _plain(html: str) -> str:
    """Text of a page or note as a reader sees it: tags out, entities and non-breaking spaces as spaces."""
    import html as html_module
    import re

    text = html_module.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def test_no_output_publishes_a_number_of_a_hidden_cell(simulated_2025: int, tmp_path: Path) -> None:
    """API (estimates, small areas), open data, explorer pages and CSV, the note: a hidden cell or a
    withheld direct estimate carries no estimate, n, population, standard error, interval nor CV."""
    from barometre.apps.editions.models import SmallAreaFit
    from barometre.apps.editions.notes import note_dir
    from barometre.apps.editions.reporting import report_input
    from barometre.core.report import build_report

    client = Client()
    year = simulated_2025
    withheld = ("direct_se", "n", "shrinkage", "std_residual", "direct_vs_model")
    fits = list(SmallAreaFit.objects.filter(edition__year=year).values_list("indicator", "level"))
    assert fits
    seen_withheld = 0
    for indicator, level in fits:
        body = client.get(
            "/api/v1/small-area-estimates", {"edition": year, "indicator": indicator, "level": level}
        ).json()
        for r in body["results"]:
            if r["direct"] is None:
                seen_withheld += 1
                assert all(r[k] is None for k in withheld), (indicator, level, r)
            else:
                assert r["n"] >= RULE.min_respondents
    assert seen_withheld > 0
    result = CliRunner().invoke(app, ["opendata", "export", "--edition", str(year), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "petits-domaines.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["direct"] == "":
                assert all(r.get(k, "") == "" for k in withheld), r
    # explorer: every indicator, every breakdown, page and CSV
    cat = catalogue()
    hidden_seen = 0
    for ind in cat.for_edition(year):
        for bid in ind.breakdowns:
            page = client.get(f"/resultats/{ind.id}/", {"edition": year, "breakdown": bid}).content.decode()
            assert "${" not in page and "selected(" not in page, (ind.id, bid)
            # the département table: a withheld direct estimate shows no count
            for row in page.split("<tr>"):
                if "non publiée" in row and '<th scope="row">' in row:
                    cells = row.split("<td>")
                    assert "—" in cells[4], (ind.id, row)
            csv_text = client.get(
                f"/resultats/{ind.id}/donnees.csv", {"edition": year, "breakdown": bid}
            ).content.decode()
            for r in csv.DictReader(csv_text.splitlines()):
                if r["suppressed"] == "true":
                    hidden_seen += 1
                    assert all(r[k] == "" for k in HIDDEN_NUMBERS if k in r), (ind.id, bid, r)
                    assert r["reason"] in ("confidentiality", "complementary", "precision")
    assert hidden_seen > 100
    # the note (French): the département annex shows no count beside a withheld direct estimate
    out = tmp_path / "note"
    built = build_report(report_input(year, "fr"), out, pdf=False)
    html = built.html.read_text(encoding="utf-8")
    for row in html.split("<tr")[1:]:
        if "non publiée" in row:
            assert re.search(r"<td[^>]*>\s*—\s*</td>", row), row
    assert note_dir  # the served note is built by the same function (ensure_note)


def test_the_reen_compliance_indicator_counts_exactly_the_authorities_subject_to_reen(simulated_2025: int) -> None:
    from barometre.apps.editions.models import IndicatorEstimate
    from barometre.core.diagnostic.from_registry import profile_of
    from barometre.core.diagnostic.obligations import evaluate_rule, load_obligations
    from barometre.core.indicators.obligation_universe import reference_date
    from barometre.core.registry import load_snapshot

    rows = IndicatorEstimate.objects.filter(edition__year=simulated_2025, indicator="reen_strategy_subject")
    assert rows.filter(breakdown=ALL).exists() and rows.count() > 3
    arrays, result, (qn, mat) = _oracle(simulated_2025)
    j = [ind.id for ind in mat.indicators].index("reen_strategy_subject")
    frame = load_snapshot()
    reen = next(r for r in load_obligations() if r.id == "reen")
    at = reference_date(simulated_2025, qn)
    counted = set()
    applies = set()
    for i, r in enumerate(result.rows.tolist()):
        code = str(arrays.units.codes[r])
        if evaluate_rule(reen, profile_of(frame.get(code), frame), at).status == "applies":
            applies.add(code)
        if not np.isnan(mat.values[i, j]):
            counted.add(code)
    answered = {
        str(arrays.units.codes[r])
        for r in result.rows.tolist()
        if (arrays.answers[int(r)] or {}).get("reen_strategie") is not None
    }
    assert counted and counted == applies & answered
    # the universe over the whole edition is exactly where REEN applies
    universe = {str(c) for c, u in zip(arrays.units.codes, mat.universe_units[:, j], strict=True) if u}
    expected = {
        str(c)
        for c in arrays.units.codes
        if evaluate_rule(reen, profile_of(frame.get(str(c)), frame), at).status == "applies"
    }
    assert universe == expected
    assert IndicatorEstimate.objects.filter(edition__year=simulated_2025, indicator="open_data_subject").exists()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_note_names_the_interval_method_states_the_assumption_and_reads_periods_and_bases(
    simulated_2025: int, tmp_path: Path, lang: str
) -> None:
    from barometre.apps.editions.reporting import report_input
    from barometre.core.report import build_report

    built = build_report(report_input(simulated_2025, lang), tmp_path, pdf=False)
    text = _plain(built.html.read_text(encoding="utf-8"))
    assert _plain(INTERVAL_METHOD_TEXT[lang]) in text and _plain(MAR_ASSUMPTION_TEXT[lang]) in text
    assert "linéarisation, intervalle" not in text and "intervalle normal" not in text
    # the note's sentences read the indicator's period and give the respondents' base as a count
    if lang == "fr":
        assert "à un moment quelconque" in text and "au cours des 12 derniers mois" in text
        assert re.search(r"\d+ sur \d+ répondantes", text)
    else:
        assert "at any time" in text and "in the last 12 months" in text
        assert re.search(r"\d+ of \d+ respondents", text)
    assert "${" not in text and "selected(" not in text


def test_small_exhaustive_groups_are_shown_as_counts(simulated_2025: int) -> None:
    from barometre.apps.editions.queries import estimate_rows

    edition = Edition.objects.get(year=simulated_2025)
    client = Client()
    shown = 0
    for ind in catalogue().for_edition(simulated_2025):
        if "strate" not in ind.breakdowns:
            continue
        for r in estimate_rows(edition, ind, "strate", "fr"):
            if not r.small_group:
                continue
            if r.estimate.suppressed:
                assert r.count is None  # a hidden cell publishes no count
                continue
            k, n = (int(x) for x in re.fullmatch(r"(\d+) sur (\d+) répondantes", r.count or "").groups())
            assert n == r.estimate.n and k == round((r.estimate.respondent_share or 0) * n / 100)
            if not shown:  # the page leads with the count for these groups
                page = client.get(f"/resultats/{ind.id}/", {"edition": simulated_2025, "breakdown": "strate"})
                assert f"<strong>{r.count}</strong>" in page.content.decode()
            shown += 1
    assert shown > 10
