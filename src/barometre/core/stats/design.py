"""Survey designs and Taylor-linearisation variance (R ``survey``'s ``svydesign``/``svyrecvar``).

A :class:`SurveyDesign` holds, for every sampled row, the analysis weight, the sampling
stages (strata, clusters, number of sampled clusters, population size) and the variance
corrections left by weight adjustments (post-stratification, raking, calibration).

Variance of a total ``sum_i w_i z_i`` (Lumley 2010, sec. 2.2 and appendix C; Särndal,
Swensson & Wretman 1992, result 4.3.1): PSU totals ``t_hk`` of the linearised variable
within stratum ``h`` give

    V = sum_h (1 - n_h/N_h) n_h/(n_h - 1) sum_k (t_hk - tbar_h)(t_hk - tbar_h)'

plus, for multistage designs with a finite population correction, the later stages
scaled by the first-stage sampling fraction ``n_h/N_h`` (R's ``multistage``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from barometre.core.errors import StatsError

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

LonelyPSU = Literal["fail", "remove", "adjust", "certainty", "average"]
LONELY_PSU_OPTIONS: tuple[str, ...] = ("fail", "remove", "adjust", "certainty", "average")


def codes_of(values: npt.ArrayLike) -> IntArray:
    """Integer codes 0..k-1 of the distinct values (sorted order)."""
    arr = np.asarray(values)
    _, inv = np.unique(arr, return_inverse=True)
    return np.asarray(inv, dtype=np.int64).reshape(-1)


def group_sum(codes: IntArray, x: FloatArray, ngroups: int) -> FloatArray:
    """Row sums of ``x`` (n, p) by group code (R's ``rowsum``), shape (ngroups, p)."""
    n = codes.shape[0]
    mat = sp.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(ngroups, n))
    return np.asarray(mat @ x, dtype=np.float64)


@dataclass(frozen=True)
class Stage:
    """One sampling stage: per-row stratum and cluster codes, sample and population sizes."""

    strata: IntArray
    clusters: IntArray
    sampsize: FloatArray
    popsize: FloatArray | None


@dataclass(frozen=True)
class PostStratumCorrection:
    """Variance correction of ``postStratify``: residuals from post-stratum means."""

    groups: IntArray
    weights: FloatArray
    oldweights: FloatArray


@dataclass(frozen=True)
class RakingCorrection:
    """Variance correction of ``rake``: the post-strata of the final raking iteration."""

    margins: tuple[PostStratumCorrection, ...]


@dataclass(frozen=True)
class GregCorrection:
    """Variance correction of ``calibrate``: residuals of the projection on the calibration
    model matrix (``qr.resid(qr(X * sqrt(w)), x / (g sqrt(w))) * g sqrt(w)``)."""

    basis: FloatArray
    w: FloatArray


Correction: TypeAlias = PostStratumCorrection | RakingCorrection | GregCorrection


@dataclass(frozen=True)
class SurveyDesign:
    """A Taylor-linearisation design (R's ``survey.design2``).

    ``present`` marks rows R would still hold: subsetting a design without corrections
    drops rows, a calibrated design keeps them with weight zero.
    """

    weights: FloatArray
    stages: tuple[Stage, ...]
    has_strata: bool = False
    corrections: tuple[Correction, ...] = ()
    present: BoolArray = field(default_factory=lambda: np.ones(0, dtype=bool))
    lonely_psu: str = "fail"
    #: False when a weight adjustment stopped at its iteration limit (``rake``, forced ``calibrate``)
    converged: bool = True

    def __post_init__(self) -> None:
        if self.present.shape[0] != self.weights.shape[0]:
            object.__setattr__(self, "present", np.ones(self.weights.shape[0], dtype=bool))

    @property
    def n(self) -> int:
        return int(self.weights.shape[0])

    @property
    def is_calibrated(self) -> bool:
        return len(self.corrections) > 0

    def subset(self, mask: BoolArray) -> SurveyDesign:
        """Domain subset keeping the full design (R's ``design[mask, ]``)."""
        mask = np.asarray(mask, dtype=bool)
        w = np.where(mask & self.present, self.weights, 0.0)
        present = self.present if self.is_calibrated else self.present & mask
        return replace(self, weights=w, present=present)

    def with_weights(self, weights: FloatArray, correction: Correction | None = None) -> SurveyDesign:
        corr = self.corrections if correction is None else (*self.corrections, correction)
        return replace(self, weights=np.asarray(weights, dtype=np.float64), corrections=corr)

    def degf(self) -> int:
        """Design degrees of freedom: PSUs minus strata among rows of nonzero weight."""
        inset = (self.weights != 0) & self.present
        st = self.stages[0]
        return int(np.unique(st.clusters[inset]).size - np.unique(st.strata[inset]).size)

    def nrow(self) -> int:
        """Rows R would count with ``nrow(design)``."""
        return int(self.present.sum())

    def variance(self, z: FloatArray) -> FloatArray:
        """Variance matrix of the totals of the columns of ``z`` (already weighted, R's
        ``svyrecvar`` input); rows not present are ignored."""
        x = np.asarray(z, dtype=np.float64)
        if x.ndim == 1:
            x = x[:, None]
        x = np.where(np.isfinite(x), x, 0.0) if not np.all(np.isfinite(x)) else x
        x = apply_corrections(x, self.corrections)
        keep = self.present
        if not keep.all():
            x = x[keep]
            stages = tuple(
                Stage(
                    s.strata[keep],
                    s.clusters[keep],
                    s.sampsize[keep],
                    None if s.popsize is None else s.popsize[keep],
                )
                for s in self.stages
            )
        else:
            stages = self.stages
        return _multistage(x, stages, self.lonely_psu, 1)


