"""Read helpers for the public pages and the API: published editions and their estimates."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import QuerySet

from barometre.apps.editions.labels import domain_label
from barometre.apps.editions.models import Edition, EditionState, IndicatorEstimate
from barometre.core.formatting import format_percent
from barometre.core.indicators.catalogue import Catalogue, Indicator, load_catalogue
from barometre.core.indicators.labels import reason_label

THEMES: dict[str, dict[str, str]] = {
    "data": {"fr": "Données", "en": "Data"},
    "ia": {"fr": "Intelligence artificielle", "en": "Artificial intelligence"},
    "cyber": {"fr": "Cybersécurité", "en": "Cybersecurity"},
    "numerique_responsable": {"fr": "Numérique responsable", "en": "Responsible digital"},
    "rgpd": {"fr": "RGPD et protection des données", "en": "GDPR and data protection"},
    "mutualisation": {"fr": "Mutualisation", "en": "Pooling of resources"},
}


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


def published_editions() -> QuerySet[Edition]:
    """The editions whose results are public — the one place that says so.

    Every surface showing results (explorer, charts, API, open data, notes, the respondents'
    first results, the diagnostic's peers) goes through this helper or :func:`published_estimates`:
    an edition withdrawn for a correction (published → closed) disappears from all of them.
    """
    return Edition.objects.filter(state=EditionState.PUBLISHED).order_by("year")


def published_estimates() -> QuerySet[IndicatorEstimate]:
    """Estimates of the published editions only (see :func:`published_editions`)."""
    return IndicatorEstimate.objects.filter(edition__in=published_editions().order_by().values("pk"))


def pick_edition(year: Any) -> Edition | None:
    """The published edition ``year`` (a string from a query string), else the latest one."""
    editions = published_editions()
    if year:
        try:
            return editions.filter(year=int(year)).first()
        except (TypeError, ValueError):
            return None
    return editions.last()


def themes_with_indicators(edition: Edition, lang: str) -> list[dict[str, Any]]:
    cat = catalogue()
    overall = {
        e.indicator: e
        for e in published_estimates().filter(edition=edition, breakdown="ensemble", domain_value="ensemble")
    }
    out = []
    for theme, label in THEMES.items():
        items = []
        for ind in cat.for_edition(edition.year):
            if ind.theme != theme:
                continue
            items.append({"indicator": ind, "label": ind.label.get(lang), "overall": overall.get(ind.id)})
        if items:
            out.append({"id": theme, "label": label[lang], "indicators": items})
    return out


def estimate_rows(edition: Edition, indicator: Indicator, breakdown: str, lang: str) -> list[dict[str, Any]]:
    cat = catalogue()
    rows = []
    for e in published_estimates().filter(edition=edition, indicator=indicator.id, breakdown=breakdown):
        rows.append(
            {
                "estimate": e,
                "label": domain_label(cat, breakdown, e.domain_value, lang),
                "reason_label": reason_label(e.reason, lang) if e.suppressed else "",
                "value": None if e.suppressed or e.estimate is None else format_percent(e.estimate, 0, lang),
                "interval": None
                if e.ci_low is None or e.ci_high is None
                else f"{format_percent(e.ci_low, 0, lang)} – {format_percent(e.ci_high, 0, lang)}",
            }
        )
    rows.sort(key=lambda r: r["label"])
    return rows


def series(indicator: Indicator, lang: str) -> list[dict[str, Any]]:
    """Our overall estimate per published edition, and the values published at the time."""
    points: list[dict[str, Any]] = []
    for e in (
        published_estimates()
        .filter(
            indicator=indicator.id,
            breakdown="ensemble",
            domain_value="ensemble",
        )
        .select_related("edition")
    ):
        points.append(
            {
                "edition": e.edition.year,
                "kind": "estimate",
                "value": e.estimate,
                "ci_low": e.ci_low,
                "ci_high": e.ci_high,
                "simulated": e.edition.simulated,
                "source": "",
                "base": "",
            }
        )
    for p in indicator.published:
        if p.breakdown == "ensemble" or p.domain in ("ensemble", ""):
            points.append(
                {
                    "edition": p.edition,
                    "kind": "published",
                    "value": p.value,
                    "ci_low": None,
                    "ci_high": None,
                    "simulated": False,
                    "source": p.source,
                    "base": p.base,
                }
            )
    points.sort(key=lambda p: (p["edition"], p["kind"]))
    return points
