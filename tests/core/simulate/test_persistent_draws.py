"""Persistent draws of the simulator: balanced within groups, and a unit's answer changes only when
its probabilities move past its own draw."""

import numpy as np

from barometre.core.simulate.edition import _balanced, _draw_categorical, _Draws

CODES = [f"A{i:05d}" for i in range(4000)]


def _probabilities(shift: float) -> np.ndarray:
    rng = np.random.default_rng(0)
    u = rng.normal(size=(len(CODES), 3)) + np.array([shift, 0.0, 0.0])
    e = np.exp(u - u.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_categorical_draw_is_balanced_within_groups_and_persistent() -> None:
    draws = _Draws.of(1, CODES)
    groups = np.arange(len(CODES), dtype=np.int64) % 4
    p0, p1 = _probabilities(0.0), _probabilities(0.1)
    a = _draw_categorical(p0, groups, draws, "q")
    b = _draw_categorical(p1, groups, draws, "q")
    for g in range(4):
        rows = groups == g
        for c in range(3):
            assert abs((a[rows] == c).sum() - p0[rows, c].sum()) <= 2
            assert abs((b[rows] == c).sum() - p1[rows, c].sum()) <= 2
    moved = float(np.abs(p1[:, 0] - p0[:, 0]).sum())  # units expected to change their first choice
    assert (a != b).sum() <= 2 * moved + 8
    assert (a != b).sum() < 0.1 * len(CODES)  # a redraw would change about 60 % of the answers
    # the same draw again, and another question or seed draws anew
    assert np.array_equal(a, _draw_categorical(p0, groups, draws, "q"))
    assert (a != _draw_categorical(p0, groups, draws, "r")).mean() > 0.3
    assert (a != _draw_categorical(p0, groups, _Draws.of(2, CODES), "q")).mean() > 0.3


def test_balanced_draw_selects_the_expected_count_and_never_an_impossible_unit() -> None:
    draws = _Draws.of(1, CODES)
    p = np.linspace(0.0, 1.0, len(CODES))
    chosen = _balanced(p, draws.uniform("x"), 0.5)
    assert abs(chosen.sum() - p.sum()) <= 1
    assert not chosen[p == 0].any() and chosen[p == 1].all()
    u = draws.uniform("x")
    assert u.min() > 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.02
