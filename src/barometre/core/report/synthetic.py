"""A synthetic :class:`ReportInput` for tests and the benchmark (no database).

Built from the real catalogue: every indicator of the edition in every breakdown it publishes,
plausible values (near the published ones when there are some), small domains suppressed by
the default disclosure rule (``core.stats.disclosure``: confidentiality and precision), earlier editions for
trends and weighting diagnostics shaped like ``WeightingResult.report``. Deterministic.
"""

from __future__ import annotations

import math
import random

from barometre.core.indicators.catalogue import ALL, Catalogue, Indicator, load_catalogue
from barometre.core.registry import STRATUM_LABELS, Kind, Stratum
from barometre.core.report.figures import region_names
from barometre.core.report.model import AreaEstimate, EditionMeta, ReportInput, Row, SmallAreaMap
from barometre.core.sae.areas import DEPARTEMENT_NAMES
from barometre.core.stats import DisclosureRule, check_disclosure
from barometre.core.weighting.report import StratumResponse, WeightingReport
from barometre.core.wording.note.synthetic import edition_texts
from barometre.core.wording.note.text import disclosure_text

RULE = DisclosureRule()

#: Respondents and frame units by stratum (illustrative orders of magnitude).
STRATA: dict[str, tuple[int, int, float]] = {
    # stratum: (respondents, units, level offset in points)
    Stratum.COMMUNES_LT_3500: (620, 31700, -14.0),
    Stratum.COMMUNES_3500_9999: (210, 2000, -4.0),
    Stratum.COMMUNES_10000_24999: (150, 700, 2.0),
    Stratum.COMMUNES_25000_99999: (95, 400, 8.0),
    Stratum.COMMUNES_GE_100000: (22, 42, 15.0),
    Stratum.EPCI_CC: (160, 990, -2.0),
    Stratum.EPCI_CA: (60, 227, 6.0),
    Stratum.EPCI_CU: (8, 14, 10.0),
    Stratum.EPCI_METRO: (14, 22, 18.0),
    Stratum.DEPARTEMENTS: (45, 96, 14.0),
    Stratum.REGIONS: (9, 17, 20.0),
}
KINDS: dict[str, tuple[int, float]] = {
    Kind.COMMUNE: (1097, -8.0),
    Kind.EPCI: (241, 2.0),
    Kind.DEPARTEMENT: (43, 14.0),
    Kind.REGION: (8, 20.0),
    Kind.COLLECTIVITE_UNIQUE: (4, 15.0),
    Kind.METROPOLE_LYON: (1, 18.0),
}
SMALL_REGIONS = {"01": 14, "02": 8, "03": 6, "04": 19, "06": 3, "94": 11}
UNIVERSE_SHARE = {"toutes": 1.0, "plus_3500": 0.55, "moins_25000": 0.8}


def _base_level(ind: Indicator, year: int, rng: random.Random) -> float:
    pub = [p for p in ind.published if p.breakdown == "ensemble"]
    if pub:
        best = min(pub, key=lambda p: (abs(p.edition - year), -p.edition))
        return best.value + (year - best.edition) * 3.0 + rng.uniform(-4, 4)
    return rng.uniform(15, 75)


def _row(ind: str, bd: str, dom: str, p: float, n: int, year: int, deff: float = 1.4) -> Row:
    p = min(max(p, 0.5), 99.5)
    se = 100 * math.sqrt((p / 100) * (1 - p / 100) * deff / n) if n > 0 else 0.0
    verdict = check_disclosure(n, p / 100, se / 100, RULE)
    if verdict.suppressed or verdict.precision is None:
        return Row(ind, bd, dom, None, None, None, None, None, None, True, verdict.reason, year)
    lo, hi = 100 * verdict.precision.low, 100 * verdict.precision.high
    return Row(ind, bd, dom, p, se, lo, hi, n, float(n) * 20, False, None, year, imprecise=verdict.imprecise)


def _rows(cat: Catalogue, year: int, levels: dict[str, float], rng: random.Random) -> tuple[Row, ...]:
    out: list[Row] = []
    regions = sorted(region_names())
    for ind in cat.for_edition(year):
        share = UNIVERSE_SHARE.get(ind.universe, 1.0)
        among = 0.5 if ind.definition(year).among is not None else 1.0
        base = levels[ind.id]
        n_all = int(sum(v[0] for v in STRATA.values()) * share * among)
        for bd in ind.breakdowns:
            b = cat.breakdowns[bd]
            if b.is_all:
                out.append(_row(ind.id, bd, ALL, base, n_all, year))
            elif b.attribute == "stratum":
                for s, (n, _units, off) in STRATA.items():
                    if ind.universe == "plus_3500" and s == Stratum.COMMUNES_LT_3500:
                        continue
                    if ind.universe == "moins_25000" and s in (
                        Stratum.COMMUNES_25000_99999,
                        Stratum.COMMUNES_GE_100000,
                        Stratum.DEPARTEMENTS,
                        Stratum.REGIONS,
                        Stratum.EPCI_METRO,
                    ):
                        continue
                    out.append(_row(ind.id, bd, str(s), base + off + rng.uniform(-3, 3), int(n * among), year))
            elif b.attribute == "kind":
                for k, (n, off) in KINDS.items():
                    out.append(_row(ind.id, bd, str(k), base + off + rng.uniform(-3, 3), int(n * share * among), year))
            elif b.attribute == "region":
                for reg in regions:
                    n_reg = SMALL_REGIONS.get(reg, int(n_all / 12))
                    out.append(_row(ind.id, bd, reg, base + rng.uniform(-9, 9), int(n_reg * among), year))
            else:
                for j, dom in enumerate(b.domains):
                    out.append(
                        _row(
                            ind.id,
                            bd,
                            dom.value,
                            base + 4 * j - 4 + rng.uniform(-3, 3),
                            int(n_all * (0.3 + 0.1 * j)),
                            year,
                        )
                    )
    return tuple(out)


