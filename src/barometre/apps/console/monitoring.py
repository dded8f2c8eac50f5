"""Live monitoring of a collection: per stratum and per région, with the R-indicator.

``frame``: authorities of the registry; ``invited``: responses created for the edition (one per
invited authority); ``started``: in progress (not yet submitted); ``submitted``: submitted or
validated; ``response_rate`` = submitted / invited; ``weighted_coverage``: share of the frame's
inhabitants living in authorities that submitted. The propensity model is fitted on every invited
authority with registry covariates stratum (kind × population class) and région, weighted by the
design weights (1 / inclusion probability; 1 for a voluntary survey). Under two submitted
responses the R-indicator and partial R-indicators are null.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Sum

from barometre.apps.editions.labels import REGION_NAMES
from barometre.apps.editions.models import Edition, ResponseStatus
from barometre.apps.registry.models import Authority
from barometre.core.monitoring import representativeness_grouped

#: A stratum whose partial R-indicator is below this (or with a response rate under
#: half the overall one) is flagged as under-represented.
UNDER_REPRESENTED_PARTIAL_R = -0.02
SUBMITTED = (ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED)
COLUMNS = ("frame", "invited", "started", "submitted", "response_rate", "weighted_coverage", "partial_r")


def _blank() -> dict[str, Any]:
    return {"frame": 0, "frame_population": 0, "invited": 0, "started": 0, "submitted": 0, "population": 0}


def _frame_cells() -> list[dict[str, Any]]:
    """Frame counts and population by stratum × région (cached per process until the registry changes)."""
    from django.core.cache import caches
    from django.db.models import Max

    from barometre.apps.registry.models import RegistryLoad

    version = Authority.objects.aggregate(n=Count("id"), last=Max("id"))
    load = RegistryLoad.objects.aggregate(last=Max("id"))["last"]
    key = f"barometre:console:frame:{load}:{version['n']}:{version['last']}"
    local = caches["local"]
    rows = local.get(key)
    if rows is None:
        rows = list(
            Authority.objects.values("stratum", "region").annotate(n=Count("id"), pop=Sum("population_municipale"))
        )
        local.set(key, rows, timeout=3600)
    return list(rows)


def monitor(edition: Edition) -> dict[str, Any]:
    strata: dict[str, dict[str, Any]] = defaultdict(_blank)
    regions: dict[str, dict[str, Any]] = defaultdict(_blank)
    for row in _frame_cells():
        for counts, key in ((strata, row["stratum"]), (regions, row["region"])):
            counts[key]["frame"] += row["n"]
            counts[key]["frame_population"] += row["pop"] or 0
    # cells (stratum × région × status), counted in SQL; weighted by 1/π for a probability sample
    cells: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    base = edition.responses.values("authority__stratum", "authority__region", "status")
    counted = base.annotate(n=Count("id"), pop=Sum("authority__population_municipale"))
    weighted: dict[tuple[str, str, str], float] = {}
    if edition.sample.exists():
        probabilities = dict(edition.sample.values_list("authority_id", "inclusion_probability"))
        for aid, stratum, region, status in edition.responses.values_list(
            "authority_id", "authority__stratum", "authority__region", "status"
        ):
            p = probabilities.get(aid)
            key = (stratum, region, status)
            weighted[key] = weighted.get(key, 0.0) + (1.0 / p if p else 1.0)
    n_submitted = 0
    invited_total = 0
    for cell in counted:
        stratum, region, status, n = cell["authority__stratum"], cell["authority__region"], cell["status"], cell["n"]
        done = status in SUBMITTED
        for counts, key in ((strata, stratum), (regions, region)):
            counts[key]["invited"] += n
            counts[key]["started"] += n if status == ResponseStatus.STARTED else 0
            counts[key]["submitted"] += n if done else 0
            counts[key]["population"] += (cell["pop"] or 0) if done else 0
        w = weighted.get((stratum, region, status), float(n))
        cells[(stratum, region)][1] += w
        cells[(stratum, region)][0] += w if done else 0.0
        n_submitted += n if done else 0
        invited_total += n
    r_value: float | None = None
    partial: dict[str, dict[str, float]] = {"stratum": {}, "region": {}}
    if n_submitted >= 2 and invited_total > n_submitted:
        keys = sorted(cells)
        rep = representativeness_grouped(
            {"stratum": [k[0] for k in keys], "region": [k[1] for k in keys]},
            [cells[k][0] for k in keys],
            [cells[k][1] for k in keys],
        )
        r_value = round(rep.r_indicator, 6)
        partial = {var: rep.partial[var].categories for var in ("stratum", "region")}
    elif n_submitted >= 2:  # everyone responded: perfectly representative
        r_value = 1.0
        partial = {"stratum": {k[0]: 0.0 for k in cells}, "region": {k[1]: 0.0 for k in cells}}
    overall = n_submitted / invited_total if invited_total else 0.0

    def table(data: dict[str, dict[str, Any]], key_name: str, var: str) -> list[dict[str, Any]]:
        out = []
        for key in sorted(data):
            d = data[key]
            rate = d["submitted"] / d["invited"] if d["invited"] else None
            p = partial[var].get(key) if r_value is not None and d["invited"] else None
            row: dict[str, Any] = {
                key_name: key,
                "frame": d["frame"],
                "invited": d["invited"],
                "started": d["started"],
                "submitted": d["submitted"],
                "response_rate": round(rate, 6) if rate is not None else None,
                "weighted_coverage": round(d["population"] / d["frame_population"], 6)
                if d["frame_population"]
                else None,
                "partial_r": round(p, 6) if p is not None else None,
            }
            row["under_represented"] = bool(
                d["invited"]
                and ((p is not None and p < UNDER_REPRESENTED_PARTIAL_R) or (rate is not None and rate < overall / 2))
            )
            if var == "region":
                row["name"] = REGION_NAMES.get(key, key)
            out.append(row)
        return out

    return {
        "edition": edition.year,
        "state": edition.state,
        "simulated": edition.simulated,
        "invited": invited_total,
        "submitted": n_submitted,
        "response_rate": round(overall, 6) if invited_total else None,
        "r_indicator": r_value,
        "strata": table(strata, "stratum", "stratum"),
        "regions": table(regions, "region", "region"),
    }
