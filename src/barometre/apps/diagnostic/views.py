"""Public lookup: find an authority, see the obligations that apply to it and its CSIRT."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from barometre.apps.diagnostic.services import public_diagnostic
from barometre.apps.i18n import active_lang
from barometre.apps.projects.services import opsn_context
from barometre.apps.registry.queries import (
    MIN_SEARCH_LENGTH,
    get_authority,
    search_authorities,
    search_text_too_short,
)

#: Bounds of the number of agents a visitor may type.
MAX_AGENTS = 500_000


def search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:100]
    too_short = search_text_too_short(query)
    results = search_authorities(query, limit=30) if query and not too_short else []
    return render(
        request,
        "diagnostic/search.html",
        {"query": query, "results": results, "too_short": too_short, "min_length": MIN_SEARCH_LENGTH},
    )


def _agents(request: HttpRequest) -> tuple[int | None, str]:
    raw = (request.GET.get("agents") or "").strip()
    if not raw:
        return None, ""
    try:
        value = int(raw)
    except ValueError:
        return None, _("Le nombre d'agents doit être un nombre entier.")
    if not 0 <= value <= MAX_AGENTS:
        maximum = number_format(MAX_AGENTS, force_grouping=True)
        return None, _("Le nombre d'agents doit être compris entre 0 et %(max)s.") % {"max": maximum}
    return value, ""


def authority(request: HttpRequest, code: str) -> HttpResponse:
    found = get_authority(code)
    if found is None:
        raise Http404("unknown authority")
    agents, agents_error = _agents(request)
    context = public_diagnostic(found, agents=agents, lang=active_lang())
    context.update({"authority": found, "agents": agents, "agents_error": agents_error})
    context["opsn"] = opsn_context(found.departement or None, active_lang())
    return render(request, "diagnostic/authority.html", context)
