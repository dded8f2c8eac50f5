from __future__ import annotations

import pytest
from scipy.stats import beta, t

from barometre.core.stats.korn_graubard import effective_sample_size, korn_graubard


def test_srs_with_no_design_effect_is_clopper_pearson() -> None:
    # p = 3/10 with the binomial variance: n_eff = 10, Clopper-Pearson on 3 successes out of 10
    p, n = 0.3, 10
    se = (p * (1 - p) / n) ** 0.5
    low, high = korn_graubard(p, se, n)
    assert low == pytest.approx(beta.ppf(0.025, 3, 8), rel=1e-12)
    assert high == pytest.approx(beta.ppf(0.975, 4, 7), rel=1e-12)
    # Clopper-Pearson 3/10 (textbook values): [0.0667, 0.6525]
    assert (round(low, 4), round(high, 4)) == (0.0667, 0.6525)


def test_an_all_yes_domain_has_an_interval_below_100_percent() -> None:
    low, high = korn_graubard(1.0, 0.0, 6)
    assert high == 1.0
    assert low == pytest.approx(0.025 ** (1 / 6), rel=1e-12)  # Clopper-Pearson 6/6


def test_design_effect_widens_the_interval_and_n_eff_is_capped() -> None:
    p, n = 0.4, 200
    srs = (p * (1 - p) / n) ** 0.5
    assert effective_sample_size(p, srs * 2, n) == pytest.approx(50)
    assert effective_sample_size(p, srs / 2, n) == n  # capped at the respondents
    narrow, wide = korn_graubard(p, srs, n), korn_graubard(p, 2 * srs, n)
    assert wide[0] < narrow[0] < p < narrow[1] < wide[1]


@pytest.mark.parametrize("p", [0.0, 0.01, 0.5, 0.99, 1.0])
def test_interval_contains_the_estimate_and_stays_in_0_1(p: float) -> None:
    low, high = korn_graubard(p, 0.05, 40)
    assert 0.0 <= low <= p <= high <= 1.0


def test_invalid_input_is_refused() -> None:
    with pytest.raises(ValueError):
        korn_graubard(1.2, 0.1, 10)
    with pytest.raises(ValueError):
        korn_graubard(0.5, float("nan"), 10)


def test_few_degrees_of_freedom_widen_the_interval_by_the_kg98_factor() -> None:
    # Korn & Graubard (1998): n_eff times (t_{n-1} / t_df)^2; région of 13 respondents, df = 6
    p, n, se = 0.719, 13, 0.1555
    n_eff = p * (1 - p) / se**2
    factor = (t.ppf(0.975, n - 1) / t.ppf(0.975, 6)) ** 2
    assert effective_sample_size(p, se, n, df=6) == pytest.approx(n_eff * factor, rel=1e-14)
    low, high = korn_graubard(p, se, n, df=6)
    x = p * n_eff * factor
    assert low == pytest.approx(beta.ppf(0.025, x, n_eff * factor - x + 1), rel=1e-13)
    assert high == pytest.approx(beta.ppf(0.975, x + 1, n_eff * factor - x), rel=1e-13)
    uncorrected = korn_graubard(p, se, n)
    assert low < uncorrected[0] and high > uncorrected[1]
    assert korn_graubard(p, se, n, df=n - 1) == uncorrected


def test_an_all_yes_domain_uses_the_respondents_corrected_by_its_df() -> None:
    factor = (t.ppf(0.975, 5) / t.ppf(0.975, 3)) ** 2
    low, high = korn_graubard(1.0, 0.0, 6, df=3)
    assert high == 1.0
    assert low == pytest.approx(0.025 ** (1 / (6 * factor)), rel=1e-12)


def test_no_degree_of_freedom_has_no_interval() -> None:
    with pytest.raises(ValueError, match="degrees of freedom"):
        korn_graubard(0.5, 0.1, 4, df=0)


def test_the_quantile_kernels_are_scipy_stats_bit_for_bit() -> None:
    import numpy as np

    from barometre.core.stats.korn_graubard import beta_ppf, t_ppf

    rng = np.random.default_rng(16)
    for q in (0.025, 0.05, 0.975, 0.9995):
        for a, b in rng.uniform(0.01, 400, size=(50, 2)):
            assert beta_ppf(q, float(a), float(b)) == float(beta.ppf(q, a, b))
        for df in (1, 2, 6, 12, 291, 3.5, np.inf):
            assert t_ppf(q, df) == float(t.ppf(q, df))
    for q in (0.0, 1.0):
        assert beta_ppf(q, 2.0, 3.0) == float(beta.ppf(q, 2.0, 3.0))
        assert t_ppf(q, 4) == float(t.ppf(q, 4))
    assert np.isnan(beta_ppf(0.5, 0.0, 1.0)) and np.isnan(t_ppf(0.5, 0)) and np.isnan(float(t.ppf(0.5, 0)))
