"""The Fay–Herriot area-level model: fit (REML, ML, FH moments), EBLUP, MSE — R ``sae`` 1.3 exactly.

Model (Fay and Herriot 1979, JASA 74(366), §2; Rao and Molina 2015, *Small Area Estimation*,
2nd ed., §4.2 and ch. 6 — cited below as RM, by section)::

    ŷ_d = θ_d + e_d,   e_d ~ N(0, ψ_d)  (sampling error, ψ_d known: the direct estimate's variance)
    θ_d = x_dᵀβ + u_d, u_d ~ N(0, A)    (area effect; A = σ²ᵤ, the between-area variance)

so ŷ_d ~ N(x_dᵀβ, A + ψ_d) independently, V = diag(A + ψ_d).

Everything below follows the code of ``sae::eblupFH`` and ``sae::mseFH`` (Molina and Marhuenda
2015, R Journal 7(1)) line for line, including its conventions, so that the numbers are R's:

* starting value A₀ = median(ψ); Fisher scoring ``A ← A + s(A)/F(A)`` until
  ``|A_{k+1} − A_k| / |A_k| ≤ PRECISION`` or ``MAXITER`` steps; iterates may go negative, the
  *final* value is truncated at 0 (``max(A, 0)``);
* REML (RM §6.1.2, Fisher scoring on the restricted likelihood): ``s = −½ tr(P) + ½ yᵀP²y``, ``F = ½ tr(P²)`` with
  ``P = V⁻¹ − V⁻¹X(XᵀV⁻¹X)⁻¹XᵀV⁻¹``;
* ML (RM §6.1.2, Fisher scoring on the likelihood): ``s = −½ Σ 1/(A+ψ_d) + ½ yᵀP²y``, ``F = ½ Σ 1/(A+ψ_d)²``;
* FH moments (Fay and Herriot 1979, §3, the weighted residual sum of squares equated to m − p; RM §6.1.2):
  ``s = Σ (y_d − x_dᵀβ̃(A))²/(A+ψ_d) − (m − p)``, ``F = Σ 1/(A+ψ_d)``;
* β̂ = (XᵀV̂⁻¹X)⁻¹XᵀV̂⁻¹y (weighted least squares, RM §6.1.1), SE = √diag((XᵀV̂⁻¹X)⁻¹);
* EBLUP θ̂_d = x_dᵀβ̂ + γ̂_d (ŷ_d − x_dᵀβ̂), γ̂_d = Â/(Â + ψ_d) (RM §6.1.1); the shrinkage towards
  the synthetic value is B_d = 1 − γ_d = ψ_d/(Â + ψ_d);
* log-likelihood ``−½ Σ [log 2π(Â+ψ_d) + r_d²/(Â+ψ_d)]`` at (β̂, Â) (the *unrestricted* one, also
  for REML, as sae reports it), AIC = −2ℓ + 2(p+1), BIC = −2ℓ + (p+1) log m;
* MSE (``mseFH``): g₁ = ψ_d γ_d, g₂ = B_d² x_dᵀ(XᵀV⁻¹X)⁻¹x_d, g₃ = B_d² V̄(Â)/(Â+ψ_d)
  - REML: Prasad and Rao (1990) estimator g₁ + g₂ + 2g₃ with V̄ = 2/Σ(A+ψ_d)⁻² (RM §6.2.1);
  - ML: Datta and Lahiri (2000) g₁ + g₂ + 2g₃ − b B_d², b = −tr[(XᵀV⁻¹X)⁻¹ XᵀV⁻²X] / Σ(A+ψ_d)⁻²
    (the bias of Â_ML; RM §6.2.1);
  - FH: Datta, Rao and Smith (2005) g₁ + g₂ + 2g₃ − b B_d², V̄ = 2m/(Σ(A+ψ_d)⁻¹)²,
    b = 2[m Σ(A+ψ_d)⁻² − (Σ(A+ψ_d)⁻¹)²]/(Σ(A+ψ_d)⁻¹)³ (RM §6.2.1).

For an area outside the sample (no direct estimate) the model gives the synthetic estimate
x_dᵀβ̂ (RM §6.1.1, areas without a sample) with MSE Â + xᵀ(XᵀV⁻¹X)⁻¹x − b: the limit of the
formula above as ψ_d → ∞ (γ_d → 0, B_d → 1, g₃ → 0). When that bias-corrected value would fall
below g₂ (possible for FH with Â ≈ 0) it is floored at g₂ = xᵀ(XᵀV⁻¹X)⁻¹x, which the estimator
can never be below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from barometre.core.errors import StatsError

FloatArray = npt.NDArray[np.float64]
Method = Literal["REML", "ML", "FH"]
METHODS: tuple[Method, ...] = ("REML", "ML", "FH")

#: R sae's defaults are MAXITER = 100, PRECISION = 1e-4; the reference cases use 1000 and 1e-13.
DEFAULT_MAXITER = 1000
DEFAULT_PRECISION = 1e-13


@dataclass(frozen=True)
class FHFit:
    """A fitted Fay–Herriot model (the fields of ``eblupFH`` and ``mseFH``)."""

    method: Method
    #: Â = σ̂²ᵤ after truncation at 0; ``refvar_raw`` is the last Fisher-scoring iterate.
    refvar: float
    refvar_raw: float
    beta: FloatArray
    beta_se: FloatArray
    #: (XᵀV̂⁻¹X)⁻¹
    beta_cov: FloatArray
    direct: FloatArray
    vardir: FloatArray
    x: FloatArray
    #: x_dᵀβ̂ (the synthetic estimate of each area)
    synthetic: FloatArray
    eblup: FloatArray
    #: γ̂_d = Â/(Â+ψ_d): weight of the direct estimate in the EBLUP (0: fully synthetic)
    gamma: FloatArray
    g1: FloatArray
    g2: FloatArray
    g3: FloatArray
    #: bias of Â used by the Datta–Lahiri correction (0 for REML)
    refvar_bias: float
    #: asymptotic variance of Â used in g₃
    refvar_var: float
    mse: FloatArray
    loglike: float
    aic: float
    bic: float
    iterations: int
    converged: bool
    #: True when sae's scoring did not converge and projected scoring (A ≥ 0) was used (see fit_fh)
    projected: bool = False

    @property
    def m(self) -> int:
        return int(self.direct.shape[0])

    @property
    def p(self) -> int:
        return int(self.x.shape[1])

    @property
    def shrinkage(self) -> FloatArray:
        """B̂_d = ψ_d/(Â+ψ_d): how far the EBLUP moves from the direct estimate to the synthetic one."""
        return np.asarray(1.0 - self.gamma, dtype=np.float64)

    @property
    def residuals(self) -> FloatArray:
        """ŷ_d − x_dᵀβ̂."""
        return np.asarray(self.direct - self.synthetic, dtype=np.float64)

    @property
    def standardised_residuals(self) -> FloatArray:
        """(ŷ_d − x_dᵀβ̂)/√(Â+ψ_d): ≈ N(0, 1) under the model (RM §6.4, model diagnostics)."""
        return np.asarray(self.residuals / np.sqrt(self.refvar + self.vardir), dtype=np.float64)

    def predict_synthetic(self, x_new: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Synthetic estimates x'β̂ and their MSE for areas without a direct estimate (module doc)."""
        xn = np.atleast_2d(np.asarray(x_new, dtype=np.float64))
        if xn.shape[1] != self.p:
            raise StatsError(f"{xn.shape[1]} covariables fournies, le modèle en a {self.p}")
        est = xn @ self.beta
        g2 = np.einsum("ij,jk,ik->i", xn, self.beta_cov, xn)
        mse = np.maximum(self.refvar + g2 - self.refvar_bias, g2)
        return np.asarray(est, dtype=np.float64), np.asarray(mse, dtype=np.float64)


