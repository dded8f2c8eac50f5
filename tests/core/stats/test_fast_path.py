"""The vectorised domain estimator on calibrated designs equals the exact per-domain engine."""

from __future__ import annotations

import numpy as np
import pytest

from barometre.core.stats import SurveyDesign, calibrate, design_from_arrays, svymean
from barometre.core.stats.fast import domain_means


def _calibrated(calfun: str, bounds: tuple[float, float], seed: int = 5) -> tuple[SurveyDesign, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 400
    strata = rng.integers(0, 5, n)
    big_n = np.array([900.0, 1200, 700, 1500, 1000])
    d = design_from_arrays(weights=big_n[strata] / np.bincount(strata)[strata], strata=strata, fpc=big_n[strata])
    region = rng.integers(0, 4, n)
    pop = rng.lognormal(8, 1, n) / 1e6
    x = np.column_stack(
        [(strata == h).astype(float) for h in range(5)] + [(region == r).astype(float) for r in (1, 2, 3)]
    )
    x = np.column_stack([x, pop])
    totals = np.concatenate([big_n, [1300.0, 1250, 1400], [pop.sum() * 5300 / n * 1.05]])
    cal = calibrate(d, x, totals, calfun=calfun, bounds=bounds)
    y = (rng.uniform(size=(n, 6)) < np.linspace(0.05, 0.9, 6)[None, :] + 0.05 * (region[:, None] == 2)).astype(float)
    y[rng.uniform(size=(n, 6)) < 0.08] = np.nan
    dom = rng.integers(0, 7, n)
    dom[:3] = -1  # rows outside every domain
    return cal, y, dom


@pytest.mark.parametrize(
    ("calfun", "bounds"),
    [("linear", (-np.inf, np.inf)), ("linear", (0.5, 2.0)), ("raking", (-np.inf, np.inf)), ("raking", (0.3, 3.0))],
)
def test_calibrated_fast_path_equals_the_exact_per_domain_engine_to_1e_12(
    calfun: str, bounds: tuple[float, float]
) -> None:
    cal, y, dom = _calibrated(calfun, bounds)
    res = domain_means(cal, y, dom)
    assert res.method == "vectorised"
    for d in range(7):
        for j in range(y.shape[1]):
            sub = cal.subset(dom == d)
            exact = svymean(sub, y[:, j], na_rm=True)
            assert abs(res.estimate[d, j] - exact.coef[0]) <= 1e-12 * abs(exact.coef[0])
            assert abs(res.se[d, j] - exact.se[0]) <= 1e-12 * exact.se[0]
            assert res.df[d, j] == sub.subset(~np.isnan(y[:, j])).degf()


@pytest.mark.parametrize("option", ["adjust", "remove", "certainty", "average"])
def test_a_stratum_with_one_respondent_follows_the_lonely_psu_option_on_the_fast_path(option: str) -> None:
    cal, y, dom = _calibrated("raking", (-np.inf, np.inf))
    strata = np.where(np.arange(cal.n) == 0, 9, cal.stages[0].strata)
    base = design_from_arrays(weights=cal.weights, strata=strata, fpc=np.full(cal.n, 6000.0), lonely_psu=option)
    x = np.column_stack([np.ones(cal.n), (strata == 1).astype(float), (strata == 2).astype(float)])
    lonely = calibrate(base, x, np.array([5500.0, 1300.0, 800.0]), calfun="raking")
    res = domain_means(lonely, y, dom)
    assert res.method == "vectorised"
    for d in range(7):
        for j in range(y.shape[1]):
            exact = svymean(lonely.subset(dom == d), y[:, j], na_rm=True)
            assert abs(res.se[d, j] - exact.se[0]) <= 1e-12 * exact.se[0]


def test_lonely_psu_fail_takes_the_exact_path_and_its_error() -> None:
    from barometre.core.errors import StatsError

    cal, y, dom = _calibrated("raking", (-np.inf, np.inf))
    strata = np.where(np.arange(cal.n) == 0, 9, cal.stages[0].strata)
    base = design_from_arrays(weights=cal.weights, strata=strata, fpc=np.full(cal.n, 6000.0))
    lonely = calibrate(base, np.ones((cal.n, 1)), np.array([5500.0]), calfun="raking")
    with pytest.raises(StatsError, match="une unité primaire"):
        domain_means(lonely, y, dom)
