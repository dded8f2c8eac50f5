"""The weighting pipeline of an edition (all statistics from :mod:`barometre.core.stats`).

1. **Design weights** ``d_i = 1 / pi_i`` (1 for the voluntary survey: the whole frame is invited).
2. **Nonresponse adjustment** within response-homogeneity groups (RHG) = the strata, after the
   documented ``collapse`` of empty strata: ``w_i = d_i * sum_{s in g} d / sum_{r in g} d``
   (:func:`barometre.core.stats.nonresponse_adjust`).
3. **Calibration** on the frame's margins: counts by stratum (RHG), counts by région (the five
   overseas régions form one group, ``DROM``), total population (``calibrate``, raking
   distance, adjustment factors bounded by ``bounds``; when the bounded calibration does not
   converge, unbounded raking, reported as the event ``calibration_bounds_relaxed``; when that
   does not converge either, its last weights are kept, the event ``calibration_not_converged``
   is reported and ``converged`` is False: the edition cannot be published from those weights
   unless explicitly allowed).
4. **Trimming**: a weight above ``trim_ratio`` × the mean weight of its RHG is cut back
   (:func:`barometre.core.stats.trim_weights`), then the weights are calibrated again so that the
   margins still hold exactly.

The variance design is the respondents' stratified design (RHG strata, finite population
correction ``N_g``) with the calibration's correction: respondents of a group are treated as a
simple random sample of its units — the missing-at-random assumption stated in ``ASSUMPTION``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from barometre.core.errors import ConvergenceWarning, EditionError, StatsError
from barometre.core.registry import STRATUM_LABELS, Stratum
from barometre.core.stats import SurveyDesign, calibrate, design_from_arrays, nonresponse_adjust, trim_weights
from barometre.core.weighting.collapse import MIN_RESPONDENTS, collapse_hint, small_groups
from barometre.core.weighting.report import (
    MarginFit,
    PartialR,
    RegionResponse,
    StratumResponse,
    WeightingReport,
    WeightStats,
)
from barometre.core.weighting.units import EditionArrays, FloatArray, FrameArrays

#: The five overseas régions (INSEE codes), one calibration group.
DROM_REGIONS: tuple[str, ...] = ("01", "02", "03", "04", "06")
DROM = "DROM"

ASSUMPTION = (
    "Hypothèse de non-réponse ignorable (réponse « manquante au hasard ») conditionnellement à la strate et "
    "aux marges de calage : au sein d'une strate, les collectivités répondantes sont traitées comme un tirage "
    "aléatoire des collectivités invitées, puis les poids sont calés sur les effectifs par strate et par région "
    "et sur la population totale de la base de sondage. Une enquête volontaire ne garantit pas cette hypothèse : "
    "les indicateurs de représentativité (taux de réponse et indicateur R par strate) en donnent la mesure."
)


@dataclass(frozen=True)
class WeightingOptions:
    #: Response-homogeneity groups: stratum → neighbour stratum it is merged into
    #: (to use when a stratum has no respondent). Applied transitively.
    collapse: Mapping[str, str] = field(default_factory=dict)
    #: Région code → calibration group (default: the overseas régions form ``DROM``).
    region_groups: Mapping[str, str] = field(default_factory=lambda: dict.fromkeys(DROM_REGIONS, DROM))
    calibrate_population: bool = True
    calibrate_regions: bool = True
    #: Bounds on the calibration adjustment factor g = w_cal / w_nonresponse.
    bounds: tuple[float, float] = (0.2, 5.0)
    #: Iteration limit of the calibration (R's ``maxit``).
    calibration_maxit: int = 50
    #: Cap of a weight, as a multiple of the mean weight of its group (None: no trimming).
    trim_ratio: float | None = 3.5


#: How pairs are written on the command line and in the console: ``A=B``, separated by commas,
#: semicolons, spaces or new lines.
_PAIR_SEPARATORS = re.compile(r"[,;\s]+")


def parse_pairs(items: Iterable[str], option: str) -> dict[str, str]:
    """``{A: B}`` from ``A=B`` items (each item may hold several, see ``_PAIR_SEPARATORS``); an item
    that is not a pair is refused with its text and the ``option`` it was given to."""
    out: dict[str, str] = {}
    for item in items:
        for pair in _PAIR_SEPARATORS.split(item.strip()):
            if not pair:
                continue
            left, sep, right = pair.partition("=")
            if not sep or not left or not right:
                raise EditionError(f"{option} : « {pair} » n'est pas de la forme CODE=VOISIN (par exemple 94=93)")
            out[left] = right
    return out


def chosen_options(
    collapse: Mapping[str, str] | None = None, regions: Mapping[str, str] | None = None
) -> WeightingOptions | None:
    """The options an analyst sets (None when none is): strata merged into a neighbour (``collapse``)
    and régions calibrated with a neighbour (``regions``, beside the overseas group ``DROM``)."""
    if not collapse and not regions:
        return None
    return WeightingOptions(
        collapse=dict(collapse or {}), region_groups={**dict.fromkeys(DROM_REGIONS, DROM), **dict(regions or {})}
    )


def chosen_regions(region_groups: Mapping[str, str]) -> dict[str, str]:
    """The région groups set beyond the default overseas group."""
    default = dict.fromkeys(DROM_REGIONS, DROM)
    return {r: g for r, g in region_groups.items() if default.get(r) != g}


def options_from_report(report: Mapping[str, Any]) -> WeightingOptions | None:
    """The options an analyst set for a stored weighting (its report), to rebuild the same design."""
    calibration = report.get("calibration") or {}
    return chosen_options(report.get("collapse") or {}, chosen_regions(calibration.get("region_groups") or {}))


def check_options(options: WeightingOptions, margins: FrameMargins) -> None:
    """Every stratum merged and every région grouped exists in the frame (EditionError naming the
    first unknown code)."""
    unknown = sorted(set(options.collapse) - set(margins.stratum_counts))
    if unknown:
        raise EditionError(f"Strates fusionnées : strate inconnue « {unknown[0]} »")
    unknown = sorted(set(options.region_groups) - set(margins.region_counts) - set(DROM_REGIONS))
    if unknown:
        raise EditionError(f"Régions regroupées : région inconnue « {unknown[0]} » (codes INSEE des régions)")


@dataclass(frozen=True)
class FrameMargins:
    """Calibration totals from the whole frame."""

    stratum_counts: Mapping[str, float]
    region_counts: Mapping[str, float]
    population_total: float

    @classmethod
    def from_frame(cls, fa: FrameArrays) -> FrameMargins:
        strata, sc = np.unique(fa.stratum, return_counts=True)
        regions, rc = np.unique(fa.region, return_counts=True)
        return cls(
            {str(s): float(c) for s, c in zip(strata, sc, strict=True)},
            {str(r): float(c) for r, c in zip(regions, rc, strict=True)},
            float(fa.population.sum()),
        )


@dataclass(frozen=True)
class WeightingResult:
    """Weights of the respondents and the design to estimate with."""

    #: Rows of the edition's units that responded (the design's rows, same order).
    rows: npt.NDArray[np.int64]
    design: SurveyDesign
    design_weights: FloatArray
    nonresponse_weights: FloatArray
    weights: FloatArray
    groups: npt.NDArray[np.str_]
    report: WeightingReport


#: Event codes of the weighting report (worded at the edge: ``core.wording.note.text.weighting_event``).
CALIBRATION_BOUNDS_RELAXED = "calibration_bounds_relaxed"
CALIBRATION_NOT_CONVERGED = "calibration_not_converged"
EVENT_CODES = (CALIBRATION_BOUNDS_RELAXED, CALIBRATION_NOT_CONVERGED)


def _forced_calibration(
    design: SurveyDesign, x: FloatArray, pop: FloatArray, bounds: tuple[float, float], maxit: int
) -> SurveyDesign:
    """Raking calibration that keeps its last weights when it stops at ``maxit`` (R's
    ``force = TRUE``); the design's ``converged`` says whether it met the margins."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return calibrate(design, x, pop, calfun="raking", bounds=bounds, maxit=maxit, force=True)


