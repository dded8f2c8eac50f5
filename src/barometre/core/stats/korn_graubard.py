"""Korn–Graubard confidence interval for a proportion estimated from survey data.

Korn, E. L. and Graubard, B. I. (1998), "Confidence intervals for proportions
with small expected number of positive counts estimated from survey data",
*Survey Methodology* 24(2), 193–201; the rule of the NCHS Data Presentation
Standards for Proportions (Parker et al. 2017, Vital Health Stat 2(175)).

The Clopper–Pearson interval is computed on the *effective sample size*

    n_eff = min(n, p (1 − p) / var(p))          (n when p is 0 or 1, or var(p) = 0)
    n_df  = n_eff · (t_{n−1} / t_df)²            (t quantiles at 1 − α/2)

with ``n`` the respondents and ``df`` the design degrees of freedom of the
estimate (PSUs minus strata of its domain): a variance estimated on few degrees
of freedom widens the interval. Bounds: ``Beta(α/2; x, n_df − x + 1)`` and
``Beta(1 − α/2; x + 1, n_df − x)`` with ``x = p n_df`` (0 and 1 at the ends).
Unlike the Wald interval ``p ± 1.96 se`` it never leaves [0, 1] and does not
collapse to a point at 0 % or 100 %, which matters for small domains (régions,
métropoles) where every respondent may give the same answer.
"""

from __future__ import annotations

import math
from functools import lru_cache

# the kernels ``scipy.stats.beta.ppf`` and ``scipy.stats.t.ppf`` call once their arguments are
# checked (same numbers, bit for bit: tests/core/stats/test_korn_graubard.py), without the
# generic distribution machinery that costs about 100 µs a call (thousands of cells an edition)
from scipy.special import stdtrit
from scipy.special._ufuncs import _beta_ppf


def beta_ppf(q: float, a: float, b: float) -> float:
    """``scipy.stats.beta.ppf(q, a, b)`` (NaN when ``a`` or ``b`` is not positive or ``q`` outside [0, 1])."""
    if not (a > 0.0 and b > 0.0 and 0.0 <= q <= 1.0):
        return math.nan
    if q == 0.0 or q == 1.0:
        return q
    return float(_beta_ppf(q, a, b))


@lru_cache(maxsize=4096)
def t_ppf(q: float, df: float) -> float:
    """``scipy.stats.t.ppf(q, df)`` (NaN when ``df`` is not positive or ``q`` outside [0, 1])."""
    if not (df > 0.0 and 0.0 <= q <= 1.0):
        return math.nan
    if q == 0.0 or q == 1.0:
        return -math.inf if q == 0.0 else math.inf
    return float(stdtrit(df, q))


def effective_sample_size(p: float, se: float, n: int, df: float | None = None, level: float = 0.95) -> float:
    """``n_eff`` capped at ``n``, times ``(t_{n-1}/t_df)^2`` when ``df`` is given (``df = n - 1``: no change)."""
    if n <= 0:
        raise ValueError("n must be positive")
    n_eff = float(n) if (p <= 0.0 or p >= 1.0 or se <= 0.0) else min(float(n), p * (1.0 - p) / (se * se))
    if df is None or df == n - 1:
        return n_eff
    if not df > 0 or n < 2:
        raise ValueError(f"Korn-Graubard interval undefined with {df!r} degrees of freedom and n = {n}")
    q = (1.0 + level) / 2.0
    return n_eff * (t_ppf(q, n - 1) / t_ppf(q, df)) ** 2


def korn_graubard(p: float, se: float, n: int, level: float = 0.95, df: float | None = None) -> tuple[float, float]:
    """(low, high) bounds in [0, 1] of the Korn–Graubard (1998) interval for proportion ``p``
    with ``df`` design degrees of freedom (None: ``n − 1``, no correction)."""
    if not 0.0 <= p <= 1.0 or not math.isfinite(se):
        raise ValueError(f"invalid proportion {p!r} or standard error {se!r}")
    alpha = 1.0 - level
    n_eff = effective_sample_size(p, se, n, df, level)
    x = p * n_eff
    low = 0.0 if x <= 0.0 else beta_ppf(alpha / 2, x, n_eff - x + 1)
    high = 1.0 if x >= n_eff else beta_ppf(1 - alpha / 2, x + 1, n_eff - x)
    return low, high
