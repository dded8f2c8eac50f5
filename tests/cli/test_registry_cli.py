"""``barometre registry``: load, update, stats, show, search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.core.registry.build import build_snapshot
from barometre.core.registry.sample import write_sample_package

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    return build_snapshot(tmp_path / "snapshot", "6.0.0", package_dir=write_sample_package(tmp_path / "pkg"))


@pytest.fixture
def loaded(sample_dir: Path) -> Path:
    result = runner.invoke(app, ["registry", "load", "--snapshot", str(sample_dir)])
    assert result.exit_code == 0, result.output
    return sample_dir


def test_load_reports_counts_and_is_idempotent(sample_dir: Path) -> None:
    first = runner.invoke(app, ["registry", "load", "--snapshot", str(sample_dir), "--format", "json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["created"] == 47
    second = runner.invoke(app, ["registry", "load", "--snapshot", str(sample_dir)])
    assert second.exit_code == 0
    assert "0 ajoutées, 0 modifiées, 0 supprimées" in " ".join(second.stdout.split())


def test_load_of_a_corrupted_snapshot_exits_2(sample_dir: Path) -> None:
    payload = sample_dir / "authorities.json.gz"
    payload.write_bytes(payload.read_bytes()[:50])
    result = runner.invoke(app, ["registry", "load", "--snapshot", str(sample_dir)])
    assert result.exit_code == 2
    assert "tronqué" in result.output


def test_show_unknown_code_exits_2_naming_the_code(loaded: Path) -> None:
    result = runner.invoke(app, ["registry", "show", "99999"])
    assert result.exit_code == 2
    assert "99999" in result.output


def test_show_epci_lists_its_members_with_insee_codes(loaded: Path) -> None:
    result = runner.invoke(app, ["registry", "show", "200054781", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["type"] == "METRO" and data["kind"] == "epci"
    assert [(m["code"], m["name"]) for m in data["members"]] == [("75056", "Ville de Paris"), ("92050", "Nanterre")]
    assert data["population_millesime"] == 2023


def test_show_commune_gives_its_epci_region_and_departement(loaded: Path) -> None:
    result = runner.invoke(app, ["registry", "show", "01002"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "CC de la Dombes" in text and "200000001" in text
    assert "population municipale" in text.lower()
    data = json.loads(runner.invoke(app, ["registry", "show", "01002", "--format", "json"]).stdout)
    assert (data["region"], data["departement"], data["epci"]["code"]) == ("84", "01", "200000001")


def test_show_departement_alias(loaded: Path) -> None:
    data = json.loads(runner.invoke(app, ["registry", "show", "67", "--format", "json"]).stdout)
    assert data["code"] == "6AE" and data["kind"] == "collectivite_unique"


def test_search_ranks_and_filters_by_kind(loaded: Path) -> None:
    result = runner.invoke(app, ["registry", "search", "saint etienne", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["code"] == "01002"
    result = runner.invoke(app, ["registry", "search", "lyon", "--kind", "metropole_lyon", "--format", "json"])
    assert [r["code"] for r in json.loads(result.stdout)] == ["69M"]
    bad = runner.invoke(app, ["registry", "search", "lyon", "--kind", "canton"])
    assert bad.exit_code == 2 and "canton" in bad.output
    text = runner.invoke(app, ["registry", "search", "lyon"])
    assert "Lyon" in text.stdout


def test_stats_counts_by_kind_type_stratum_with_source(loaded: Path) -> None:
    result = runner.invoke(app, ["registry", "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"]["version"] == "6.0.0" and data["source"]["population_millesime"] == 2023
    assert {r["kind"]: r["count"] for r in data["by_kind"]}["commune"] == 18
    assert {r["stratum"]: r["count"] for r in data["by_stratum"]}["regions"] == 8
    text = runner.invoke(app, ["registry", "stats"])
    assert text.exit_code == 0 and "millésime 2023" in " ".join(text.stdout.split())


def test_stats_on_an_empty_registry_exits_2() -> None:
    result = runner.invoke(app, ["registry", "stats"])
    assert result.exit_code == 2
    assert "registry load" in result.output


def test_update_prints_what_changed_and_rewrites_the_snapshot(tmp_path: Path, sample_dir: Path) -> None:
    package = write_sample_package(tmp_path / "pkg2")
    communes = json.loads((package / "data" / "communes.json").read_text(encoding="utf-8"))
    for c in communes:
        if c["code"] == "29019":
            c["nom"] = "Brest-sur-Mer"
    (package / "data" / "communes.json").write_text(json.dumps(communes), encoding="utf-8")
    result = runner.invoke(
        app,
        ["registry", "update", "--package-dir", str(package), "--snapshot", str(sample_dir), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["changes"]["counts"]["renamed"] == 1 and data["written"]
    again = runner.invoke(app, ["registry", "update", "--package-dir", str(package), "--snapshot", str(sample_dir)])
    assert again.exit_code == 0
    assert "0 ajoutées, 0 supprimées" in " ".join(again.stdout.split())
