"""Replicate-weight designs (R's ``as.svrepdesign`` / ``svrVar``).

Variance from replicates (Lumley 2010, sec. 2.3; Wolter 2007):

    V = scale * sum_r rscale_r (theta_r - theta_bar)^2

with ``theta_bar`` the mean of the replicates (``mse=False``) or the full-sample
estimate (``mse=True``). Replicate weights are multiplicative factors applied to the
sampling weights (``combined.weights = FALSE``).

* JK1 (unstratified jackknife): drop one PSU, others ``n/(n-1)``; ``scale = f (n-1)/n``.
* JKn (stratified jackknife): per stratum ``rscale_h = f_h (n_h-1)/n_h``, ``scale = 1``.
* bootstrap (Rao & Wu rescaling, as R's ``bootweights``): ``scale = m/((m-1)(R-1))`` with
  ``m`` the harmonic mean of PSUs per stratum. Random draws use numpy, not R's RNG.
* BRR (two PSUs per stratum, Sylvester Hadamard matrix): ``scale = 1/R``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from barometre.core.errors import StatsError
from barometre.core.stats.design import BoolArray, FloatArray, IntArray, SurveyDesign, codes_of, group_sum

if TYPE_CHECKING:
    from barometre.core.stats.estimators import Estimate


def qr_rank(x: FloatArray, tol: float = 1e-5) -> int:
    """Rank of ``x`` as R's ``qr(x, tol = 1e-5)$rank``: a port of LINPACK ``dqrdc2`` (Householder
    QR with limited column pivoting). A column whose norm, after the reflections of the columns
    kept before it, falls below ``tol`` times its original norm is moved to the end and not
    counted; norms are downdated as ``dqrdc2`` does (recomputed when the downdate loses accuracy)."""
    a = np.array(x, dtype=np.float64, copy=True)
    n, p = a.shape
    qraux = np.sqrt((a * a).sum(axis=0))
    work1 = qraux.copy()
    work2 = np.where(qraux == 0.0, 1.0, qraux)
    k = p + 1  # 1-based, as in the Fortran
    for l0 in range(min(n, p)):
        l1 = l0 + 1
        while not (l1 >= k or qraux[l0] >= work2[l0] * tol):
            for arr in (qraux, work1, work2):
                arr[l0:] = np.roll(arr[l0:], -1)
            a[:, l0:] = np.roll(a[:, l0:], -1, axis=1)
            k -= 1
        if l1 == n:
            continue
        col = a[l0:, l0]
        nrmxl = float(np.sqrt(col @ col))
        if nrmxl == 0.0:
            continue
        if col[0] != 0.0:
            nrmxl = abs(nrmxl) if col[0] > 0 else -abs(nrmxl)
        col = col / nrmxl
        col[0] += 1.0
        a[l0:, l0] = col
        if l1 < p:
            rest = a[l0:, l0 + 1 :]
            t = -(col @ rest) / col[0]
            rest += np.outer(col, t)
            qj = qraux[l0 + 1 :]
            nz = qj != 0.0
            with np.errstate(divide="ignore", invalid="ignore"):
                tt = np.maximum(1.0 - (np.abs(rest[0]) / np.where(nz, qj, 1.0)) ** 2, 0.0)
            small = nz & (np.abs(tt) < 1e-6)
            down = nz & ~small
            qj[down] = qj[down] * np.sqrt(tt[down])
            if small.any():
                idx = np.flatnonzero(small)
                sub = rest[1:, idx]
                qj[idx] = np.sqrt((sub * sub).sum(axis=0))
                work1[l0 + 1 + idx] = qj[idx]
        qraux[l0] = col[0]
        a[l0, l0] = -nrmxl
    return int(min(k - 1, n))


@dataclass(frozen=True)
class ReplicateDesign:
    """Replicate-weight design: sampling weights and multiplicative replicate factors."""

    weights: FloatArray  # pweights (0 outside a subset)
    repweights: FloatArray  # (n, R) factors
    scale: float
    rscales: FloatArray
    mse: bool = False
    type: str = "JK1"
    degf_value: int | None = None
    present: BoolArray | None = None
    #: False when a weight adjustment stopped at its iteration limit
    converged: bool = True

    @property
    def n(self) -> int:
        return int(self.weights.shape[0])

    def _present(self) -> BoolArray:
        return np.ones(self.n, dtype=bool) if self.present is None else self.present

    def subset(self, mask: BoolArray) -> ReplicateDesign:
        keep = self._present() & np.asarray(mask, dtype=bool)
        return replace(self, weights=np.where(keep, self.weights, 0.0), present=keep, degf_value=None)

    def nrow(self) -> int:
        return int(self._present().sum())

    def degf(self) -> int:
        if self.degf_value is not None:
            return self.degf_value
        keep = self._present()
        a = self.repweights[keep] * self.weights[keep][:, None]
        if a.size == 0:
            return 0
        return qr_rank(a) - 1

    def analysis_weights(self) -> FloatArray:
        return np.asarray(self.repweights * self.weights[:, None], dtype=np.float64)

    def svrvar(self, thetas: FloatArray, coef: FloatArray) -> FloatArray:
        """R's ``svrVar``: ``thetas`` is (R, p). Replicates with a NaN result (e.g. a domain
        whose only rows a replicate drops) are discarded, with their ``rscales``, as R's
        ``na.omit`` does."""
        rscales = self.rscales
        ok = ~np.isnan(thetas).any(axis=1)
        if not ok.all():
            if not ok.any():
                return np.full((thetas.shape[1], thetas.shape[1]), np.nan)
            thetas, rscales = thetas[ok], rscales[ok]
        if self.mse:
            centre = coef
        else:
            centre = thetas[rscales > 0].mean(axis=0)
        d = (thetas - centre) * np.sqrt(rscales)[:, None]
        return np.asarray(d.T @ d * self.scale, dtype=np.float64)

    def replicate_estimate(self, x: FloatArray, statistic: str) -> Estimate:
        from barometre.core.stats.estimators import Estimate

        pw = self.weights
        aw = self.analysis_weights()
        if statistic == "mean":
            tot = pw.sum()
            if tot <= 0:
                # no row left (a domain whose values are all missing): R gives NaN with SE 0
                nan = np.full(x.shape[1], np.nan)
                return Estimate(nan, np.zeros((x.shape[1], x.shape[1])))
            coef = (x * pw[:, None]).sum(axis=0) / tot
            with np.errstate(divide="ignore", invalid="ignore"):
                thetas = (aw.T @ x) / aw.sum(axis=0)[:, None]
        else:
            coef = (x * pw[:, None]).sum(axis=0)
            thetas = aw.T @ x
        return Estimate(coef, self.svrvar(thetas, coef))

    def replicate_ratio(self, num: FloatArray, den: FloatArray) -> Estimate:
        from barometre.core.stats.estimators import Estimate

        pw = self.weights
        aw = self.analysis_weights()
        coef = np.array([(num * pw).sum() / (den * pw).sum()])
        with np.errstate(divide="ignore", invalid="ignore"):
            thetas = ((aw.T @ num) / (aw.T @ den))[:, None]
        return Estimate(coef, self.svrvar(thetas, coef))

    def with_weights(self, weights: FloatArray, repweights: FloatArray) -> ReplicateDesign:
        return replace(self, weights=weights, repweights=repweights, degf_value=None)


def as_svrepdesign(
    design: SurveyDesign, type: str = "auto", *, replicates: int = 50, seed: int = 0, mse: bool = False
) -> ReplicateDesign:
    """Convert a linearisation design to replicate weights (R's ``as.svrepdesign``).

    ``type`` is ``JK1``, ``JKn``, ``bootstrap`` or ``BRR`` (``auto``: JKn if stratified, else JK1).
    Only the first stage is used; the first-stage fpc is kept for JK1/JKn/bootstrap.
    """
    st = design.stages[0]
    if type == "auto":
        type = "JKn" if design.has_strata else "JK1"
    psu = st.clusters
    n = design.n
    pop = st.popsize
    if type == "JK1":
        if design.has_strata:
            raise StatsError("JK1 impossible pour un plan stratifié (utiliser JKn)")
        upsu = codes_of(psu)
        m = int(upsu.max()) + 1
        f = 1.0
        if pop is not None:
            vals = np.unique(pop)
            if vals.size > 1:
                raise StatsError("plusieurs valeurs de fpc pour JK1")
            f = float((vals[0] - m) / vals[0])
        rep = np.full((n, m), m / (m - 1))
        rep[np.arange(n), upsu] = 0.0
        scale = f * (m - 1) / m
        rscales = np.ones(m)
    elif type == "JKn":
        if not design.has_strata:
            raise StatsError("JKn impossible pour un plan non stratifié (utiliser JK1)")
        # PSUs in order of first appearance, strata in order of first appearance (R's unique)
        _, first_psu = np.unique(psu, return_index=True)
        psu_order = np.sort(first_psu)
        ucodes = psu[psu_order]
        col_of_psu = {int(c): i for i, c in enumerate(ucodes)}
        strata_psu = st.strata[psu_order]
        _, sfirst = np.unique(strata_psu, return_index=True)
        strata_order = strata_psu[np.sort(sfirst)]
        cols: list[FloatArray] = []
        rscales_l: list[float] = []
        for s in strata_order:
            in_s = st.strata == s
            ps = np.unique(psu[in_s])
            nh = ps.size
            fh = 1.0
            if pop is not None:
                ph = float(pop[in_s][0])
                fh = (ph - nh) / ph
            if nh == 1:
                if design.lonely_psu == "fail":
                    raise StatsError(f"strate {int(s) + 1} avec une seule PSU (lonely_psu='fail')")
                continue
            for p in sorted(ps, key=lambda c: col_of_psu[int(c)]):
                c = np.ones(n)
                c[in_s] = nh / (nh - 1)
                c[psu == p] = 0.0
                cols.append(c)
                rscales_l.append(fh * (nh - 1) / nh)
        rep = np.stack(cols, axis=1)
        scale = 1.0
        rscales = np.asarray(rscales_l)
    elif type == "bootstrap":
        rng = np.random.default_rng(seed)
        strata = codes_of(st.strata)
        upsu_codes = codes_of(psu)
        npsu_tot = int(upsu_codes.max()) + 1
        psu_stratum = np.zeros(npsu_tot, dtype=np.int64)
        psu_stratum[upsu_codes] = strata
        w_psu = np.zeros((npsu_tot, replicates))
        counts = []
        for s in np.unique(psu_stratum):
            idx = np.flatnonzero(psu_stratum == s)
            nh = idx.size
            counts.append(nh)
            if nh < 2:
                raise StatsError("bootstrap : une strate n'a qu'une PSU")
            fh = 0.0
            if pop is not None:
                fh = nh / float(pop[strata == s][0])
            for r in range(replicates):
                draw = rng.integers(0, nh, size=nh - 1)
                k = np.bincount(draw, minlength=nh).astype(np.float64)
                # Rao-Wu rescaled bootstrap with finite population correction
                lam = np.sqrt(1.0 - fh)
                w_psu[idx, r] = 1.0 - lam + lam * k * nh / (nh - 1)
        rep = w_psu[upsu_codes]
        hm = 1.0 / np.mean(1.0 / np.asarray(counts, dtype=np.float64))
        scale = float(hm / ((hm - 1) * (replicates - 1)))
        rscales = np.ones(replicates)
    elif type == "BRR":
        strata = codes_of(st.strata)
        upsu_codes = codes_of(psu)
        npsu_tot = int(upsu_codes.max()) + 1
        psu_stratum = np.zeros(npsu_tot, dtype=np.int64)
        psu_stratum[upsu_codes] = strata
        nstrat = int(strata.max()) + 1
        if np.any(np.bincount(psu_stratum, minlength=nstrat) != 2):
            raise StatsError("BRR : chaque strate doit avoir exactement deux PSU")
        size = 1
        while size < nstrat + 1:
            size *= 2
        h = np.array([[1.0]])
        while h.shape[0] < size:
            h = np.block([[h, h], [h, -h]])
        nrep = size
        w_psu = np.zeros((npsu_tot, nrep))
        for s in range(nstrat):
            a, b = np.flatnonzero(psu_stratum == s)
            sign = h[s + 1, :]
            w_psu[a] = np.where(sign > 0, 2.0, 0.0)
            w_psu[b] = np.where(sign > 0, 0.0, 2.0)
        rep = w_psu[upsu_codes]
        scale = 1.0 / nrep
        rscales = np.ones(nrep)
    else:
        raise StatsError(f"type de réplication inconnu : {type!r} (JK1, JKn, bootstrap, BRR)")
    rd = ReplicateDesign(
        weights=design.weights.copy(),
        repweights=np.asarray(rep, dtype=np.float64),
        scale=float(scale),
        rscales=np.asarray(rscales, dtype=np.float64),
        mse=mse,
        type=type,
    )
    return replace(rd, degf_value=rd.degf())


def poststratify_replicates(design: ReplicateDesign, groups: IntArray, population: FloatArray) -> ReplicateDesign:
    """R's ``postStratify.svyrep.design``: each replicate is post-stratified on its own."""
    g = population.shape[0]
    pw = design.weights
    sample = np.bincount(groups, weights=pw, minlength=g)
    if np.any(sample[population > 0] == 0):
        raise StatsError("post-strates de la population absentes de l'échantillon")
    reweight = np.where(sample > 0, population / np.where(sample > 0, sample, 1.0), 1.0)
    rep_freq = group_sum(groups, design.repweights * pw[:, None], g)
    repreweight = population[:, None] / np.where(rep_freq == 0, 1.0, rep_freq)
    new_pw = pw * reweight[groups]
    new_rep = design.repweights * (repreweight / reweight[:, None])[groups]
    return design.with_weights(new_pw, new_rep)
