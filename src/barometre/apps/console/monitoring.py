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

from barometre.apps.editions.labels import REGION_NAMES
from barometre.apps.editions.models import Edition, ResponseStatus
from barometre.apps.registry.models import Authority
from barometre.core.monitoring import representativeness

#: A stratum whose partial R-indicator is below this (or with a response rate under
#: half the overall one) is flagged as under-represented.
UNDER_REPRESENTED_PARTIAL_R = -0.02
SUBMITTED = (ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED)
COLUMNS = ("frame", "invited", "started", "submitted", "response_rate", "weighted_coverage", "partial_r")


def _blank() -> dict[str, Any]:
    return {"frame": 0, "frame_population": 0, "invited": 0, "started": 0, "submitted": 0, "population": 0}


def monitor(edition: Edition) -> dict[str, Any]:
    strata: dict[str, dict[str, Any]] = defaultdict(_blank)
    regions: dict[str, dict[str, Any]] = defaultdict(_blank)
    for stratum, region, pop in Authority.objects.values_list("stratum", "region", "population_municipale"):
        for table, key in ((strata, stratum), (regions, region)):
            table[key]["frame"] += 1
            table[key]["frame_population"] += pop
    probabilities = dict(edition.sample.values_list("authority_id", "inclusion_probability"))
    cov_stratum: list[str] = []
    cov_region: list[str] = []
    responded: list[bool] = []
    weights: list[float] = []
    rows = edition.responses.values_list(
        "authority_id", "status", "authority__stratum", "authority__region", "authority__population_municipale"
    )
    for authority_id, status, stratum, region, pop in rows:
        done = status in SUBMITTED
        for table, key in ((strata, stratum), (regions, region)):
            table[key]["invited"] += 1
            table[key]["started"] += status == ResponseStatus.STARTED
            table[key]["submitted"] += done
            table[key]["population"] += pop if done else 0
        cov_stratum.append(stratum)
        cov_region.append(region)
        responded.append(done)
        p = probabilities.get(authority_id)
        weights.append(1.0 / p if p else 1.0)
    n_submitted = sum(responded)
    r_value: float | None = None
    partial: dict[str, dict[str, float]] = {"stratum": {}, "region": {}}
    if n_submitted >= 2 and len(responded) > n_submitted:
        rep = representativeness({"stratum": cov_stratum, "region": cov_region}, responded, weights)
        r_value = round(rep.r_indicator, 6)
        partial = {var: rep.partial[var].categories for var in ("stratum", "region")}
    elif n_submitted >= 2:  # everyone responded: perfectly representative
        r_value = 1.0
        partial = {"stratum": dict.fromkeys(cov_stratum, 0.0), "region": dict.fromkeys(cov_region, 0.0)}
    invited_total = len(responded)
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
