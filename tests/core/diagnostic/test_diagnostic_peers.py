"""Peer comparison: weighted mid-rank percentile, svyquantile "math" quartiles, disclosure threshold."""

from __future__ import annotations

import numpy as np
import pytest

from barometre.core.diagnostic.peers import BAND, band, peer_position, weighted_percentile
from barometre.core.errors import DiagnosticError
from barometre.core.stats.disclosure import DisclosureRule
from barometre.core.stats.quantiles import qrule

RULE = DisclosureRule(min_respondents=5)
TEN = [10.0, 20.0, 30.0, 40.0, 50.0, 50.0, 60.0, 70.0, 80.0, 90.0]


def test_percentile_counts_ties_as_half_with_equal_weights() -> None:
    pos = peer_position(50, TEN, [1.0] * 10, rule=RULE)
    assert pos.percentile == pytest.approx(50.0)  # 4 below + ½ × 2 equal = 5 of 10


def test_percentile_uses_the_weights() -> None:
    # weight 3 below, 1 equal, 4 above: (3 + 0.5) / 8 = 43.75, given rounded to the band: 40
    assert weighted_percentile(40, [10, 20, 40, 60, 70], [1, 2, 1, 2, 2]) == pytest.approx(100 * 3.5 / 8)
    pos = peer_position(40, [10, 20, 40, 60, 70], [1, 2, 1, 2, 2], rule=RULE)
    assert pos.percentile == round(100 * 3.5 / 8 / BAND) * BAND


@pytest.mark.parametrize(("score", "expected"), [(0, 0.0), (5, 0.0), (95, 100.0), (100, 100.0)])
def test_percentile_ends_when_below_or_above_everyone(score: float, expected: float) -> None:
    assert weighted_percentile(score, TEN, [1.0] * 10) == pytest.approx(expected)


def test_quartiles_are_the_inverse_of_the_weighted_cdf() -> None:
    pos = peer_position(50, TEN, [1.0] * 10, rule=RULE)
    # sorted: 10 20 30 40 50 50 60 70 80 90; F reaches .25 at the 3rd, .5 exactly at the 5th, .75 at the 8th
    # given as bands, never the peer scores themselves
    assert pos.quartiles == ((30, 40), (50, 60), (70, 80))


def test_weighted_quartiles_match_the_stats_engine_math_rule() -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(0, 101, 40).astype(float)
    w = rng.uniform(0.5, 3.0, 40)
    pos = peer_position(42, x.tolist(), w.tolist(), rule=RULE)
    rule = qrule("math")
    assert pos.quartiles == tuple(band(rule(x, w, p)) for p in (0.25, 0.5, 0.75))
    # by hand: smallest x with cumulated weight share >= p, inside its band
    order = np.argsort(x, kind="stable")
    share = np.cumsum(w[order]) / w.sum()
    assert pos.quartiles is not None
    median = x[order][np.flatnonzero(share >= 0.5)[0]]
    assert pos.quartiles[1][0] <= median < pos.quartiles[1][1] or median == 100 == pos.quartiles[1][1]


def test_no_peer_score_is_shown_as_such() -> None:
    scores = [13.0, 27.0, 31.0, 44.0, 58.0, 61.0, 77.0, 83.0, 92.0, 99.0]
    data = peer_position(50, scores, [1.0] * 10, rule=RULE).to_dict()
    numbers = {data["percentile"]} | {v for b in data["quartiles"] for v in b}
    assert not numbers & set(scores)
    assert all(v % BAND == 0 for v in numbers)


def test_histogram_gives_weighted_shares_by_tens_with_100_in_the_last_bin() -> None:
    pos = peer_position(100, [0, 9.9, 10, 55, 100], [1, 1, 2, 2, 4], rule=RULE)
    assert pos.histogram is not None
    assert [(b.low, b.high) for b in pos.histogram] == [(i, i + 10) for i in range(0, 100, 10)]
    shares = [b.share for b in pos.histogram]
    assert shares[0] == pytest.approx(0.2)
    assert shares[1] == pytest.approx(0.2)
    assert shares[5] == pytest.approx(0.2)
    assert shares[9] == pytest.approx(0.4)
    assert sum(shares) == pytest.approx(1.0)
    assert pos.bin_index == 9


def test_too_few_peers_shows_nothing_but_the_reason() -> None:
    pos = peer_position(50, [10, 20, 30, 40], [1, 1, 1, 1], rule=RULE)
    assert pos.shown is False
    assert pos.reason == "confidentiality"
    assert (pos.percentile, pos.quartiles, pos.histogram) == (None, None, None)
    assert pos.n_peers == 4


def test_exactly_the_threshold_is_shown() -> None:
    pos = peer_position(50, [10, 20, 30, 40, 60], [1, 1, 1, 1, 1], rule=RULE)
    assert pos.shown and pos.reason == ""


def test_peers_with_zero_weight_do_not_count() -> None:
    pos = peer_position(50, [10, 20, 30, 40, 60, 70], [1, 1, 1, 1, 1, 0], rule=RULE)
    assert pos.n_peers == 5
    assert pos.percentile == pytest.approx(80.0)  # 4 of 5 below


def test_cv_criterion_does_not_hide_a_position() -> None:
    pos = peer_position(0, [0] * 12, [1] * 12, rule=DisclosureRule(min_respondents=10))
    assert pos.shown
    assert pos.percentile == pytest.approx(50.0)


def test_no_peer_is_not_shown() -> None:
    pos = peer_position(50, [], [], rule=DisclosureRule(min_respondents=0))
    assert not pos.shown and pos.reason == "confidentiality"


@pytest.mark.parametrize(
    ("score", "scores", "weights", "message"),
    [
        (50, [1, 2], [1], "poids"),
        (50, [1, 2], [1, -1], "négatif"),
        (50, [1, float("nan")], [1, 1], "manquant"),
        (50, [1, 120], [1, 1], "0–100"),
        (101, [1, 2], [1, 1], "0–100"),
    ],
)
def test_bad_inputs_are_errors(score: float, scores: list[float], weights: list[float], message: str) -> None:
    with pytest.raises(DiagnosticError, match=message):
        peer_position(score, scores, weights, rule=RULE)


def test_only_aggregates_are_returned() -> None:
    data = peer_position(50, TEN, [1.0] * 10, rule=RULE).to_dict()
    assert set(data) == {"score", "n_peers", "shown", "reason", "percentile", "quartiles", "histogram", "bin_index"}
