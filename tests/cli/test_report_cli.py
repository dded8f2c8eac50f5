"""``barometre report build``: builds the note from ``apps.editions.reporting.report_input`` (faked here)."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli import report as report_cli
from barometre.cli.main import app
from barometre.core.report.editorial import load_editorial
from barometre.core.report.synthetic import synthetic_input

runner = CliRunner()


@pytest.fixture
def fake_reporting(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    calls: list[tuple[int, str]] = []

    def report_input(year: int, lang: str, editorial: Path | None = None) -> object:
        calls.append((year, lang))
        data = synthetic_input(lang, year)
        if editorial is None:
            return data
        return replace(data, editorial=load_editorial(editorial, edition=year, lang=lang))

    module = types.ModuleType("barometre.apps.editions.reporting")
    module.report_input = report_input  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "barometre.apps.editions.reporting", module)
    monkeypatch.setattr(report_cli, "setup_django", lambda: None)
    return calls


@pytest.mark.slow
def test_report_build_writes_html_and_figures_and_reports_json(
    fake_reporting: list[tuple[int, str]], tmp_path: Path
) -> None:
    out = tmp_path / "note"
    result = runner.invoke(
        app, ["report", "build", "--edition", "2025", "--lang", "en", "--out", str(out), "--no-pdf", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert fake_reporting == [(2025, "en")]
    assert summary["pdf"] is None and summary["simulated"] is True
    assert (out / "index.html").is_file() and summary["figures"] >= 30
    assert set(summary["timings"]) >= {"figures", "html", "total"}


def test_report_build_without_the_reporting_module_fails_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "barometre.apps.editions.reporting", None)  # import fails
    monkeypatch.setattr(report_cli, "setup_django", lambda: None)
    result = runner.invoke(app, ["report", "build", "--edition", "2025", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "erreur" in result.output and "Traceback" not in result.output


def test_report_build_with_a_malformed_editorial_fails_in_one_line_naming_file_and_line(
    fake_reporting: list[tuple[int, str]], tmp_path: Path
) -> None:
    editorial = tmp_path / "edito.md"
    head = "---\nedition: 2025\nlang: fr\ntitle: Édito\n---\n\n"
    editorial.write_text(head + "Texte.\n\n## Exemples {examples=ia}\n- nulle-part\n")
    out = tmp_path / "note"
    result = runner.invoke(
        app, ["report", "build", "--edition", "2025", "--out", str(out), "--no-pdf", "--editorial", str(editorial)]
    )
    assert result.exit_code != 0
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert "edito.md:10" in lines[0] and "nulle-part" in lines[0]
    assert not (out / "index.html").exists()


def test_report_build_with_a_missing_editorial_names_the_file(
    fake_reporting: list[tuple[int, str]], tmp_path: Path
) -> None:
    missing = tmp_path / "absent.md"
    argv = ["report", "build", "--edition", "2025", "--out", str(tmp_path / "n"), "--no-pdf"]
    result = runner.invoke(app, [*argv, "--editorial", str(missing)])
    assert result.exit_code != 0
    assert "absent.md" in result.output and "Traceback" not in result.output