def _ave(x: FloatArray, groups: IntArray) -> FloatArray:
    """Group means of the columns of ``x`` put back on the rows (R's ``ave``)."""
    g = int(groups.max()) + 1 if groups.size else 0
    sums = group_sum(groups, x, g)
    counts = np.bincount(groups, minlength=g).astype(np.float64)
    counts[counts == 0] = 1.0
    return np.asarray((sums / counts[:, None])[groups], dtype=np.float64)


def apply_corrections(x: FloatArray, corrections: Sequence[Correction]) -> FloatArray:
    """Residualise the linearised variables as ``svyrecvar`` does for ``postStrata``."""
    for c in corrections:
        if isinstance(c, GregCorrection):
            w = c.w[:, None]
            y = x / np.where(w == 0, 1.0, w)
            coef, *_ = np.linalg.lstsq(c.basis, y, rcond=None)
            x = (y - c.basis @ coef) * w
        elif isinstance(c, RakingCorrection):
            for _ in range(10):
                for m in c.margins:
                    psw = m.weights[:, None]
                    x = x - psw * _ave(x / psw, m.groups)
        else:
            psw = c.weights.copy()
            oldw = c.oldweights
            psw[(psw == 0) & (oldw == 0)] = 1.0
            g = int(c.groups.max()) + 1
            sums = group_sum(c.groups, x * (oldw / psw)[:, None], g)
            den = np.bincount(c.groups, weights=oldw, minlength=g)
            den[den == 0] = 1.0
            x = x - (sums / den[:, None])[c.groups] * psw[:, None]
    return x


def _multistage(x: FloatArray, stages: Sequence[Stage], lonely: str, stage_no: int) -> FloatArray:
    st = stages[0]
    v = _onestage(x, st, lonely, stage_no)
    if st.popsize is not None and len(stages) > 1:
        order = np.argsort(st.clusters, kind="stable")
        cl_sorted = st.clusters[order]
        bounds = np.flatnonzero(np.diff(cl_sorted)) + 1
        for idx in np.split(order, bounds):
            if idx.size == 0:
                continue
            sub = tuple(
                Stage(s.strata[idx], s.clusters[idx], s.sampsize[idx], None if s.popsize is None else s.popsize[idx])
                for s in stages[1:]
            )
            frac = st.sampsize[idx[0]] / st.popsize[idx[0]]
            v = v + _multistage(x[idx], sub, lonely, stage_no + 1) * frac
    return v


