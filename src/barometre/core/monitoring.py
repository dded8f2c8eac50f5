"""Representativeness of a collection under way: R-indicator and partial R-indicators.

A response-propensity model (logistic regression, weighted by the design weights) is fitted on
registry covariates of every invited unit. Then, after Schouten, Cobben and Bethlehem (2009),

    R(ρ) = 1 − 2 S(ρ̂),   S²(ρ̂) = 1/(N − 1) Σ dᵢ (ρ̂ᵢ − ρ̄)²,   N = Σ dᵢ,  ρ̄ = Σ dᵢ ρ̂ᵢ / N,

and, after Schouten, Shlomo and Skinner (2011), the unconditional partial R-indicators of a
categorical variable Z with categories h:

    P_U(Z)    = sqrt( 1/(N − 1) Σ_h N_h (ρ̄_h − ρ̄)² )     (variable level, ≥ 0)
    P_U(Z, h) = sqrt(N_h / N) (ρ̄_h − ρ̄)                   (category level, signed)

A negative category-level value means the category responds less than the whole: it is
under-represented among respondents. Pure numpy; the core returns numbers, never words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from barometre.core.errors import StatsError

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class PartialR:
    variable: float
    categories: dict[str, float]


@dataclass(frozen=True)
class Representativeness:
    r_indicator: float
    propensities: FloatArray
    partial: dict[str, PartialR]
    iterations: int


def design_matrix(covariates: Mapping[str, Sequence[str]]) -> tuple[FloatArray, list[str]]:
    """Intercept plus one dummy per category of each variable but its first (sorted) one."""
    names = ["(intercept)"]
    n = len(next(iter(covariates.values()))) if covariates else 0
    columns: list[FloatArray] = [np.ones(n)]
    for var, values in covariates.items():
        if len(values) != n:
            raise StatsError(f"covariable {var} : {len(values)} valeurs pour {n} unités")
        arr = np.asarray(values, dtype=object)
        for level in sorted(set(values))[1:]:
            columns.append((arr == level).astype(np.float64))
            names.append(f"{var}={level}")
    return np.column_stack(columns) if columns else np.ones((n, 1)), names


def fit_propensities(
    x: FloatArray,
    successes: FloatArray,
    trials: FloatArray,
    *,
    ridge: float = 1e-8,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> tuple[FloatArray, int]:
    """Weighted logistic regression by Newton–Raphson (IRLS); a tiny ridge keeps empty cells finite.

    Each row is a unit (trials = its design weight, successes = weight × responded) or a cell of
    units sharing the same covariates (weighted counts): the likelihood is the same.
    """
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], ridge)
    penalty[0] = 0.0
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007
        eta = np.clip(x @ beta, -30.0, 30.0)
        p = 1.0 / (1.0 + np.exp(-eta))
        grad = x.T @ (successes - trials * p) - penalty * beta
        hess = (x * (trials * p * (1.0 - p))[:, None]).T @ x + np.diag(penalty)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        beta = beta + step
        if float(np.max(np.abs(step))) < tol:
            break
    eta = np.clip(x @ beta, -30.0, 30.0)
    return 1.0 / (1.0 + np.exp(-eta)), iterations


def r_indicator(rho: FloatArray, weights: FloatArray) -> float:
    """R = 1 − 2 S(ρ), S the design-weighted standard deviation of the propensities."""
    n = float(weights.sum())
    if n <= 1:
        raise StatsError("R-indicateur : moins de deux unités")
    mean = float((weights * rho).sum() / n)
    s2 = float((weights * (rho - mean) ** 2).sum() / (n - 1))
    return 1.0 - 2.0 * float(np.sqrt(s2))


def partial_r(rho: FloatArray, weights: FloatArray, values: Sequence[str]) -> PartialR:
    """Unconditional partial R-indicators of one categorical variable (variable and category level)."""
    n = float(weights.sum())
    mean = float((weights * rho).sum() / n)
    arr = np.asarray(values, dtype=object)
    cats: dict[str, float] = {}
    between = 0.0
    for level in sorted(set(values)):
        mask = arr == level
        n_h = float(weights[mask].sum())
        if n_h <= 0:
            continue
        mean_h = float((weights[mask] * rho[mask]).sum() / n_h)
        cats[str(level)] = float(np.sqrt(n_h / n) * (mean_h - mean))
        between += n_h * (mean_h - mean) ** 2
    return PartialR(float(np.sqrt(between / (n - 1))), cats)


def representativeness(
    covariates: Mapping[str, Sequence[str]],
    responded: Sequence[bool],
    weights: Sequence[float] | None = None,
    *,
    partial_for: Sequence[str] | None = None,
) -> Representativeness:
    """Fit the propensity model on unit-level ``covariates`` and return R and the partial R-indicators."""
    y = np.asarray(responded, dtype=bool)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    if len(w) != len(y):
        raise StatsError("poids et réponses de longueurs différentes")
    return representativeness_grouped(covariates, w * y, w, partial_for=partial_for)


def representativeness_grouped(
    covariates: Mapping[str, Sequence[str]],
    respondents: Sequence[float] | FloatArray,
    totals: Sequence[float] | FloatArray,
    *,
    partial_for: Sequence[str] | None = None,
) -> Representativeness:
    """The same from cells (one row per combination of covariates, with weighted counts of units
    and of respondents): as exact as the unit-level fit, and fast on a large frame.
    ``propensities`` are then per cell."""
    n = np.asarray(totals, dtype=np.float64)
    r = np.asarray(respondents, dtype=np.float64)
    if len(n) != len(r) or np.any(r > n + 1e-9) or np.any(r < 0):
        raise StatsError("effectifs de répondants incohérents avec les effectifs invités")
    keep = n > 0
    cov = {k: [v for v, ok in zip(vals, keep, strict=True) if ok] for k, vals in covariates.items()}
    x, _ = design_matrix(cov)
    rho, iterations = fit_propensities(x, r[keep], n[keep])
    partial = {var: partial_r(rho, n[keep], cov[var]) for var in (partial_for or list(cov))}
    return Representativeness(r_indicator(rho, n[keep]), rho, partial, iterations)
