"""Complementary suppression: no hidden cell derivable by differencing published domains."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pytest

from barometre.core.stats.secondary import (
    Auditor,
    PatternCache,
    build_table,
    feasible_interval,
    protect,
    protected,
    recoverable,
)

WIDTH = 0.2


def _hierarchy(rng: np.random.Generator, sizes: list[int]) -> tuple[np.ndarray, list[str]]:
    """ensemble → 3 kinds → 2 strata each (strata sizes given), plus 3 régions crossing them."""
    n = sum(sizes)
    stratum = np.repeat(np.arange(len(sizes)), sizes)
    kind = stratum // 2
    region = rng.integers(0, 3, n)
    masks = [np.ones(n, bool)]
    names = ["ensemble"]
    for k in range(3):
        masks.append(kind == k)
        names.append(f"kind{k}")
    for s in range(len(sizes)):
        masks.append(stratum == s)
        names.append(f"stratum{s}")
    for r in range(3):
        masks.append(region == r)
        names.append(f"region{r}")
    return np.array(masks), names


def _signed_combinations_recover(masks: np.ndarray, hidden: set[int], cell: int) -> bool:
    """Differencing attacker: every combination of published cells with coefficients −1, 0, +1."""
    published = [c for c in range(len(masks)) if c not in hidden]
    target = masks[cell].astype(int)
    m = masks[published].astype(int)
    for coefs in itertools.product((-1, 0, 1), repeat=len(published)):
        if any(coefs) and np.array_equal(np.asarray(coefs) @ m, target):
            return True
    return False


def test_a_one_respondent_stratum_is_not_recovered_by_group_minus_siblings() -> None:
    # the epci_cu case: group = cc + ca + cu, cu has one respondent
    rng = np.random.default_rng(3)
    n_cc, n_ca, n_cu = 60, 25, 1
    n = n_cc + n_ca + n_cu
    stratum = np.repeat([0, 1, 2], [n_cc, n_ca, n_cu])
    masks = np.array([np.ones(n, bool), stratum == 0, stratum == 1, stratum == 2])
    y = (rng.random(n) < 0.6).astype(float)
    y[-1] = 1.0
    table = build_table(masks, y, rng.uniform(1, 8, n))
    assert not protected(table, {3}, 3, WIDTH)  # hiding cu alone: group − cc − ca gives it exactly
    assert recoverable(table, {3}, 3)
    extra = protect(table, [3], WIDTH, keep=[0])
    hidden = {3} | extra
    assert extra and 0 not in extra
    assert not recoverable(table, hidden, 3)
    assert not _signed_combinations_recover(masks, hidden, 3)
    for system in table.systems:
        lo, hi = feasible_interval(table, system, hidden, 3)
        assert hi - lo >= WIDTH


@pytest.mark.parametrize("seed", range(6))
def test_every_hidden_cell_of_a_crossed_table_keeps_its_protection_interval(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(1, 40, 6)]
    masks, names = _hierarchy(rng, sizes)
    n = masks.shape[1]
    y = (rng.random(n) < rng.uniform(0.1, 0.9)).astype(float)
    table = build_table(masks, y, rng.uniform(1, 10, n))
    primary = [i for i, name in enumerate(names) if name.startswith("stratum") and masks[i].sum() < 10]
    extra = protect(table, primary, WIDTH, keep=[0], confidential=primary, other_width=0.02)
    hidden = set(primary) | extra
    for h in hidden:
        assert not recoverable(table, hidden, h), names[h]
        if len(masks) - len(hidden) <= 9:
            assert not _signed_combinations_recover(masks, hidden, h), names[h]
        need = WIDTH if h in primary else 0.02
        assert protected(table, hidden, h, need), names[h]


def test_feasible_interval_matches_a_hand_computed_case() -> None:
    # ensemble = A + B, both hidden; sizes 3 and 1 (unit weights), shares 2/3 and 1: total 3
    masks = np.array([[1, 1, 1, 1], [1, 1, 1, 0], [0, 0, 0, 1]], dtype=bool)
    y = np.array([1.0, 1.0, 0.0, 1.0])
    table = build_table(masks, y, np.ones(4))
    lo, hi = feasible_interval(table, table.systems[1], {1, 2}, 2)
    # x_A + x_B = 3, 0 ≤ x_A ≤ 3, 0 ≤ x_B ≤ 1 → x_B ∈ [0, 1]
    assert (lo, hi) == pytest.approx((0.0, 1.0))
    lo, hi = feasible_interval(table, table.systems[1], {1, 2}, 1)
    assert (lo, hi) == pytest.approx((2 / 3, 1.0))


@pytest.mark.parametrize("seed", range(4))
def test_the_warm_started_auditor_agrees_with_linprog(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    masks, _ = _hierarchy(rng, [int(s) for s in rng.integers(1, 30, 6)])
    n = masks.shape[1]
    table = build_table(masks, (rng.random(n) < 0.4).astype(float), rng.uniform(1, 6, n))
    audit = Auditor(table)
    for _ in range(5):
        hidden = {int(c) for c in rng.choice(len(masks), size=4, replace=False)}
        audit.hide(hidden)
        for cell in hidden:
            for i, system in enumerate(table.systems):
                assert audit.interval(i, cell) == pytest.approx(
                    feasible_interval(table, system, hidden, cell), abs=1e-7
                )


def test_a_kept_pattern_is_the_pattern_searched_and_only_for_the_same_table(tmp_path) -> None:
    rng = np.random.default_rng(3)
    masks, names = _hierarchy(rng, [int(s) for s in rng.integers(1, 40, 6)])
    n = masks.shape[1]
    y = (rng.random(n) < 0.4).astype(float)
    table = build_table(masks, y, rng.uniform(1, 10, n))
    primary = [i for i, name in enumerate(names) if name.startswith("stratum") and masks[i].sum() < 10]
    args = (table, primary, WIDTH, [0])
    searched = protect(*args, confidential=primary, other_width=0.02)
    cache = PatternCache(tmp_path)
    assert protect(*args, confidential=primary, other_width=0.02, cache=cache) == searched
    assert (cache.hits, cache.misses) == (0, 1)
    assert protect(*args, confidential=primary, other_width=0.02, cache=cache) == searched
    assert (cache.hits, cache.misses) == (1, 1)
    # another weight, another requirement: searched again, not read back
    other = build_table(masks, y, rng.uniform(1, 10, n))
    protect(other, primary, WIDTH, [0], confidential=primary, other_width=0.02, cache=cache)
    protect(*args, confidential=primary, other_width=0.05, cache=cache)
    assert (cache.hits, cache.misses) == (1, 3)


def test_the_pattern_cache_keeps_the_most_recently_used_patterns_within_its_limit(tmp_path: Path) -> None:

    old = PatternCache(tmp_path, keep=3)
    for i in range(5):
        old.put(f"k{i}", {i})
        path = tmp_path / f"protect-k{i}.json"
        os.utime(path, ns=(i * 10**9, i * 10**9))  # written one second apart
    assert len(list(tmp_path.glob("protect-*.json"))) == 5  # one pruning per run, at its first write
    assert old.get("k0") == {0}  # read again: now the most recently used
    run = PatternCache(tmp_path, keep=3)
    run.put("k5", {5})
    kept = sorted(f.name for f in tmp_path.glob("protect-*.json"))
    assert kept == ["protect-k0.json", "protect-k4.json", "protect-k5.json"]
    assert run.get("k1") is None and run.get("k0") == {0}
