"""The results explorer: theme → indicator → breakdown, with intervals and trends."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from barometre.apps.editions import queries
from barometre.apps.i18n import active_lang
from barometre.core import charts
from barometre.core.errors import NotFound
from barometre.core.formatting import format_percent
from barometre.core.indicators.catalogue import Indicator
from barometre.core.indicators.labels import interval_method_text, plain_definition, reason_label

CSV_COLUMNS = [
    "edition",
    "indicator",
    "breakdown",
    "domain_value",
    "label",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n",
    "population",
    "respondent_share",
    "suppressed",
    "reason",
    "imprecise",
    "simulated",
]


def _edition_label(edition: object) -> str:
    return gettext("Édition %(y)s") % {"y": edition.year}  # type: ignore[attr-defined]


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
    }
    return render(request, "public/explorer.html", context)


def _indicator(indicator_id: str) -> Indicator:
    try:
        return queries.catalogue().get(indicator_id)
    except NotFound:
        raise Http404("unknown indicator") from None


def _view_state(request: HttpRequest, indicator_id: str) -> tuple[Indicator, object, str, list[dict[str, object]]]:
    indicator = _indicator(indicator_id)
    edition = queries.pick_edition(request.GET.get("edition"))
    if edition is None:
        raise Http404("no published edition")
    breakdown = request.GET.get("breakdown") or "ensemble"
    if breakdown not in indicator.breakdowns:
        raise Http404("unknown breakdown")
    rows = queries.estimate_rows(edition, indicator, breakdown, active_lang())
    return indicator, edition, breakdown, rows


def _bars_svg(indicator: Indicator, edition: object, breakdown: str, rows: list[dict[str, object]]) -> str:
    lang = active_lang()
    bars = []
    for r in rows:
        e = r["estimate"]
        bars.append(
            charts.Bar(
                label=str(r["label"]),
                estimate=e.estimate,  # type: ignore[attr-defined]
                ci_low=e.ci_low,  # type: ignore[attr-defined]
                ci_high=e.ci_high,  # type: ignore[attr-defined]
                note="secret statistique" if lang == "fr" else "suppressed",
            )
        )
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
            charts.Point(p["edition"], p["value"], p["ci_low"], p["ci_high"], p["kind"] == "published")
            for p in series
            if p["value"] is not None
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
        values = {r["estimate"].domain_value: r["estimate"].estimate for r in rows}  # type: ignore[attr-defined]
        shown = {k: v for k, v in values.items() if v is not None}
        desc = (
            f"{len(shown)} régions publiées sur {len(values)} ; les autres reposent sur trop peu de répondants."
            if lang == "fr"
            else f"{len(shown)} régions published out of {len(values)}; the others rest on too few respondents."
        )
        map_svg = charts.region_map(
            values, title=f"{indicator.short_label.get(lang)} — {_edition_label(edition)}", desc=desc, lang=lang
        )
    context = {
        "indicator": indicator,
        "label": indicator.label.get(lang),
        "description": indicator.description.get(lang) if indicator.description else "",
        "universe": cat.universes[indicator.universe].label.get(lang),
        "definition": plain_definition(indicator, cat, edition.year, lang),  # type: ignore[attr-defined]
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
        "simulated_banner": bool(edition.simulated),  # type: ignore[attr-defined]
    }
    return render(request, "public/indicator.html", context)


def indicator_csv(request: HttpRequest, indicator_id: str) -> HttpResponse:
    indicator, edition, breakdown, rows = _view_state(request, indicator_id)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        e = r["estimate"]
        writer.writerow(
            [
                edition.year,  # type: ignore[attr-defined]
                indicator.id,
                breakdown,
                e.domain_value,  # type: ignore[attr-defined]
                r["label"],
                *["" if v is None else v for v in (e.estimate, e.se, e.ci_low, e.ci_high)],  # type: ignore[attr-defined]
                *["" if v is None else v for v in (e.n, e.population, e.respondent_share)],  # type: ignore[attr-defined]
                "true" if e.suppressed else "false",  # type: ignore[attr-defined]
                e.reason if e.suppressed else "",  # type: ignore[attr-defined]
                "true" if e.imprecise and not e.suppressed else "false",  # type: ignore[attr-defined]
                "true" if edition.simulated else "false",  # type: ignore[attr-defined]
            ]
        )
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    suffix = "-donnees-simulees" if edition.simulated else ""  # type: ignore[attr-defined]
    response["Content-Disposition"] = f'attachment; filename="{indicator.id}-{edition.year}-{breakdown}{suffix}.csv"'  # type: ignore[attr-defined]
    return response


def indicator_svg(request: HttpRequest, indicator_id: str) -> HttpResponse:
    indicator, edition, breakdown, rows = _view_state(request, indicator_id)
    svg = _bars_svg(indicator, edition, breakdown, rows)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.id}-{edition.year}-{breakdown}.svg"'  # type: ignore[attr-defined]
    return response


def indicator_png(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """The same chart as a PNG (drawn by the report's matplotlib figures)."""
    import tempfile
    from pathlib import Path

    from barometre.core.report import figures

    indicator, edition, breakdown, rows = _view_state(request, indicator_id)
    lang = active_lang()
    bars = tuple(
        figures.Bar(
            label=str(r["label"]),
            estimate=r["estimate"].estimate,  # type: ignore[attr-defined]
            ci_low=r["estimate"].ci_low,  # type: ignore[attr-defined]
            ci_high=r["estimate"].ci_high,  # type: ignore[attr-defined]
            n=r["estimate"].n,  # type: ignore[attr-defined]
            domain=r["estimate"].domain_value,  # type: ignore[attr-defined]
            breakdown=breakdown,
            reason=reason_label(r["estimate"].reason, lang),  # type: ignore[attr-defined]
        )
        for r in rows
    )
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
        png = (Path(tmp) / files.png).read_bytes()
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{indicator.id}-{edition.year}-{breakdown}.png"'  # type: ignore[attr-defined]
    return response
