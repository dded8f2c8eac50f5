"""Vectorised domain means for the production workload (many 0/1 indicators × many domains).

Same numbers as :func:`barometre.core.stats.estimators.svymean` on each domain subset
(``svyby`` semantics, ``na.rm`` per column), computed without a Python loop per cell.

For a one-stage design whose PSUs are the rows, the linearised variable of the mean of
indicator ``k`` in domain ``d`` is ``u_i = 1{i in d} w_i m_ik (y_ik - mu_dk) / W_dk``.
Post-stratification and raking residualise ``u`` as ``r = u - B C`` with ``B`` the
(n × G) matrix of ``psw``-scaled margin indicators and ``C`` (G × cells) obtained by
back-fitting on G-dimensional summaries only. The stratified variance
``sum_h s_h [sum_i r_i^2 - n_h rbar_h^2]`` expands into group sums by (stratum, domain,
margin category), each one sparse matrix product over the n × k data.
Calibration (``GregCorrection``, linear or raking distance, bounded or not: the correction only
depends on the calibration model matrix ``X``, the final weights and ``g``) residualises ``u`` as
``r = u - V c`` with ``V = (g sqrt w0) X sqrt w0`` (n × p) and ``c = (B'B)^-1 B'(u / g sqrt w0)``
(``B = X sqrt w0``): ``B'(u / g sqrt w0)`` and the stratum sums of ``r``, ``r^2`` expand into
sums by (stratum, domain) of the data times the columns of ``V``, one sparse product each.
Other designs (clusters, several stages, several corrections, lonely PSUs) fall back on the
exact engine, one domain at a time; ``DomainMeans.method`` says which path was taken.

Degrees of freedom of each cell (``df``): PSUs minus strata among the domain's rows with a
value and a nonzero weight, as ``degf`` of the domain subset (R's ``svyby`` with ``na.rm``).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.linalg import solve_triangular

from barometre.core.errors import StatsError
from barometre.core.stats.design import (
    FloatArray,
    GregCorrection,
    IntArray,
    PostStratumCorrection,
    RakingCorrection,
    SurveyDesign,
    codes_of,
)
from barometre.core.stats.estimators import qcrit, svymean


@dataclass(frozen=True)
class DomainMeans:
    """Arrays of shape (n_domains, k)."""

    estimate: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    n: IntArray
    #: design degrees of freedom of each cell (PSUs minus strata of the domain's rows with a value)
    df: IntArray
    #: "vectorised" or "per-domain" (the exact engine, one domain at a time)
    method: str = "vectorised"


def _indicator(codes: IntArray, ngroups: int) -> sp.csr_matrix:
    n = codes.shape[0]
    return sp.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(ngroups, n))


def domain_means(design: SurveyDesign, y: FloatArray, domains: IntArray, *, level: float = 0.95) -> DomainMeans:
    """Mean, SE, normal CI and unweighted count of every column of ``y`` in every domain.

    ``domains`` holds codes 0..D-1 (negative = outside every domain). NaN in ``y`` is
    removed per column (R's ``na.rm=TRUE``). An empty domain raises ``StatsError``.
    """
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 2 or y.shape[0] != design.n:
        raise StatsError("domain_means : Y doit être une matrice (n, k) alignée sur le plan")
    dom = np.asarray(domains, dtype=np.int64)
    if dom.shape[0] != design.n:
        raise StatsError("domain_means : un code de domaine par ligne")
    ndom = int(dom.max()) + 1
    mvals = ~np.isnan(y)
    yz = np.where(mvals, y, 0.0)
    mf = mvals.astype(np.float64)
    inside = dom >= 0
    dcode = np.where(inside, dom, 0)
    w = np.where(inside & design.present, design.weights, 0.0)
    zd = _indicator(dcode, ndom)
    counts = np.asarray(zd @ (mf * (w != 0)[:, None]), dtype=np.float64)
    wsum = np.asarray(zd @ (mf * w[:, None]))
    if np.any(wsum.sum(axis=1) == 0):
        raise StatsError(f"domaine vide : {int(np.flatnonzero(wsum.sum(axis=1) == 0)[0])}")
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.asarray(zd @ (yz * w[:, None])) / wsum
    rows_are_psus = (
        len(design.stages) == 1 and bool(design.present.all()) and np.unique(design.stages[0].clusters).size == design.n
    )
    corr = design.corrections
    method = "vectorised"
    var: FloatArray | None = None
    if rows_are_psus and len(corr) <= 1 and all(isinstance(c, (RakingCorrection, PostStratumCorrection)) for c in corr):
        var = _variance_rows(design, yz, mf, w, dcode, ndom, mu, wsum)
    elif rows_are_psus and len(corr) == 1 and isinstance(corr[0], GregCorrection) and bool(np.all(corr[0].w != 0)):
        var = _variance_greg(design, corr[0], yz, mf, w, dcode, ndom, mu, wsum)
    if var is None:
        method = "per-domain"
        var = _fallback(design, yz, mf, dom, ndom)
    se = np.sqrt(np.maximum(var, 0.0))
    q = qcrit(level, None)
    df = _domain_df(design, mf, w, dom, ndom, counts, rows_are_psus)
    return DomainMeans(mu, se, mu - q * se, mu + q * se, counts.astype(np.int64), df, method)


def _domain_df(
    design: SurveyDesign,
    mf: FloatArray,
    w: FloatArray,
    dom: IntArray,
    ndom: int,
    counts: FloatArray,
    rows_are_psus: bool,
) -> IntArray:
    """PSUs minus strata (first stage) among the rows of each domain with a value and a nonzero weight."""
    st = design.stages[0]
    inside = dom >= 0
    used = mf * ((w != 0) & inside)[:, None]
    hcode = codes_of(st.strata)
    nh_ = int(hcode.max()) + 1
    dcode = np.where(inside, dom, 0)
    per_hd = np.asarray(_indicator(hcode * ndom + dcode, nh_ * ndom) @ used).reshape(nh_, ndom, -1)
    nstrata = (per_hd > 0).sum(axis=0)
    if rows_are_psus:
        npsu = counts
    else:
        psu = codes_of(hcode * (int(st.clusters.max()) + 1) + st.clusters)
        npsu_ = int(psu.max()) + 1
        per_pd = np.asarray(_indicator(psu * ndom + dcode, npsu_ * ndom) @ used).reshape(npsu_, ndom, -1)
        npsu = (per_pd > 0).sum(axis=0)
    return np.asarray(npsu - nstrata, dtype=np.int64)


def _stratum_constants(design: SurveyDesign) -> tuple[IntArray, int, FloatArray, FloatArray, FloatArray, float] | None:
    """Per stratum of a design whose PSUs are the rows (all present): codes, count, sizes ``n_h``,
    the weight of ``sum r^2`` and of ``-(sum r)^2 / n_h`` in the variance, and the overall factor,
    following ``_onestage``: ``f n_h/(n_h - 1)`` and centred; 0 for a self-representing stratum;
    a lonely stratum (one PSU) by the ``lonely_psu`` option: ``adjust`` ``f`` uncentred,
    ``remove``/``certainty`` 0, ``average`` left out and the rest scaled by strata/usable strata;
    ``fail``: None (the exact path raises R's error)."""
    st = design.stages[0]
    hcode = codes_of(st.strata)
    nh_ = int(hcode.max()) + 1
    _, sfirst = np.unique(hcode, return_index=True)
    n_h = st.sampsize[sfirst]
    if st.popsize is None:
        f = np.ones(nh_)
    else:
        pop = st.popsize[sfirst]
        f = np.where(np.isinf(pop), 1.0, (pop - n_h) / np.where(np.isinf(pop), 1.0, pop))
    selfrep = f < 1e-7
    lonely = (n_h < 2) & ~selfrep
    scale = np.where(selfrep, 0.0, f * n_h / np.where(n_h > 1, n_h - 1, 1.0))
    centre = np.ones(nh_)
    factor = 1.0
    if lonely.any():
        option = design.lonely_psu
        if option == "adjust":
            centre = np.where(lonely, 0.0, 1.0)
        elif option in ("remove", "certainty"):
            scale = np.where(lonely, 0.0, scale)
        elif option == "average":
            scale = np.where(lonely, 0.0, scale)
            usable = int((~lonely).sum())
            if usable == 0:
                return None
            factor = nh_ / usable
        else:
            return None
    return hcode, nh_, n_h, scale, centre, factor


#: per calibrated design: what ``_variance_greg`` derives from the design alone (triangular factor
#: of the calibration basis, stratum sums of ``V`` and ``V'V``), computed once for the many calls
#: of an edition (every indicator, breakdown and small-area level); keyed by ``id`` of a live design
_GregConstants = tuple[FloatArray, FloatArray, FloatArray, list[FloatArray]]
_GREG_CONSTANTS: dict[int, tuple[weakref.ref[SurveyDesign], _GregConstants]] = {}


def _greg_constants(design: SurveyDesign, corr: GregCorrection, hcode: IntArray, nh_: int) -> _GregConstants:
    key = id(design)
    hit = _GREG_CONSTANTS.get(key)
    if hit is not None and hit[0]() is design:
        return hit[1]
    basis = corr.basis
    rfac: FloatArray = np.asarray(np.linalg.qr(basis, mode="r"), dtype=np.float64)
    vmat: FloatArray = basis * corr.w[:, None]
    vsum: FloatArray = np.asarray(_indicator(hcode, nh_) @ vmat, dtype=np.float64)  # (H, p)
    vtv: list[FloatArray] = []
    for h in range(nh_):
        vh = vmat[hcode == h]
        vtv.append(vh.T @ vh)
    value = (rfac, vmat, vsum, vtv)

    def forget(_ref: weakref.ref[SurveyDesign]) -> None:
        _GREG_CONSTANTS.pop(key, None)

    _GREG_CONSTANTS[key] = (weakref.ref(design, forget), value)
    return value


def _variance_greg(
    design: SurveyDesign,
    corr: GregCorrection,
    yz: FloatArray,
    mf: FloatArray,
    w: FloatArray,
    dcode: IntArray,
    ndom: int,
    mu: FloatArray,
    wsum: FloatArray,
) -> FloatArray | None:
    """Stratified variance of calibrated domain means (see the module doc)."""
    consts = _stratum_constants(design)
    if consts is None:
        return None
    hcode, nh_, n_h, scale, centre, factor = consts
    n, k = yz.shape
    basis = corr.basis
    p = basis.shape[1]
    inv_w = 1.0 / wsum  # (D, k)
    # A: B'(u / gw) = sum_{i in d} A_i m (y - mu) / W ; V: gw * B (the residual's regressors)
    amat = basis * (w / corr.w)[:, None]
    rfac, vmat, vsum, vtv = _greg_constants(design, corr, hcode, nh_)
    rows = np.arange(n)
    # one sparse product for every (column j of A, domain d): rows (j, d), entries A_ij
    ajd = sp.csr_matrix(
        (amat.T.reshape(-1), ((np.arange(p)[:, None] * ndom + dcode[None, :]).reshape(-1), np.tile(rows, p))),
        shape=(p * ndom, n),
    )
    t1 = np.asarray(ajd @ yz).reshape(p, ndom, k)
    t0 = np.asarray(ajd @ mf).reshape(p, ndom, k)
    bty = ((t1 - mu[None] * t0) * inv_w[None]).reshape(p, ndom * k)
    # coef = (B'B)^-1 B'y through the triangular factor of B (as accurate as a least-squares fit)
    coef = solve_triangular(rfac, solve_triangular(rfac, bty, trans="T"))  # (p, D*k)
    # u sums per (h, d, k)
    zhd = _indicator(hcode * ndom + dcode, nh_ * ndom)
    wy = yz * w[:, None]
    wm = mf * w[:, None]
    s1 = np.asarray(zhd @ wy).reshape(nh_, ndom, k)
    s0 = np.asarray(zhd @ wm).reshape(nh_, ndom, k)
    w2 = w * w
    q2 = np.asarray(zhd @ (yz * yz * w2[:, None])).reshape(nh_, ndom, k)
    q1 = np.asarray(zhd @ (yz * w2[:, None])).reshape(nh_, ndom, k)
    q0 = np.asarray(zhd @ (mf * w2[:, None])).reshape(nh_, ndom, k)
    sum_u = (s1 - mu[None] * s0) * inv_w[None]
    sum_u2 = (q2 - 2 * mu[None] * q1 + mu[None] ** 2 * q0) * inv_w[None] ** 2
    # cross terms sum_{i in h, d} u_i V_i . c: rows (j, h, d), entries V_ij w_i
    vw = vmat * w[:, None]
    key = (np.arange(p)[:, None] * (nh_ * ndom) + (hcode * ndom + dcode)[None, :]).reshape(-1)
    vjhd = sp.csr_matrix((vw.T.reshape(-1), (key, np.tile(rows, p))), shape=(p * nh_ * ndom, n))
    e1 = np.asarray(vjhd @ yz).reshape(p, nh_, ndom, k)
    e0 = np.asarray(vjhd @ mf).reshape(p, nh_, ndom, k)
    ue = ((e1 - mu[None, None] * e0) * inv_w[None, None]).reshape(p, nh_, ndom * k)
    cross = np.einsum("jhc,jc->hc", ue, coef)
    sum_r = sum_u.reshape(nh_, ndom * k) - vsum @ coef
    sum_r2 = sum_u2.reshape(nh_, ndom * k) - 2 * cross
    for h in range(nh_):
        sum_r2[h] += (coef * (vtv[h] @ coef)).sum(axis=0)
    v = (scale[:, None] * (sum_r2 - centre[:, None] * sum_r**2 / n_h[:, None])).sum(axis=0) * factor
    return np.asarray(v.reshape(ndom, k), dtype=np.float64)


def _variance_rows(
    design: SurveyDesign,
    yz: FloatArray,
    mf: FloatArray,
    w: FloatArray,
    dcode: IntArray,
    ndom: int,
    mu: FloatArray,
    wsum: FloatArray,
) -> FloatArray | None:
    st = design.stages[0]
    n, k = yz.shape
    hcode = codes_of(st.strata)
    nh_ = int(hcode.max()) + 1
    _, sfirst = np.unique(hcode, return_index=True)
    n_h = st.sampsize[sfirst]
    if np.any(n_h < 2):
        return None
    if st.popsize is None:
        f = np.ones(nh_)
    else:
        pop = st.popsize[sfirst]
        f = np.where(np.isinf(pop), 1.0, (pop - n_h) / np.where(np.isinf(pop), 1.0, pop))
    scale = f * n_h / (n_h - 1)
    wy = yz * w[:, None]
    wm = mf * w[:, None]
    inv_w = 1.0 / wsum  # (D, k)
    hd = hcode * ndom + dcode
    zhd = _indicator(hd, nh_ * ndom)
    # sum_{i in h,d} u_i and u_i^2 per (h, d, k)
    s1 = np.asarray(zhd @ wy).reshape(nh_, ndom, k)
    s0 = np.asarray(zhd @ wm).reshape(nh_, ndom, k)
    w2 = w * w
    q2 = np.asarray(zhd @ (yz * yz * w2[:, None])).reshape(nh_, ndom, k)
    q1 = np.asarray(zhd @ (yz * w2[:, None])).reshape(nh_, ndom, k)
    q0 = np.asarray(zhd @ (mf * w2[:, None])).reshape(nh_, ndom, k)
    sum_u = (s1 - mu[None] * s0) * inv_w[None]
    sum_u2 = (q2 - 2 * mu[None] * q1 + mu[None] ** 2 * q0) * inv_w[None] ** 2
    if not design.corrections:
        rbar = sum_u / n_h[:, None, None]
        v = (scale[:, None, None] * (sum_u2 - n_h[:, None, None] * rbar**2)).sum(axis=0)
        return np.asarray(v, dtype=np.float64)
    corr = design.corrections[0]
    steps: list[tuple[IntArray, FloatArray, FloatArray]]  # (groups, psw, a = weights of the mean)
    if isinstance(corr, PostStratumCorrection):
        psw = corr.weights.copy()
        psw[(psw == 0) & (corr.oldweights == 0)] = 1.0
        steps = [(corr.groups, psw, corr.oldweights)]
        rounds = 1
    else:
        assert isinstance(corr, RakingCorrection)
        steps = [(m.groups, m.weights, np.ones(n)) for m in corr.margins]
        rounds = 10
    sizes = [int(g.max()) + 1 for g, _, _ in steps]
    offs = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    gtot = int(offs[-1])
    # S_m[g, (d,k)] = sum_{i in g} a_i/psw_i u_i ; K_ml = H_m' diag(a/psw_m * psw_l) H_l ; den_m = sum_g a
    smats = []
    dens = []
    for g, psw, a in steps:
        coef = w * a / psw
        zg = _indicator(g * ndom + dcode, (int(g.max()) + 1) * ndom)
        t1 = np.asarray(zg @ (yz * coef[:, None])).reshape(-1, ndom, k)
        t0 = np.asarray(zg @ (mf * coef[:, None])).reshape(-1, ndom, k)
        smats.append(((t1 - mu[None] * t0) * inv_w[None]).reshape(-1, ndom * k))
        den = np.bincount(g, weights=a, minlength=int(g.max()) + 1)
        dens.append(np.where(den == 0, 1.0, den))
    kmat = np.zeros((gtot, gtot))
    for mi, (gm, pm, am) in enumerate(steps):
        for li, (gl, pl, _) in enumerate(steps):
            blk = np.zeros((sizes[mi], sizes[li]))
            np.add.at(blk, (gm, gl), am / pm * pl)
            kmat[offs[mi] : offs[mi + 1], offs[li] : offs[li + 1]] = blk
    cmat = np.zeros((gtot, ndom * k))
    for _ in range(rounds):
        for mi in range(len(steps)):
            sl = slice(offs[mi], offs[mi + 1])
            resid = smats[mi] - kmat[sl] @ cmat
            cmat[sl] += resid / dens[mi][:, None]
    # B: n × G (psw_m-scaled indicators of each margin)
    bcols = np.concatenate([g + offs[mi] for mi, (g, _, _) in enumerate(steps)])
    brows = np.tile(np.arange(n), len(steps))
    bvals = np.concatenate([psw for _, psw, _ in steps])
    bmat = sp.csr_matrix((bvals, (brows, bcols)), shape=(n, gtot))
    # per stratum: b_h = sum_{i in h} B_i ; Q_h = B_h' B_h ; cross = sum_{i in h,d} u_i B_i
    zh = _indicator(hcode, nh_)
    b_h = np.asarray((zh @ bmat).todense())  # (H, G)
    sum_bc = b_h @ cmat  # (H, D*k)
    sum_bc2 = np.empty((nh_, ndom * k))
    for h in range(nh_):
        bh = bmat[hcode == h]
        qh = np.asarray((bh.T @ bh).todense())
        sum_bc2[h] = (cmat * (qh @ cmat)).sum(axis=0)
    cross = np.zeros((nh_, ndom, k))
    for mi, (g, psw, _) in enumerate(steps):
        key = (hcode * ndom + dcode) * sizes[mi] + g
        zk = _indicator(key, nh_ * ndom * sizes[mi])
        t1g: FloatArray = np.asarray(zk @ (yz * (w * psw)[:, None])).reshape(nh_, ndom, sizes[mi], k)
        t0g: FloatArray = np.asarray(zk @ (mf * (w * psw)[:, None])).reshape(nh_, ndom, sizes[mi], k)
        uu = (t1g - mu[None, :, None, :] * t0g) * inv_w[None, :, None, :]
        cm = cmat[offs[mi] : offs[mi + 1]].reshape(sizes[mi], ndom, k)
        cross += np.einsum("hdgk,gdk->hdk", uu, cm)
    sum_bc = sum_bc.reshape(nh_, ndom, k)
    sum_bc2 = sum_bc2.reshape(nh_, ndom, k)
    tot_r = sum_u - sum_bc
    tot_r2 = sum_u2 - 2 * cross + sum_bc2
    rbar = tot_r / n_h[:, None, None]
    v = (scale[:, None, None] * (tot_r2 - n_h[:, None, None] * rbar**2)).sum(axis=0)
    return np.asarray(v, dtype=np.float64)


def _fallback(design: SurveyDesign, yz: FloatArray, mf: FloatArray, dcode: IntArray, ndom: int) -> FloatArray:
    """Exact engine, one domain at a time; columns grouped by their missing values (``na.rm``
    per column)."""
    out = np.empty((ndom, yz.shape[1]))
    patterns: dict[bytes, list[int]] = {}
    for j in range(yz.shape[1]):
        patterns.setdefault(mf[:, j].tobytes(), []).append(j)
    for cols in patterns.values():
        y = np.where(mf[:, cols] > 0, yz[:, cols], np.nan)
        for d in range(ndom):
            out[d, cols] = np.diag(svymean(design.subset(dcode == d), y, na_rm=True).vcov)
    return out
