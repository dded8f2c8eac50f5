"""The results explorer: theme → indicator → breakdown, with intervals and trends."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from barometre.apps.editions import queries
from barometre.apps.editions.models import Edition
from barometre.apps.editions.queries import ExplorerRow
from barometre.apps.i18n import active_lang
from barometre.core import charts
from barometre.core.errors import NotFound
from barometre.core.indicators.catalogue import Indicator
from barometre.core.indicators.compute import ESTIMATE_COLUMNS
from barometre.core.text import neutralise_formula
from barometre.core.wording.labels import interval_method_text, plain_definition, reason_label
from barometre.core.wording.numbers import format_percent

if TYPE_CHECKING:
    from barometre.apps.poll.models import PollEdition


class PollResults(TypedDict):
    """A published poll for its page: the edition, its indicators with their breakdowns, its source."""

    poll: PollEdition
    indicators: list[dict[str, Any]]
    source: str


#: How long a drawn chart image is kept (its key changes anyway when the edition is computed again).
PNG_CACHE_SECONDS = 24 * 3600


def _csv_columns() -> list[str]:
    """The estimate's columns (:data:`ESTIMATE_COLUMNS`) with the edition first, the domain's label
    after its code, the respondent-base share beside the population, and the simulation flag last."""
    columns = ["edition", *ESTIMATE_COLUMNS]
    columns.insert(columns.index("domain_value") + 1, "label")
    columns.remove("respondent_share")
    columns.insert(columns.index("population") + 1, "respondent_share")
    return [*columns, "simulated"]


#: Columns of the explorer's CSV download.
CSV_COLUMNS = _csv_columns()


def _edition_label(edition: Edition) -> str:
    return gettext("Édition %(y)s") % {"y": edition.year}


def index(request: HttpRequest) -> HttpResponse:
    edition = queries.pick_edition(request.GET.get("edition"))
    if request.GET.get("edition") and edition is None:
        raise Http404("unknown edition")
    lang = active_lang()
    context = {
        "edition": edition,
        "editions": list(queries.published_editions()),
        "themes": queries.themes_with_indicators(edition, lang) if edition else [],
        "simulated_banner": bool(edition and edition.simulated),
        "poll": poll_results(edition.year, lang) if edition else None,
    }
    return render(request, "public/explorer.html", context)


def _indicator(indicator_id: str) -> Indicator:
    try:
        return queries.catalogue().get(indicator_id)
    except NotFound:
        raise Http404("unknown indicator") from None


def _view_state(request: HttpRequest, indicator_id: str) -> tuple[Indicator, Edition, str, list[ExplorerRow]]:
    indicator = _indicator(indicator_id)
    edition = queries.pick_edition(request.GET.get("edition"))
    if edition is None:
        raise Http404("no published edition")
    breakdown = request.GET.get("breakdown") or "ensemble"
    if breakdown not in indicator.breakdowns:
        raise Http404("unknown breakdown")
    rows = queries.estimate_rows(edition, indicator, breakdown, active_lang())
    return indicator, edition, breakdown, rows


def _bars_svg(indicator: Indicator, edition: Edition, breakdown: str, rows: list[ExplorerRow]) -> str:
    lang = active_lang()
    note = "secret statistique" if lang == "fr" else "suppressed"
    bars = [charts.Bar.of(r.estimate, r.label, note) for r in rows]
    shown = [b for b in bars if b.estimate is not None]
    if shown:
        top = max(shown, key=lambda b: b.estimate or 0.0)
        desc = (
            f"Valeur la plus élevée : {top.label}, {format_percent(top.estimate or 0.0, 0, lang)}."
            if lang == "fr"
            else f"Highest value: {top.label}, {format_percent(top.estimate or 0.0, 0, lang)}."
        )
    else:
        desc = "Aucune valeur publiable." if lang == "fr" else "No publishable value."
    title = f"{indicator.label.get(lang)} — {_edition_label(edition)}"
    return charts.interval_bars(bars, title=title, desc=desc, lang=lang)


def indicator_page(request: HttpRequest, indicator_id: str) -> HttpResponse:
    indicator, edition, breakdown, rows = _view_state(request, indicator_id)
    lang = active_lang()
    series = queries.series(indicator, lang)
    trend_svg = charts.trend(
        [
            charts.Point(p.edition, p.value, p.ci_low, p.ci_high, p.kind == "published")
            for p in series
            if p.value is not None
        ],
        title=(
            f"Évolution — {indicator.short_label.get(lang)}"
            if lang == "fr"
            else f"Trend — {indicator.short_label.get(lang)}"
        ),
        desc=(
            "Estimations pondérées (points bleus, avec intervalle) et valeurs publiées à l'époque (losanges rouges)."
            if lang == "fr"
            else "Weighted estimates (blue dots, with interval) and values published at the time (red diamonds)."
        ),
        lang=lang,
    )
    cat = queries.catalogue()
    map_svg = ""
    if breakdown == "region":
        values = {r.estimate.domain_value: r.estimate.estimate for r in rows}
        shown = {k: v for k, v in values.items() if v is not None}
        desc = (
            f"{len(shown)} régions publiées sur {len(values)} ; les autres reposent sur trop peu de répondants."
            if lang == "fr"
            else f"{len(shown)} régions published out of {len(values)}; the others rest on too few respondents."
        )
        map_svg = charts.region_map(
            values, title=f"{indicator.short_label.get(lang)} — {_edition_label(edition)}", desc=desc, lang=lang
        )
    small_areas = _small_area_maps(indicator, edition, lang)
    if breakdown == "region" and "region" in small_areas:
        map_svg = small_areas["region"]["svg"]
    context = {
        "small_area_departement": small_areas.get("departement"),
        "cv_limit": format_percent(30, 0, lang),
        "map_is_model": breakdown == "region" and "region" in small_areas,
        "indicator": indicator,
        "label": indicator.label.get(lang),
        "description": indicator.description.get(lang) if indicator.description else "",
        "universe": cat.universes[indicator.universe].label.get(lang),
        "definition": plain_definition(indicator, cat, edition.year, lang),
        "interval_method": interval_method_text(lang),
        "edition": edition,
        "editions": list(queries.published_editions()),
        "breakdown": breakdown,
        "breakdowns": [{"id": b, "label": cat.breakdowns[b].label.get(lang)} for b in indicator.breakdowns],
        "rows": rows,
        "chart_svg": _bars_svg(indicator, edition, breakdown, rows),
        "trend_svg": trend_svg,
        "map_svg": map_svg,
        "series": series,
        "published": indicator.published,
        "simulated_banner": bool(edition.simulated),
    }
    context.update(_citation(request, indicator, edition, breakdown, lang))
    return render(request, "public/indicator.html", context)


def _citation(
    request: HttpRequest, indicator: Indicator, edition: Edition, breakdown: str, lang: str
) -> dict[str, str]:
    """« Comment citer »: the reference and a permalink that opens this same view (edition, breakdown)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    cat = queries.catalogue()
    query = urlencode({"edition": edition.year, "breakdown": breakdown})
    permalink = request.build_absolute_uri(f"{reverse('public:indicator', args=[indicator.id])}?{query}")
    label = indicator.label.get(lang)
    by = cat.breakdowns[breakdown].label.get(lang)
    if lang == "fr":
        sim = ", données simulées" if edition.simulated else ""
        text = (
            f"Baromètre data, IA et cybersécurité des collectivités territoriales, édition {edition.year}{sim}, "
            f"« {label} », {by.lower()}, estimations pondérées avec intervalle de confiance à 95 %. {permalink}"
        )
    else:
        sim = ", simulated data" if edition.simulated else ""
        text = (
            f"Barometer of data, AI and cybersecurity in French local authorities, {edition.year} edition{sim}, "
            f"\u201c{label}\u201d, {by.lower()}, weighted estimates with 95% confidence interval. {permalink}"
        )
    return {"citation": text, "permalink": permalink}