def _scoring_step(method: Method, a: float, y: FloatArray, x: FloatArray, psi: FloatArray) -> tuple[float, float]:
    """Score s(A) and expected information F(A) of ``method`` (module doc)."""
    m, p = x.shape
    vi = 1.0 / (a + psi)
    xtvi = (vi[:, None] * x).T
    q = np.linalg.inv(xtvi @ x)
    if method == "FH":
        beta = q @ (xtvi @ y)
        res = y - x @ beta
        return float(np.sum(res**2 * vi) - (m - p)), float(np.sum(vi))
    # P = V⁻¹ − W'QW with W = X'V⁻¹ (p × m), Q = (X'V⁻¹X)⁻¹: P y, tr P and ‖P‖² (P is symmetric) from
    # p × p products only, without forming the m × m matrix
    py = vi * y - xtvi.T @ (q @ (xtvi @ y))
    if method == "REML":
        wwt = xtvi @ xtvi.T
        wvwt = (xtvi * vi) @ xtvi.T
        qw = q @ wwt
        trace = float(np.sum(vi) - np.trace(qw))
        norm2 = float(np.sum(vi**2) - 2.0 * np.trace(q @ wvwt) + np.sum(qw * qw.T))
        return -0.5 * trace + 0.5 * float(py @ py), 0.5 * norm2
    return float(-0.5 * np.sum(vi) + 0.5 * (py @ py)), float(0.5 * np.sum(vi**2))


