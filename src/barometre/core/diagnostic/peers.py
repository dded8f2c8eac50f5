"""Position of an authority's score among its peers — aggregates only, never a peer's answers.

Pure function of arrays: the caller (the web, with the database) chooses the peer group
(e.g. same type and size stratum, same edition), passes the peers' scores and survey
weights, **excluding the authority itself**, and a :class:`DisclosureRule`.

Definitions
-----------
* **Weighted percentile** (mid-rank weighted ECDF), in 0–100::

      percentile = 100 × (W(score_i < s) + ½ W(score_i = s)) / W

  where ``W(·)`` sums the peers' weights. With equal weights it is the classic
  "percent below, counting ties as half". 50 means "in the middle of the peers".
* **Quartiles** of the peers' weighted distribution with R survey's ``svyquantile``
  ``qrule = "math"`` (Hyndman & Fan type 1 with weights = inverse of the weighted CDF:
  the smallest peer score ``x`` with ``W(score_i <= x) >= p W``), computed by the stats
  engine's :func:`barometre.core.stats.quantiles.qrule` ``("math")``. Quartiles are
  observed peer scores (no interpolation).
* **Histogram**: share of the peers' weight in bins ``[0, 10), [10, 20), …, [90, 100]``
  (the last bin includes 100), for the web to draw.
* **Disclosure**: only the confidentiality criterion of the rule applies
  (``min_respondents``; the precision rule needs a standard error, which a position has not).
  Below it, ``shown=False`` with the reason code ``confidentiality``, and no percentile,
  quartile or histogram is returned. Peers with a zero weight are not counted.
  A quartile is an observed peer score, i.e. one authority's own score: it is never returned
  as such, only as the band of ``BAND`` points holding it (``quartiles`` = three
  ``(low, high)`` bands, e.g. ``(40, 50)``); the percentile is rounded to ``BAND`` points too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from barometre.core.errors import DiagnosticError
from barometre.core.stats.disclosure import DisclosureRule, check_count
from barometre.core.stats.quantiles import qrule

#: Histogram bin width on the 0–100 score scale.
BIN_WIDTH = 10
#: Width of the rounded bands in which quartiles and the percentile are given (score points).
BAND = 10
QUARTILES = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class HistogramBin:
    low: int
    high: int  # excluded, except for the last bin (100 included)
    share: float  # share of the peers' weight, 0–1

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "share": self.share}


@dataclass(frozen=True)
class PeerPosition:
    score: float
    n_peers: int
    shown: bool
    reason: str  # why it is not shown: a reason code ("" when shown)
    percentile: float | None = None  # 0–100, rounded to BAND points
    #: bands (low, high) holding Q1, the median and Q3, never the peer scores themselves
    quartiles: tuple[tuple[int, int], tuple[int, int], tuple[int, int]] | None = None
    histogram: tuple[HistogramBin, ...] | None = None
    bin_index: int | None = None  # the bin the authority's score falls in

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "n_peers": self.n_peers,
            "shown": self.shown,
            "reason": self.reason,
            "percentile": self.percentile,
            "quartiles": [list(b) for b in self.quartiles] if self.quartiles is not None else None,
            "histogram": [b.to_dict() for b in self.histogram] if self.histogram is not None else None,
            "bin_index": self.bin_index,
        }


def band(value: float, width: int = BAND) -> tuple[int, int]:
    """The band ``[low, high]`` of ``width`` points holding ``value`` (0–100; 100 in the last band)."""
    low = min(int(value // width) * width, 100 - width)
    return (low, low + width)


def _bin(score: float) -> int:
    return min(int(score // BIN_WIDTH), 100 // BIN_WIDTH - 1)


def weighted_percentile(score: float, peer_scores: Sequence[float], peer_weights: Sequence[float]) -> float:
    """100 × (weight strictly below + ½ weight equal) / total weight (see the module docstring)."""
    x = np.asarray(peer_scores, dtype=np.float64)
    w = np.asarray(peer_weights, dtype=np.float64)
    total = float(w.sum())
    below = float(w[x < score].sum())
    equal = float(w[x == score].sum())
    return 100.0 * (below + 0.5 * equal) / total


def peer_position(
    score: float,
    peer_scores: Sequence[float],
    peer_weights: Sequence[float],
    *,
    rule: DisclosureRule,
) -> PeerPosition:
    """Where ``score`` stands among the peers (the authority itself excluded from ``peer_scores``)."""
    if not math.isfinite(score) or not 0 <= score <= 100:
        raise DiagnosticError(f"score hors de 0–100 : {score}")
    x = np.asarray(peer_scores, dtype=np.float64).reshape(-1)
    w = np.asarray(peer_weights, dtype=np.float64).reshape(-1)
    if x.shape != w.shape:
        raise DiagnosticError(f"pairs : {x.size} scores mais {w.size} poids")
    if not (np.isfinite(x).all() and np.isfinite(w).all()):
        raise DiagnosticError("pairs : score ou poids manquant ou infini")
    if (w < 0).any():
        raise DiagnosticError("pairs : poids négatif")
    if ((x < 0) | (x > 100)).any():
        raise DiagnosticError("pairs : score hors de 0–100")
    keep = w > 0
    x, w = x[keep], w[keep]
    n = int(x.size)
    verdict = check_count(n, rule)
    if verdict.suppressed or n == 0:
        return PeerPosition(score, n, False, verdict.reason or "confidentiality")
    math_rule = qrule("math")
    q1, q2, q3 = (band(math_rule(x, w, p)) for p in QUARTILES)
    total = float(w.sum())
    bins = np.array([_bin(v) for v in x], dtype=np.int64)
    histogram = tuple(
        HistogramBin(b * BIN_WIDTH, (b + 1) * BIN_WIDTH, float(w[bins == b].sum()) / total)
        for b in range(100 // BIN_WIDTH)
    )
    return PeerPosition(
        score=score,
        n_peers=n,
        shown=True,
        reason="",
        percentile=float(round(weighted_percentile(score, x.tolist(), w.tolist()) / BAND) * BAND),
        quartiles=(q1, q2, q3),
        histogram=histogram,
        bin_index=_bin(score),
    )


__all__ = ["BAND", "BIN_WIDTH", "HistogramBin", "PeerPosition", "band", "peer_position", "weighted_percentile"]