def _small_area_maps(indicator: Indicator, edition: Edition, lang: str) -> dict[str, dict[str, Any]]:
    """Model-based maps (Fay–Herriot, stored with the indicators) by level, with their rows."""
    from barometre.apps.editions import smallarea

    out: dict[str, dict[str, Any]] = {}
    for level, (checks, rows) in smallarea.stored_levels(edition, indicator.id).items():
        values = {
            r["area"]: charts.AreaValue(r["name"], r["eblup"], r["cv"], r["direct"], r["n"], r["method"]) for r in rows
        }
        fr = lang == "fr"
        where = (
            ("départements" if level == "departement" else "régions")
            if fr
            else ("départements" if level == "departement" else "regions")
        )
        desc = (
            f"Estimation par modèle pour les {len(rows)} {where}, avec son coefficient de variation ; "
            f"estimation directe publiée pour {sum(r['direct'] is not None for r in rows)} d'entre eux."
            if fr
            else f"Model-based estimate for all {len(rows)} {where}, with its coefficient of variation; "
            f"direct estimate published for {sum(r['direct'] is not None for r in rows)} of them."
        )
        title = f"{indicator.short_label.get(lang)} — {_edition_label(edition)}" + (
            " — estimation par modèle" if fr else " — model-based estimate"
        )
        out[level] = {
            "svg": charts.small_area_map(level, values, title=title, desc=desc, lang=lang),
            "rows": [{**r, "cv_pct": None if r["cv"] is None else 100 * r["cv"]} for r in rows],
            "checks": checks,
        }
    return out


