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
    context["peers"] = _stratum_figures(found.stratum, active_lang())
    context["statuses"] = _status_legend(active_lang())
    return render(request, "diagnostic/authority.html", context)


def _status_legend(lang: str) -> list[dict[str, str]]:
    """The verdicts of the obligations table, with what each means."""
    from barometre.apps.diagnostic.services import STATUS_BADGES

    meaning = {
        "applies": ("l'obligation s'applique à la collectivité", "the obligation applies to the authority"),
        "does_not_apply": ("l'obligation ne s'applique pas", "the obligation does not apply"),
        "depends": (
            "la réponse dépend d'une information que le registre n'a pas (question posée en dessous)",
            "the answer depends on something the registry does not know (question shown below)",
        ),
    }
    out = []
    for status, (level, label) in STATUS_BADGES.items():
        fr, en = meaning.get(status, ("", ""))
        out.append({"status": status, "level": level, "label": str(label), "meaning": fr if lang == "fr" else en})
    return out


def _stratum_figures(stratum: str, lang: str) -> dict[str, object] | None:
    """The headline indicators of the authority's stratum in the latest published edition, as
    published (hidden cells stay hidden: the disclosure rules were applied when they were stored)."""
    from barometre.apps.editions import estimates
    from barometre.apps.editions.queries import catalogue, published_editions, published_estimates
    from barometre.core.report.selection import HEADLINE
    from barometre.core.wording.labels import reason_label, stratum_name
    from barometre.core.wording.numbers import format_interval, format_percent

    edition = published_editions().order_by("-year").first()
    if edition is None:
        return None
    stored = published_estimates().filter(
        edition=edition, breakdown="strate", domain_value=stratum, indicator__in=HEADLINE
    )
    rows = {r.indicator: r for r in estimates.rows_of(stored)}
    overall = {
        r.indicator: r
        for r in estimates.rows_of(
            published_estimates().filter(
                edition=edition, breakdown="ensemble", domain_value="ensemble", indicator__in=HEADLINE
            )
        )
    }
    indicators = {i.id: i for i in catalogue().indicators}
    figures = []
    for iid in HEADLINE:
        r = rows.get(iid)
        if r is None or iid not in indicators:
            continue
        shown = r.shown and r.estimate is not None and r.ci_low is not None and r.ci_high is not None
        o = overall.get(iid)
        ok = o is not None and o.shown and o.estimate is not None
        overall_text = format_percent(o.estimate, 0, lang) if ok and o and o.estimate is not None else "—"
        figures.append(
            {
                "indicator": iid,
                "label": indicators[iid].short_label.get(lang),
                "value": format_percent(r.estimate or 0.0, 0, lang) if shown else "",
                "interval": format_interval(r.ci_low or 0.0, r.ci_high or 0.0, 0, lang) if shown else "",
                "reason": "" if shown else reason_label(r.reason, lang),
                "n": r.n if shown else None,
                "overall": overall_text,
            }
        )
    if not figures:
        return None
    return {"edition": edition, "stratum": stratum_name(stratum, lang), "figures": figures}
