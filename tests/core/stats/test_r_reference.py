"""Every number of every R reference case (tests/reference/survey) is reproduced."""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from barometre.core.errors import ConvergenceWarning
from barometre.core.paths import REFERENCE_DIR
from barometre.core.stats.frame import run_case

CASE_DIR = REFERENCE_DIR / "survey"
CASES = sorted(CASE_DIR.glob("*.json"))


@cache
def _run(path: Path) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = run_case(path)
    return rows, tuple(str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning))


def _results(path: Path) -> list[dict[str, Any]]:
    return _run(path)[0]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_warns_where_r_warns(path: Path) -> None:
    """An adjustment that stops at its iteration limit warns as R does (and only then)."""
    case = json.loads(path.read_text())
    want = [w.strip() for w in case.get("r_warnings") or [] if "converge" in w]
    assert [w.strip() for w in _run(path)[1]] == want


def _params() -> list[Any]:
    out = []
    for path in CASES:
        case = json.loads(path.read_text())
        for i, req in enumerate(case["requests"]):
            tag = "-".join(
                str(x)
                for x in (
                    req["statistic"],
                    req["variable"],
                    req.get("domain") or "all",
                    req.get("ci_method") or req.get("interval_type") or "",
                )
            )
            out.append(pytest.param(path, i, id=f"{path.stem}[{i}:{tag}]"))
    return out


def _tolerance(exp: dict[str, Any], key: str, req: dict[str, Any], case: dict[str, Any]) -> tuple[float, float]:
    """(relative, absolute) tolerance following the README of the reference folder."""
    rel = 1e-9
    method = exp.get("ci_method")
    if method in ("logit", "likelihood"):
        rel = 1e-8
    if method == "likelihood" and key in ("ci_low", "ci_high"):
        rel = 1e-3
    if req.get("interval_type") == "score" and key in ("ci_low", "ci_high", "se"):
        rel = 1e-4
    absolute = 0.0
    adj = case.get("adjustment") or {}
    if key == "se" and adj:
        absolute = 1e-9  # SEs of calibration margins are numerically zero
    return rel, absolute


@pytest.mark.parametrize(("path", "request_index"), _params())
def test_matches_r_survey(path: Path, request_index: int) -> None:
    case = json.loads(path.read_text())
    req = case["requests"][request_index]
    expected = [e for e in case["expected"] if e["request_index"] == request_index]
    got = [r for r in _results(path) if r["request_index"] == request_index]
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g["level_of_factor"] == e["level_of_factor"]
        assert g["domain_value"] == e["domain_value"]
        assert g.get("quantile") == e.get("quantile")
        assert g["df"] == e["df"]
        for key in ("estimate", "se", "ci_low", "ci_high", "deff"):
            if key not in e:
                continue
            want, have = e[key], g.get(key)
            if want is None:
                assert have is None, (key, e)
                continue
            assert have is not None, (key, e)
            rel, absolute = _tolerance(e, key, req, case)
            assert abs(have - want) <= max(rel * max(1.0, abs(want)), absolute), (key, have, want, e)
