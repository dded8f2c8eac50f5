"""Small-area estimates of a simulated edition: stored with the indicators, served by the CLI,
the API and the open data, never showing a direct figure the disclosure rule withholds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from barometre.cli.main import app

# Slow: a simulated, weighted and published edition (about 25 s), shared through its xdist group.
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("simulated_2025")]
runner = CliRunner()
CYBER = "cyber_threatened"


def test_compute_stores_small_area_estimates_for_every_departement_and_region(simulated_2025: int) -> None:
    from barometre.apps.editions.models import SmallAreaEstimate, SmallAreaFit

    fits = SmallAreaFit.objects.filter(edition__year=simulated_2025, indicator=CYBER)
    assert sorted(fits.values_list("level", flat=True)) == ["departement", "region"]
    dep = SmallAreaEstimate.objects.filter(fit__in=fits, fit__level="departement")
    assert dep.count() == 101
    assert not dep.filter(mse__lte=0).exists()
    # a direct figure withheld by the disclosure rule is not stored
    assert not dep.filter(n__lt=10, direct__isnull=False).exists()


def test_sae_estimate_cli_gives_one_row_per_geographic_departement(simulated_2025: int) -> None:
    result = runner.invoke(
        app, ["sae", "estimate", "--edition", str(simulated_2025), "--indicator", CYBER, "--level", "departement",
              "--format", "json"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout)
    rows = out["rows"]
    assert len(rows) == 101
    assert {"971", "972", "973", "974", "976"} <= {r["area"] for r in rows}
    assert any(r["n"] is None and r["direct"] is None for r in rows)
    for r in rows:
        assert set(r) >= {"area", "direct", "direct_se", "eblup", "mse", "cv", "n", "method"}
        assert r["mse"] > 0
        assert r["method"] in ("eblup", "synthetic")
    assert out["simulated"] and out["label"] == "données simulées"
    assert out["model"]["refvar"] >= 0


def test_sae_estimate_cli_rejects_an_unknown_level_on_one_line(simulated_2025: int) -> None:
    result = runner.invoke(
        app, ["sae", "estimate", "--edition", str(simulated_2025), "--indicator", CYBER, "--level", "canton"]
    )
    assert result.exit_code == 2
    assert "canton" in result.output and "Traceback" not in result.output


def test_api_serves_direct_and_model_based_estimates(simulated_2025: int, client: Any) -> None:
    resp = client.get(
        "/api/v1/small-area-estimates", {"edition": simulated_2025, "indicator": CYBER, "level": "region"}
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["simulated"] is True and body["label"] == "données simulées"
    assert len(body["results"]) == 18
    for r in body["results"]:
        assert r["mse"] > 0
        if r["direct"] is None:  # a withheld direct estimate publishes no count
            assert r["n"] is None and r["direct_se"] is None and r["shrinkage"] is None
        if r["method"] == "synthetic":
            assert r["direct"] is None
    assert client.get("/api/v1/small-area-estimates", {"edition": simulated_2025, "indicator": CYBER,
                                                        "level": "canton"}).status_code == 400  # fmt: skip
    assert client.get("/api/v1/small-area-estimates", {"edition": 1999, "indicator": CYBER}).status_code == 404


def test_open_data_carries_small_area_estimates_without_withheld_direct_figures(
    simulated_2025: int, tmp_path: Any
) -> None:
    import csv

    from barometre.apps.editions.opendata import export_edition

    summary = export_edition(simulated_2025, tmp_path)
    assert "petits-domaines-csv" in summary.resources
    with open(tmp_path / "petits-domaines.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    dep = [r for r in rows if r["indicator"] == CYBER and r["level"] == "departement"]
    assert len(dep) == 101
    for r in rows:
        assert float(r["mse"]) > 0
        assert r["simulated"] == "true"
        if r["direct"] == "":
            assert r["n"] == "" and r["direct_se"] == "" and r.get("shrinkage", "") == ""
        if r["method"] == "synthetic":
            assert r["direct"] == ""


def test_explorer_draws_the_departement_map_from_model_based_estimates_with_their_cv(
    simulated_2025: int, client: Any
) -> None:
    resp = client.get(f"/resultats/{CYBER}/", {"edition": simulated_2025, "breakdown": "region"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "barometre-small-area-map" in html
    assert html.count('data-area="') == 101 + 18  # every département, and the région map is model-based too
    assert "estimation par modèle, CV" in html
    assert "estimation directe" in html
    assert "Contrôles du modèle" in html
