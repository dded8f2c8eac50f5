"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

#: Navigation entries (url name, label). Only pages that exist are listed: an
#: entry whose URL does not resolve is left out.
NAVIGATION: list[tuple[str, Any]] = [
    ("public:home", _("Accueil")),
    ("diagnostic:search", _("Collectivités")),
    ("public:explorer", _("Résultats")),
    ("projects:index", _("Projets")),
    ("public:notes", _("Notes de conjoncture")),
    ("public:opendata", _("Données ouvertes")),
    ("api:docs", _("API")),
]


def site(request: HttpRequest) -> dict[str, Any]:
    nav = []
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        nav.append({"url": url, "label": label, "current": request.path == url})
    return {"nav_items": nav, "simulated_banner": False}
