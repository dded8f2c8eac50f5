"""Calibration (R's ``calibrate``; Deville & Särndal 1992; Lumley 2010 sec. 7.4).

Find ``g_i`` with ``sum_i g_i w_i x_i = T_x`` (population totals), minimising a distance:

* ``linear`` (GREG, unbounded): ``g = 1 + x' (X' W X)^{-1} (T_x - t̂_x)`` (closed form);
* ``linear`` with bounds, or ``raking`` (``g = exp(x' lambda)``, optionally bounded):
  Newton-Raphson on the calibration equations as R's ``grake`` (``maxit=50``,
  convergence when ``max |misfit| / (1 + |T|) < epsilon = 1e-7``).

Variance: residuals of the projection of ``z/(g sqrt w)`` on ``X sqrt w`` (R's
``greg_calibration``), times ``g sqrt w``.

Without convergence after ``maxit`` iterations R stops ("Calibration failed") unless
``force = TRUE``, where it warns and keeps the last weights: ``force=True`` does the same here
(:class:`ConvergenceWarning`, design ``converged`` False).

Replicate-weight designs (R's ``calibrate.svyrep.design``): the full-sample weights are
calibrated as above, then each replicate's analysis weights are calibrated on their own (the
same distance and bounds, from ``eta = 0``; a replicate that does not converge keeps its last
weights, as R); the replicate factors become ``rep_r g_r / g``. Linear unbounded calibration
recomputes the degrees of freedom (R's ``regcalibrate``), the other distances keep them.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import overload

import numpy as np

from barometre.core.errors import ConvergenceWarning, StatsError
from barometre.core.stats.design import FloatArray, GregCorrection, SurveyDesign
from barometre.core.stats.replicates import ReplicateDesign

CALFUNS = ("linear", "raking")


def _fm1(calfun: str, u: FloatArray, lower: float, upper: float) -> FloatArray:
    if calfun == "linear":
        return np.asarray(np.minimum(np.maximum(u + 1, lower), upper) - 1, dtype=np.float64)
    with np.errstate(over="ignore"):
        return np.asarray(np.minimum(np.maximum(np.exp(u), lower), upper) - 1, dtype=np.float64)


def _df(calfun: str, u: FloatArray, lower: float, upper: float) -> FloatArray:
    inside = (u < upper - 1) & (u > lower - 1)
    if calfun == "linear":
        return inside.astype(np.float64)
    with np.errstate(over="ignore"):
        return np.where(inside, np.exp(u), 0.0)


@overload
def calibrate(
    design: SurveyDesign,
    x: FloatArray,
    population: FloatArray,
    *,
    calfun: str = ...,
    bounds: tuple[float, float] = ...,
    maxit: int = ...,
    epsilon: float = ...,
    force: bool = ...,
) -> SurveyDesign: ...
@overload
def calibrate(
    design: ReplicateDesign,
    x: FloatArray,
    population: FloatArray,
    *,
    calfun: str = ...,
    bounds: tuple[float, float] = ...,
    maxit: int = ...,
    epsilon: float = ...,
    force: bool = ...,
) -> ReplicateDesign: ...
def calibrate(
    design: SurveyDesign | ReplicateDesign,
    x: FloatArray,
    population: FloatArray,
    *,
    calfun: str = "linear",
    bounds: tuple[float, float] = (-np.inf, np.inf),
    maxit: int = 50,
    epsilon: float = 1e-7,
    force: bool = False,
) -> SurveyDesign | ReplicateDesign:
    """Calibrate the weights on the columns of the model matrix ``x`` (n, p) to ``population``."""
    if calfun not in CALFUNS:
        raise StatsError(f"fonction de calage inconnue : {calfun!r} ({', '.join(CALFUNS)})")
    mm = np.asarray(x, dtype=np.float64)
    pop = np.asarray(population, dtype=np.float64).reshape(-1)
    if mm.ndim != 2 or mm.shape[0] != design.n:
        raise StatsError("calage : matrice des variables de calage de mauvaise dimension")
    if not np.all(np.isfinite(mm)):
        raise StatsError("calage : valeurs manquantes dans les variables de calage")
    if not np.all(np.isfinite(pop)):
        raise StatsError("calage : totaux de population manquants")
    ww = design.weights
    sample_total = (mm * ww[:, None]).sum(axis=0)
    if np.any(sample_total == 0):
        zz = (pop == 0) & np.all(mm == 0, axis=0)
        mm, pop, sample_total = mm[:, ~zz], pop[~zz], sample_total[~zz]
    if mm.shape[1] != pop.shape[0]:
        raise StatsError(f"calage : {pop.shape[0]} totaux de population pour {mm.shape[1]} variables de calage")
    lower, upper = bounds
    closed_form = calfun == "linear" and not np.isfinite(lower) and not np.isfinite(upper)
    failed: float | None = None
    iterations = 0
    if closed_form:
        g = _linear_g(mm, ww, pop)
    else:
        g, failed, iterations = _grake(mm, ww, calfun, lower, upper, pop, epsilon, maxit)
        if failed is not None:
            if not force:
                raise StatsError(f"le calage n'a pas convergé (écart relatif {failed:.3g} après {maxit} itérations)")
            warnings.warn(
                ConvergenceWarning(
                    f"Failed to converge: eps={failed:.6g} in {iterations} iterations",
                    code="calibrate",
                    achieved=failed,
                    iterations=iterations,
                ),
                stacklevel=2,
            )
    if isinstance(design, ReplicateDesign):
        return _calibrate_replicates(design, mm, pop, g, calfun, lower, upper, epsilon, maxit, closed_form, failed)
    whalf = np.sqrt(ww)
    out = design.with_weights(ww * g, GregCorrection(mm * whalf[:, None], g * whalf))
    return out if failed is None else replace(out, converged=False)


def _linear_g(mm: FloatArray, ww: FloatArray, pop: FloatArray) -> FloatArray:
    """GREG factors ``1 + x' (X' W X)^-1 (T - t)`` (R's ``regcalibrate``)."""
    basis = mm * np.sqrt(ww)[:, None]
    tmat = basis.T @ basis
    if np.linalg.matrix_rank(tmat) < tmat.shape[0]:
        raise StatsError("calage impossible : variables de calage colinéaires (matrice singulière)")
    sample_total = (mm * ww[:, None]).sum(axis=0)
    t_t = np.linalg.solve(tmat, pop - sample_total)
    return np.asarray(1 + mm @ t_t, dtype=np.float64)


def _calibrate_replicates(
    design: ReplicateDesign,
    mm: FloatArray,
    pop: FloatArray,
    gtotal: FloatArray,
    calfun: str,
    lower: float,
    upper: float,
    epsilon: float,
    maxit: int,
    closed_form: bool,
    failed: float | None,
) -> ReplicateDesign:
    repwt = design.repweights * design.weights[:, None]
    new_rep = np.empty_like(repwt)
    for r in range(repwt.shape[1]):
        wr = repwt[:, r]
        if closed_form:
            gr = _linear_g(mm, wr, pop)
        else:
            gr, _, _ = _grake(mm, wr, calfun, lower, upper, pop, epsilon, maxit)
        new_rep[:, r] = design.repweights[:, r] * gr
    with np.errstate(divide="ignore", invalid="ignore"):
        factors = np.where(gtotal[:, None] != 0, new_rep / gtotal[:, None], 0.0)
    out = replace(
        design,
        weights=np.asarray(design.weights * gtotal, dtype=np.float64),
        repweights=np.asarray(factors, dtype=np.float64),
        converged=design.converged and failed is None,
    )
    if closed_form:
        out = replace(out, degf_value=None)
        out = replace(out, degf_value=out.degf())
    return out


def _grake(
    mm: FloatArray, ww: FloatArray, calfun: str, lower: float, upper: float, pop: FloatArray, epsilon: float, maxit: int
) -> tuple[FloatArray, float | None, int]:
    """R's ``grake``: (g, achieved misfit when it stopped at ``maxit`` else None, iterations)."""
    sample_total = (mm * ww[:, None]).sum(axis=0)
    eta = np.zeros(mm.shape[1])
    fm1: Callable[[FloatArray], FloatArray] = lambda u: _fm1(calfun, u, lower, upper)  # noqa: E731
    dfun: Callable[[FloatArray], FloatArray] = lambda u: _df(calfun, u, lower, upper)  # noqa: E731
    it = 1
    with np.errstate(divide="ignore", invalid="ignore"):
        scales = pop / sample_total
    scale: float | None = None
    if np.min(scales) > 20:
        scale = float(np.mean(scales))
        ww = ww * scale
        sample_total = sample_total * scale
    with np.errstate(over="ignore", invalid="ignore"):
        g, failed, it = _newton(mm, ww, sample_total, pop, eta, fm1, dfun, it, epsilon, maxit)
    if scale is not None:
        g = g * scale
    return np.asarray(g, dtype=np.float64), failed, it


def _newton(
    mm: FloatArray,
    ww: FloatArray,
    sample_total: FloatArray,
    pop: FloatArray,
    eta: FloatArray,
    fm1: Callable[[FloatArray], FloatArray],
    dfun: Callable[[FloatArray], FloatArray],
    it: int,
    epsilon: float,
    maxit: int,
) -> tuple[FloatArray, float | None, int]:
    """The Newton iterations of ``grake`` (non-finite steps halved, as R)."""
    failed: float | None = None
    xeta = mm @ eta
    g = 1 + fm1(xeta)
    deriv = dfun(xeta)
    while True:
        tmat = (mm * (ww * deriv)[:, None]).T @ mm
        misfit = pop - sample_total - (mm * (ww * fm1(xeta))[:, None]).sum(axis=0)
        deta = np.linalg.pinv(tmat, rcond=256 * np.finfo(float).eps) @ misfit
        eta = eta + deta
        xeta = mm @ eta
        g = 1 + fm1(xeta)
        deriv = dfun(xeta)
        while it < maxit and not (np.all(np.isfinite(g)) and np.all(np.isfinite(deriv))):
            it += 1
            deta = deta / 2
            eta = eta - deta
            xeta = mm @ eta
            g = 1 + fm1(xeta)
            deriv = dfun(xeta)
        misfit = pop - sample_total - (mm * (ww * fm1(xeta))[:, None]).sum(axis=0)
        if np.all(np.abs(misfit) / (1 + np.abs(pop)) < epsilon):
            break
        it += 1
        if it > maxit:
            failed = float(np.max(np.abs(misfit) / (1 + np.abs(pop))))
            break
    return g, failed, it
