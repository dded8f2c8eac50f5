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
  by the design effect (Rao & Scott), as R's ``confint.svyglm(method="likelihood")``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy import stats as sst

from barometre.core.errors import StatsError
from barometre.core.stats.design import FloatArray, SurveyDesign
from barometre.core.stats.estimators import AnyDesign, qcrit, svymean
from barometre.core.stats.replicates import ReplicateDesign

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
            beta, sb = _glm_logit(design, y)
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
            lo, hi = _likelihood_ci(design, y, float(p), float(var), level, df)
    return PropCI(float(p), float(se), lo, hi, df)


def _glm_logit(design: SurveyDesign, y: FloatArray) -> tuple[float, float]:
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

    def linkinv(eta: float) -> float:
        thresh = -np.log(eps)
        e = min(max(eta, -thresh), thresh)
        return float(np.exp(e) / (1 + np.exp(e)))

    def deviance(mu: float) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            t1 = np.where(yy > 0, yy * np.log(np.where(yy > 0, yy, 1.0) / mu), 0.0)
            t0 = np.where(yy < 1, (1 - yy) * np.log(np.where(yy < 1, 1 - yy, 1.0) / (1 - mu)), 0.0)
        return float(2 * (w * (t1 + t0))[ok].sum())

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
    big_w = np.zeros_like(w)
    for _ in range(25):
        mu_eta = np.maximum(mu_v * (1 - mu_v), eps)
        varmu = mu_v * (1 - mu_v)
        z = eta_v + (yy - mu_v) / mu_eta
        big_w = np.where(ok & (w > 0), w * mu_eta**2 / varmu, 0.0)
        beta = float((big_w * z).sum() / big_w.sum())
        mu = linkinv(beta)
        dev = deviance(mu)
        eta_v = np.full_like(w, beta)
        mu_v = np.full_like(w, mu)
        if abs(dev - devold) / (abs(dev) + 0.1) < 1e-8:
            break
        devold = dev
    mu = linkinv(beta)
    ainv = 1.0 / float(big_w.sum())
    estfun = np.where(ok, w * (yy - mu), 0.0) * ainv
    v = d.variance(estfun[:, None])
    return beta, float(np.sqrt(max(v[0, 0], 0.0)))


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
    pr = (aw.T @ yy) / aw.sum(axis=0)
    c = float(np.log(p / (1 - p)))
    th = np.log(pr / (1 - pr))[:, None]
    v = d.svrvar(th, np.array([c]))
    return c, float(np.sqrt(v[0, 0]))


def _likelihood_ci(
    design: SurveyDesign, y: FloatArray, p: float, var: float, level: float, df: float
) -> tuple[float, float]:
    """Profile-likelihood interval of the intercept of a quasibinomial ``svyglm``.

    The signed root deviance ``z(beta)`` of the weighted binomial model (prior weights
    rescaled to mean 1 over the rows of the design) is solved for ``|z| = qnorm(alpha)``
    with ``alpha = pnorm(t_{df, (1-level)/2} sqrt(lambda)) / 2`` and ``lambda`` the ratio of
    the design-based to the model-based variance of the intercept.
    """
    present = design.present
    wall = design.weights
    mean_w = wall[present].mean()
    ok = ~np.isnan(y) & present
    w = wall[ok] / mean_w
    yy = y[ok]
    s1 = float((w * yy).sum())
    s0 = float((w * (1 - yy)).sum())
    if s1 <= 0 or s0 <= 0:
        return float("nan"), float("nan")
    beta_hat = float(np.log(p / (1 - p)))
    naive = 1.0 / ((s1 + s0) * p * (1 - p))
    design_var = var / (p * (1 - p)) ** 2
    lam = design_var / naive
    df_res = df
    if np.isfinite(df_res):
        a = float(sst.norm.cdf(sst.t.ppf((1 - level) / 2, df_res) * np.sqrt(lam)) / 2)
    else:
        a = float(sst.norm.cdf(sst.norm.ppf((1 - level) / 2) * np.sqrt(lam)) / 2)
    # dispersion of the quasibinomial fit (Pearson), as MASS's profile.glm uses
    n_obs = int(ok.sum())
    pearson = float((w * (yy - p) ** 2 / (p * (1 - p))).sum())
    dispersion = pearson / (n_obs - 1)
    zcrit = float(-sst.norm.ppf(a))

    def dev(beta: float) -> float:
        mu = _expit(beta)
        return float(2.0 * (s1 * np.log(p / mu) + s0 * np.log((1 - p) / (1 - mu))))

    step = 10 * np.sqrt(naive * dispersion) + 1.0
    lo_b = _solve_side(dev, dispersion, zcrit, beta_hat, -1.0, step)
    hi_b = _solve_side(dev, dispersion, zcrit, beta_hat, 1.0, step)
    return _expit(lo_b), _expit(hi_b)


def _solve_side(dev: object, dispersion: float, zcrit: float, beta_hat: float, direction: float, step: float) -> float:
    from collections.abc import Callable

    assert callable(dev)
    f: Callable[[float], float] = dev

    def g(b: float) -> float:
        return float(np.sqrt(max(f(b), 0.0) / dispersion) - zcrit)

    far = beta_hat + direction * step
    k = 0
    while g(far) < 0 and k < 60:
        far = beta_hat + direction * step * (2.0 ** (k + 1))
        k += 1
    a, b = (far, beta_hat) if direction < 0 else (beta_hat, far)
    return float(optimize.brentq(g, a, b, xtol=1e-14, rtol=1e-14))
