"""Confidence intervals for proportions (R's ``svyciprop``), Lumley 2010 sec. 2.4.

With ``p`` the weighted proportion, ``se`` its linearisation (or replicate) SE and
``t`` the Student quantile with the design degrees of freedom:

* ``mean``: ``p ± t se``;
* ``xlogit`` / ``logit``: ``expit(logit p ± t se / (p (1-p)))`` (``logit`` is R's
  intercept-only ``svyglm``; for a replicate design the SE of ``logit p`` comes from the
  replicates);
* ``asin``: ``sin^2(asin(sqrt p) ± t se / (2 sqrt(p(1-p))))``;
* ``beta`` (Korn & Graubard 1998): effective size ``n* = p(1-p)/se^2`` scaled by
  ``(t_{n-1}/t_df)^2``, Clopper-Pearson limits at ``n* p`` successes;
* ``likelihood``: profile quasi-likelihood of the logistic model with the level corrected
  by the design effect (Rao & Scott), a port of R's ``confint.svyglm(method="likelihood")``
  (``survey:::MASSprofile_glm`` grid, FMM ``spline`` and ``approx`` interpolation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from barometre.core.errors import StatsError
from barometre.core.stats.design import BoolArray, FloatArray, SurveyDesign
from barometre.core.stats.estimators import AnyDesign, qcrit, svymean
from barometre.core.stats.replicates import ReplicateDesign


class _LazyStats:
    """``scipy.stats``, imported on first use: it costs about half a second, and commands that
    only compute domain means and Korn–Graubard intervals never need it."""

    def __getattr__(self, name: str) -> Any:
        from scipy import stats

        return getattr(stats, name)


sst = _LazyStats()

CI_METHODS = ("logit", "likelihood", "asin", "beta", "mean", "xlogit")


@dataclass(frozen=True)
class PropCI:
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    df: float


def _expit(x: float) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        return float(1.0 - 1.0 / (1.0 + np.exp(np.float64(x))))


def svyciprop(design: AnyDesign, y: FloatArray, method: str = "logit", level: float = 0.95) -> PropCI:
    """Proportion of ``y`` (0/1, NaN = missing, removed) with a CI by ``method``."""
    if method not in CI_METHODS:
        raise StatsError(f"méthode d'intervalle inconnue : {method!r} ({', '.join(CI_METHODS)})")
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    df = float(design.degf())
    m = svymean(design, y[:, None], na_rm=True)
    p = np.float64(m.coef[0])
    var = np.float64(m.vcov[0, 0])
    se = np.float64(np.sqrt(max(var, 0.0)))
    alpha = 1.0 - level
    q = qcrit(level, df)
    lo: float
    hi: float
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "mean":
            lo, hi = float(p - q * se), float(p + q * se)
        elif method == "asin":
            c = float(np.arcsin(np.sqrt(p)))
            d = 1.0 / (2.0 * np.sqrt(p) * np.sqrt(1.0 - p)) * se
            lo, hi = float(np.sin(c - q * d) ** 2), float(np.sin(c + q * d) ** 2)
        elif method == "logit" and isinstance(design, SurveyDesign) and not 0 < p < 1:
            fit = _glm_logit(design, y)
            beta, sb = fit.beta, fit.se
            p = np.float64(_expit(beta))
            lo, hi = _expit(beta - q * sb), _expit(beta + q * sb)
        elif method == "xlogit" or (method == "logit" and isinstance(design, SurveyDesign)):
            c = np.log(p / (1.0 - p))
            d = se / (p * (1.0 - p))
            lo, hi = _expit(float(c - q * d)), _expit(float(c + q * d))
        elif method == "logit":
            assert isinstance(design, ReplicateDesign)
            c, d = _replicate_logit(design, y)
            lo, hi = _expit(c - q * d), _expit(c + q * d)
        elif method == "beta":
            lo, hi = _beta_ci(float(p), float(var), design.nrow(), df, alpha)
        else:
            if isinstance(design, ReplicateDesign):
                raise StatsError("méthode likelihood non disponible pour un plan à répliques")
            est, lo, hi = _likelihood_ci(design, y, level, df)
            p = np.float64(est)
    return PropCI(float(p), float(se), lo, hi, df)


@dataclass(frozen=True)
class _LogitFit:
    """Intercept-only quasibinomial ``svyglm`` fit (what ``confint.svyglm`` reads)."""

    beta: float  # coef(m)
    se: float  # design-based SE of the coefficient, sqrt(m$cov.unscaled)
    naive_var: float  # m$naive.cov: (X'WX)^-1 with the IRLS working weights
    deviance: float  # deviance(m), prior weights rescaled to mean 1
    mu: float  # fitted probability
    prior: FloatArray  # prior weights (0 outside the fit's rows)
    yy: FloatArray  # response, 0 outside the fit's rows
    ok: BoolArray  # rows of the model frame (non-missing response, rows R holds)


def _glm_logit(design: SurveyDesign, y: FloatArray) -> _LogitFit:
    """Intercept-only quasibinomial ``svyglm``: IRLS as R's ``glm.fit`` (deviance criterion
    1e-8, 25 iterations) and sandwich SE of the coefficient (R's ``svy.varcoef``)."""
    eps = float(np.finfo(float).eps)
    present = design.present
    pw_all = design.weights
    mean_w = float(pw_all[present].mean())
    ok = ~np.isnan(y) & present
    d = design.subset(~np.isnan(y))
    w = np.where(ok, pw_all / mean_w, 0.0)
    yy = np.where(ok, y, 0.0)

    def deviance(mu: float) -> float:
        return _binomial_deviance(yy, w, ok, mu)

    mustart = (w * yy + 0.5) / (w + 1)
    eta_v = np.log(mustart / (1 - mustart))
    with np.errstate(divide="ignore", invalid="ignore"):
        devold = float(
            2
            * (
                w
                * (
                    np.where(yy > 0, yy * np.log(np.where(yy > 0, yy, 1.0) / mustart), 0.0)
                    + np.where(yy < 1, (1 - yy) * np.log(np.where(yy < 1, 1 - yy, 1.0) / (1 - mustart)), 0.0)
                )
            )[ok].sum()
        )
    mu_v = mustart
    beta = 0.0
    dev = devold
    big_w = np.zeros_like(w)
    for _ in range(25):
        mu_eta = np.maximum(mu_v * (1 - mu_v), eps)
        varmu = mu_v * (1 - mu_v)
        z = eta_v + (yy - mu_v) / mu_eta
        big_w = np.where(ok & (w > 0), w * mu_eta**2 / varmu, 0.0)
        beta = float((big_w * z).sum() / big_w.sum())
        mu = _logit_linkinv(beta)
        dev = deviance(mu)
        eta_v = np.full_like(w, beta)
        mu_v = np.full_like(w, mu)
        if abs(dev - devold) / (abs(dev) + 0.1) < 1e-8:
            break
        devold = dev
    mu = _logit_linkinv(beta)
    ainv = 1.0 / float(big_w.sum())
    # svy.varcoef: model.matrix * resid(m, "working") * m$weights (working weights of the
    # last iteration, residuals at the final mu), times Ainv = m$naive.cov
    resid_working = (yy - mu) / max(mu * (1 - mu), eps)
    estfun = np.where(ok, big_w * resid_working, 0.0) * ainv
    v = d.variance(estfun[:, None])
    se = float(np.sqrt(max(v[0, 0], 0.0)))
    return _LogitFit(beta, se, ainv, dev, mu, w, yy, ok)


def _logit_linkinv(eta: float) -> float:
    """R's ``binomial()$linkinv`` (C ``logit_linkinv``: eta clamped to +-(-log eps))."""
    thresh = -np.log(float(np.finfo(float).eps))
    e = min(max(eta, -thresh), thresh)
    return float(np.exp(e) / (1 + np.exp(e)))


def _binomial_deviance(yy: FloatArray, w: FloatArray, ok: BoolArray, mu: float) -> float:
    """``sum(binomial()$dev.resids(y, mu, w))`` over the rows of the model frame."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(yy > 0, yy * np.log(np.where(yy > 0, yy, 1.0) / mu), 0.0)
        t0 = np.where(yy < 1, (1 - yy) * np.log(np.where(yy < 1, 1 - yy, 1.0) / (1 - mu)), 0.0)
    return float(2 * (w * (t1 + t0))[ok].sum())


def _beta_ci(p: float, var: float, nrow: int, df: float, alpha: float) -> tuple[float, float]:
    if not var > 0:
        return float("nan"), float("nan")
    n_eff = p * (1 - p) / var
    n_eff = n_eff * (sst.t.ppf(alpha / 2, nrow - 1) / sst.t.ppf(alpha / 2, df)) ** 2
    lo = float(sst.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1))
    hi = float(sst.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)))
    return lo, hi


def _replicate_logit(design: ReplicateDesign, y: FloatArray) -> tuple[float, float]:
    ok = ~np.isnan(y)
    d = design.subset(ok)
    yy = np.where(ok, y, 0.0)
    pw = d.weights
    aw = d.analysis_weights()
    p = float((yy * pw).sum() / pw.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        pr = (aw.T @ yy) / aw.sum(axis=0)
        c = float(np.log(p / (1 - p)))
        th = np.log(pr / (1 - pr))[:, None]
    v = d.svrvar(th, np.array([c]))
    return c, float(np.sqrt(v[0, 0]))


def _likelihood_ci(design: SurveyDesign, y: FloatArray, level: float, df: float) -> tuple[float, float, float]:
    """Estimate and profile-likelihood interval of ``svyciprop(method="likelihood")``.

    Port of R ``survey`` 4.1.1 ``svyciprop`` (likelihood branch) ->
    ``confint.svyglm(m, 1, level, method="likelihood", ddf=degf(design))`` ->
    ``survey:::MASSprofile_glm`` and ``survey:::confint_profile``, for the intercept-only
    quasibinomial ``svyglm`` ``m``:

    * ``lambda = m$cov.unscaled / m$naive.cov`` (design over model-based variance) and
      ``alpha = pnorm(qt((1-level)/2, ddf) sqrt(lambda)) / 2``;
    * profile (``MASSprofile_glm``): ``zmax = sqrt(qf(alpha, 1, n - 1, lower=FALSE))``
      (``n`` rows of the model frame), ``del = zmax/5``; on each side, steps
      ``1..9`` while ``|z| < zmax``, ``b = coef + sgn step del se`` (``se`` the design SE)
      and ``z = sgn sqrt((deviance(b) - deviance) / dispersion)``, with ``dispersion`` the
      ``summary.svyglm`` one: ``svyvar`` of the Pearson residuals of
      ``survey:::residuals.svyglm`` (``(y - mu) sqrt(prior / pwts) / sqrt(mu (1 - mu))``:
      the prior weights divided by the design weights, so not weighted twice);
    * bounds (``confint_profile``): ``sp <- spline(b, z)`` (FMM cubic spline on
      ``3 * length(b)`` equispaced points), then ``approx(sp$y, sp$x, xout = cutoff)`` with
      ``cutoff = -/+ qnorm(2 alpha)``, i.e. linear interpolation of the inverse spline;
      outside the profiled range R's ``approx`` gives NA (NaN here).

    Where R stops with an error the bounds are NaN: proportion 0 or 1 in the sample
    ("profiling has found a better solution"), ``ddf <= 0``. A design SE exactly zero
    (flat profile, R: "need at least two non-NA values to interpolate") gives the
    degenerate interval ``[p, p]``, the limit of R's result for a numerically zero SE.
    """
    fit = _glm_logit(design, y)
    est = _expit(fit.beta)
    nan = float("nan")
    ok, yy, prior, mu = fit.ok, fit.yy, fit.prior, fit.mu
    if not (0.0 < mu < 1.0) or not np.any(ok & (yy > 0) & (prior > 0)) or not np.any(ok & (yy < 1) & (prior > 0)):
        return est, nan, nan
    if not df > 0:
        return est, nan, nan
    # dispersion (summary.svyglm): svyvar(resid(m, "pearson"), m$survey.design), where
    # residuals.svyglm divides the prior weights by the design's own weights rescaled to
    # mean 1 over the rows of m$survey.design (the design without the missing responses):
    # a constant ratio, 0/0 (dropped) on rows of zero weight
    fit_design = design.subset(~np.isnan(y))
    mean_fit = float(fit_design.weights[fit_design.present].mean())
    pw_all = design.weights
    rows = ok & (pw_all != 0)
    pw = pw_all[rows]
    ratio = prior[rows] / (pw / mean_fit)
    r = (yy[rows] - mu) * np.sqrt(ratio) / np.sqrt(mu * (1.0 - mu))
    n_nz = int(pw.size)
    if n_nz < 2:
        return est, nan, nan
    psum = float(pw.sum())
    xbar = float((r * pw / psum).sum())
    dispersion = float(((r - xbar) * (r - xbar) * n_nz / (n_nz - 1) * pw / psum).sum())
    if not dispersion > 0 or not fit.naive_var > 0:
        return est, nan, nan
    lam = fit.se**2 / fit.naive_var
    alpha = float(sst.norm.cdf(sst.t.ppf((1.0 - level) / 2.0, df) * np.sqrt(lam)) / 2.0)
    n_frame = int(ok.sum())
    if n_frame < 2:
        return est, nan, nan
    # sqrt(qf(alpha, 1, n - 1, lower.tail = FALSE)) as the equivalent Student quantile:
    # scipy's f.isf overflows to inf for the tiny alpha of a large design effect
    zmax = float(sst.t.isf(alpha / 2.0, n_frame - 1))
    step_size = zmax / 5.0 * fit.se
    maxsteps = 10
    zi = [0.0]
    bvals = [fit.beta]
    for sgn in (-1.0, 1.0):
        step = 0
        z = 0.0
        while True:
            step += 1
            if not (step < maxsteps and abs(z) < zmax):
                break
            bi = fit.beta + sgn * step * step_size
            dev = _binomial_deviance(yy, prior, ok, _logit_linkinv(bi))
            zz = (dev - fit.deviance) / dispersion
            if not zz > -0.001:
                raise StatsError("profil de vraisemblance : meilleure solution trouvée, l'ajustement n'a pas convergé")
            z = sgn * float(np.sqrt(max(zz, 0.0)))
            zi.append(z)
            bvals.append(bi)
    order = np.argsort(np.asarray(zi), kind="stable")
    zs = np.asarray(zi)[order]
    bs = np.asarray(bvals)[order]
    cut = float(sst.norm.ppf(2.0 * alpha))
    try:
        sx, sy = _r_spline(bs, zs)
        lo_b, hi_b = _r_approx(sy, sx, np.array([cut, -cut]))
    except _DegenerateProfile:
        # R stops ("need at least two non-NA values to interpolate"): the profile is flat
        # because the design SE is zero; the interval collapses on the estimate.
        return est, est, est
    return est, _expit(float(lo_b)), _expit(float(hi_b))


class _DegenerateProfile(Exception):
    pass


def _r_regularize(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """R's ``regularize.values(x, y, ties = mean)``: sort by ``x``, average ties."""
    o = np.argsort(x, kind="stable")
    xs, ys = x[o], y[o]
    ux, idx = np.unique(xs, return_inverse=True)
    if ux.size == xs.size:
        return xs, ys
    sums = np.zeros(ux.size)
    np.add.at(sums, idx, ys)
    return ux, sums / np.bincount(idx, minlength=ux.size)


def _fmm_spline(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Coefficients of R's ``fmm_spline`` (Forsythe, Malcolm & Moler; stats/src/splines.c):
    on ``[x_i, x_{i+1}]``, ``s(u) = y_i + b_i dx + c_i dx^2 + d_i dx^3``."""
    n = x.size
    b = np.zeros(n)
    c = np.zeros(n)
    d = np.zeros(n)
    if n < 3:
        b[:] = (y[1] - y[0]) / (x[1] - x[0])
        return b, c, d
    # tridiagonal system: b diagonal, d off-diagonal, c right-hand side (0-based port)
    d[0] = x[1] - x[0]
    c[1] = (y[1] - y[0]) / d[0]
    for i in range(1, n - 1):
        d[i] = x[i + 1] - x[i]
        b[i] = 2.0 * (d[i - 1] + d[i])
        c[i + 1] = (y[i + 1] - y[i]) / d[i]
        c[i] = c[i + 1] - c[i]
    # end conditions: third derivatives from divided differences
    b[0] = -d[0]
    b[n - 1] = -d[n - 2]
    c[0] = c[n - 1] = 0.0
    if n > 3:
        c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
        c[n - 1] = c[n - 2] / (x[n - 1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
        c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
        c[n - 1] = -c[n - 1] * d[n - 2] * d[n - 2] / (x[n - 1] - x[n - 4])
    # Gaussian elimination
    for i in range(1, n):
        t = d[i - 1] / b[i - 1]
        b[i] = b[i] - t * d[i - 1]
        c[i] = c[i] - t * c[i - 1]
    # backward substitution
    c[n - 1] = c[n - 1] / b[n - 1]
    for i in range(n - 2, -1, -1):
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
    # polynomial coefficients
    b[n - 1] = (y[n - 1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[n - 1])
    for i in range(n - 1):
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
        d[i] = (c[i + 1] - c[i]) / d[i]
        c[i] = 3.0 * c[i]
    c[n - 1] = 3.0 * c[n - 1]
    d[n - 1] = d[n - 2]
    return b, c, d


def _r_spline(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """R's ``spline(x, y)`` (method ``"fmm"``, ``n = 3 * length(x)`` after regularisation,
    ``xout = seq(min(x), max(x), length.out = n)``), evaluated as R's ``spline_eval``."""
    xs, ys = _r_regularize(x, y)
    if xs.size < 2:
        raise _DegenerateProfile
    b, c, d = _fmm_spline(xs, ys)
    xout = np.linspace(xs[0], xs[-1], 3 * xs.size)
    # interval i with xs[i] <= u (last interval beyond the end), as R's bisection
    i = np.clip(np.searchsorted(xs, xout, side="right") - 1, 0, xs.size - 1)
    dx = xout - xs[i]
    return xout, ys[i] + dx * (b[i] + dx * (c[i] + dx * d[i]))


def _r_approx(x: FloatArray, y: FloatArray, xout: FloatArray) -> FloatArray:
    """R's ``approx(x, y, xout)`` (linear, ``rule = 1``: NaN outside, ``ties = mean``)."""
    xs, ys = _r_regularize(x, y)
    if xs.size < 2:
        raise _DegenerateProfile
    out = np.interp(xout, xs, ys)
    return np.where((xout < xs[0]) | (xout > xs[-1]), np.nan, out)
