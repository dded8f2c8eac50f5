"""Raking (iterative proportional fitting, R's ``rake``; Deville, Särndal & Sautory 1993;
Lumley 2010 sec. 7.3).

Each iteration post-stratifies on every margin in turn. Without convergence after ``maxit``
iterations the last weights are returned with a :class:`ConvergenceWarning` (R warns
"Raking did not converge") and the design's ``converged`` is False. Convergence (R's ``control``):
stop when the largest absolute change of the full cross-table of the margin variables
is below ``epsilon`` (absolute when ``epsilon >= 1``, else ``epsilon * sum(weights)``);
defaults ``maxit=10, epsilon=1``. Variance: the post-strata of the final iteration,
residualised by 10 rounds of back-fitting as R's ``svyrecvar`` (class "raking").
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from barometre.core.errors import ConvergenceWarning, StatsError
from barometre.core.stats.adjust.poststratify import check_margin
from barometre.core.stats.design import (
    FloatArray,
    IntArray,
    PostStratumCorrection,
    RakingCorrection,
    SurveyDesign,
    codes_of,
)
from barometre.core.stats.replicates import ReplicateDesign, poststratify_replicates


def rake(
    design: SurveyDesign | ReplicateDesign,
    margins: Sequence[tuple[IntArray, FloatArray]],
    *,
    maxit: int = 10,
    epsilon: float = 1.0,
) -> SurveyDesign | ReplicateDesign:
    """Rake to each ``(groups, population)`` margin (warns and returns at ``maxit``, as R)."""
    if not margins:
        raise StatsError("raking : aucune marge")
    margins = [(np.asarray(g, dtype=np.int64), np.asarray(p, dtype=np.float64)) for g, p in margins]
    for g, p in margins:
        check_margin(g, p, design.weights, "raking")
    eps = epsilon * float(design.weights.sum()) if epsilon < 1 else epsilon
    cell = codes_of(np.stack([g for g, _ in margins], axis=1) @ _radix([int(p.shape[0]) for _, p in margins]))

    def table(w: FloatArray) -> FloatArray:
        return np.asarray(np.bincount(cell, weights=w, minlength=int(cell.max()) + 1), dtype=np.float64)

    old = table(design.weights)
    cur = design
    converged = False
    last: list[PostStratumCorrection] = []
    it = 0
    delta = float("nan")
    while it < maxit:
        last = []
        for g, p in margins:
            w = cur.weights
            sample = np.bincount(g, weights=w, minlength=p.shape[0])
            reweight = np.where(sample > 0, p / np.where(sample > 0, sample, 1.0), 1.0)
            if isinstance(cur, ReplicateDesign):
                cur = poststratify_replicates(cur, g, p)
            else:
                new_w = w * reweight[g]
                last.append(PostStratumCorrection(g, new_w, w))
                cur = SurveyDesign(new_w, cur.stages, cur.has_strata, cur.corrections, cur.present, cur.lonely_psu)
        new = table(cur.weights)
        delta = float(np.max(np.abs(old - new)))
        if delta < eps:
            converged = True
            break
        old = new
        it += 1
    if not converged:
        # as R: warn and return the weights of the last iteration (the design says it)
        warnings.warn(
            ConvergenceWarning(
                f"Raking did not converge after {it} iterations.", code="rake", achieved=delta, iterations=it
            ),
            stacklevel=2,
        )
    if isinstance(cur, ReplicateDesign):
        return replace(cur, converged=cur.converged and converged)
    assert isinstance(design, SurveyDesign)
    out = design.with_weights(cur.weights, RakingCorrection(tuple(last)))
    return out if converged else replace(out, converged=False)


def _radix(sizes: list[int]) -> IntArray:
    mult = np.ones(len(sizes), dtype=np.int64)
    for i in range(len(sizes) - 2, -1, -1):
        mult[i] = mult[i + 1] * sizes[i + 1]
    return mult
