"""The poll on the database: simulate, weight, estimates, import (all-or-nothing), life cycle, CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from barometre.apps.poll import services
from barometre.apps.poll.models import PollEdition, PollRespondent, PollState
from barometre.cli.main import app
from barometre.core.errors import PollError
from barometre.core.poll import load_margins, load_poll_catalogue
from barometre.core.poll.importer import PollImportError
from barometre.core.poll.weighting import profile

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def poll_2025() -> PollEdition:
    services.simulate(2025, 1, publish=True)
    return PollEdition.objects.get(year=2025)


def _cli_rows(year: int) -> dict[str, Any]:
    result = runner.invoke(app, ["poll", "estimates", "--edition", str(year), "--format", "json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_cli_estimates_rows_have_the_documented_fields_and_label(poll_2025: PollEdition) -> None:
    out = _cli_rows(2025)
    assert out["simulated"] is True and out["label"] == "données simulées"
    fields = {"indicator", "breakdown", "domain_value", "estimate", "se", "ci_low", "ci_high", "n", "deff"}
    assert out["rows"] and all(fields <= set(r) for r in out["rows"])
    breakdowns = {r["breakdown"] for r in out["rows"]}
    assert breakdowns == {"ensemble", "sexe", "age", "region", "taille_commune", "profession"}


def test_every_ensemble_row_rests_on_at_least_500_respondents(poll_2025: PollEdition) -> None:
    ensemble = [r for r in _cli_rows(2025)["rows"] if r["breakdown"] == "ensemble"]
    assert len(ensemble) == 3
    assert all(r["n"] >= 500 and r["domain_value"] == "ensemble" for r in ensemble)


def test_published_2025_poll_figures_lie_inside_their_95_percent_intervals(poll_2025: PollEdition) -> None:
    catalogue = load_poll_catalogue()
    rows = {r["indicator"]: r for r in _cli_rows(2025)["rows"] if r["breakdown"] == "ensemble"}
    published = [(i.id, i.published_value(2025)) for i in catalogue.for_edition(2025)]
    assert len(published) == 3
    for iid, pub in published:
        assert pub is not None
        assert rows[iid]["ci_low"] <= pub.value <= rows[iid]["ci_high"], (iid, rows[iid], pub.value)


def test_stored_weights_reproduce_the_census_margins(poll_2025: PollEdition) -> None:
    respondents = list(poll_2025.respondents.order_by("id"))
    weights = np.array([r.weight for r in respondents])
    profiles = [profile(r.answers, i) for i, r in enumerate(respondents)]
    for m in load_margins().margins:
        codes = np.array([m.categories.index(p[m.id]) for p in profiles])
        shares = np.bincount(codes, weights=weights, minlength=len(m.categories)) / weights.sum()
        assert np.max(np.abs(shares - m.shares)) < 1e-6, m.id


def test_simulating_again_with_the_same_inputs_changes_nothing(poll_2025: PollEdition) -> None:
    before = list(poll_2025.respondents.values_list("pk", flat=True))
    assert "inchangé" in services.simulate(2025, 1, publish=True)
    assert list(PollEdition.objects.get(year=2025).respondents.values_list("pk", flat=True)) == before


def test_poll_without_published_figures_is_not_simulated() -> None:
    with pytest.raises(Exception, match="2023"):
        services.simulate(2023, 1)


# --------------------------------------------------------------------------- import


MAPPING = """\
id: RESPID
columns:
  sexe: {column: SEXE, values: {"1": homme, "2": femme}}
  age: AGE
  region: REG
  taille_commune: TAILLE
  profession: PCS
  confiance_donnees_commune:
    column: Q1
    values: {"1": tout_a_fait, "2": plutot, "3": plutot_pas, "4": pas_du_tout, "9": nsp}
  diffusion_ia: Q2
  exposition_cyberattaque: Q3
"""
HEADER = ["RESPID", "SEXE", "AGE", "REG", "TAILLE", "PCS", "Q1", "Q2", "Q3"]


def _institute_file(tmp_path: Path, rows: list[list[str]], name: str = "ipsos.csv") -> tuple[Path, Path]:
    """A file shaped like an institute's export, made from simulated answers (semicolons, own codes)."""
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return path, mapping


