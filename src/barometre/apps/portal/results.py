"""First results page: the authority's position on five headline indicators of the
catalogue (``data/indicators.yaml``), next to the weighted estimate for authorities of
its stratum in the latest edition whose indicators were computed.

The authority's own position is the catalogue's numerator evaluated on its answers;
the comparison reads ``IndicatorEstimate`` rows (breakdown ``strate``, in percent).
The full diagnostic is another page.
"""

from __future__ import annotations

from typing import Any

from barometre.apps.editions.models import Edition, IndicatorEstimate, Response
from barometre.apps.editions.queries import published_editions, published_estimates
from barometre.core.indicators.catalogue import Indicator, load_catalogue
from barometre.core.indicators.expr import CachedEvaluator, question_refs
from barometre.core.wording.numbers import format_interval, format_percent

#: The five headline indicators (ids of the catalogue).
HEADLINE_INDICATORS: tuple[str, ...] = (
    "data_project_done_or_planned",
    "ai_done_or_tested",
    "dpo_appointed",
    "rssi",
    "cyber_attack_suffered",
)
#: Breakdown of the catalogue by sampling stratum.
STRATUM_BREAKDOWN = "strate"


def latest_computed_edition() -> Edition | None:
    """The latest published edition with computed indicators (never a withdrawn or unpublished one)."""
    return published_editions().filter(indicators_computed_at__isnull=False).order_by("-year").first()


def _own_value(
    indicator: Indicator, year: int, answers: dict[str, object], attributes: dict[str, object]
) -> bool | None:
    """Is the authority counted in the indicator's numerator? None: not answered."""
    years = [y for y in indicator.definitions if y <= year] or list(indicator.definitions)
    definition = indicator.definitions[max(years)]
    refs = question_refs(definition.numerator)
    if not refs or all(answers.get(r) in (None, "", [], {}) for r in refs):
        return None
    if definition.among is not None and not CachedEvaluator(definition.among)(answers, attributes):
        return None
    return CachedEvaluator(definition.numerator)(answers, attributes)


def headline_rows(
    response: Response, answers: dict[str, object], lang: str
) -> tuple[Edition | None, list[dict[str, Any]]]:
    """(edition of the estimates or None, one row per headline indicator)."""
    catalogue = load_catalogue()
    authority = response.authority
    attributes: dict[str, object] = {
        "stratum": authority.stratum,
        "kind": authority.kind,
        "type": authority.type,
        "region": authority.region,
        "departement": authority.departement,
        "population": authority.population_municipale,
    }
    edition = latest_computed_edition()
    estimates: dict[str, IndicatorEstimate] = {}
    if edition is not None:
        estimates = {
            e.indicator: e
            for e in published_estimates().filter(
                edition=edition,
                indicator__in=HEADLINE_INDICATORS,
                breakdown=STRATUM_BREAKDOWN,
                domain_value=authority.stratum,
            )
        }
    rows = []
    for indicator_id in HEADLINE_INDICATORS:
        indicator = catalogue.get(indicator_id)
        est = estimates.get(indicator_id)
        interval = ""
        if est is None or est.suppressed or est.estimate is None:
            estimate_text = ""
        else:
            estimate_text = format_percent(est.estimate, 0, lang)
            if est.ci_low is not None and est.ci_high is not None:
                interval = format_interval(est.ci_low, est.ci_high, 0, lang)
        rows.append(
            {
                "indicator": indicator_id,
                "label": indicator.label.get(lang),
                "own": _own_value(indicator, response.edition.questionnaire_year, answers, attributes),
                "estimate": estimate_text,
                "interval": interval,
                "suppressed": bool(est is not None and est.suppressed),
            }
        )
    return edition, rows
