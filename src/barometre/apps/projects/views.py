"""The public projects catalogue: list with filters (plain GET forms, no script), project pages, map."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

from barometre.apps.i18n import active_lang
from barometre.apps.projects import services
from barometre.apps.projects.labels import (
    DOMAIN_LABELS,
    GAP_LABELS,
    KIND_LABELS,
    REASON_LABELS,
    SIZE_LABELS,
    STATUS_LABELS,
)
from barometre.apps.projects.models import Project
from barometre.apps.projects.rows import EXPORT_COLUMNS, project_row, source_of
from barometre.core.errors import NotFound
from barometre.core.projects.model import Domain, Status
from barometre.core.wording.labels import REGION_NAMES
from barometre.core.wording.numbers import format_source_date

PAGE_SIZE = 40


def _filters(request: HttpRequest) -> services.Filters:
    get = request.GET

    def pick(name: str, allowed: set[str]) -> str:
        value = get.get(name, "")
        return value if value in allowed else ""

    return services.Filters(
        q=get.get("q", "")[:120],
        domain=pick("domaine", {d.value for d in Domain}),
        status=pick("statut", {s.value for s in Status}),
        kind=pick("type", set(KIND_LABELS)),
        size=pick("taille", set(SIZE_LABELS)),
        region=pick("region", set(REGION_NAMES)),
    )


def card(project: Project, lang: str) -> dict[str, Any]:
    title, summary = project.text(lang)
    return {
        "key": project.key,
        "title": title,
        "summary": summary,
        "domain": DOMAIN_LABELS[Domain(project.domain)],
        "status": STATUS_LABELS[Status(project.status)],
        "authority": project.authority,
        "region": REGION_NAMES.get(project.authority.region, project.authority.region),
        "origin": project.origin,
        "simulated": project.simulated,
        "source": _dated(source_of(project, lang), lang),
    }


def _dated(source: dict[str, str] | None, lang: str) -> dict[str, str] | None:
    return None if source is None else {**source, "date": format_source_date(source["date"], lang)}


def index(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    lang = active_lang()
    qs = services.public_projects(filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "cards": [card(p, lang) for p in page.object_list],
        "filters": filters,
        "total": page.paginator.count,
        "query": query.urlencode(),
        "domains": [(d.value, DOMAIN_LABELS[d]) for d in Domain],
        "statuses": [(s.value, STATUS_LABELS[s]) for s in Status],
        "kinds": list(KIND_LABELS.items()),
        "sizes": list(SIZE_LABELS.items()),
        "regions": sorted(REGION_NAMES.items(), key=lambda kv: kv[1]),
        "has_simulated": qs.filter(simulated=True).exists(),
    }
    return render(request, "projects/index.html", context)


def detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        project = services.get_public(key)
    except NotFound:
        raise Http404("unknown project") from None
    lang = active_lang()
    similar = [
        {"card": card(p, lang), "score": m.score, "shared_terms": m.shared_terms}
        for p, m in services.similar_to_project(project, limit=5, lang=lang)
    ]
    context = {
        "project": card(project, lang),
        "model": project,
        "similar": similar,
        "size": SIZE_LABELS[services.size_class(project.authority.population_municipale)],
        "simulated_banner": project.simulated,
    }
    return render(request, "projects/detail.html", context)


def region_map(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count

    from barometre.core.projects.maps import count_map

    counts = dict(
        services.public_projects()
        .order_by()  # the catalogue's ordering would split the groups
        .values("authority__region")
        .annotate(n=Count("pk"))
        .values_list("authority__region", "n")
    )
    lang = active_lang()
    rows = sorted(
        ((REGION_NAMES.get(code, code), code, counts.get(code, 0)) for code in REGION_NAMES), key=lambda r: r[0]
    )
    svg = count_map(
        {code: counts.get(code, 0) for code in REGION_NAMES},
        title=gettext("Projets data et IA publiés, par région"),
        desc=gettext("Nombre de projets du catalogue par région de la collectivité qui les porte."),
        count_label=lambda n: ngettext("%(n)s projet", "%(n)s projets", n) % {"n": n},
        none_label=gettext("aucun projet"),
        lang=lang,
    )
    return render(request, "projects/map.html", {"svg": svg, "rows": rows, "total": sum(counts.values())})


def export_rows(lang: str = "fr") -> list[dict[str, Any]]:
    return [project_row(p, lang) for p in services.public_projects()]


def download(request: HttpRequest, fmt: str) -> HttpResponse:
    import csv
    import io
    import json

    from barometre.core.text import neutralise_formula

    rows = export_rows(active_lang())
    if fmt == "json":
        body = json.dumps(
            {"license": "Licence Ouverte 2.0", "note": "simulated=true : données simulées", "projects": rows},
            ensure_ascii=False,
            indent=1,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: ("true" if v else "false")
                    if isinstance(v, bool)
                    else (neutralise_formula(v) if isinstance(v, str) else v)
                    for k, v in row.items()
                }
            )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404("unknown format")
    response["Content-Disposition"] = f'attachment; filename="projets.{fmt}"'
    return response


def mutualisation_view(request: HttpRequest, code: str) -> HttpResponse:
    from barometre.apps.editions import queries
    from barometre.apps.projects import mutualisation
    from barometre.core.errors import BarometreError

    edition = queries.pick_edition(request.GET.get("edition"))
    if edition is None:
        raise Http404("no published edition")
    try:
        data = mutualisation.show(code, edition.year)
    except NotFound:
        raise Http404("unknown body") from None
    except BarometreError:
        raise Http404("not a pooling body") from None
    lang = active_lang()
    labels = {i.id: i.label.get(lang) for i in queries.catalogue().indicators}

    def rows(items: list[dict[str, Any]], names: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {**a, "label": names.get(a["key"], a["key"]), "reason_label": REASON_LABELS.get(a["reason"] or "")}
            for a in items
        ]

    context = {
        "data": data,
        "edition": edition,
        "editions": list(queries.published_editions()),
        "indicators": rows(data["indicators"], labels),
        "shared": rows(data["shared_resources"], labels),
        "gaps": rows(data["gaps"], GAP_LABELS),
        "simulated_banner": data["simulated"],
    }
    return render(request, "projects/mutualisation.html", context)