def _fisher_scoring(
    method: Method, y: FloatArray, x: FloatArray, psi: FloatArray, maxiter: int, precision: float
) -> tuple[float, int, bool]:
    """sae's loop: start at median(ψ), ``A ← A + s/F`` until the relative change is ≤ ``precision``.

    The step is a function of A alone, so an iterate seen before means the iteration is periodic
    from there: it has gone round the cycle once without meeting the criterion and never will.
    The loop then stops with sae's outcome (no convergence after ``maxiter`` steps, at the iterate
    sae would end on) without running the remaining steps."""
    a = float(np.median(psi))
    k = 0
    diff = precision + 1.0
    seen: dict[float, int] = {a: 0}
    while diff > precision and k < maxiter:
        k += 1
        try:
            with np.errstate(all="ignore"):  # a diverging iterate: reported as no convergence
                s, f = _scoring_step(method, a, y, x, psi)
        except np.linalg.LinAlgError:
            return a, k, False
        if not (math.isfinite(s) and math.isfinite(f)) or f == 0:
            return a, k, False
        new = a + s / f
        # R: abs((new - old)/old); an exact 0 iterate would make R stop on NaN/Inf
        diff = abs((new - a) / a) if a != 0 else (0.0 if new == a else math.inf)
        a = new
        if not math.isfinite(a):
            return a, k, False
        start = seen.get(a)
        if start is not None and diff > precision:
            cycle = [x for x, i in sorted(seen.items(), key=lambda e: e[1]) if i >= start]
            return cycle[(maxiter - start) % len(cycle)], maxiter, False
        seen[a] = k
    return a, k, not (k >= maxiter and diff >= precision)


def _projected_scoring(
    method: Method, y: FloatArray, x: FloatArray, psi: FloatArray, maxiter: int, precision: float
) -> tuple[float, int, bool]:
    """Fisher scoring with every iterate truncated at 0; converged when the step is below
    ``precision`` relative to A (or A stays at 0 with a score pointing below 0)."""
    a = float(np.median(psi))
    for k in range(1, maxiter + 1):
        s, f = _scoring_step(method, a, y, x, psi)
        new = max(a + s / f, 0.0)
        if new == 0.0 and a == 0.0:
            return 0.0, k, True
        if abs(new - a) <= precision * max(abs(a), abs(new)):
            return new, k, True
        a = new
    return a, maxiter, False