def _rows_from_simulation(n: int) -> list[list[str]]:
    from barometre.core.poll.simulate import simulate_poll

    sim = simulate_poll(services.questionnaire(2025), load_poll_catalogue(), load_margins(), seed=7, size=max(n, 400))
    code = {"tout_a_fait": "1", "plutot": "2", "plutot_pas": "3", "pas_du_tout": "4", "nsp": "9"}
    sex = {"homme": "1", "femme": "2"}
    return [
        [
            f"R{i}",
            sex[str(a["sexe"])],
            str(a["age"]),
            str(a["region"]),
            str(a["taille_commune"]),
            str(a["profession"]),
            code[str(a["confiance_donnees_commune"])],
            str(a["diffusion_ia"]),
            str(a["exposition_cyberattaque"]),
        ]
        for i, (_, a) in enumerate(sim.respondents[:n])
    ]


def test_import_then_weight_a_real_poll_file(tmp_path: Path) -> None:
    services.open_poll(2025)
    path, mapping = _institute_file(tmp_path, _rows_from_simulation(400))
    result = runner.invoke(
        app, ["poll", "import", str(path), "--mapping", str(mapping), "--edition", "2025", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["respondents"] == 400
    edition = PollEdition.objects.get(year=2025)
    assert not edition.simulated and edition.origin == "ipsos.csv"
    services.weight(2025)
    rows = services.estimate_rows(PollEdition.objects.get(year=2025))
    assert any(r["breakdown"] == "ensemble" and r["n"] == 400 for r in rows)


def test_import_with_a_bad_row_stores_nothing_and_names_row_and_column(tmp_path: Path) -> None:
    services.open_poll(2025)
    good, mapping = _institute_file(tmp_path, _rows_from_simulation(120), "first.csv")
    services.import_file(2025, good, mapping)
    before = list(PollRespondent.objects.values_list("code", "answers"))
    rows = _rows_from_simulation(150)
    rows[41][6] = "7"  # an unknown code for Q1: row 43 of the file (header = row 1)
    bad, mapping = _institute_file(tmp_path, rows, "second.csv")
    result = runner.invoke(
        app, ["poll", "import", str(bad), "--mapping", str(mapping), "--edition", "2025", "--replace"]
    )
    assert result.exit_code == 2
    assert "second.csv, ligne 43, colonne Q1" in result.output
    assert "Traceback" not in result.output
    assert list(PollRespondent.objects.values_list("code", "answers")) == before


def test_import_reports_answers_the_questionnaire_refuses_by_row_and_column(tmp_path: Path) -> None:
    services.open_poll(2025)
    rows = _rows_from_simulation(20)
    rows[4][2] = "16"  # under 18: refused by the questionnaire's bounds
    rows[9][3] = "99"  # no such région
    path, mapping = _institute_file(tmp_path, rows)
    with pytest.raises(PollImportError) as info:
        services.import_file(2025, path, mapping)
    assert any("ligne 6, colonne AGE" in p for p in info.value.problems)
    assert any("ligne 11, colonne REG" in p for p in info.value.problems)
    assert not PollRespondent.objects.exists()


def test_import_names_a_missing_column(tmp_path: Path) -> None:
    services.open_poll(2025)
    path, mapping = _institute_file(tmp_path, _rows_from_simulation(10))
    mapping.write_text(MAPPING.replace("Q3", "Q33"), encoding="utf-8")
    with pytest.raises(PollImportError, match="ligne 1, colonne Q33"):
        services.import_file(2025, path, mapping)


def test_a_published_poll_takes_no_import_and_no_new_weighting(poll_2025: PollEdition, tmp_path: Path) -> None:
    assert poll_2025.state == PollState.PUBLISHED
    path, mapping = _institute_file(tmp_path, _rows_from_simulation(10))
    with pytest.raises(PollError, match="pas ouvert"):
        services.import_file(2025, path, mapping)
    with pytest.raises(PollError, match="figée"):
        services.weight(2025)


def test_publishing_needs_a_weighting(tmp_path: Path) -> None:
    services.open_poll(2025)
    path, mapping = _institute_file(tmp_path, _rows_from_simulation(50))
    services.import_file(2025, path, mapping)
    services.close_poll(2025)
    with pytest.raises(PollError, match="pondéré"):
        services.publish_poll(2025)


def test_cli_errors_are_one_line_with_status_2() -> None:
    result = runner.invoke(app, ["poll", "estimates", "--edition", "2030", "--format", "json"])
    assert result.exit_code == 2
    assert "pas de sondage 2030" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["poll", "open", "--edition", "2023"])
    assert result.exit_code == 2 and "2023" in result.output