def _onestage(x: FloatArray, st: Stage, lonely: str, stage_no: int) -> FloatArray:
    p = x.shape[1]
    if x.shape[0] == 0:
        return np.zeros((p, p))
    # PSUs = distinct (stratum, cluster) pairs
    strata_codes = codes_of(st.strata)
    nstrat = int(strata_codes.max()) + 1
    key = strata_codes * (int(st.clusters.max()) + 1) + st.clusters
    uniq, first, psu = np.unique(key, return_index=True, return_inverse=True)
    psu = psu.reshape(-1)
    m = uniq.size
    totals = group_sum(psu, x, m)
    psu_stratum = strata_codes[first]
    # per-stratum constants from the first row of each stratum
    _, sfirst = np.unique(strata_codes, return_index=True)
    n_psu = st.sampsize[sfirst]
    if st.popsize is None:
        f = np.ones(nstrat)
    else:
        pop = st.popsize[sfirst]
        f = np.where(np.isinf(pop), 1.0, (pop - n_psu) / np.where(np.isinf(pop), 1.0, pop))
    scale = np.where(n_psu > 1, f * n_psu / np.where(n_psu > 1, n_psu - 1, 1.0), f)
    nsubset = np.bincount(psu_stratum, minlength=nstrat).astype(np.float64)
    sums = group_sum(psu_stratum, totals, nstrat)
    means = sums / n_psu[:, None]
    # a self-representing stratum (sampling fraction 1) adds no variance and is tested first,
    # as R's onestrat does: it is never "lonely", whatever the lonely_psu option
    selfrep = f < 1e-7
    lonely_s = (n_psu <= 1) & ~selfrep
    centre = np.ones(nstrat, dtype=bool)
    if lonely == "adjust":
        centre = ~((nsubset <= 1) & lonely_s)
    if lonely_s.any():
        if lonely == "fail":
            bad = int(np.flatnonzero(lonely_s)[0])
            raise StatsError(
                f"la strate {bad + 1} n'a qu'une unité primaire (PSU) à l'étape {stage_no} "
                "(option lonely_psu='fail' ; choisir remove, adjust, certainty ou average)"
            )
        if lonely not in LONELY_PSU_OPTIONS:
            raise StatsError(f"option lonely_psu inconnue : {lonely!r}")
    dev = totals - np.where(centre[:, None], means, 0.0)[psu_stratum]
    weight_psu = np.where(selfrep, 0.0, scale)[psu_stratum]
    ok = np.ones(nstrat, dtype=bool)
    if lonely == "average":
        ok = ~lonely_s
        weight_psu = np.where(ok[psu_stratum], weight_psu, 0.0)
    v = (dev * weight_psu[:, None]).T @ dev
    # padded (absent) PSUs contribute (0 - mean)^2 each
    pad = (n_psu - nsubset) * np.where(selfrep | ~ok, 0.0, scale)
    pad = np.where(centre, pad, 0.0)
    if np.any(pad > 0):
        v = v + (means * pad[:, None]).T @ means
    nok = int(ok.sum())
    if nok == 0:
        return np.full((p, p), np.nan)
    return np.asarray(v * nstrat / nok, dtype=np.float64)


def _split_formula(spec: str | Sequence[str] | None) -> list[str]:
    if spec is None:
        return []
    if isinstance(spec, str):
        s = spec.strip().lstrip("~").strip()
        if s in ("", "0", "1"):
            return []
        return [t.strip() for t in s.split("+") if t.strip()]
    return [str(t) for t in spec]


