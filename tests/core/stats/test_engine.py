"""Errors, invariants and the fast path of the survey engine."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from barometre.core.errors import StatsError
from barometre.core.paths import REFERENCE_DIR
from barometre.core.stats.adjust import calibrate, poststratify, rake
from barometre.core.stats.design import SurveyDesign, design_from_arrays
from barometre.core.stats.estimators import confint, svymean, svytotal
from barometre.core.stats.fast import domain_means
from barometre.core.stats.frame import Frame, build_design, run_case

CASE = REFERENCE_DIR / "survey" / "apistrat_strat_fpc.json"


def _design(n: int = 40, seed: int = 0) -> tuple[SurveyDesign, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    strata = np.repeat([0, 1], n // 2)
    w = np.where(strata == 0, 10.0, 20.0)
    y = rng.uniform(size=n)
    g = rng.integers(0, 2, n)
    return design_from_arrays(weights=w, strata=strata, fpc=np.where(strata == 0, 200.0, 400.0)), y, g


def test_missing_design_column_is_a_stats_error(tmp_path: Path) -> None:
    frame = Frame(__import__("pandas").DataFrame({"a": [1.0, 2.0]}))
    with pytest.raises(StatsError, match="absente"):
        build_design(frame, {"ids": "1", "strata": "nope", "weights": None, "fpc": None})


def test_non_numeric_weights_are_rejected() -> None:
    frame = Frame(__import__("pandas").DataFrame({"w": ["a", "b"], "s": [1, 2]}))
    with pytest.raises(StatsError, match="numérique"):
        build_design(frame, {"ids": "1", "weights": "w"})


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan])
def test_zero_negative_or_missing_weights_are_rejected(bad: float) -> None:
    with pytest.raises(StatsError):
        design_from_arrays(weights=[1.0, bad, 2.0], strata=[0, 0, 1])


def test_lonely_psu_fails_under_fail_and_is_handled_otherwise() -> None:
    strata = [0, 0, 1]
    with pytest.raises(StatsError, match="une unité primaire"):
        svymean(design_from_arrays(weights=[1.0, 1, 1], strata=strata), np.array([1.0, 2, 3]))
    for option in ("remove", "adjust", "certainty", "average"):
        d = design_from_arrays(weights=[1.0, 1, 1], strata=strata, lonely_psu=option)
        assert np.isfinite(svymean(d, np.array([1.0, 2, 3])).se[0])


def test_singular_calibration_is_rejected() -> None:
    d, y, _ = _design()
    x = np.stack([np.ones(d.n), y, 2 * y], axis=1)
    with pytest.raises(StatsError, match="singulière"):
        calibrate(d, x, np.array([600.0, 300.0, 600.0]))


def test_non_converging_calibration_is_rejected() -> None:
    d, y, _ = _design()
    x = np.stack([np.ones(d.n), y], axis=1)
    with pytest.raises(StatsError, match="convergé"):
        calibrate(d, x, np.array([600.0, 300.0]), calfun="raking", bounds=(0.9, 1.1))


def test_margins_must_cover_sample_categories() -> None:
    d, _, g = _design()
    with pytest.raises(StatsError, match=r"couvrent|absentes"):
        poststratify(d, g, np.array([100.0]))


def test_empty_domain_is_rejected() -> None:
    d, y, g = _design()
    with pytest.raises(StatsError, match="vide"):
        svymean(d.subset(np.zeros(d.n, dtype=bool)), y)
    with pytest.raises(StatsError, match="vide"):
        domain_means(d, y[:, None], np.where(g == 0, 0, 2))


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_estimates_do_not_depend_on_row_order(seed: int) -> None:
    d, y, _g = _design(seed=seed)
    perm = np.random.default_rng(seed).permutation(d.n)
    strata = np.repeat([0, 1], d.n // 2)
    w = d.weights
    fpc = np.where(strata == 0, 200.0, 400.0)
    d2 = design_from_arrays(weights=w[perm], strata=strata[perm], fpc=fpc[perm])
    a, b = svymean(d, y), svymean(d2, y[perm])
    assert np.allclose(a.coef, b.coef, rtol=1e-12) and np.allclose(a.se, b.se, rtol=1e-10)


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=100, max_value=1000), st.floats(min_value=100, max_value=1000))
def test_poststratified_and_calibrated_totals_equal_the_margins(p0: float, p1: float) -> None:
    d, _y, g = _design()
    ps = poststratify(d, g, np.array([p0, p1]))
    assert np.allclose(svytotal(ps, np.stack([g == 0, g == 1], axis=1).astype(float)).coef, [p0, p1])
    x = np.stack([np.ones(d.n), g.astype(float)], axis=1)
    cal = calibrate(d, x, np.array([p0 + p1, p1]))
    assert np.allclose(svytotal(cal, g.astype(float)).coef, [p1])
    rk = rake(d, [(g, np.array([p0, p1]))], maxit=50, epsilon=1e-9)
    assert np.allclose(svytotal(rk, (g == 1).astype(float)).coef, [p1])


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=0.5, max_value=0.99))
def test_confidence_interval_contains_its_estimate(seed: int, level: float) -> None:
    d, y, _ = _design(seed=seed)
    e = svymean(d, y)
    lo, hi = confint(e.coef, e.se, level)
    assert lo[0] <= e.coef[0] <= hi[0]


def test_fast_path_equals_exact_engine_on_a_raked_design() -> None:
    rng = np.random.default_rng(3)
    n = 300
    strata = rng.integers(0, 4, n)
    d = design_from_arrays(weights=rng.uniform(5, 15, n), strata=strata, fpc=np.full(n, 5000.0))
    m1, m2 = rng.integers(0, 3, n), rng.integers(0, 2, n)
    raked = rake(d, [(m1, np.array([1000.0, 1000, 1500])), (m2, np.array([2000.0, 1500]))], maxit=50, epsilon=1e-9)
    assert isinstance(raked, SurveyDesign)
    y = (rng.uniform(size=(n, 4)) < 0.4).astype(float)
    y[rng.uniform(size=(n, 4)) < 0.1] = np.nan
    dom = rng.integers(0, 5, n)
    for des in (d, raked, poststratify(d, m1, np.array([1000.0, 1000, 1500]))):
        assert isinstance(des, SurveyDesign)
        res = domain_means(des, y, dom)
        for j in range(4):
            for k in range(5):
                e = svymean(des.subset(dom == k), y[:, j], na_rm=True)
                assert abs(res.estimate[k, j] - e.coef[0]) < 1e-12
                assert abs(res.se[k, j] - e.se[0]) < 1e-10 * max(1.0, e.se[0])
                assert res.n[k, j] == int(((dom == k) & ~np.isnan(y[:, j])).sum())


def test_cli_estimate_prints_results_with_the_expected_keys() -> None:
    from barometre.cli.main import app

    result = CliRunner().invoke(app, ["stats", "estimate", str(CASE), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]
    expected = json.loads(CASE.read_text())["expected"]
    assert len(rows) == len(expected)
    assert set(expected[0]) <= set(rows[0])


def test_run_case_reports_a_missing_file_as_stats_error(tmp_path: Path) -> None:
    with pytest.raises(StatsError):
        run_case(tmp_path / "absent.json")


def test_likelihood_interpolation_matches_r_spline_and_approx() -> None:
    """``spline`` (FMM) and ``approx`` (ties averaged, NA outside) as R computes them:
    ``spline(c(0,1,2.5,4,5,7), c(0,1,.5,2,3,2.5))``, ``approx(c(1,3,2,3), c(10,30,20,40),
    xout = c(.5,1.5,2.5,3,4))`` (R 4.2.2)."""
    from barometre.core.stats.proportions import _r_approx, _r_spline

    sx, sy = _r_spline(np.array([0, 1, 2.5, 4, 5, 7.0]), np.array([0, 1, 0.5, 2, 3, 2.5]))
    r_y = [
        0, 0.69296967314028435, 0.97762453405582428, 0.95805571792044297, 0.7668440221417836,
        0.56021003827871263, 0.49508991219736465, 0.69348483836236785, 1.1041523628453525,
        1.6222470635001618, 2.1432664551905827, 2.5939718324166381, 2.9562061559528097,
        3.2146656225524621, 3.3370530786270809, 3.2845952850865143, 3.0185062546408061, 2.5,
    ]  # fmt: skip
    np.testing.assert_allclose(sx, np.linspace(0, 7, 18), rtol=1e-15)
    np.testing.assert_allclose(sy, r_y, rtol=1e-13, atol=1e-15)
    got = _r_approx(np.array([1, 3, 2, 3.0]), np.array([10, 30, 20, 40.0]), np.array([0.5, 1.5, 2.5, 3, 4]))
    np.testing.assert_allclose(got, [np.nan, 15, 27.5, 35, np.nan])


def test_forced_calibration_warns_and_keeps_the_last_weights_like_r_force_true() -> None:
    from barometre.core.errors import ConvergenceWarning

    d, y, _ = _design()
    x = np.stack([np.ones(d.n), y], axis=1)
    with pytest.warns(ConvergenceWarning, match="Failed to converge") as record:
        out = calibrate(d, x, np.array([600.0, 300.0]), calfun="raking", bounds=(0.9, 1.1), force=True)
    assert record[0].message.code == "calibrate"  # type: ignore[union-attr]
    assert not out.converged
    assert np.all(out.weights >= 0.9 * d.weights - 1e-12)
