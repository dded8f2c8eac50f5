"""Read helpers for the public pages and the API: published editions and their estimates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from barometre.apps.editions import estimates
from barometre.apps.editions.labels import domain_label
from barometre.apps.editions.models import Edition, EditionState, IndicatorEstimate
from barometre.core.indicators.catalogue import THEMES, Catalogue, Indicator, Published, load_catalogue
from barometre.core.indicators.compute import EstimateRow
from barometre.core.wording.labels import reason_label
from barometre.core.wording.numbers import format_number, format_percent


def catalogue() -> Catalogue:
    """The indicator catalogue, carried to the editions run on an earlier questionnaire (an edition
    2027 on questionnaire 2025 has the 2025 indicators: :meth:`Catalogue.carried`)."""
    pairs = tuple(Edition.objects.values_list("year", "questionnaire_year").order_by("year"))
    cat = load_catalogue()
    key = (id(cat), pairs)
    if _CARRIED.get("key") != key:
        _CARRIED.update(key=key, catalogue=cat.carried(dict(pairs)), source=cat)
    return _CARRIED["catalogue"]  # type: ignore[no-any-return]


#: The last carried catalogue (the file catalogue it comes from is kept, so its id stays its own).
_CARRIED: dict[str, Any] = {}


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
    #: "k sur n répondantes" (the respondents' base as a count), None when hidden
    count: str | None = None
    #: a small, exhaustive group (régions, départements, métropoles): the count is the headline
    small_group: bool = False


#: Small, exhaustive groups of authorities (a few dozen each, most of them answering), which the press
#: quotes as counts: shown as "k sur n répondantes" beside the estimate, where the rules allow.
SMALL_GROUPS: frozenset[tuple[str, str]] = frozenset(
    {
        ("strate", "regions"),
        ("strate", "departements"),
        ("strate", "epci_metropoles"),
        ("type", "region"),
        ("type", "departement"),
        ("type", "collectivite_unique"),
        ("type", "metropole_lyon"),
        ("groupe", "metropoles_et_regions"),
    }
)


def respondent_count(e: EstimateRow, lang: str) -> str | None:
    """ "k sur n répondantes" of a shown cell (None for a hidden one: it publishes no count)."""
    if e.suppressed or e.respondent_share is None or not e.n:
        return None
    k = round(e.respondent_share * e.n / 100)
    if lang == "en":
        return f"{format_number(k, 0, lang)} of {format_number(e.n, 0, lang)} respondents"
    return f"{format_number(k, 0, lang)} sur {format_number(e.n, 0, lang)} répondantes"


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
                count=respondent_count(e, lang),
                small_group=(breakdown, e.domain_value) in SMALL_GROUPS,
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