def _misfit(design: SurveyDesign, x: FloatArray, pop: FloatArray) -> float:
    achieved = (x * design.weights[:, None]).sum(axis=0)
    return float(np.max(np.abs(achieved - pop) / (1 + np.abs(pop))))


def _collapsed(stratum: str, collapse: Mapping[str, str]) -> str:
    seen = {stratum}
    while stratum in collapse:
        stratum = collapse[stratum]
        if stratum in seen:
            raise EditionError(f"option collapse circulaire autour de la strate {stratum!r}")
        seen.add(stratum)
    return stratum


def _label(stratum: str) -> str:
    try:
        return STRATUM_LABELS[Stratum(stratum)]
    except ValueError:
        return stratum


def _stats(w: FloatArray) -> WeightStats:
    if w.size == 0:
        return {}
    q = np.quantile(w, [0.0, 0.25, 0.5, 0.75, 1.0])
    mean = float(w.mean())
    return {
        "min": float(q[0]),
        "p25": float(q[1]),
        "median": float(q[2]),
        "p75": float(q[3]),
        "max": float(q[4]),
        "mean": mean,
        "cv": float(w.std() / mean) if mean else float("nan"),
        "sum": float(w.sum()),
    }


def weight_edition(
    edition: EditionArrays,
    margins: FrameMargins,
    options: WeightingOptions | None = None,
) -> WeightingResult:
    """Weight ``edition`` (see the module doc). Raises EditionError/StatsError with what to do."""
    opts = options or WeightingOptions()
    units = edition.units
    if edition.n_respondents == 0:
        raise EditionError(
            f"édition {edition.year} : aucune réponse envoyée — rien à pondérer "
            "(attendez des réponses, ou simulez une édition avec `barometre edition simulate`)"
        )
    check_options(opts, margins)
    groups = np.array([_collapsed(str(s), opts.collapse) for s in units.stratum], dtype=str)
    d = 1.0 / edition.inclusion_probability
    resp = edition.responded
    invited = {str(g): int((groups == g).sum()) for g in set(groups.tolist())}
    answered = {str(g): int(resp[groups == g].sum()) for g in invited}
    small = small_groups(invited, answered)
    empty = [s for s in small if s.respondents == 0]
    if empty:  # every empty and too-small group at once, each with the collapse it suggests
        described = "; ".join(
            f"« {_label(s.group)} » ({s.group}) : {s.respondents} répondant(s) sur {s.invited} unités invitées"
            + (f", à fusionner avec {s.suggestion}" if s.suggestion else "")
            for s in small
        )
        raise StatsError(
            f"{len(empty)} strate(s) sans aucun répondant, {len(small) - len(empty)} avec moins de "
            f"{MIN_RESPONDENTS} : {described}. La pondération par strate est impossible ; fusions suggérées "
            f"(« Strates fusionnées » dans la console, --collapse de `barometre edition weight`) : "
            f"{collapse_hint(small)}"
        )
    gnames, gcode = np.unique(groups, return_inverse=True)
    gcode = gcode.astype(np.int64)
    # 2. nonresponse adjustment on the design of all sample units
    base = design_from_arrays(weights=d, strata=gcode)
    adjusted = nonresponse_adjust(base, resp, gcode)
    rows = np.flatnonzero(resp).astype(np.int64)
    w_nr = adjusted.weights[rows]
    g_r = gcode[rows]
    # frame counts of each group (calibration targets and fpc)
    group_count = {str(g): 0.0 for g in gnames}
    for s, c in margins.stratum_counts.items():
        cg = _collapsed(s, opts.collapse)
        if cg in group_count:
            group_count[cg] += c
    # sample-based count when the frame misses a group (should not happen)
    est_count = np.bincount(gcode, weights=d, minlength=len(gnames))
    fpc = np.array([max(group_count[str(g)] or est_count[i], 1.0) for i, g in enumerate(gnames)])[g_r]
    fpc = np.maximum(fpc, np.bincount(g_r, minlength=len(gnames))[g_r].astype(np.float64))
    resp_design = design_from_arrays(weights=w_nr, strata=g_r, fpc=fpc, lonely_psu="adjust")
    # 3. calibration matrix
    columns: list[FloatArray] = []
    totals: list[float] = []
    names: list[tuple[str, str]] = []
    for i, g in enumerate(gnames):
        columns.append((g_r == i).astype(np.float64))
        totals.append(group_count[str(g)] if group_count[str(g)] > 0 else float(est_count[i]))
        names.append(("strate", str(g)))
    if opts.calibrate_regions:
        reg = np.array([opts.region_groups.get(str(r), str(r)) for r in units.region[rows]], dtype=str)
        reg_totals: dict[str, float] = {}
        for r, c in margins.region_counts.items():
            key = opts.region_groups.get(r, r)
            reg_totals[key] = reg_totals.get(key, 0.0) + c
        present = set(reg.tolist())
        missing = sorted(set(reg_totals) - present)
        if missing:
            raise StatsError(
                f"région {missing[0]} : aucun répondant, calage par région impossible ; regroupez-la avec une "
                f"région voisine : {missing[0]}=<code de la voisine> (« Régions regroupées » dans la console, "
                "--region-group de `barometre edition weight`)"
            )
        for r in sorted(reg_totals)[1:]:  # first group dropped: implied by the stratum counts
            columns.append((reg == r).astype(np.float64))
            totals.append(reg_totals[r])
            names.append(("region", r))
    if opts.calibrate_population:
        columns.append(units.population[rows] / 1e6)
        totals.append(margins.population_total / 1e6)
        names.append(("population", "total (millions)"))
    x = np.column_stack(columns)
    pop = np.asarray(totals)
    events: list[dict[str, Any]] = []

    def _calibrate(design: SurveyDesign, stage: str) -> SurveyDesign:
        bounded = _forced_calibration(design, x, pop, opts.bounds, opts.calibration_maxit)
        if bounded.converged:
            return bounded
        events.append({"code": CALIBRATION_BOUNDS_RELAXED, "stage": stage, "bounds": list(opts.bounds)})
        free = _forced_calibration(design, x, pop, (-np.inf, np.inf), opts.calibration_maxit)
        if not free.converged:
            events.append({"code": CALIBRATION_NOT_CONVERGED, "stage": stage, "achieved": _misfit(free, x, pop)})
        return free

    cal = _calibrate(resp_design, "calibration")
    w_cal = cal.weights
    n_trimmed = 0
    final = cal
    if opts.trim_ratio is not None:
        means = np.bincount(g_r, weights=w_cal) / np.bincount(g_r)
        cap = opts.trim_ratio * means[g_r]
        over = w_cal > cap * (1 + 1e-9)
        n_trimmed = int(over.sum())
        if n_trimmed:
            scaled = replace(cal, weights=w_cal / cap)
            trimmed = trim_weights(scaled, upper=1.0).weights * cap
            final = _calibrate(replace(resp_design, weights=np.asarray(trimmed, dtype=np.float64)), "after_trimming")
    w = final.weights
    if np.any(w <= 0):
        raise StatsError("pondération : poids nuls ou négatifs après calage ; élargissez les bornes de calage")
    achieved = (x * w[:, None]).sum(axis=0)
    margin_rows: list[MarginFit] = [
        {
            "margin": m,
            "category": c,
            "target": float(t),
            "achieved": float(a),
            "relative_error": float(abs(a - t) / t) if t else float(abs(a - t)),
        }
        for (m, c), t, a in zip(names, pop, achieved, strict=True)
    ]
    report = _report(edition, groups, gnames, d, w_nr, w, rows, margin_rows, opts, n_trimmed, events, final.converged)
    return WeightingResult(rows, final, d[rows], w_nr, w, groups[rows], report)


