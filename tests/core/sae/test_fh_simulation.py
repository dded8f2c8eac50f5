"""Data drawn from a known Fay–Herriot model: the EBLUP beats the direct estimator and its MSE
estimator (Prasad–Rao / Datta–Lahiri) is right on average; synthetic estimates likewise."""

from __future__ import annotations

import numpy as np
import pytest

from barometre.core.sae import fit_fh
from barometre.core.sae.fayherriot import Method

M, HELD_OUT, REPLICATIONS = 60, 12, 300
A_TRUE = 0.004
BETA = np.array([0.3, 0.05, -0.15])


def _simulate(method: Method, seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(M), rng.normal(0, 1, M), rng.uniform(0, 1, M)])
    psi = rng.uniform(0.001, 0.02, M)  # sampling variances from very precise to very imprecise
    sampled = np.arange(M) >= HELD_OUT
    err_eblup, err_direct, mse_est = np.zeros(M), np.zeros(M), np.zeros(M)
    for _ in range(REPLICATIONS):
        theta = x @ BETA + rng.normal(0, np.sqrt(A_TRUE), M)
        y = theta + rng.normal(0, np.sqrt(psi))
        fit = fit_fh(y[sampled], psi[sampled], x[sampled], method=method, precision=1e-10, fallback=True)
        synth, synth_mse = fit.predict_synthetic(x[~sampled])
        pred = np.concatenate([synth, fit.eblup])
        err_eblup += (pred - theta) ** 2
        err_direct += (y - theta) ** 2
        mse_est += np.concatenate([synth_mse, fit.mse])
    err_eblup /= REPLICATIONS
    err_direct /= REPLICATIONS
    mse_est /= REPLICATIONS
    s, h = sampled, ~sampled
    return {
        "emp_eblup": float(err_eblup[s].mean()),
        "emp_direct": float(err_direct[s].mean()),
        "est_eblup": float(mse_est[s].mean()),
        "emp_synth": float(err_eblup[h].mean()),
        "est_synth": float(mse_est[h].mean()),
    }


@pytest.mark.parametrize("method", ["REML", "ML", "FH"])
def test_eblup_beats_direct_and_its_mse_estimator_is_unbiased(method: Method) -> None:
    r = _simulate(method, seed=20250)
    assert r["emp_eblup"] < r["emp_direct"]
    assert abs(r["est_eblup"] / r["emp_eblup"] - 1) < 0.15, r


@pytest.mark.parametrize("method", ["REML", "ML", "FH"])
def test_synthetic_mse_of_areas_without_sample_matches_their_empirical_mse(method: Method) -> None:
    r = _simulate(method, seed=20251)
    assert abs(r["est_synth"] / r["emp_synth"] - 1) < 0.15, r