def fit_fh(
    direct: FloatArray,
    vardir: FloatArray,
    x: FloatArray,
    *,
    method: Method = "REML",
    maxiter: int = DEFAULT_MAXITER,
    precision: float = DEFAULT_PRECISION,
    fallback: bool = False,
) -> FHFit:
    """Fit the Fay–Herriot model and compute the EBLUP and its MSE (``eblupFH`` + ``mseFH``).

    ``x`` is the design matrix (include the intercept column yourself). Raises ``StatsError`` on
    inconsistent shapes, missing values, non-positive variances, a singular XᵀV⁻¹X or no convergence.

    sae's scoring lets iterates go negative; when the true Â is 0 and some ψ_d are small, A + ψ_d
    can turn negative and the iteration oscillates without converging (sae then reports
    ``convergence = FALSE`` and no estimate). With ``fallback=True`` the fit is then redone by
    *projected* Fisher scoring, each iterate truncated at 0 (the maximiser of the (restricted)
    likelihood, or the root of the moment equation, on A ≥ 0; Rao–Molina §6.1.2 note that the
    estimator is truncated at 0 anyway); ``FHFit.projected`` says so. Cases sae solves are
    never touched.
    """
    if method not in METHODS:
        raise StatsError(f"méthode {method!r} inconnue (REML, ML ou FH)")
    y = np.asarray(direct, dtype=np.float64).reshape(-1)
    psi = np.asarray(vardir, dtype=np.float64).reshape(-1)
    xm = np.asarray(x, dtype=np.float64)
    if xm.ndim != 2 or xm.shape[0] != y.shape[0] or psi.shape[0] != y.shape[0]:
        raise StatsError("direct, vardir et la matrice des covariables n'ont pas le même nombre d'aires")
    m, p = xm.shape
    if m <= p:
        raise StatsError(f"{m} aires pour {p} coefficients : il faut plus d'aires que de coefficients")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(psi)) and np.all(np.isfinite(xm))):
        raise StatsError("valeur manquante ou infinie dans direct, vardir ou les covariables")
    if np.any(psi <= 0):
        raise StatsError("variance d'échantillonnage (vardir) nulle ou négative")
    if np.linalg.matrix_rank(xm) < p:
        raise StatsError("covariables colinéaires : la matrice du modèle n'est pas de plein rang")

    a, k, converged = _fisher_scoring(method, y, xm, psi, maxiter, precision)
    projected = False
    if not converged and fallback:
        a, k, converged = _projected_scoring(method, y, xm, psi, maxiter, precision)
        projected = True
    if not converged:
        raise StatsError(f"l'ajustement Fay–Herriot ({method}) ne converge pas en {maxiter} itérations")
    a_raw = a
    a = max(a, 0.0)

    vi = 1.0 / (a + psi)
    xtvi = (vi[:, None] * xm).T
    q = np.linalg.inv(xtvi @ xm)
    beta = q @ (xtvi @ y)
    beta_se = np.sqrt(np.diag(q))
    xb = xm @ beta
    resid = y - xb
    loglike = float(-0.5 * np.sum(np.log(2 * math.pi * (a + psi)) + resid**2 / (a + psi)))
    aic = -2 * loglike + 2 * (p + 1)
    bic = -2 * loglike + (p + 1) * math.log(m)
    gamma = a * vi
    eblup = xb + gamma * resid

    # mseFH
    bd = psi / (a + psi)
    sum_vi2 = float(np.sum(vi**2))
    g1 = psi * (1 - bd)
    g2 = bd**2 * np.einsum("ij,jk,ik->i", xm, q, xm)
    if method == "FH":
        sum_vi = float(np.sum(vi))
        var_a = 2 * m / sum_vi**2
        bias = 2 * (m * sum_vi2 - sum_vi**2) / sum_vi**3
    else:
        var_a = 2 / sum_vi2
        bias = 0.0 if method == "REML" else -float(np.trace(q @ ((vi**2)[:, None] * xm).T @ xm)) / sum_vi2
    g3 = bd**2 * var_a / (a + psi)
    mse = g1 + g2 + 2 * g3 - bias * bd**2

    def f64(v: object) -> FloatArray:
        return np.asarray(v, dtype=np.float64)

    return FHFit(
        method=method,
        refvar=a,
        refvar_raw=a_raw,
        beta=f64(beta),
        beta_se=f64(beta_se),
        beta_cov=f64(q),
        direct=y,
        vardir=psi,
        x=xm,
        synthetic=f64(xb),
        eblup=f64(eblup),
        gamma=f64(gamma),
        g1=f64(g1),
        g2=f64(g2),
        g3=f64(g3),
        refvar_bias=float(bias),
        refvar_var=float(var_a),
        mse=f64(mse),
        loglike=loglike,
        aic=float(aic),
        bic=float(bic),
        iterations=k,
        converged=converged,
        projected=projected,
    )
