"""Quantiles (R survey 4.x ``svyquantile``) with their confidence intervals.

* Quantile rules ``qrule`` (Hyndman & Fan 1996 adapted to weights, as R): ``math``
  (= hf1, inverse of the weighted CDF), ``school`` (= hf2, average at ties of the CDF),
  ``hf7`` (linear interpolation of ``cumw`` shifted by one weight).
* ``interval_type="mean"``: Woodruff (1952): CI ``[L, U]`` of ``F(q̂)`` (Wald, from the
  SE of the weighted mean of ``1{x <= q̂}``), mapped back through the quantile rule.
* ``"beta"``: same with a Korn-Graubard beta interval for ``F(q̂)``.
* ``"score"``: Francisco & Fuller (1991) test inversion, solved with Brent's method
  (a port of R's ``zeroin``) as R's ``uniroot``.
* ``"quantile"`` (replicate designs): SE from replicate quantiles.

The SE is ``(U - L) / (2 t_{1-alpha/2, df})``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from barometre.core.errors import StatsError
from barometre.core.stats.design import FloatArray
from barometre.core.stats.estimators import AnyDesign, qcrit, svymean
from barometre.core.stats.replicates import ReplicateDesign


class _LazyStats:
    """``scipy.stats``, imported on first use: it costs about half a second, and commands that
    only compute domain means and Korn–Graubard intervals never need it."""

    def __getattr__(self, name: str) -> Any:
        from scipy import stats

        return getattr(stats, name)


sst = _LazyStats()

QRULES = ("math", "school", "hf1", "hf2", "hf7")
INTERVAL_TYPES = ("mean", "beta", "score", "quantile", "xlogit", "asin")

DBL_EPS = float(np.finfo(float).eps)


@dataclass(frozen=True)
class QuantileResult:
    quantile: float
    estimate: float
    ci_low: float
    ci_high: float
    se: float
    df: float


def _r_cumsum(w: FloatArray) -> FloatArray:
    """R's ``cumsum``: long double accumulation, each partial sum rounded to double."""
    return np.asarray(np.cumsum(w.astype(np.longdouble)).astype(np.float64), dtype=np.float64)


def _r_sum(w: FloatArray) -> float:
    """R's ``sum``: long double accumulation."""
    return float(np.sum(w.astype(np.longdouble)))


def _qs(x: FloatArray, w: FloatArray, p: float) -> tuple[float, float, float]:
    ii = np.argsort(x, kind="stable")
    xs = x[ii]
    cumw = _r_cumsum(w[ii])
    tot = _r_sum(w)
    idx = np.flatnonzero(cumw <= p * tot)
    # R's survey:::last() gives the first position when no cumulated weight is <= p * sum(w)
    # (p below the first weight's share): the rule then returns the next value, x(2)
    pos = int(idx[-1]) if idx.size else 0
    posnext = pos if pos == xs.size - 1 else pos + 1
    wlow = p - cumw[pos] / tot
    return float(xs[pos]), float(xs[posnext]), float(wlow)


def qrule(name: str) -> Callable[[FloatArray, FloatArray, float], float]:
    if name not in QRULES:
        raise StatsError(f"règle de quantile inconnue : {name!r} ({', '.join(QRULES)})")

    def rule(x: FloatArray, w: FloatArray, p: float) -> float:
        keep = w != 0
        x, w = x[keep], w[keep]
        if x.size == 0:
            raise StatsError("quantile : domaine vide")
        if name in ("math", "hf1"):
            lo, up, wlow = _qs(x, w, p)
            return lo if wlow == 0 else up
        if name in ("school", "hf2"):
            lo, up, wlow = _qs(x, w, p)
            return (lo + up) / 2 if wlow == 0 else up
        # hf7
        n = x.size
        ii = np.argsort(x, kind="stable")
        xs = x[ii]
        cumw = _r_cumsum(w[ii])
        if n == 1:
            return float(xs[0])
        pk = np.concatenate([[0.0], cumw[:-1]]) / cumw[n - 2]
        return float(np.interp(p, pk, xs))

    return rule


def zeroin(
    f: Callable[[float], float], ax: float, bx: float, fa: float, fb: float, tol: float, maxit: int = 1000
) -> float:
    """Brent's root finder, a line-by-line port of R's ``R_zeroin2`` (used by ``uniroot``)."""
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    it = maxit + 1
    while it:
        it -= 1
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * DBL_EPS * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b


def uniroot(f: Callable[[float], float], lower: float, upper: float, tol: float) -> float:
    fl, fu = f(lower), f(upper)
    if fl * fu > 0:
        raise StatsError("intervalle score du quantile : pas de changement de signe")
    return zeroin(f, lower, upper, fl, fu, tol)


def _r_quantile7(x: FloatArray, p: float) -> float:
    return float(np.quantile(x, p))


