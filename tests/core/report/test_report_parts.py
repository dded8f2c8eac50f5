"""Units of the report package: formatting, map outlines, SVG paths, rows, inputs."""

from __future__ import annotations

import dataclasses

import pytest

from barometre.core.errors import ReportError
from barometre.core.registry import Kind, load_snapshot
from barometre.core.report import rows_from
from barometre.core.report.figures import load_regions, svg_path
from barometre.core.report.synthetic import synthetic_input
from barometre.core.wording.note.text import predicate, translate_reason
from barometre.core.wording.numbers import format_interval, format_margin, format_points


def test_interval_and_margin_are_formatted_the_french_way() -> None:
    assert format_interval(38.2, 46.0) == "[38\u00a0%\u00a0; 46\u00a0%]"
    assert format_interval(38.2, 46.0, lang="en") == "[38%, 46%]"
    assert format_margin(4.38) == "±\u00a04,4\u00a0pts"
    assert format_margin(4.38, lang="en") == "±4.4 pts"


def test_map_outlines_cover_every_region_of_the_frame_including_overseas() -> None:
    shapes = load_regions()
    frame_regions = {a.region for a in load_snapshot()}
    assert frame_regions <= set(shapes)
    assert {"01", "02", "03", "04", "06"} <= {c for c, s in shapes.items() if s.inset}
    for code in (a.region for a in load_snapshot().of_kind(Kind.REGION)):
        assert shapes[code].paths


def test_svg_path_parser_handles_relative_and_absolute_commands() -> None:
    p = svg_path("M10 10h5v5H10zm20 0l1-1 .5.5c1 1 2 2 3 3s1 1 2 2L0 0")
    xs = [v[0] for v in p.vertices]
    assert min(xs) == 0 and max(xs) >= 30
    with pytest.raises(ReportError):
        svg_path("")


def test_disclosure_reason_codes_are_worded_in_the_note_language() -> None:
    assert translate_reason("confidentiality", "en") == "statistical confidentiality (too few respondents)"
    assert translate_reason("complementary", "fr").startswith("secret statistique (masquée pour protéger")
    assert translate_reason("precision", "fr") == "trop imprécise pour être diffusée"
    assert translate_reason(None, "fr") == ""


def test_labels_become_predicates_when_they_start_with_a_verb() -> None:
    assert predicate("Ont lancé au moins un projet data", "fr") == "ont lancé au moins un projet data"
    assert predicate("Conformes au RGPD ou en voie de l'être", "fr") == "sont conformes au RGPD ou en voie de l'être"
    assert predicate("Projet data eau (fait, en cours ou prévu)", "fr") is None
    assert predicate("Have launched at least one data project", "en") == "have launched at least one data project"


def test_rows_are_coerced_from_estimate_rows_and_dicts() -> None:
    from barometre.core.indicators.compute import EstimateRow

    er = EstimateRow("x", "ensemble", "ensemble", 42.0, 1.0, 40.0, 44.0, 100, 1000.0, False, None, 2025, True)
    d = {
        "indicator": "y",
        "breakdown": "strate",
        "domain_value": "regions",
        "estimate": None,
        "se": None,
        "ci_low": None,
        "ci_high": None,
        "n": 3,
        "population": 3.0,
        "suppressed": True,
        "reason": "confidentiality",
    }
    a, b = rows_from([er, d], edition=2025)
    assert a == er and a.shown  # the report's Row is the engine's own row, simulated flag included
    assert b.edition == 2025 and b.suppressed and not b.shown
    # a hidden row keeps no count nor population, whatever its source held
    assert (b.n, b.population, b.reason) == (None, None, "confidentiality")


def test_report_input_rejects_rows_of_another_edition_and_unknown_languages() -> None:
    data = synthetic_input("fr")
    wrong = dataclasses.replace(data.rows[0], edition=2024)
    with pytest.raises(ReportError):
        dataclasses.replace(data, rows=(wrong, *data.rows[1:]))
    with pytest.raises(ReportError):
        dataclasses.replace(data, lang="de")
    with pytest.raises(ReportError):
        dataclasses.replace(data, previous={2025: ()})


@pytest.mark.parametrize("simulated", [True, False])
def test_a_change_between_simulated_editions_says_it_is_simulated(simulated: bool) -> None:
    from barometre.core.indicators.catalogue import load_catalogue
    from barometre.core.indicators.compute import EstimateRow
    from barometre.core.report.selection import significance
    from barometre.core.wording.note.text import indicator_paragraph

    ind = load_catalogue().get("rssi")
    cur = EstimateRow(ind.id, "ensemble", "ensemble", 60.0, 2.0, 56.0, 64.0, 300, 900.0, False, None, 2025, simulated)
    prev = EstimateRow(ind.id, "ensemble", "ensemble", 40.0, 2.0, 36.0, 44.0, 300, 900.0, False, None, 2024, simulated)
    text = "".join(
        x if isinstance(x, str) else x.text
        for x in indicator_paragraph(ind, cur, prev, [], "fr", "toutes", significance=significance(cur, prev))
    )
    # 20 points with both standard errors at 2: z = 20 / √8 ≈ 7, significant; simulated says so
    assert "hausse significative" in text
    assert ("évolution entre données simulées" in text) == simulated


def test_points_agree_with_the_number_printed() -> None:
    assert format_points(1.2) == "+1\u00a0pt" and format_points(-1.5, 1) == "−1,5\u00a0pt"
    assert format_points(2.0) == "+2\u00a0pts" and format_points(0.3) == "0\u00a0pt"  # no "+0"
    assert format_points(1, lang="en") == "+1 pt" and format_points(3, lang="en") == "+3 pts"
    assert format_margin(1.2) == "±\u00a01,2\u00a0pt"


def test_the_reen_indicator_among_the_authorities_subject_to_reen_takes_the_key_figure_when_present() -> None:
    from dataclasses import replace

    from barometre.core.report.selection import headline_ids
    from barometre.core.report.synthetic import synthetic_input

    data = synthetic_input("fr")
    assert "reen_strategy" in headline_ids(data) or "reen_strategy_subject" in headline_ids(data)
    reen = next(i for i in data.catalogue.indicators if i.id == "reen_strategy")
    others = tuple(i for i in data.catalogue.indicators if i.id != "reen_strategy_subject")
    cat = replace(data.catalogue, indicators=(*others, replace(reen, id="reen_strategy_subject")))
    ids = headline_ids(replace(data, catalogue=cat))
    assert "reen_strategy_subject" in ids and "reen_strategy" not in ids
