"""Public pages. Views stay thin: content comes from the core or ``content``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from barometre.apps.public.content import home_figures


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"home": home_figures(get_language() or "fr")})


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