def svyquantile(
    design: AnyDesign,
    x: FloatArray,
    quantiles: list[float],
    *,
    level: float = 0.95,
    interval_type: str = "mean",
    rule: str = "math",
    df: float | None = None,
) -> list[QuantileResult]:
    """Quantiles of ``x`` (NaN removed) with R's interval methods."""
    if interval_type not in INTERVAL_TYPES:
        raise StatsError(f"type d'intervalle de quantile inconnu : {interval_type!r}")
    qr = qrule(rule)
    xv = np.asarray(x, dtype=np.float64).reshape(-1)
    nas = np.isnan(xv)
    df_reported = float(design.degf())
    if nas.any() or isinstance(design, ReplicateDesign):
        # R subsets the design even without a missing value; for a replicate design the
        # subset's degrees of freedom are recomputed (rank of its replicate weights)
        design = design.subset(~nas)
        xv = np.where(nas, 0.0, xv)
    if float(design.weights.sum()) <= 0:
        raise StatsError("quantile : domaine vide")
    if df is None:
        df = float(design.degf())
    alpha = 1.0 - level
    crit = qcrit(level, df)
    w = design.weights
    present = design._present() if isinstance(design, ReplicateDesign) else design.present
    out = []
    for p in quantiles:
        qhat = qr(xv, w, p)
        if interval_type == "score":
            if isinstance(design, ReplicateDesign):
                raise StatsError("intervalle score non disponible pour un plan à répliques")
            lo, hi = _score_ci(design, xv[present], xv, qhat, p, qr, alpha, df, present)
        elif interval_type == "quantile":
            if not isinstance(design, ReplicateDesign):
                raise StatsError("intervalle 'quantile' réservé aux plans à répliques")
            lo, hi = _rep_ci(design, xv, qhat, p, qr, alpha, df)
        else:
            lo, hi = _woodruff(design, xv, qhat, p, qr, alpha, df, interval_type)
        se = (hi - lo) / (2 * crit)
        out.append(QuantileResult(p, qhat, lo, hi, se, df_reported))
    return out


def _woodruff(
    design: AnyDesign,
    x: FloatArray,
    qhat: float,
    p: float,
    qr: Callable[[FloatArray, FloatArray, float], float],
    alpha: float,
    df: float,
    method: str,
) -> tuple[float, float]:
    ind = (x <= qhat).astype(np.float64)
    m = svymean(design, ind[:, None], na_rm=False)
    pm = float(m.coef[0])
    var = float(m.vcov[0, 0])
    se = np.sqrt(max(var, 0.0))
    crit = qcrit(1 - alpha, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "mean":
            lo, hi = pm - crit * se, pm + crit * se
        elif method == "xlogit":
            c = np.log(pm / (1 - pm))
            d = se / (pm * (1 - pm))
            lo, hi = 1 - 1 / (1 + np.exp(c - crit * d)), 1 - 1 / (1 + np.exp(c + crit * d))
        elif method == "asin":
            c = np.arcsin(np.sqrt(pm))
            d = se / (2 * np.sqrt(pm) * np.sqrt(1 - pm))
            lo, hi = np.sin(c - crit * d) ** 2, np.sin(c + crit * d) ** 2
        else:  # beta
            if not var > 0:
                lo, hi = float("nan"), float("nan")
            else:
                n_eff = pm * (1 - pm) / var
                n_eff = n_eff * (sst.t.ppf(alpha / 2, design.nrow() - 1) / sst.t.ppf(alpha / 2, design.degf())) ** 2
                lo = sst.beta.ppf(alpha / 2, n_eff * pm, n_eff * (1 - pm) + 1)
                hi = sst.beta.ppf(1 - alpha / 2, n_eff * pm + 1, n_eff * (1 - pm))
    w = design.weights
    lower = float("nan") if (np.isnan(lo) or lo < 0) else qr(x, w, float(lo))
    upper = float("nan") if (np.isnan(hi) or hi > 1) else qr(x, w, float(hi))
    return lower, upper


def _score_ci(
    design: AnyDesign,
    xp: FloatArray,
    x: FloatArray,
    qhat: float,
    p: float,
    qr: Callable[[FloatArray, FloatArray, float], float],
    alpha: float,
    df: float,
    present: npt.NDArray[np.bool_],
) -> tuple[float, float]:
    def scoretest(theta: float, qlimit: float) -> float:
        u = (x > theta).astype(np.float64) - (1 - p)
        m = svymean(design, u[:, None], na_rm=False)
        return float(m.coef[0] / np.sqrt(m.vcov[0, 0]) - qlimit)

    iqr = _r_quantile7(xp, 0.75) - _r_quantile7(xp, 0.25)
    lower_t = float(xp.min()) + iqr / 100
    upper_t = float(xp.max()) - iqr / 100
    tol = 1 / (100 * np.sqrt(xp.size))
    if np.isfinite(df):
        q_up = float(sst.t.ppf(1 - alpha / 2, df))
    else:
        q_up = float(sst.norm.ppf(1 - alpha / 2))
    qlow = uniroot(lambda t: scoretest(t, q_up), lower_t, upper_t, tol)
    qup = uniroot(lambda t: scoretest(t, -q_up), lower_t, upper_t, tol)
    w = design.weights
    return qr(x, w, float(np.mean(xp <= qlow))), qr(x, w, float(np.mean(xp <= qup)))


def _rep_ci(
    design: ReplicateDesign,
    x: FloatArray,
    qhat: float,
    p: float,
    qr: Callable[[FloatArray, FloatArray, float], float],
    alpha: float,
    df: float,
) -> tuple[float, float]:
    aw = design.analysis_weights()
    reps = np.array([qr(x, aw[:, r], p) for r in range(aw.shape[1])])
    v = design.svrvar(reps[:, None], np.array([qhat]))
    se = float(np.sqrt(v[0, 0]))
    crit = qcrit(1 - alpha, df)
    return qhat - crit * se, qhat + crit * se
