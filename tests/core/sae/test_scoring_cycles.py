"""sae's Fisher-scoring loop stops early on a cycle with exactly sae's outcome.

When sae's iterates go negative they can settle on a cycle (A₁, A₂, …, A₁, …) that never meets the
convergence criterion: sae runs its ``MAXITER`` steps and reports no convergence. The engine stops
at the first repeated iterate; these cases (generated so that most cycle, with the true A = 0) check
that it returns what the plain loop returns after every step: the iterate, the count, the verdict.
"""

from __future__ import annotations

import math

import numpy as np

from barometre.core.sae.fayherriot import DEFAULT_MAXITER, DEFAULT_PRECISION, _fisher_scoring, _scoring_step


def _plain_loop(
    y: np.ndarray, x: np.ndarray, psi: np.ndarray, maxiter: int, precision: float
) -> tuple[float, int, bool]:
    """sae::eblupFH's loop, step after step (R: ``while (diff > PRECISION & k < MAXITER)``)."""
    a, k, diff = float(np.median(psi)), 0, precision + 1.0
    while diff > precision and k < maxiter:
        k += 1
        s, f = _scoring_step("REML", a, y, x, psi)
        new = a + s / f
        diff = abs((new - a) / a)
        a = new
    return a, k, not (k >= maxiter and diff >= precision)


def _cases(count: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(0)
    out = []
    for _ in range(count):
        m = int(rng.integers(8, 30))
        x = np.column_stack([np.ones(m), rng.normal(size=m)])
        psi = rng.uniform(0.001, 0.05, size=m) * rng.choice([1, 10], size=m)
        y = 0.5 + 0.05 * x[:, 1] + rng.normal(size=m) * np.sqrt(psi) * 0.3
        out.append((y, x, psi))
    return out


#: cases of ``_cases`` that cycle (the first eight), that wander without cycling (387, 991), and
#: that converge (0 to 9)
CYCLING = (389, 436, 525, 572, 642, 894, 1023, 1070)
PICKED = (*CYCLING, 387, 991, *range(10))


def test_a_cycle_ends_the_loop_with_sae_outcome() -> None:
    cases = _cases(max(PICKED) + 1)
    cycled = converged = 0
    for y, x, psi in (cases[i] for i in PICKED):
        for maxiter in (DEFAULT_MAXITER, 333):
            with np.errstate(all="ignore"):
                fast = _fisher_scoring("REML", y, x, psi, maxiter, DEFAULT_PRECISION)
                plain = _plain_loop(y, x, psi, maxiter, DEFAULT_PRECISION)
            assert fast[1:] == plain[1:]
            assert fast[0] == plain[0] or (math.isnan(fast[0]) and math.isnan(plain[0]))
            cycled += not plain[2]
            converged += plain[2]
    # both kinds are exercised: cycles the shortcut ends, and fits that converge
    assert cycled >= 2 * (len(CYCLING) + 2) and converged >= 10