def weighting_report(year: int, n: int) -> WeightingReport:
    by_stratum: list[StratumResponse] = []
    units_total = sum(v[1] for v in STRATA.values())
    for s, (resp, units, _off) in STRATA.items():
        by_stratum.append(
            {
                "stratum": str(s),
                "label": STRATUM_LABELS[Stratum(s)],
                "group": str(s),
                "units": units,
                "respondents": resp,
                "response_rate": resp / units,
                "weighted_response_rate": resp / units,
                "weight_sum": float(units),
                "mean_weight": units / resp,
            }
        )
    return {
        "year": year,
        "collection": "voluntary",
        "simulated": True,
        "assumption": "Hypothèse de non-réponse ignorable conditionnellement à la strate et aux marges de calage.",
        "units": units_total,
        "respondents": n,
        "response_rate": n / units_total,
        "weighted_response_rate": n / units_total,
        "by_stratum": by_stratum,
        "by_region": [],
        "r_indicator": {
            "model": "strate",
            "value": 0.71,
            "mean_propensity": n / units_total,
            "sd_propensity": 0.145,
            "partial": [],
        },
        "weights": {
            "design": {"min": 1.0, "median": 1.0, "max": 1.0, "mean": 1.0, "cv": 0.0},
            "nonresponse": {"min": 1.5, "median": 8.2, "max": 51.1, "mean": 25.4, "cv": 1.1},
            "final": {"min": 1.4, "median": 8.0, "max": 88.9, "mean": 25.4, "cv": 1.21},
        },
        "effective_sample_size": n / 2.46,
        "design_effect_weighting": 2.46,
        "margins": [],
        "max_margin_relative_error": 1.2e-9,
        "calibration": {"distance": "raking", "bounds": [0.2, 5.0], "population": True, "regions": True},
        "trimming": {"ratio": 3.5, "trimmed": 12},
        "collapse": {},
        "converged": True,
        "events": [],
    }


def synthetic_input(
    lang: str = "fr", year: int = 2025, *, simulated: bool = True, seed: int = 7, catalogue: Catalogue | None = None
) -> ReportInput:
    cat = catalogue or load_catalogue()
    rng = random.Random(seed)
    years = [e for e in cat.editions if e <= year]
    levels = {ind.id: _base_level(ind, year, rng) for ind in cat.indicators}
    rows = _rows(cat, year, levels, rng)
    previous: dict[int, tuple[Row, ...]] = {}
    for e in years:
        if e == year:
            continue
        prev_levels = {k: v - (year - e) * rng.uniform(1.5, 5.0) for k, v in levels.items()}
        previous[e] = _rows(cat, e, prev_levels, rng)
    n = sum(v[0] for v in STRATA.values())
    texts = edition_texts(lang)
    meta = EditionMeta(
        year=year,
        simulated=simulated,
        n_respondents=n,
        questionnaire_year=year,
        frame_source="@etalab/decoupage-administratif 6.0.0 (COG 2026)",
        frame_millesime=texts["frame_millesime"],
        n_units=sum(v[1] for v in STRATA.values()),
        field_period=texts["field_period"],
        collection="voluntary",
        date=f"{year}-11-15",
    )
    return ReportInput(
        meta,
        cat,
        rows,
        previous,
        weighting_report(year, n),
        disclosure_text(RULE, lang),
        lang,
        small_areas=(_small_area_map("rssi", levels.get("rssi", 50.0), rng),),
    )


def _small_area_map(indicator: str, level: float, rng: random.Random) -> SmallAreaMap:
    """Model-based estimates for the 101 départements around ``level`` (shape only, not a fit)."""
    areas = []
    for code, name in sorted(DEPARTEMENT_NAMES.items()):
        n = rng.choice((0, 1, 2, 3, 4, 6, 12))
        est = min(95.0, max(5.0, level + rng.uniform(-15, 15)))
        direct = min(100.0, max(0.0, est + rng.uniform(-8, 8))) if n >= RULE.min_respondents else None
        areas.append(
            AreaEstimate(
                code, name, est, rng.uniform(0.05, 0.4), direct, n, "eblup" if direct is not None else "synthetic"
            )
        )
    return SmallAreaMap(indicator, tuple(areas), "REML", 41.5, False, 90, 0.97, 0)
