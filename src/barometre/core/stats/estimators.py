"""Linearisation estimators: mean, total, ratio, design effect, confidence intervals.

Formulas (Lumley 2010, ch. 2-3; Särndal, Swensson & Wretman 1992, sec. 5.6-5.7):

* total ``t = sum w_i y_i``, linearised variable ``w_i y_i``;
* mean ``m = t_y / t_1``, linearised variable ``w_i (y_i - m) / sum w``;
* ratio ``r = t_y / t_x``, linearised variable ``w_i (y_i - r x_i) / t_x``;
* design effect ``deff = V / V_srs`` with ``V_srs = s_w^2 (N - n) / (N n)`` (without replacement).

``na_rm=True`` follows R: rows with a missing value leave the design (weight zero),
keeping every PSU and stratum of the full design for the variance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from barometre.core.errors import StatsError
from barometre.core.stats.design import BoolArray, FloatArray, SurveyDesign
from barometre.core.stats.korn_graubard import t_ppf
from barometre.core.stats.replicates import ReplicateDesign

AnyDesign = SurveyDesign | ReplicateDesign


@dataclass(frozen=True)
class Estimate:
    """Estimates with their variance matrix (and design effects when asked)."""

    coef: FloatArray
    vcov: FloatArray
    deff: FloatArray | None = None

    @property
    def se(self) -> FloatArray:
        return np.sqrt(np.maximum(np.diag(self.vcov), 0.0))


def qcrit(level: float, df: float | None) -> float:
    """Two-sided critical value: normal when ``df`` is None or infinite, else Student t."""
    a = (1.0 - level) / 2.0
    if df is None or not np.isfinite(df):
        return -float(ndtri(a))  # scipy.stats.norm.ppf's kernel
    return -t_ppf(a, float(df))


def confint(
    est: FloatArray, se: FloatArray, level: float = 0.95, df: float | None = None
) -> tuple[FloatArray, FloatArray]:
    q = qcrit(level, df)
    return est - q * se, est + q * se


def _as_matrix(x: FloatArray) -> FloatArray:
    x = np.asarray(x, dtype=np.float64)
    return x[:, None] if x.ndim == 1 else x


def _drop_na(design: AnyDesign, x: FloatArray, na_rm: bool) -> tuple[AnyDesign, FloatArray]:
    nas: BoolArray = np.asarray(np.isnan(x).any(axis=1), dtype=bool)
    if nas.any():
        if not na_rm:
            raise StatsError("valeurs manquantes dans la variable analysée (utiliser na_rm=True)")
        design = design.subset(~nas)
        x = np.where(nas[:, None], 0.0, x)
    return design, x


def svymean(design: AnyDesign, x: FloatArray, *, na_rm: bool = True, deff: bool = False) -> Estimate:
    """Weighted mean of each column of ``x`` (R's ``svymean``)."""
    x = _as_matrix(x)
    design, x = _drop_na(design, x, na_rm)
    if isinstance(design, ReplicateDesign):
        return design.replicate_estimate(x, "mean")
    pw = design.weights
    psum = float(pw.sum())
    if psum <= 0:
        raise StatsError("domaine vide : aucun répondant avec un poids positif")
    average = (x * pw[:, None]).sum(axis=0) / psum
    xc = x - average
    v = design.variance(xc * (pw / psum)[:, None])
    d = None
    if deff:
        nobs = int(((pw != 0) & design.present).sum())
        if psum < nobs:
            d = np.full(x.shape[1], np.nan)
        else:
            vsrs = _svyvar_diag(design, xc) * (psum - nobs) / (psum * nobs)
            d = np.diag(v) / vsrs
    return Estimate(average, v, d)


def _svyvar_diag(design: SurveyDesign, x: FloatArray) -> FloatArray:
    pw = design.weights
    n = int(((pw != 0) & design.present).sum())
    psum = float(pw.sum())
    xbar = (x * pw[:, None]).sum(axis=0) / psum
    return np.asarray(((x - xbar) ** 2 * pw[:, None]).sum(axis=0) / psum * n / (n - 1), dtype=np.float64)


def svytotal(design: AnyDesign, x: FloatArray, *, na_rm: bool = True, deff: bool = False) -> Estimate:
    """Weighted total of each column of ``x`` (R's ``svytotal``)."""
    x = _as_matrix(x)
    design, x = _drop_na(design, x, na_rm)
    if isinstance(design, ReplicateDesign):
        return design.replicate_estimate(x, "total")
    pw = design.weights
    total = (x * pw[:, None]).sum(axis=0)
    v = design.variance(x * pw[:, None])
    d = None
    if deff:
        nobs = int(((pw != 0) & design.present).sum())
        big_n = float(pw.sum())
        vsrs = _svyvar_diag(design, x) * big_n**2 * (big_n - nobs) / (big_n * nobs)
        d = np.diag(v) / vsrs
    return Estimate(total, v, d)


def svyratio(design: AnyDesign, numerator: FloatArray, denominator: FloatArray, *, na_rm: bool = True) -> Estimate:
    """Ratio of totals ``sum w y / sum w x`` (R's ``svyratio``, combined ratio)."""
    num = np.asarray(numerator, dtype=np.float64).reshape(-1)
    den = np.asarray(denominator, dtype=np.float64).reshape(-1)
    nas = np.isnan(num) | np.isnan(den)
    if nas.any():
        if not na_rm:
            raise StatsError("valeurs manquantes dans le ratio (utiliser na_rm=True)")
        design = design.subset(~nas)
        num = np.where(nas, 0.0, num)
        den = np.where(nas, 1.0, den)
    if isinstance(design, ReplicateDesign):
        return design.replicate_ratio(num, den)
    pw = design.weights
    tx = float((den * pw).sum())
    if tx == 0:
        raise StatsError("ratio : total du dénominateur nul dans le domaine")
    r = float((num * pw).sum()) / tx
    lin = (num - r * den) / tx
    v = design.variance((lin * pw)[:, None])
    return Estimate(np.array([r]), v)