def _report(
    edition: EditionArrays,
    groups: npt.NDArray[np.str_],
    gnames: npt.NDArray[np.str_],
    d: FloatArray,
    w_nr: FloatArray,
    w: FloatArray,
    rows: npt.NDArray[np.int64],
    margin_rows: list[MarginFit],
    opts: WeightingOptions,
    n_trimmed: int,
    events: list[dict[str, Any]],
    converged: bool,
) -> WeightingReport:
    units = edition.units
    resp = edition.responded
    by_stratum: list[StratumResponse] = []
    rr_group: dict[str, float] = {}
    for g in gnames:
        m = groups == g
        rr_group[str(g)] = float((d[m] * resp[m]).sum() / d[m].sum())
    for s in sorted({str(x) for x in units.stratum}):
        m = units.stratum == s
        invited = int(m.sum())
        answered = int(resp[m].sum())
        wr = w[np.isin(rows, np.flatnonzero(m))]
        by_stratum.append(
            {
                "stratum": s,
                "label": _label(s),
                "group": _collapsed(s, opts.collapse),
                "units": invited,
                "respondents": answered,
                "response_rate": answered / invited if invited else 0.0,
                "weighted_response_rate": float((d[m] * resp[m]).sum() / d[m].sum()) if invited else 0.0,
                "weight_sum": float(wr.sum()),
                "mean_weight": float(wr.mean()) if wr.size else 0.0,
            }
        )
    # R-indicator (Schouten, Cobben & Bethlehem 2009): R = 1 - 2 S(rho), rho = response propensity of the RHG
    rho = np.array([rr_group[str(g)] for g in groups])
    dsum = d.sum()
    rbar = float((d * rho).sum() / dsum)
    s_rho = float(np.sqrt((d * (rho - rbar) ** 2).sum() / (dsum - 1))) if dsum > 1 else 0.0
    partial: list[PartialR] = []
    for g in gnames:
        m = groups == g
        share = float(d[m].sum() / dsum)
        partial.append(
            {
                "group": str(g),
                "propensity": rr_group[str(g)],
                "partial_r": float(np.sqrt(share) * (rr_group[str(g)] - rbar)),
            }
        )
    by_region: list[RegionResponse] = []
    for r in sorted({str(x) for x in units.region}):
        m = units.region == r
        by_region.append(
            {
                "region": r,
                "units": int(m.sum()),
                "respondents": int(resp[m].sum()),
                "response_rate": float(resp[m].mean()),
            }
        )
    n = int(w.shape[0])
    n_eff = float(w.sum() ** 2 / (w**2).sum())
    return {
        "year": edition.year,
        "collection": edition.collection,
        "simulated": edition.simulated,
        "assumption": ASSUMPTION,
        "units": edition.n_units,
        "respondents": n,
        "response_rate": n / edition.n_units,
        "weighted_response_rate": float((d * resp).sum() / dsum),
        "by_stratum": by_stratum,
        "by_region": by_region,
        "r_indicator": {
            "model": "strate (groupes homogènes de réponse)",
            "value": 1 - 2 * s_rho,
            "mean_propensity": rbar,
            "sd_propensity": s_rho,
            "partial": partial,
        },
        "weights": {"design": _stats(d[rows]), "nonresponse": _stats(w_nr), "final": _stats(w)},
        "effective_sample_size": n_eff,
        "design_effect_weighting": n / n_eff,
        "margins": margin_rows,
        "max_margin_relative_error": max(r["relative_error"] for r in margin_rows),
        "calibration": {
            "distance": "raking",
            "bounds": list(opts.bounds),
            "population": opts.calibrate_population,
            "regions": opts.calibrate_regions,
            "region_groups": dict(opts.region_groups),
        },
        "trimming": {"ratio": opts.trim_ratio, "trimmed": n_trimmed},
        "collapse": dict(opts.collapse),
        "converged": converged,
        "events": events,
    }
