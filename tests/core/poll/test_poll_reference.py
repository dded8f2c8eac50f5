"""The poll's raking and estimates reproduce R ``survey`` (rake, svymean, svyby) to 1e-9."""

from __future__ import annotations

import csv
import json
from functools import cache
from typing import Any

import numpy as np
import pytest

from barometre.core.paths import REFERENCE_DIR
from barometre.core.poll import load_margins, load_poll_catalogue, poll_estimates, weight_poll
from barometre.core.poll.weighting import PollEstimateRow, PollWeighting

CASE = REFERENCE_DIR / "survey" / "poll2025_rake.json"
EDITION = 2025


def _close(have: float | None, want: float, rel: float = 1e-9) -> bool:
    return have is not None and abs(have - want) <= rel * max(1.0, abs(want))


@cache
def _case() -> dict[str, Any]:
    return dict(json.loads(CASE.read_text()))


@cache
def _respondents() -> list[dict[str, object]]:
    """The case's rows as poll answers (a representative age per group, a code per occupation group)."""
    catalogue = load_poll_catalogue()
    occupation = {"agriculteurs_artisans": "artisans_commercants"}
    out: list[dict[str, object]] = []
    with (CASE.parent / _case()["data"]).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            a: dict[str, object] = {
                "sexe": row["sexe"],
                "age": int(row["age"].split("_")[0]),
                "region": row["region"].removeprefix("r"),
                "taille_commune": row["taille_commune"].removeprefix("t"),
                "profession": occupation.get(row["profession"], row["profession"]),
            }
            for ind in catalogue.for_edition(EDITION):
                a[ind.question] = ind.codes[0] if row[ind.id] == "1" else "nsp"
            out.append(a)
    return out


@cache
def _weighting() -> PollWeighting:
    return weight_poll(_respondents())


@cache
def _rows() -> dict[tuple[str, str, str], PollEstimateRow]:
    rows = poll_estimates(_weighting(), _respondents(), load_poll_catalogue(), EDITION)
    return {(r.indicator, r.breakdown, r.domain_value): r for r in rows}


def _domain(breakdown: str, value: str) -> str:
    return value.removeprefix("r") if breakdown == "region" else value.removeprefix("t")


def test_poll_estimates_match_r_svymean_and_svyby() -> None:
    case = _case()
    rows = _rows()
    compared = 0
    for e in case["expected"]:
        req = case["requests"][e["request_index"]]
        bid = req["domain"] or "ensemble"
        value = "ensemble" if req["domain"] is None else _domain(bid, e["domain_value"])
        row = rows[(req["variable"], bid, value)]
        if row.suppressed:
            assert row.n < 10 or row.reason  # withheld by the disclosure rule, never silently
            continue
        for key in ("estimate", "se", "ci_low", "ci_high"):
            assert _close(getattr(row, key), 100 * e[key]), (key, row, e)
        if "deff" in e:
            assert _close(row.deff, e["deff"]), (row, e)
        compared += 1
    assert compared >= 90


def test_poll_domain_design_effects_match_r_svyby_deff() -> None:
    rows = _rows()
    checked = 0
    for d in _case()["poll"]["domain_deff"]:
        row = rows[(d["variable"], d["domain"], _domain(d["domain"], d["domain_value"]))]
        if row.suppressed:
            continue
        assert _close(row.deff, d["deff"]), (row, d)
        checked += 1
    assert checked >= 90


def test_weighted_margins_equal_r_totals_and_census_margins() -> None:
    w = _weighting()
    margins = load_margins()
    by_id = {m["variable"]: m for m in _case()["poll"]["weighted_margins"]}
    for m in margins.margins:
        codes = np.array([m.categories.index(p[m.id]) for p in w.profiles])
        totals = np.bincount(codes, weights=w.weights, minlength=len(m.categories))
        r = by_id[m.id]
        r_totals = dict(zip((_domain(m.id, v) for v in r["levels"]), r["totals"], strict=True))
        for cat, total in zip(m.categories, totals, strict=True):
            assert total == pytest.approx(r_totals[cat], rel=1e-9, abs=0)
        assert np.max(np.abs(totals / totals.sum() - m.shares)) < 1e-6
