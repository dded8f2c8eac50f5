"""Read helpers for the public pages and the API: published editions and their estimates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import QuerySet

from barometre.apps.editions import estimates
from barometre.apps.editions.labels import domain_label
from barometre.apps.editions.models import Edition, EditionState, IndicatorEstimate
from barometre.core.indicators.catalogue import THEMES, Catalogue, Indicator, Published, load_catalogue
from barometre.core.indicators.compute import EstimateRow
from barometre.core.wording.labels import reason_label
from barometre.core.wording.numbers import format_percent


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
        r.indicator: r
        for r in estimates.rows_of(
            published_estimates().filter(edition=edition, breakdown="ensemble", domain_value="ensemble")
        )
    }
    out = []
    for theme, label in THEMES.items():
        items = []
        for ind in cat.for_edition(edition.year):
            if ind.theme != theme:
                continue
            items.append({"indicator": ind, "label": ind.label.get(lang), "overall": overall.get(ind.id)})
        if items:
            out.append({"id": theme, "label": label.get(lang), "indicators": items})
    return out


@dataclass(frozen=True)
class ExplorerRow:
    """One domain of a breakdown as the explorer shows it: the estimate, its label and its formatted values."""

    estimate: EstimateRow
    label: str
    value: str | None
    interval: str | None
    #: Why a hidden cell is hidden, in words ("" when shown).
    reason_label: str = ""


def estimate_rows(edition: Edition, indicator: Indicator, breakdown: str, lang: str) -> list[ExplorerRow]:
    cat = catalogue()
    rows = []
    for e in estimates.rows_of(
        published_estimates().filter(edition=edition, indicator=indicator.id, breakdown=breakdown)
    ):
        rows.append(
            ExplorerRow(
                estimate=e,
                label=domain_label(cat, breakdown, e.domain_value, lang),
                reason_label=reason_label(e.reason, lang) if e.suppressed else "",
                value=None if e.suppressed or e.estimate is None else format_percent(e.estimate, 0, lang),
                interval=None
                if e.ci_low is None or e.ci_high is None
                else f"{format_percent(e.ci_low, 0, lang)} – {format_percent(e.ci_high, 0, lang)}",
            )
        )
    rows.sort(key=lambda r: r.label)
    return rows


@dataclass(frozen=True)
class SeriesPoint:
    """One point of an indicator's series: our estimate for an edition, or the value published at the time."""

    edition: int
    row: EstimateRow | None = None
    published: Published | None = None

    @property
    def kind(self) -> str:
        return "estimate" if self.row is not None else "published"

    @property
    def value(self) -> float | None:
        return self.row.estimate if self.row is not None else (self.published.value if self.published else None)

    @property
    def ci_low(self) -> float | None:
        return self.row.ci_low if self.row is not None else None

    @property
    def ci_high(self) -> float | None:
        return self.row.ci_high if self.row is not None else None

    @property
    def simulated(self) -> bool:
        return self.row.simulated if self.row is not None else False

    @property
    def source(self) -> str:
        return self.published.source if self.published is not None else ""

    @property
    def base(self) -> str:
        return self.published.base if self.published is not None else ""


def series(indicator: Indicator, lang: str) -> list[SeriesPoint]:
    """Our overall estimate per published edition, and the values published at the time."""
    stored = published_estimates().filter(indicator=indicator.id, breakdown="ensemble", domain_value="ensemble")
    points = [SeriesPoint(r.edition, row=r) for r in estimates.rows_of(stored)]
    points += [
        SeriesPoint(p.edition, published=p)
        for p in indicator.published
        if p.breakdown == "ensemble" or p.domain in ("ensemble", "")
    ]
    points.sort(key=lambda p: (p.edition, p.kind))
    return points
