"""``barometre report build``: builds the note from ``apps.editions.reporting.report_input`` (faked here)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli import report as report_cli
from barometre.cli.main import app
from barometre.core.report.synthetic import synthetic_input

runner = CliRunner()


@pytest.fixture
def fake_reporting(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    calls: list[tuple[int, str]] = []

    def report_input(year: int, lang: str) -> object:
        calls.append((year, lang))
        return synthetic_input(lang, year)

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
