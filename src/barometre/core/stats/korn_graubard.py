"""Korn–Graubard confidence interval for a proportion estimated from survey data.

Korn, E. L. and Graubard, B. I. (1998), "Confidence intervals for proportions
with small expected number of positive counts estimated from survey data",
*Survey Methodology* 24(2), 193–201; the rule of the NCHS Data Presentation
Standards for Proportions (Parker et al. 2017, Vital Health Stat 2(175)).

The Clopper–Pearson interval is computed on the *effective sample size*
``n_eff = p (1 − p) / var(p)``, capped at the number of respondents ``n``;
when ``p`` is 0 or 1 (or the variance is 0) ``n_eff = n``. Unlike the Wald
interval ``p ± 1.96 se`` it never leaves [0, 1] and does not collapse to a
point at 0 % or 100 %, which matters for small domains (régions,
métropoles) where every respondent may give the same answer.
"""

from __future__ import annotations

import math

from scipy.stats import beta


def effective_sample_size(p: float, se: float, n: int) -> float:
    if n <= 0:
        raise ValueError("n must be positive")
    if p <= 0.0 or p >= 1.0 or se <= 0.0:
        return float(n)
    return min(float(n), p * (1.0 - p) / (se * se))


def korn_graubard(p: float, se: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """(low, high) bounds in [0, 1] of the Korn–Graubard interval for proportion ``p``."""
    if not 0.0 <= p <= 1.0 or not math.isfinite(se):
        raise ValueError(f"invalid proportion {p!r} or standard error {se!r}")
    alpha = 1.0 - level
    n_eff = effective_sample_size(p, se, n)
    x = p * n_eff
    low = 0.0 if x <= 0.0 else float(beta.ppf(alpha / 2, x, n_eff - x + 1))
    high = 1.0 if x >= n_eff else float(beta.ppf(1 - alpha / 2, x + 1, n_eff - x))
    return low, high
