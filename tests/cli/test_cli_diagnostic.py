"""``barometre diagnostic obligations|plan|scores`` and ``barometre csirt`` (registry lookup monkeypatched)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli import diagnostic as diag_cli
from barometre.cli.main import app
from barometre.core.diagnostic import from_registry
from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.errors import NotFound
from barometre.core.registry.model import Kind

runner = CliRunner()

PROFILES = {
    "31555": AuthorityProfile(
        code="31555",
        name="Toulouse",
        kind="commune",
        population_municipale=500_000,
        population_totale=505_000,
        departement="31",
        region="76",
    ),
    "57463": AuthorityProfile(
        code="57463", name="Metz", kind="commune", population_municipale=120_000, departement="57", region="44"
    ),
}


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(code: str) -> AuthorityProfile:
        if code not in PROFILES:
            raise NotFound(f"code inconnu dans le registre : « {code} »")
        return PROFILES[code]

    monkeypatch.setattr(diag_cli, "resolve_profile", resolve)


def test_obligations_json_shape_and_agents_option() -> None:
    res = runner.invoke(
        app, ["diagnostic", "obligations", "31555", "--agents", "3000", "--at", "2026-01-15", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["at"] == "2026-01-15"
    assert data["authority"]["agents"] == 3000
    by_id = {o["id"]: o for o in data["obligations"]}
    assert by_id["open_data"]["status"] == "applies"
    assert by_id["reen"]["status"] == "applies"
    assert by_id["nis2"]["status"] == "depends"
    for o in data["obligations"]:
        assert {
            "id",
            "title",
            "status",
            "reason",
            "reference",
            "url",
            "since",
            "population_basis",
            "legal_status",
            "requirements",
        } <= set(o)


def test_obligations_text_output_is_french() -> None:
    res = runner.invoke(app, ["diagnostic", "obligations", "31555", "--at", "2026-01-15"])
    assert res.exit_code == 0, res.output
    assert "s'applique" in res.stdout
    assert "Toulouse" in res.stdout


def test_obligations_bad_date_is_one_line_error_exit_2() -> None:
    res = runner.invoke(app, ["diagnostic", "obligations", "31555", "--at", "15/01/2026"])
    assert res.exit_code == 2
    assert "date invalide" in res.output
    assert "Traceback" not in res.output


def test_unknown_code_is_exit_2() -> None:
    res = runner.invoke(app, ["diagnostic", "obligations", "99999"])
    assert res.exit_code == 2
    assert "code inconnu" in res.output


def test_csirt_json_on_christmas() -> None:
    res = runner.invoke(app, ["csirt", "31555", "--at", "2026-12-25T10:00", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["csirt"]["name"] == "Cyber'Occ"
    assert data["open"] is False
    assert data["next_opening"] == "2026-12-28T09:00:00+01:00"
    assert data["fallback"]["national"]["name"] == "17Cyber"


def test_csirt_text_without_hours_says_not_communicated() -> None:
    res = runner.invoke(app, ["csirt", "57463", "--at", "2026-12-26T10:00"])
    assert res.exit_code == 0, res.output
    assert "horaires non communiqués" in res.stdout
    assert "17Cyber" in res.stdout


def test_csirt_bad_moment_is_exit_2() -> None:
    res = runner.invoke(app, ["csirt", "31555", "--at", "Noël"])
    assert res.exit_code == 2


def test_plan_from_answers_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        "prestataire_informatique: [personne]\ncyber_mesures: {sauvegardes_hors_ligne: non}\n", encoding="utf-8"
    )
    res = runner.invoke(app, ["diagnostic", "plan", "31555", "--answers", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["actions"][0]["id"] == "offline_backups"
    assert data["it_staff"] == "none"
    assert [a["id"] for a in data["to_check"]] == ["updates"]


def test_plan_under_attack_starts_with_the_incident(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"rssi": "interne"}), encoding="utf-8")
    res = runner.invoke(
        app, ["diagnostic", "plan", "31555", "--answers", str(path), "--under-attack", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["actions"][0]["id"] == "incident_now"


def test_plan_text_output_in_french(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("rssi: non\n", encoding="utf-8")
    res = runner.invoke(app, ["diagnostic", "plan", "31555", "--answers", str(path)])
    assert res.exit_code == 0, res.output
    assert "Premier pas" in res.stdout
    assert "À vérifier" in res.stdout


def test_scores_json_from_answers_without_database(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        "ia_charte_ethique: adopte\nrssi: interne\nstrategie_donnees: en_cours\ncyber_mesures: {mfa: en_place}\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["diagnostic", "scores", "--answers", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    themes = {t["id"]: t for t in data["themes"]}
    assert (themes["donnees"]["score"], themes["ia"]["score"], themes["cyber"]["score"]) == (7, 25, 22)
    assert themes["ia"]["level"]["id"] == "intermediaire"
    assert data["overall"]["score"] == 18  # (7 + 25 + 22) / 3
    assert themes["cyber"]["what_counted"][0]["answer"][0]["label"]["en"] == "In place"
    assert themes["cyber"]["what_would_raise_most"][0]["action"]["fr"]


def test_scores_text_output_is_french(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"cyber_formation": ["agents", "elus"]}), encoding="utf-8")
    res = runner.invoke(app, ["diagnostic", "scores", "--answers", str(path)])
    assert res.exit_code == 0, res.output
    assert "Cybersécurité : 11/100 — Débutant" in res.stdout
    assert "Ce qui ferait le plus progresser" in res.stdout


def test_scores_invalid_answers_are_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("rssi: peut-etre\n", encoding="utf-8")
    res = runner.invoke(app, ["diagnostic", "scores", "--answers", str(path)])
    assert res.exit_code == 2
    assert "réponses invalides" in res.output
    assert "Traceback" not in res.output


def test_scores_other_edition_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("rssi: interne\n", encoding="utf-8")
    res = runner.invoke(app, ["diagnostic", "scores", "--answers", str(path), "--edition", "2024"])
    assert res.exit_code == 2
    assert "2025" in res.output


def test_profile_of_an_epci_from_the_registry_has_its_largest_member() -> None:
    from barometre.core.registry import load_snapshot

    frame = load_snapshot()
    rennes_metropole = next(a for a in frame.of_kind(Kind.EPCI) if a.name == "Rennes Métropole")
    p = from_registry.profile_of(rennes_metropole, frame)
    assert p.epci_type == "METRO"
    assert p.max_member_population == frame.get("35238").population_municipale  # Rennes
    assert p.population_totale is None  # another millésime in the source: never mixed in


def test_profile_maps_special_authorities() -> None:
    assert from_registry.resolve_profile("6AE").kind == "departement"  # Collectivité européenne d'Alsace
    corse = from_registry.resolve_profile("20R")
    assert corse.has_region_powers and corse.has_departement_powers
    paris = from_registry.resolve_profile("75056")
    assert paris.has_departement_powers and not paris.has_region_powers
    lyon = from_registry.resolve_profile("69M")
    assert lyon.kind == "metropole_lyon" and lyon.has_departement_powers
