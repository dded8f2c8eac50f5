from __future__ import annotations

import json
from pathlib import Path

from pyxform.xls2xform import convert
from typer.testing import CliRunner

from barometre.cli.main import app

runner = CliRunner()

BROKEN = """\
edition: 2025
version: "1"
title: {fr: T, en: T}
sections:
  - id: s
    title: {fr: S, en: S}
    questions:
      - id: a
        type: integr
        label: {fr: A, en: A}
      - id: b
        type: text
        label: {fr: B, en: B}
        relevant: ${c} = 'x'
"""


def test_validate_shipped_editions_exits_0() -> None:
    result = runner.invoke(app, ["questionnaire", "validate"])
    assert result.exit_code == 0, result.output
    assert "2025.yaml : valide" in result.output


def test_validate_lists_every_error_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(app, ["questionnaire", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:9:15: question 'a' : type 'integr' inconnu" in result.output
    assert f"{path}:14:19: question 'b' : relevant : question inconnue ${{c}}" in result.output
    assert "Traceback" not in result.output


def test_validate_bad_yaml_never_shows_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("edition: [2025\n", encoding="utf-8")
    result = runner.invoke(app, ["questionnaire", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2:1: YAML invalide" in result.output
    result = runner.invoke(app, ["questionnaire", "validate", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1 and "fichier introuvable" in result.output


def test_diff_between_two_editions() -> None:
    result = runner.invoke(app, ["questionnaire", "diff", "2023", "2024", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "benefices_attendus" in data["added"]
    assert any(c["old_id"] == "projet_donnees_2ans" and c["remapped"] for c in data["changed"])
    text = runner.invoke(app, ["questionnaire", "diff", "2024", "2025"])
    assert text.exit_code == 0 and "ia_usage" in text.output


def test_export_then_import_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "f.xlsx"
    result = runner.invoke(app, ["questionnaire", "export", "--edition", "2025", "--format", "xlsform", str(out)])
    assert result.exit_code == 0, result.output
    convert(xlsform=str(out), validate=False)
    result = runner.invoke(app, ["questionnaire", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert "edition: 2025" in result.stdout
    yaml_out = tmp_path / "back.yaml"
    result = runner.invoke(app, ["questionnaire", "import", str(out), "--out", str(yaml_out)])
    assert result.exit_code == 0
    assert runner.invoke(app, ["questionnaire", "validate", str(yaml_out)]).exit_code == 0


def test_import_refusal_exits_1_with_one_message_per_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in (["type", "name", "label"], ["begin_loop over l", "r", "R"], ["image", "photo", "Photo"]):
        ws.append(row)
    path = tmp_path / "FORM.xlsx"
    wb.save(str(path))
    result = runner.invoke(app, ["questionnaire", "import", str(path)])
    assert result.exit_code == 1
    assert "FORM.xlsx:survey:2:" in result.output and "FORM.xlsx:survey:3:" in result.output
    assert "Traceback" not in result.output


def test_show_unknown_edition_is_a_clean_error() -> None:
    result = runner.invoke(app, ["questionnaire", "show", "1999"])
    assert result.exit_code == 2
    assert "pas de questionnaire pour l'édition 1999" in result.output
    ok = runner.invoke(app, ["questionnaire", "show", "2025", "--format", "json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["edition"] == 2025
