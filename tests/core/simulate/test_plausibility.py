"""The demo's simulated editions stay plausible: no free drift between editions, no absurd answer.

The four demo editions (2022–2025, the demo's seed) are simulated in turn, each drifting from the
previous one with part of its respondents answering again (a panel), then weighted and estimated as
the demo does.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
import pytest

from barometre.cli.demo import DEMO_EDITIONS, DEMO_SEED
from barometre.core.indicators.catalogue import ALL, load_catalogue
from barometre.core.indicators.compute import compute_indicators
from barometre.core.questionnaire import load_edition
from barometre.core.registry import load_snapshot
from barometre.core.simulate import simulate_edition
from barometre.core.simulate.edition import (
    DEFAULT_RESPONDENTS,
    DRIFT_BOUND,
    _draw_respondents,
    drift_anchors,
    panel_retention,
)
from barometre.core.weighting import FrameMargins, frame_arrays, weight_edition

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo_editions")]

#: the largest move of an ``ensemble`` figure between two editions with nothing published behind it
MAX_MOVE = 15.0


@pytest.fixture(scope="module")
def demo() -> dict[int, Any]:
    fa = frame_arrays(load_snapshot())
    cat = load_catalogue()
    out: dict[int, Any] = {}
    previous = None
    for year in DEMO_EDITIONS:
        qn = load_edition(year)
        sim = simulate_edition(
            year,
            DEMO_SEED,
            frame=fa,
            questionnaire=qn,
            catalogue=cat,
            previous=None if previous is None else previous.frame_shares,
            previous_respondents=None if previous is None else previous.respondents,
        )
        rows = compute_indicators(sim.arrays, weight_edition(sim.arrays, FrameMargins.from_frame(fa)), cat, qn)
        out[year] = (sim, qn, {r.indicator: r for r in rows if r.breakdown == ALL})
        previous = sim
    return out


def _published_behind(cat: Any, indicator: str, year: int) -> bool:
    """A figure published for ``year`` on the indicator, or the same published figure (series)
    rebased that year on another indicator: e.g. "IA : relation aux usagers", 26 % of all respondents
    in 2024, published in 2025 as 20 % of the authorities engaged in AI, which moves the share of all
    authorities with it."""
    ind = cat.get(indicator)
    if any(True for _ in ind.published_for(year)):
        return True
    figures = {p.figure for p in ind.published}
    return any(p.target and p.figure in figures for other in cat.for_edition(year) for p in other.published_for(year))


def test_no_ensemble_figure_moves_more_than_15_points_without_a_published_figure_behind_it(demo) -> None:  # type: ignore[no-untyped-def]
    cat = load_catalogue()
    moves: list[tuple[float, str, int]] = []
    for before, after in pairwise(DEMO_EDITIONS):
        a, b = demo[before][2], demo[after][2]
        for ind, rb in b.items():
            ra = a.get(ind)
            if ra is None or ra.estimate is None or rb.estimate is None or _published_behind(cat, ind, after):
                continue
            move = abs(rb.estimate - ra.estimate)
            moves.append((move, ind, after))
            assert move <= MAX_MOVE, (ind, before, after, ra.estimate, rb.estimate)
    assert len(moves) >= 20  # indicators without a published figure behind them, over the three pairs


def test_part_of_the_respondents_answer_again_the_next_edition(demo) -> None:  # type: ignore[no-untyped-def]
    fa = frame_arrays(load_snapshot())
    for before, after in pairwise(DEMO_EDITIONS):
        old, new = set(demo[before][0].respondents), set(demo[after][0].respondents)
        # about 56 % of the previous respondents answer again, the large authorities most
        assert 0.5 <= len(old & new) / len(old) <= 0.6, (before, after, len(old & new))
        for stratum in ("communes_moins_3500", "departements"):
            was = {c for c in old if fa.stratum[fa.index_of([c])[0]] == stratum}
            assert abs(len(was & new) / len(was) - panel_retention(stratum)) < 0.1, (stratum, after)
        # and the stratum counts (response rates) do not depend on the panel
        assert demo[after][0].response_rates == _stratum_rates(after)


def _stratum_rates(year: int) -> dict[str, float]:
    fa = frame_arrays(load_snapshot())
    return _draw_respondents(fa, np.arange(fa.n), DEFAULT_RESPONDENTS[year], np.random.default_rng(0))[1]


def test_an_authority_keeps_its_answers_when_the_share_barely_moves(demo) -> None:  # type: ignore[no-untyped-def]
    """Persistent draws: a share that moves by a few points changes a few authorities' answers, not
    a redraw of every authority's answers (a redraw would keep about sum(p^2) of them, 50-60 %)."""
    kept = []
    for before, after in pairwise(DEMO_EDITIONS):
        a, b = demo[before][0], demo[after][0]
        for qid in ("reen_strategie", "regles_usage_donnees", "cyber_risque", "culture_donnees", "cyber_budget"):
            pairs = [
                (x[qid], y[qid]) for x, y in zip(a.frame_answers, b.frame_answers, strict=True) if qid in x and qid in y
            ]
            if len(pairs) > 1000:
                kept.append((sum(x == y for x, y in pairs) / len(pairs), qid, after))
    assert len(kept) >= 6
    assert min(kept)[0] > 0.9, min(kept)


def test_simulated_frames_drift_within_the_bound_from_the_previous_edition(demo) -> None:  # type: ignore[no-untyped-def]
    cat = load_catalogue()
    checked = 0
    for before, after in pairwise(DEMO_EDITIONS):
        sim, prev = demo[after][0], demo[before][0].frame_shares
        bands = drift_anchors(cat, after, prev)
        for a in sim.anchors:
            if a.breakdown != ALL or not a.reached or a.indicator not in prev:
                continue
            band = next(x for x in bands[a.indicator] if x.breakdown == ALL)
            if band.value != prev[a.indicator]:
                continue  # follows a published value instead
            assert abs(sim.frame_shares[a.indicator] - prev[a.indicator]) <= DRIFT_BOUND + 0.5, a
            checked += 1
        # an indicator without a targeted figure that year is anchored (published value or previous edition)
        for ind in cat.for_edition(after):
            if not any(p.target for p in ind.published_for(after)) and ind.id in prev:
                assert ind.id in bands
    assert checked >= 8


def test_simulated_answers_are_plausible(demo) -> None:  # type: ignore[no-untyped-def]
    fa = frame_arrays(load_snapshot())
    sim = demo[2025][0]
    small = (fa.kind == "commune") & (fa.population < 2000)
    tiny = (fa.kind == "commune") & (fa.population < 500)
    answers = sim.frame_answers
    assert not any(answers[i].get("rssi") == "interne" for i in np.flatnonzero(small))
    assert not any(answers[i].get("dpo") == "interne" for i in np.flatnonzero(tiny))
    no_ai = [a for a in answers if a.get("ia_usage") == "non"]
    assert len(no_ai) > 1000
    assert not any(a.get("ia_charte_ethique") in ("adopte", "en_cours") for a in no_ai)
    # the rules do not empty the choices elsewhere: large authorities still have in-house officers
    big = np.flatnonzero(fa.population >= 50_000)
    assert sum(answers[i].get("rssi") == "interne" for i in big) > 50
    # and the published figures are still reached
    assert all(t.reached for t in sim.targets if t.indicator.startswith("rssi"))