def design_from_arrays(
    *,
    weights: npt.ArrayLike | None = None,
    strata: npt.ArrayLike | Sequence[npt.ArrayLike] | None = None,
    clusters: npt.ArrayLike | Sequence[npt.ArrayLike] | None = None,
    fpc: npt.ArrayLike | Sequence[npt.ArrayLike] | None = None,
    nest: bool = False,
    lonely_psu: str = "fail",
    n: int | None = None,
) -> SurveyDesign:
    """Build a design like R's ``svydesign(ids=, strata=, weights=, fpc=, nest=)``.

    ``clusters``, ``strata`` and ``fpc`` accept one array (one stage) or a list of arrays
    (one per stage). ``fpc`` holds population sizes (all > 1) or sampling fractions (all <= 1).
    Weights default to ``N/n`` per stage when ``fpc`` is given, else 1.
    """
    if lonely_psu not in LONELY_PSU_OPTIONS:
        raise StatsError(f"option lonely_psu inconnue : {lonely_psu!r} (attendu : {', '.join(LONELY_PSU_OPTIONS)})")

    def as_list(a: npt.ArrayLike | Sequence[npt.ArrayLike] | None) -> list[npt.NDArray[np.generic]]:
        if a is None:
            return []
        if isinstance(a, (list, tuple)) and len(a) > 0 and np.ndim(a[0]) == 1:
            return [np.asarray(v) for v in a]
        return [np.asarray(a)]

    id_cols = as_list(clusters)
    st_cols = as_list(strata)
    fpc_cols = as_list(fpc)
    if n is None:
        for cols in (id_cols, st_cols, fpc_cols):
            if cols:
                n = int(cols[0].shape[0])
                break
        if n is None and weights is not None:
            n = int(np.asarray(weights).shape[0])
    if n is None or n == 0:
        raise StatsError("plan de sondage vide : aucune ligne")
    for cols, what in ((id_cols, "grappes"), (st_cols, "strates"), (fpc_cols, "fpc")):
        for c in cols:
            if c.shape[0] != n:
                raise StatsError(f"colonne de {what} de longueur {c.shape[0]} au lieu de {n}")
            if c.dtype.kind == "f" and np.isnan(c).any():
                raise StatsError(f"valeurs manquantes dans les {what} du plan")
            if c.dtype.kind == "O" and any(v is None or (isinstance(v, float) and np.isnan(v)) for v in c):
                raise StatsError(f"valeurs manquantes dans les {what} du plan")
    has_strata = bool(st_cols)
    if not id_cols:
        id_cols = [np.arange(n)]
    nstage = len(id_cols)
    ids = [codes_of(c) for c in id_cols]
    if len(np.unique(ids[0])) == 1 and not (nest and has_strata):
        raise StatsError("le plan n'a qu'une seule unité primaire (PSU)")
    for i in range(1, nstage):
        ids[i] = codes_of(ids[i - 1] * (int(ids[i].max()) + 1) + ids[i])
    strata_codes = [codes_of(c) for c in st_cols] if has_strata else [np.zeros(n, dtype=np.int64)]
    if nest and has_strata:
        ns = len(strata_codes)
        for i in range(nstage):
            s = strata_codes[min(i, ns - 1)]
            ids[i] = codes_of(s * (int(ids[i].max()) + 1) + ids[i])
    elif has_strata:
        pairs = np.unique(np.stack([ids[0], strata_codes[0]], axis=1), axis=0)
        if np.unique(pairs[:, 0]).size != pairs.shape[0]:
            raise StatsError("grappes non emboîtées dans les strates au premier degré (utiliser nest=True)")
    stage_strata: list[IntArray] = [strata_codes[0]]
    for i in range(1, nstage):
        s = strata_codes[min(i, len(strata_codes) - 1)]
        stage_strata.append(codes_of(s * (int(ids[i - 1].max()) + 1) + ids[i - 1]))
    sampsize: list[FloatArray] = []
    for i in range(nstage):
        key = stage_strata[i] * (int(ids[i].max()) + 1) + ids[i]
        uk = np.unique(key)
        per = np.bincount(uk // (int(ids[i].max()) + 1), minlength=int(stage_strata[i].max()) + 1)
        sampsize.append(per[stage_strata[i]].astype(np.float64))
    popsize: list[FloatArray | None] = [None] * nstage
    if fpc_cols:
        vals = []
        for c in fpc_cols:
            try:
                vals.append(np.asarray(c, dtype=np.float64))
            except (TypeError, ValueError) as exc:
                raise StatsError("fpc non numérique") from exc
        allv = np.concatenate(vals)
        if np.isnan(allv).any():
            raise StatsError("valeurs manquantes dans fpc")
        ispop = bool(np.any(allv > 1))
        if ispop != bool(np.all(allv >= 1)):
            raise StatsError("fpc doit être partout > 1 (tailles de population) ou partout <= 1 (fractions)")
        for i, fv in enumerate(vals[:nstage]):
            pop = fv if ispop else sampsize[i] / fv
            if np.any(pop < sampsize[i]):
                raise StatsError(f"fpc implique un taux de sondage > 100 % à l'étape {i + 1}")
            popsize[i] = pop
    if weights is None:
        if fpc_cols:
            w = np.ones(n)
            for i in range(nstage):
                popi = popsize[i]
                if popi is not None:
                    w = w * popi / sampsize[i]
        else:
            w = np.ones(n)
    else:
        w = validate_weights(weights, n)
    stages = []
    for i in range(nstage):
        stages.append(Stage(stage_strata[i], ids[i], sampsize[i], popsize[i]))
    # a stage without fpc after one with fpc is treated as sampled with replacement
    if any(p is not None for p in popsize):
        stages = [
            s if s.popsize is not None else Stage(s.strata, s.clusters, s.sampsize, np.full(n, np.inf)) for s in stages
        ]
        if popsize[0] is None:
            stages[0] = Stage(stages[0].strata, stages[0].clusters, stages[0].sampsize, None)
    return SurveyDesign(
        weights=w,
        stages=tuple(stages),
        has_strata=has_strata,
        present=np.ones(n, dtype=bool),
        lonely_psu=lonely_psu,
    )


def validate_weights(weights: npt.ArrayLike, n: int) -> FloatArray:
    try:
        w = np.asarray(weights, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise StatsError("poids non numériques") from exc
    if w.shape[0] != n:
        raise StatsError(f"{w.shape[0]} poids pour {n} lignes")
    if np.isnan(w).any():
        raise StatsError("valeurs manquantes dans les poids")
    if np.any(w <= 0) or not np.all(np.isfinite(w)):
        raise StatsError("poids négatifs, nuls ou infinis : chaque répondant doit avoir un poids > 0")
    return w


def parse_terms(spec: str | Sequence[str] | None) -> list[str]:
    """Variables of an R-like one-sided formula ``"a + b"`` (``"1"`` = none)."""
    return _split_formula(spec)
