"""Self-selection in the simulator: response propensity depending on the answers, of a named strength."""

import numpy as np
import pytest

from barometre.core.indicators.catalogue import load_catalogue
from barometre.core.questionnaire import load_edition
from barometre.core.registry import load_snapshot
from barometre.core.simulate.edition import (
    SELF_SELECTION,
    answer_maturity,
    draw_respondents,
    selection_odds,
    simulate_edition,
)
from barometre.core.weighting import frame_arrays

YEAR = 2025


@pytest.fixture(scope="module")
def world():
    fa = frame_arrays(load_snapshot())
    qn = load_edition(YEAR)
    sim = simulate_edition(YEAR, 3, None, frame=fa, questionnaire=qn, catalogue=load_catalogue())
    return fa, qn, sim


def test_named_strengths_go_from_random_to_strong() -> None:
    assert [s.strength for s in SELF_SELECTION.values()] == [0.0, 0.5, 1.0]


@pytest.mark.slow  # simulates two editions of the whole frame
def test_self_selected_respondents_are_more_mature_with_the_same_stratum_counts(world) -> None:
    fa, qn, sim = world
    score = answer_maturity(qn, sim.frame_answers)
    assert len(score) == fa.n and -1 <= score.min() < score.max() <= 1
    odds = selection_odds(score, SELF_SELECTION["forte"].strength)
    gaps = []
    for seed in range(5):
        random_rows = draw_respondents(fa, 292, np.random.default_rng(seed))
        selected_rows = draw_respondents(fa, 292, np.random.default_rng(seed), odds)
        assert sorted(fa.stratum[random_rows]) == sorted(fa.stratum[selected_rows])
        gaps.append(score[selected_rows].mean() - score[random_rows].mean())
    assert min(gaps) > 0


@pytest.mark.slow  # simulates the whole frame twice more
def test_without_self_selection_the_draw_is_unchanged(world) -> None:
    fa, qn, sim = world
    again = simulate_edition(
        YEAR, 3, None, frame=fa, questionnaire=qn, catalogue=load_catalogue(), self_selection=SELF_SELECTION["aucune"]
    )
    assert again.respondents == sim.respondents
