"""A simulated edition of 3,000 respondents (2024), weighted and estimated end to end."""

import numpy as np
import pytest

from barometre.core.indicators.catalogue import load_catalogue
from barometre.core.indicators.compute import compare, compute_indicators
from barometre.core.questionnaire import load_edition, validate_answers
from barometre.core.registry import load_snapshot
from barometre.core.simulate import DEFAULT_RESPONDENTS, simulate_edition
from barometre.core.weighting import FrameMargins, frame_arrays, weight_edition

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("simulation")]  # simulates editions once per module

YEAR, SEED, N = 2024, 11, 3000


@pytest.fixture(scope="module")
def world():
    fa = frame_arrays(load_snapshot())
    return fa, load_catalogue(), load_edition(YEAR)


@pytest.fixture(scope="module")
def sim(world):
    fa, cat, qn = world
    return simulate_edition(YEAR, SEED, N, frame=fa, questionnaire=qn, catalogue=cat)


@pytest.fixture(scope="module")
def estimates(world, sim):
    fa, cat, qn = world
    weighting = weight_edition(sim.arrays, FrameMargins.from_frame(fa))
    return compute_indicators(sim.arrays, weighting, cat, qn)


def test_targeted_estimates_fall_within_their_ci_of_the_published_figures(world, sim, estimates):
    _, cat, _ = world
    base = {(t.indicator, t.breakdown, t.domain): t.base_size for t in sim.targets}
    rows = [c for c in compare(estimates, cat, YEAR) if c.target]
    assert len(rows) >= 30
    misses = []
    hidden = [c for c in rows if c.reason is not None]  # hidden cells are listed apart, with their reason
    assert len(hidden) <= len(rows) // 10, hidden
    for c in rows:
        if c.reason is not None:
            continue
        # a finite base of N authorities can only realise multiples of 100/N (17 régions: 5.9 points)
        slack = 100 / base[(c.indicator, c.breakdown, c.domain_value)]
        assert c.ci_low is not None and c.ci_high is not None, c
        # ~40 intervals checked at once: simultaneous level 99.9 % per interval (z = 3.29, not 1.96)
        assert c.estimate is not None
        half = (c.ci_high - c.ci_low) / 2 * 3.29 / 1.96
        if not c.estimate - half - slack <= c.published <= c.estimate + half + slack:
            misses.append((c.indicator, c.domain_value, c.published, c.estimate, c.ci_low, c.ci_high))
    assert misses == []


def test_every_target_is_reached_by_the_fitted_model(sim):
    assert all(t.reached for t in sim.targets), [t for t in sim.targets if not t.reached]


def test_simulated_answers_all_pass_validate_answers(world, sim):
    _, _, qn = world
    assert len(sim.answers) == N
    bad = {
        code: validate_answers(qn, a).messages() for code, a in sim.answers.items() if not validate_answers(qn, a).ok
    }
    assert bad == {}


def test_simulated_edition_is_flagged(sim, estimates):
    assert sim.simulated and sim.arrays.simulated and sim.label == "données simulées"
    assert all(r.simulated for r in estimates)


def test_small_communes_answer_least_regions_most(sim):
    rates = sim.response_rates
    assert rates["communes_moins_3500"] == min(rates.values())
    assert rates["regions"] >= rates["communes_10000_24999"]
    assert rates["departements"] >= rates["communes_3500_9999"]


def test_suppressed_rows_have_no_value_and_say_why(estimates):
    suppressed = [r for r in estimates if r.suppressed]
    assert suppressed
    assert all(r.estimate is None and r.ci_low is None and r.ci_high is None and r.reason for r in suppressed)
    shown = [r for r in estimates if not r.suppressed]
    assert all(0 <= r.ci_low <= r.estimate <= r.ci_high <= 100 for r in shown)  # percent


def test_same_seed_gives_the_same_edition(world, sim):
    fa, cat, qn = world
    again = simulate_edition(YEAR, SEED, N, frame=fa, questionnaire=qn, catalogue=cat)
    assert again.respondents == sim.respondents
    assert again.answers == sim.answers
    assert np.array_equal(again.arrays.responded, sim.arrays.responded)


def test_default_respondents_are_the_published_sample_sizes():
    assert DEFAULT_RESPONDENTS == {2022: 277, 2023: 290, 2024: 289, 2025: 292}
