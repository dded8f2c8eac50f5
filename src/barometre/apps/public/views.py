"""Public pages. Views stay thin: content comes from the core or ``content``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from barometre.apps.public.content import home_figures


def home(request: HttpRequest) -> HttpResponse:
    lang = "en" if (get_language() or "fr").startswith("en") else "fr"
    return render(request, "public/home.html", {"home": home_figures(lang), "latest": _latest_figures(lang)})


def _latest_figures(lang: str) -> dict[str, object] | None:
    """The latest published edition's headline figures, each with its 95 % interval."""
    from barometre.apps.editions import estimates
    from barometre.apps.editions.queries import catalogue, published_editions, published_estimates
    from barometre.core.report.selection import HEADLINE
    from barometre.core.wording.numbers import format_interval, format_percent

    edition = published_editions().order_by("-year").first()
    if edition is None:
        return None
    stored = published_estimates().filter(
        edition=edition, breakdown="ensemble", domain_value="ensemble", indicator__in=HEADLINE
    )
    rows = {r.indicator: r for r in estimates.rows_of(stored)}
    indicators = {i.id: i for i in catalogue().indicators}
    figures = []
    for iid in HEADLINE:
        r = rows.get(iid)
        if r is None or not r.shown or r.estimate is None or r.ci_low is None or r.ci_high is None:
            continue
        ind = indicators.get(iid)
        figures.append(
            {
                "indicator": iid,
                "label": ind.label.get(lang) if ind else iid,
                "value": format_percent(r.estimate, 0, lang),
                "interval": format_interval(r.ci_low, r.ci_high, 0, lang),
                "n": r.n,
            }
        )
        if len(figures) == 4:
            break
    return {"edition": edition, "figures": figures} if figures else None


def methodology(request: HttpRequest) -> HttpResponse:
    """How the figures are made: frame, collection, weighting, intervals, disclosure, and per edition
    its collection period, frame vintage and the date its data were frozen."""
    from barometre.apps.editions.queries import published_editions
    from barometre.apps.editions.reporting import edition_facts

    lang = "en" if (get_language() or "fr").startswith("en") else "fr"
    editions = [edition_facts(e, lang) for e in published_editions().order_by("-year")]
    return render(request, "public/methodology.html", {"editions": editions})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "public/accessibility.html")


def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "public/legal.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
