"""Evaluate a Fay–Herriot case file (the format of ``tests/reference/sae/README.md``).

A case names a method (REML, ML, FH), the response column, the sampling-variance column, the
covariates (intercept added when ``intercept`` is true) and the data rows. Optional ``maxiter`` and
``precision`` override the defaults the reference cases were computed with (1000, 1e-13).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from barometre.core.errors import StatsError
from barometre.core.sae.fayherriot import DEFAULT_MAXITER, DEFAULT_PRECISION, METHODS, FHFit, fit_fh

#: Keys of ``barometre stats fh`` output, in order.
FH_OUTPUT_KEYS: tuple[str, ...] = ("refvar", "beta", "beta_se", "eblup", "mse", "loglike", "aic", "bic")


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StatsError(f"{where} : nombre attendu, trouvé {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise StatsError(f"{where} : nombre fini attendu")
    return out


def fit_case(case: Mapping[str, Any], *, source: str = "cas") -> FHFit:
    """Fit the model described by ``case`` (already parsed JSON)."""
    method = str(case.get("method", "REML")).upper()
    if method not in METHODS:
        raise StatsError(f"{source} : champ method : {method!r} n'est pas REML, ML ou FH")
    response = str(case.get("response", "direct"))
    vardir = str(case.get("vardir", "vardir"))
    covariates = case.get("covariates") or []
    if not isinstance(covariates, list):
        raise StatsError(f"{source} : champ covariates : liste attendue")
    rows = case.get("data")
    if not isinstance(rows, list) or not rows:
        raise StatsError(f"{source} : champ data : liste de lignes attendue")
    y, psi, xs = [], [], []
    for i, row in enumerate(cast(Sequence[Any], rows), start=1):
        if not isinstance(row, Mapping):
            raise StatsError(f"{source} : data, ligne {i} : objet attendu")
        for field in (response, vardir, *covariates):
            if field not in row:
                raise StatsError(f"{source} : data, ligne {i} : champ {field} absent")
        y.append(_number(row[response], f"{source} : data, ligne {i}, champ {response}"))
        psi.append(_number(row[vardir], f"{source} : data, ligne {i}, champ {vardir}"))
        xs.append(
            ([1.0] if case.get("intercept", True) else [])
            + [_number(row[c], f"{source} : data, ligne {i}, champ {c}") for c in covariates]
        )
    maxiter = int(case.get("maxiter", DEFAULT_MAXITER))
    precision = float(case.get("precision", DEFAULT_PRECISION))
    return fit_fh(
        np.asarray(y),
        np.asarray(psi),
        np.asarray(xs, dtype=np.float64),
        method=method,
        maxiter=maxiter,
        precision=precision,
    )


def fit_result(fit: FHFit) -> dict[str, Any]:
    """The fields ``eblupFH``/``mseFH`` report, as plain JSON values."""
    return {
        "refvar": fit.refvar,
        "beta": fit.beta.tolist(),
        "beta_se": fit.beta_se.tolist(),
        "eblup": fit.eblup.tolist(),
        "mse": fit.mse.tolist(),
        "loglike": fit.loglike,
        "aic": fit.aic,
        "bic": fit.bic,
    }


def run_fh_case(path: Path) -> dict[str, Any]:
    """Read, fit and report a case file (``barometre stats fh CASE.json``)."""
    try:
        case = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StatsError(f"{path} : lecture impossible ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise StatsError(f"{path}, ligne {exc.lineno} : JSON invalide ({exc.msg})") from exc
    if not isinstance(case, dict):
        raise StatsError(f"{path} : un objet JSON est attendu")
    return fit_result(fit_case(case, source=str(path)))
