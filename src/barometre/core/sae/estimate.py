"""Small-area estimates of an indicator for every département or région (Fay–Herriot on the survey).

Steps, for one indicator and one level (``departement`` or ``region``):

1. **Direct estimates** ŷ_d: the design-based (Hájek) mean of the indicator among the respondents
   of area d in the indicator's universe, with the edition's weights and design (the engine's
   ``domain_means``, linearisation variance; Särndal, Swensson and Wretman 1992, §10.3).
2. **Sampling variances** ψ_d (treated as known by the model). The design-based variance of a
   proportion in an area with a handful of respondents is useless: 0 whenever they all answered
   alike, and strongly correlated with ŷ_d itself, which biases the model. Where an area has fewer
   respondents than ``gvf_min`` (by default the disclosure rule's minimum, 10) its variance is
   replaced by a **generalised variance function** (Wolter 2007, *Introduction to Variance
   Estimation*, ch. 7; Rao and Molina 2015, §6.4.1 on smoothed sampling variances):
   ψ_d = deff · p̄(1 − p̄) / n_d, with p̄ the national estimate of the indicator and deff the
   national design effect v̂(p̄) / [p̄(1 − p̄)/n] (at least 1). It depends on the area only through its
   number of respondents n_d, the driver of a proportion's variance, and not on its own answers.
   Areas with at least ``gvf_min`` respondents keep their design-based variance (unless it is 0).
3. **Model**: Fay–Herriot (:mod:`barometre.core.sae.fayherriot`), REML by default, on the areas
   with respondents, covariates from the registry (:mod:`barometre.core.sae.areas`).
4. **Model-based estimate** of each area (percent, clipped to [0, 100]):

   * area with at least ``rule.min_respondents`` respondents: the EBLUP, MSE by Prasad–Rao
     (``method = "eblup"``);
   * area with fewer respondents, or none: the **synthetic** estimate x_dᵀβ̂ with the MSE of a
     synthetic estimate σ̂²ᵤ + x_dᵀ(XᵀV̂⁻¹X)⁻¹x_d (``method = "synthetic"``). For a sampled area
     this omits the small covariance between β̂ and its own direct estimate, so it slightly
     overstates the MSE (conservative).

   **Disclosure**: an EBLUP is x_dᵀβ̂ + γ_d (ŷ_d − x_dᵀβ̂). With the synthetic value and γ_d public
   (covariates, coefficients and the variance function are published), ŷ_d = x_dᵀβ̂ +
   (EBLUP − x_dᵀβ̂)/γ_d can be recovered; with one respondent and a yes/no question, even the sign of
   the deviation gives the answer away, however strong the shrinkage. So the model-based figure of
   an area below the disclosure minimum never uses its own answers directly: it is the synthetic
   estimate, which pools all areas (an area's answers move β̂ by a weight 1/(σ̂²ᵤ + ψ_d) among ~100
   areas whose direct values are themselves withheld). The direct estimate keeps the usual rule
   (:func:`barometre.core.stats.check_disclosure`): hidden below the minimum or above the maximum CV.
5. **Checks** (Rao and Molina 2015, §6.4; Brown et al. 2001, Survey Methodology 27(2)): σ̂²ᵤ (0 means
   the covariates explain all between-area variation: every EBLUP is then the synthetic estimate),
   standardised residuals (ŷ_d − x_dᵀβ̂)/√(σ̂²ᵤ + ψ_d) (per area only where the direct estimate is
   published: it gives ŷ_d back; their standard deviation over all areas in ``ModelCheck``),
   shrinkage factors B_d = ψ_d/(σ̂²ᵤ + ψ_d), and for well-measured areas (published direct
   estimate) the standardised difference between direct and model-based estimates,
   (ŷ_d − θ̂_d)/√(ψ_d − mse_d) when positive, else /√ψ_d, flagged beyond 1.96.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from barometre.core.errors import StatsError
from barometre.core.indicators.catalogue import Catalogue
from barometre.core.indicators.compute import IndicatorMatrix, indicator_matrix
from barometre.core.questionnaire import Questionnaire
from barometre.core.sae.areas import AreaCovariates, Level, area_covariates
from barometre.core.sae.fayherriot import FHFit, Method, fit_fh
from barometre.core.stats import DisclosureRule, check_disclosure, domain_means
from barometre.core.stats.design import FloatArray, SurveyDesign
from barometre.core.stats.fast import DomainMeans
from barometre.core.weighting.pipeline import WeightingResult
from barometre.core.weighting.units import EditionArrays, FrameArrays

#: Columns of a small-area row, in the order every output uses (CLI, API, open data).
SAE_COLUMNS: tuple[str, ...] = ("area", "name", "direct", "direct_se", "eblup", "mse", "cv", "n", "method")
Z_CHECK = 1.96


@dataclass(frozen=True)
class AreaRow:
    """One area: published direct estimate (None when withheld) and model-based estimate, in percent."""

    area: str
    name: str
    direct: float | None
    direct_se: float | None
    eblup: float
    mse: float
    cv: float | None
    #: respondents of the area; None when the direct estimate is withheld (a hidden cell publishes
    #: no count, nor anything its variance could be read from: shrinkage, residual)
    n: int | None
    #: ``eblup`` or ``synthetic`` (see the module doc)
    method: str
    #: why the direct estimate is withheld ('' when published)
    direct_reason: str
    #: diagnostics (None for areas without respondents)
    shrinkage: float | None
    std_residual: float | None
    #: standardised direct − model difference where the direct estimate is published
    direct_vs_model: float | None
    #: sampling variance used by the model: ``design`` or ``gvf`` (None without respondents)
    variance_source: str | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ModelCheck:
    method: str
    refvar: float
    refvar_truncated: bool
    beta_names: tuple[str, ...]
    beta: tuple[float, ...]
    beta_se: tuple[float, ...]
    loglike: float
    aic: float
    bic: float
    areas_fitted: int
    deff: float
    national: float
    gvf_min: int
    #: areas whose published direct estimate differs from the model-based one beyond 1.96
    contradictions: tuple[str, ...]
    std_residual_sd: float
    projected: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class SmallAreaResult:
    indicator: str
    level: Level
    edition: int
    simulated: bool
    rows: tuple[AreaRow, ...]
    check: ModelCheck
    #: unrounded internals for tests and the analyst: direct estimates before disclosure (percent)
    raw_direct: dict[str, float] = field(default_factory=dict)
    raw_direct_se: dict[str, float] = field(default_factory=dict)
    #: respondents of every area (0 without any), published in ``rows`` only where the direct
    #: estimate is
    raw_n: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "level": self.level,
            "edition": self.edition,
            "simulated": self.simulated,
            "check": self.check.to_dict(),
            "rows": [r.to_dict() for r in self.rows],
        }


def _pct(v: float) -> float:
    return 100.0 * v


def estimate_areas(
    matrix: IndicatorMatrix,
    column: int,
    edition: EditionArrays,
    weighting: WeightingResult,
    covariates: AreaCovariates,
    *,
    rule: DisclosureRule | None = None,
    method: Method = "REML",
    gvf_min: int | None = None,
    national: DomainMeans | None = None,
) -> SmallAreaResult:
    """Small-area estimates of indicator ``matrix.indicators[column]`` (module doc). ``national``:
    the indicator's national ``domain_means`` when already computed (it does not depend on the level)."""
    rule = rule or DisclosureRule()
    gvf_min = rule.min_respondents if gvf_min is None else gvf_min
    ind = matrix.indicators[column]
    level = covariates.level
    rows = weighting.rows
    y = matrix.values[:, column]
    valid = ~np.isnan(y)
    if valid.sum() < 2:
        raise StatsError(f"{ind.id} : moins de deux répondants, pas d'estimation par petits domaines")
    key = (edition.units.departement if level == "departement" else edition.units.region)[rows]
    index = covariates.index()
    code = np.array([index.get(str(k), -1) if ok else -1 for k, ok in zip(key, valid, strict=True)], dtype=np.int64)
    yk = np.where(valid, y, 0.0)[:, None]
    design = weighting.design

    nat = national if national is not None else national_mean(design, y)
    p_bar = float(nat.estimate[0, 0])
    n_all = int(nat.n[0, 0])
    srs = p_bar * (1 - p_bar) / n_all
    deff = max(1.0, float(nat.se[0, 0]) ** 2 / srs) if srs > 0 else 1.0
    # a national proportion of exactly 0 or 1 leaves no variance to model: use the 1/n bound
    p_var = p_bar * (1 - p_bar) if 0 < p_bar < 1 else 1.0 / (4 * n_all)

    present = sorted({int(c) for c in code if c >= 0})
    if len(present) <= covariates.x.shape[1] + 1:
        raise StatsError(
            f"{ind.id} : {len(present)} {level}s avec répondants, trop peu pour le modèle "
            f"({covariates.x.shape[1]} coefficients)"
        )
    remap = np.full(len(covariates.codes), -1, dtype=np.int64)
    remap[present] = np.arange(len(present))
    dm = domain_means(design, yk, np.where(code >= 0, remap[np.maximum(code, 0)], -1))
    direct = dm.estimate[:, 0].astype(np.float64)
    n_d = dm.n[:, 0].astype(np.int64)
    var_design = dm.se[:, 0].astype(np.float64) ** 2
    use_gvf = (n_d < gvf_min) | ~(var_design > 0)
    psi = np.where(use_gvf, deff * p_var / n_d, var_design)

    fit: FHFit = fit_fh(direct, psi, covariates.x[present], method=method, fallback=True)
    synth_all, synth_mse_all = fit.predict_synthetic(covariates.x)

    out: list[AreaRow] = []
    contradictions: list[str] = []
    raw_direct: dict[str, float] = {}
    raw_se: dict[str, float] = {}
    raw_n: dict[str, int] = {}
    pos = {a: i for i, a in enumerate(present)}
    std_res = fit.standardised_residuals
    for a, (acode, name) in enumerate(zip(covariates.codes, covariates.names, strict=True)):
        i = pos.get(a)
        raw_n[acode] = 0 if i is None else int(n_d[i])
        if i is None:
            est, mse = float(synth_all[a]), float(synth_mse_all[a])
            out.append(
                _row(acode, name, None, None, "aucun répondant", est, mse, None, "synthetic", None, None, None, None)
            )
            continue
        n = int(n_d[i])
        raw_direct[acode], raw_se[acode] = _pct(float(direct[i])), _pct(math.sqrt(float(psi[i])))
        se_direct = math.sqrt(float(psi[i]))
        disc = check_disclosure(n, float(direct[i]), se_direct, rule)
        if n >= rule.min_respondents:
            est, mse, how = float(fit.eblup[i]), float(fit.mse[i]), "eblup"
        else:
            est, mse, how = float(synth_all[a]), float(synth_mse_all[a]), "synthetic"
        z: float | None = None
        if not disc.suppressed:
            gap = float(psi[i]) - mse
            z = (float(direct[i]) - est) / math.sqrt(gap if gap > 0 else float(psi[i]))
            if abs(z) > Z_CHECK:
                contradictions.append(acode)
        out.append(
            _row(
                acode,
                name,
                None if disc.suppressed else float(direct[i]),
                None if disc.suppressed else se_direct,
                disc.reason or "",
                est,
                mse,
                None if disc.suppressed else n,
                how,
                None if disc.suppressed else float(fit.shrinkage[i]),
                # with x'β̂ and σ̂²ᵤ + ψ_d public, the residual gives ŷ_d back: withheld with it
                None if disc.suppressed else float(std_res[i]),
                z,
                "gvf" if bool(use_gvf[i]) else "design",
            )
        )
    check = ModelCheck(
        method=fit.method,
        refvar=_pct(_pct(fit.refvar)),
        refvar_truncated=fit.refvar_raw < 0,
        beta_names=("intercept", *covariates.covariate_names),
        beta=tuple(_pct(float(b)) for b in fit.beta),
        beta_se=tuple(_pct(float(b)) for b in fit.beta_se),
        loglike=fit.loglike,
        aic=fit.aic,
        bic=fit.bic,
        areas_fitted=fit.m,
        deff=deff,
        national=_pct(p_bar),
        gvf_min=gvf_min,
        contradictions=tuple(contradictions),
        std_residual_sd=float(np.std(std_res, ddof=1)),
        projected=fit.projected,
    )
    return SmallAreaResult(ind.id, level, edition.year, edition.simulated, tuple(out), check, raw_direct, raw_se, raw_n)