def indicator_csv(request: HttpRequest, indicator_id: str) -> HttpResponse:
    indicator, edition, breakdown, rows = _view_state(request, indicator_id)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        e = r.estimate
        writer.writerow(
            [
                edition.year,
                indicator.id,
                breakdown,
                neutralise_formula(e.domain_value),
                neutralise_formula(r.label),
                *["" if v is None else v for v in (e.estimate, e.se, e.ci_low, e.ci_high)],
                *["" if v is None else v for v in (e.n, e.population, e.respondent_share)],
                "true" if e.suppressed else "false",
                e.reason if e.suppressed else "",
                "true" if e.imprecise and not e.suppressed else "false",
                "true" if edition.simulated else "false",
            ]
        )
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    suffix = "-donnees-simulees" if edition.simulated else ""
    response["Content-Disposition"] = f'attachment; filename="{indicator.id}-{edition.year}-{breakdown}{suffix}.csv"'
    return response


def indicator_svg(request: HttpRequest, indicator_id: str) -> HttpResponse:
    indicator, edition, breakdown, rows = _view_state(request, indicator_id)
    svg = _bars_svg(indicator, edition, breakdown, rows)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.id}-{edition.year}-{breakdown}.svg"'
    return response


def indicator_png(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """The same chart as a PNG (drawn by the report's matplotlib figures), cached per data version."""
    indicator, edition, breakdown, rows = _view_state(request, indicator_id)
    if not rows:
        raise Http404("no estimate for this breakdown in this edition")
    lang = active_lang()
    # Drawing costs most of a second: the image is kept per data version (the edition's last
    # computation), in this process's memory; a withdrawn edition is no longer picked at all.
    computed = edition.indicators_computed_at
    key = f"explorer:png:{indicator.id}:{edition.pk}:{computed.isoformat() if computed else ''}:{breakdown}:{lang}"
    png = caches["local"].get(key)
    if png is None:
        png = _draw_png(indicator, edition, breakdown, rows, lang)
        caches["local"].set(key, png, timeout=PNG_CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{indicator.id}-{edition.year}-{breakdown}.png"'
    return response


def _draw_png(indicator: Indicator, edition: Edition, breakdown: str, rows: list[ExplorerRow], lang: str) -> bytes:
    import tempfile
    from pathlib import Path

    from barometre.core.report import figures

    bars = tuple(figures.Bar.of(r.estimate, r.label, reason_label(r.estimate.reason, lang)) for r in rows)
    title = f"{indicator.label.get(lang)} — {_edition_label(edition)}"
    with tempfile.TemporaryDirectory(prefix="barometre-chart-") as tmp:
        files = figures.bar_chart(
            Path(tmp),
            "chart",
            title,
            [figures.Panel(title, bars)],
            lang=lang,
            suppressed_label="secret statistique" if lang == "fr" else "suppressed",
            axis_label="% des collectivités du champ" if lang == "fr" else "% of authorities in scope",
        )
        return (Path(tmp) / files.png).read_bytes()


# --------------------------------------------------------------------------- the poll of French adults


def poll_results(year: int, lang: str) -> PollResults | None:
    """A published poll's estimates grouped by indicator and breakdown, with labels (None if unpublished)."""
    from barometre.apps.poll.models import PollEdition, PollState
    from barometre.core.poll import load_poll_catalogue

    poll = PollEdition.objects.filter(year=year, state=PollState.PUBLISHED).first()
    if poll is None:
        return None
    cat = load_poll_catalogue()
    by_key = {(e.indicator, e.breakdown, e.domain_value): e for e in poll.estimates.all()}
    indicators = []
    for ind in cat.for_edition(year):
        breakdowns = []
        for b in cat.breakdowns:
            rows = [
                {"label": b.domain_label(code, lang), "row": by_key.get((ind.id, b.id, code))}
                for code, _label in b.domains
            ]
            breakdowns.append({"id": b.id, "label": b.label[lang], "rows": rows})
        pub = ind.published_value(year)
        indicators.append(
            {
                "id": ind.id,
                "label": ind.label[lang],
                "overall": by_key.get((ind.id, "ensemble", "ensemble")),
                "published": None if pub is None else pub.value,
                "breakdowns": breakdowns,
            }
        )
    return {"poll": poll, "indicators": indicators, "source": cat.source(year, lang)}


def poll_page(request: HttpRequest, year: int) -> HttpResponse:
    context = poll_results(year, active_lang())
    if context is None:
        raise Http404("unknown poll")
    return render(request, "public/poll.html", {**context, "simulated_banner": context["poll"].simulated})
