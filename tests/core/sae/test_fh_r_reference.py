"""Every Fay–Herriot case of tests/reference/sae is reproduced by ``barometre stats fh`` (R sae 1.3)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.core.paths import REFERENCE_DIR

CASES = sorted((REFERENCE_DIR / "sae").glob("*.json"))
KEYS = ("refvar", "beta", "beta_se", "eblup", "mse", "loglike", "aic", "bic")
runner = CliRunner()


@cache
def _cli_output(path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["stats", "fh", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def _close(have: float, want: float, rel: float, near_zero: float = 1e-9) -> bool:
    return abs(have - want) <= max(rel * abs(want), near_zero)


def test_the_reference_folder_holds_every_method_and_a_truncated_variance() -> None:
    cases = [json.loads(p.read_text()) for p in CASES]
    assert {c["method"] for c in cases} == {"REML", "ML", "FH"}
    assert any(c["expected"]["refvar"] == 0 for c in cases)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_stats_fh_reproduces_r_sae(path: Path, key: str) -> None:
    case = json.loads(path.read_text())
    rel = float(case.get("tolerance", {}).get("relative", 1e-6))
    want = case["expected"][key]
    have = _cli_output(path)[key]
    assert set(_cli_output(path)) == set(KEYS)
    if isinstance(want, list):
        assert len(have) == len(want)
        bad = [(i, h, w) for i, (h, w) in enumerate(zip(have, want, strict=True)) if not _close(h, w, rel)]
        assert not bad, bad[:5]
    else:
        assert _close(have, want, rel), (have, want)


def test_stats_fh_names_the_bad_field_on_one_line(tmp_path: Path) -> None:
    case = json.loads(CASES[0].read_text())
    case["data"][2]["vardir"] = "abc"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(case))
    result = runner.invoke(app, ["stats", "fh", str(bad), "--format", "json"])
    assert result.exit_code == 2
    assert "ligne 3" in result.output and "vardir" in result.output
    assert "Traceback" not in result.output