def _row(
    area: str,
    name: str,
    direct: float | None,
    direct_se: float | None,
    reason: str,
    est: float,
    mse: float,
    n: int | None,
    how: str,
    shrinkage: float | None,
    std_residual: float | None,
    z: float | None,
    source: str | None,
) -> AreaRow:
    est = min(1.0, max(0.0, est))
    cv = math.sqrt(mse) / est if est > 0 else None
    return AreaRow(
        area=area,
        name=name,
        direct=None if direct is None else _pct(direct),
        direct_se=None if direct_se is None else _pct(direct_se),
        eblup=_pct(est),
        mse=_pct(_pct(mse)),
        cv=cv,
        n=n,
        method=how,
        direct_reason=reason,
        shrinkage=shrinkage,
        std_residual=std_residual,
        direct_vs_model=z,
        variance_source=source,
    )


def national_mean(design: SurveyDesign, y: FloatArray) -> DomainMeans:
    """``domain_means`` of one indicator column (NaN outside its denominator) over the whole sample."""
    valid = ~np.isnan(y)
    return domain_means(design, np.where(valid, y, 0.0)[:, None], np.where(valid, 0, -1).astype(np.int64))


def small_area_estimates(
    edition: EditionArrays,
    weighting: WeightingResult,
    catalogue: Catalogue,
    questionnaire: Questionnaire,
    *,
    indicators: list[str] | None = None,
    levels: tuple[Level, ...] = ("departement", "region"),
    rule: DisclosureRule | None = None,
    method: Method = "REML",
    frame_units: FrameArrays | None = None,
    matrix: IndicatorMatrix | None = None,
) -> list[SmallAreaResult]:
    """Small-area estimates of ``indicators`` (all of the edition's by default) at ``levels``.

    ``frame_units`` (the whole frame's :class:`FrameArrays`) gives the covariates; it defaults to
    the edition's units, which is the whole frame for a voluntary edition. An indicator whose model
    cannot be fitted (too few areas with respondents) is skipped when computing all indicators,
    an error when named. ``matrix``: the edition's :func:`indicator_matrix`, when the caller already
    has it."""
    mat = matrix if matrix is not None else indicator_matrix(edition, weighting.rows, catalogue, questionnaire)
    ids = [i.id for i in mat.indicators]
    if indicators is not None:
        unknown = [i for i in indicators if i not in ids]
        if unknown:
            raise StatsError(f"indicateur {unknown[0]!r} absent de l'édition {edition.year}")
    units = frame_units if frame_units is not None else edition.units
    covs = {lv: area_covariates(units, lv) for lv in levels}
    out: list[SmallAreaResult] = []
    for j, iid in enumerate(ids):
        if indicators is not None and iid not in indicators:
            continue
        nat: DomainMeans | None = None
        for lv in levels:
            try:
                if nat is None and int((~np.isnan(mat.values[:, j])).sum()) >= 2:
                    nat = national_mean(weighting.design, mat.values[:, j])
                out.append(estimate_areas(mat, j, edition, weighting, covs[lv], rule=rule, method=method, national=nat))
            except StatsError:
                if indicators is not None:
                    raise
    return out
