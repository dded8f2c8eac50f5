"""Small-area estimates on the demo data (edition 2025 simulated with the demo's seed)."""

from __future__ import annotations

import numpy as np
import pytest

from barometre.core.indicators.catalogue import load_catalogue
from barometre.core.questionnaire import load_edition
from barometre.core.registry import load_snapshot
from barometre.core.sae.areas import DEPARTEMENT_NAMES, area_covariates
from barometre.core.sae.estimate import SmallAreaResult, small_area_estimates
from barometre.core.simulate import simulate_edition
from barometre.core.stats import DisclosureRule
from barometre.core.weighting import FrameMargins, frame_arrays, weight_edition

YEAR, DEMO_SEED = 2025, 1
CYBER = ("rssi", "cyber_threatened", "cyber_attack_suffered")
RULE = DisclosureRule()


#: Slow: simulates and weights an edition then fits three small-area models (about 13 s).
SLOW = pytest.mark.slow


@pytest.fixture(scope="module")
def results() -> dict[tuple[str, str], SmallAreaResult]:
    fa = frame_arrays(load_snapshot())
    cat, qn = load_catalogue(), load_edition(YEAR)
    sim = simulate_edition(YEAR, DEMO_SEED, None, frame=fa, questionnaire=qn, catalogue=cat)
    weighting = weight_edition(sim.arrays, FrameMargins.from_frame(fa))
    out = small_area_estimates(sim.arrays, weighting, cat, qn, indicators=list(CYBER), rule=RULE, frame_units=fa)
    return {(r.indicator, r.level): r for r in out}


@SLOW
def test_every_geographic_departement_and_region_gets_an_estimate_with_positive_mse(
    results: dict[tuple[str, str], SmallAreaResult],
) -> None:
    for ind in CYBER:
        dep = results[(ind, "departement")]
        assert [r.area for r in dep.rows] == sorted(DEPARTEMENT_NAMES)
        assert {"971", "972", "973", "974", "976", "2A", "2B"} <= {r.area for r in dep.rows}
        assert any(dep.raw_n[r.area] == 0 for r in dep.rows)  # areas without respondents are predicted too
        reg = results[(ind, "region")]
        assert len(reg.rows) == 18
        for r in (*dep.rows, *reg.rows):
            assert r.mse > 0
            assert 0 <= r.eblup <= 100


@SLOW
def test_model_based_estimates_are_more_precise_than_direct_ones_over_departements_with_respondents(
    results: dict[tuple[str, str], SmallAreaResult],
) -> None:
    for ind in CYBER:
        res = results[(ind, "departement")]
        # the CV of a direct estimate of 0 is undefined: compare over areas where both exist
        both = [r for r in res.rows if res.raw_n[r.area] > 0 and res.raw_direct[r.area] > 0 and r.cv is not None]
        assert len(both) >= 30
        direct_cv = np.mean([res.raw_direct_se[r.area] / res.raw_direct[r.area] for r in both])
        model_cv = np.mean([r.cv for r in both])
        assert model_cv < direct_cv, (ind, model_cv, direct_cv)


@SLOW
def test_an_area_below_the_disclosure_minimum_gets_the_synthetic_estimate_and_no_direct_figure(
    results: dict[tuple[str, str], SmallAreaResult],
) -> None:
    seen_small = 0
    for res in results.values():
        for r in res.rows:
            n = res.raw_n[r.area]
            if r.direct is None:
                # a withheld direct estimate publishes no count, nor what its variance could be read from
                assert r.n is None and r.shrinkage is None and r.direct_se is None
            else:
                assert r.n == n
            if n < RULE.min_respondents:
                seen_small += n > 0
                assert r.method == "synthetic"
                assert r.direct is None and r.direct_se is None
                # nothing published per area gives the withheld direct value back
                assert r.std_residual is None and r.direct_vs_model is None
            else:
                assert r.method == "eblup"
    assert seen_small > 0


@SLOW
def test_sampling_variances_are_smoothed_where_an_area_has_few_respondents(
    results: dict[tuple[str, str], SmallAreaResult],
) -> None:
    res = results[("rssi", "departement")]
    sampled = [r for r in res.rows if res.raw_n[r.area] > 0]
    assert all(r.variance_source == "gvf" for r in sampled if res.raw_n[r.area] < RULE.min_respondents)
    # the smoothed variance depends on n only: same n, same direct SE before disclosure
    by_n: dict[int, set[float]] = {}
    for r in sampled:
        if r.variance_source == "gvf":
            by_n.setdefault(res.raw_n[r.area], set()).add(round(res.raw_direct_se[r.area], 9))
    assert all(len(v) == 1 for v in by_n.values())


@SLOW
def test_model_checks_are_reported(results: dict[tuple[str, str], SmallAreaResult]) -> None:
    for res in results.values():
        c = res.check
        assert c.refvar >= 0
        if c.refvar_truncated:
            assert c.refvar == 0  # sae's rule: a negative estimate of the variance is set to 0
        assert len(c.beta) == len(c.beta_se) == len(c.beta_names)
        assert np.isfinite([c.loglike, c.aic, c.bic]).all()
        for r in res.rows:
            if r.n is not None and r.n > 0:
                assert r.shrinkage is not None and 0 <= r.shrinkage <= 1
            if r.direct is not None:
                assert r.std_residual is not None and r.direct_vs_model is not None


def test_area_covariates_cover_overseas_and_have_no_missing_value() -> None:
    fa = frame_arrays(load_snapshot())
    for level, count in (("departement", 101), ("region", 18)):
        cov = area_covariates(fa, level)  # type: ignore[arg-type]
        assert len(cov.codes) == count
        assert np.isfinite(cov.x).all()
        assert np.linalg.matrix_rank(cov.x) == cov.x.shape[1]
