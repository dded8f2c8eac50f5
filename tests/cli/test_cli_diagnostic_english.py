"""``--lang en`` of ``barometre diagnostic obligations|plan`` and ``barometre csirt`` (registry monkeypatched)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli import diagnostic as diag_cli
from barometre.cli.main import app
from barometre.core.diagnostic.profile import AuthorityProfile

runner = CliRunner()
TOULOUSE = AuthorityProfile(
    code="31555", name="Toulouse", kind="commune", population_municipale=500_000, departement="31", region="76"
)


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diag_cli, "resolve_profile", lambda code: TOULOUSE)


def test_obligations_lang_en_gives_english_texts() -> None:
    res = runner.invoke(
        app, ["diagnostic", "obligations", "31555", "--at", "2026-01-15", "--lang", "en", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    reen = next(o for o in json.loads(res.stdout)["obligations"] if o["id"] == "reen")
    assert reen["title"] == "Responsible digital strategy (REEN law)"


def test_obligations_default_stays_french() -> None:
    res = runner.invoke(app, ["diagnostic", "obligations", "31555", "--at", "2026-01-15", "--format", "json"])
    reen = next(o for o in json.loads(res.stdout)["obligations"] if o["id"] == "reen")
    assert reen["title"] == "Stratégie numérique responsable (loi REEN)"


def test_csirt_lang_en_on_christmas() -> None:
    res = runner.invoke(app, ["csirt", "31555", "--at", "2026-12-25T10:00", "--lang", "en", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["status"] == "Closed: public holiday (Christmas Day)."
    text = runner.invoke(app, ["csirt", "31555", "--at", "2026-12-25T10:00", "--lang", "en"])
    assert text.exit_code == 0, text.output
    assert "Serious incident" in text.stdout


def test_plan_lang_en(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("prestataire_informatique: [personne]\n", encoding="utf-8")
    res = runner.invoke(
        app, ["diagnostic", "plan", "31555", "--answers", str(path), "--lang", "en", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["actions"][0]["title"] == "Regular backups, including an offline copy"


def test_unknown_lang_is_one_line_exit_2() -> None:
    res = runner.invoke(app, ["diagnostic", "obligations", "31555", "--lang", "de"])
    assert res.exit_code == 2
    assert "langue" in res.output
