"""Every interval the demo edition publishes is the Korn–Graubard (1998) interval, recomputed here
independently: effective sample size min(n, p(1-p)/se^2) times (t_{n-1}/t_df)^2 with the domain's
design degrees of freedom, Clopper–Pearson bounds through the F distribution."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from barometre.core.indicators.catalogue import load_catalogue
from barometre.core.indicators.compute import _domains, compute_indicators, indicator_matrix
from barometre.core.questionnaire import load_edition
from barometre.core.registry import load_snapshot
from barometre.core.simulate import simulate_edition
from barometre.core.weighting import FrameMargins, frame_arrays, weight_edition

YEAR, DEMO_SEED = 2025, 1  # the demo's published edition (cli/demo.py)


def kg98(p: float, se: float, n: int, df: int, level: float = 0.95) -> tuple[float, float]:
    a = 1 - level
    n_eff = n if (p in (0.0, 1.0) or se == 0) else min(n, p * (1 - p) / se**2)
    n_eff *= (stats.t.isf(a / 2, n - 1) / stats.t.isf(a / 2, df)) ** 2
    x = p * n_eff
    low = 0.0 if x == 0 else x / (x + (n_eff - x + 1) * stats.f.isf(a / 2, 2 * (n_eff - x + 1), 2 * x))
    if x >= n_eff:
        high = 1.0
    else:
        f = stats.f.isf(a / 2, 2 * (x + 1), 2 * (n_eff - x))
        high = (x + 1) * f / (n_eff - x + (x + 1) * f)
    return low, high


@pytest.fixture(scope="module")
def demo():
    fa = frame_arrays(load_snapshot())
    cat, qn = load_catalogue(), load_edition(YEAR)
    sim = simulate_edition(YEAR, DEMO_SEED, None, frame=fa, questionnaire=qn, catalogue=cat)
    weighting = weight_edition(sim.arrays, FrameMargins.from_frame(fa))
    rows = compute_indicators(sim.arrays, weighting, cat, qn)
    return sim, weighting, cat, qn, rows


@pytest.mark.slow  # simulates, weights and computes the whole demo edition
def test_every_published_interval_is_korn_graubard_1998_with_the_domain_df(demo) -> None:
    sim, weighting, cat, qn, rows = demo
    mat = indicator_matrix(sim.arrays, weighting.rows, cat, qn)
    col = {ind.id: j for j, ind in enumerate(mat.indicators)}
    masks = {
        (bid, value): mask[weighting.rows]
        for bid, b in cat.breakdowns.items()
        for value, mask in _domains(b, sim.arrays.units)
    }
    shown = [r for r in rows if r.shown]
    assert len(shown) > 300
    corrected = 0
    for r in shown:
        assert r.estimate is not None and r.se is not None and r.ci_low is not None and r.ci_high is not None
        valid = masks[(r.breakdown, r.domain_value)] & ~np.isnan(mat.values[:, col[r.indicator]])
        valid &= weighting.weights > 0
        df = int(valid.sum()) - np.unique(weighting.groups[valid]).size
        assert int(valid.sum()) == r.n
        corrected += df < r.n - 1
        low, high = kg98(r.estimate / 100, r.se / 100, r.n, df)
        assert abs(r.ci_low / 100 - low) <= 1e-12, (r, df, low)
        assert abs(r.ci_high / 100 - high) <= 1e-12, (r, df, high)
    assert corrected > 0  # the df correction is exercised
