"""Small accessible SVG charts for the web pages (no JavaScript needed).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
stating the key result; the page shows the data table beside it. The report
(``core/report``) draws its print figures with matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Protocol, TypeVar

from barometre.core.wording import charts as wording
from barometre.core.wording.numbers import format_percent

BLUE = "#000091"
GREY = "#666666"
PUBLISHED = "#c9191e"


class Estimate(Protocol):
    """What a bar reads of an estimate row (``core.indicators.compute.EstimateRow``)."""

    @property
    def estimate(self) -> float | None: ...
    @property
    def ci_low(self) -> float | None: ...
    @property
    def ci_high(self) -> float | None: ...


@dataclass(frozen=True)
class Bar:
    label: str
    estimate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    note: str = ""

    @classmethod
    def of(cls, row: Estimate, label: str, note: str = "") -> Bar:
        """The bar of an estimate row: its value and 95 % interval under ``label``."""
        return cls(label, row.estimate, row.ci_low, row.ci_high, note)


def interval_bars(bars: Sequence[Bar], *, title: str, desc: str, lang: str = "fr", width: int = 640) -> str:
    """Horizontal bars (percent, 0–100) with their 95 % interval as a whisker."""
    bar_h, gap, top = 18, 10, 10
    # room for the longest label (about 6.6 px per character at 12 px), the plot keeps 360 px at least
    label_w = max(120, min(460, int(6.6 * max((len(b.label) for b in bars), default=10)) + 12))
    width = max(width, label_w + 360 + 70)
    plot_w = width - label_w - 70
    height = top + len(bars) * (bar_h + gap) + 30

    def x(v: float) -> float:
        return label_w + max(0.0, min(100.0, v)) / 100.0 * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="t d" class="barometre-chart">',
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>',
    ]
    for tick in (0, 25, 50, 75, 100):
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 26}" stroke="#ddd" stroke-width="1"/>'
            f'<text x="{tx:.1f}" y="{height - 10}" font-size="11" text-anchor="middle" fill="{GREY}">'
            f"{escape(format_percent(tick, lang=lang))}</text>"
        )
    for i, b in enumerate(bars):
        y = top + i * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.72:.1f}" font-size="12" text-anchor="end" fill="#161616">'
            f"{escape(b.label)}</text>"
        )
        if b.estimate is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + bar_h * 0.72:.1f}" font-size="12" fill="{GREY}">'
                f"{escape(b.note or 'n.d.')}</text>"
            )
            continue
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{x(b.estimate) - label_w:.1f}" height="{bar_h}" fill="{BLUE}"/>'
        )
        if b.ci_low is not None and b.ci_high is not None:
            cy = y + bar_h / 2
            parts.append(
                f'<line x1="{x(b.ci_low):.1f}" y1="{cy}" x2="{x(b.ci_high):.1f}" y2="{cy}" stroke="{GREY}" '
                f'stroke-width="2"/><line x1="{x(b.ci_low):.1f}" y1="{y + 3}" x2="{x(b.ci_low):.1f}" '
                f'y2="{y + bar_h - 3}" stroke="{GREY}" stroke-width="2"/><line x1="{x(b.ci_high):.1f}" '
                f'y1="{y + 3}" x2="{x(b.ci_high):.1f}" y2="{y + bar_h - 3}" stroke="{GREY}" stroke-width="2"/>'
            )
        value_x = x(b.ci_high if b.ci_high is not None else b.estimate) + 6
        parts.append(
            f'<text x="{value_x:.1f}" y="{y + bar_h * 0.72:.1f}" font-size="12" fill="#161616">'
            f"{escape(format_percent(b.estimate, 0, lang))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


class _Dated(Protocol):
    @property
    def edition(self) -> int: ...


D = TypeVar("D", bound=_Dated)


def consecutive_runs(points: Sequence[D]) -> list[list[D]]:
    """``points`` (in edition order) cut where an edition is missing: a trend line is drawn along
    each run and never across a gap (an edition with no estimate, or not held that year), for the
    explorer's SVG and the note's figures alike."""
    runs: list[list[D]] = []
    for p in points:
        if runs and p.edition == runs[-1][-1].edition + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


@dataclass(frozen=True)
class Point:
    edition: int
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    published: bool = False


def trend(points: Sequence[Point], *, title: str, desc: str, lang: str = "fr", width: int = 640) -> str:
    """Estimates across editions (with intervals) and published values (red diamonds)."""
    height, left, right, top, bottom = 260, 50, 20, 15, 40
    years = sorted({p.edition for p in points}) or [0]
    span = max(1, years[-1] - years[0])

    def x(year: int) -> float:
        if len(years) == 1:
            return left + (width - left - right) / 2
        return left + (year - years[0]) / span * (width - left - right)

    def y(v: float) -> float:
        return top + (1 - max(0.0, min(100.0, v)) / 100.0) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="tt td" class="barometre-chart">',
        f'<title id="tt">{escape(title)}</title><desc id="td">{escape(desc)}</desc>',
    ]
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" fill="{GREY}">'
            f"{escape(format_percent(tick, lang=lang))}</text>"
        )
    for yr in years:
        parts.append(
            f'<text x="{x(yr):.1f}" y="{height - 15}" font-size="12" text-anchor="middle" fill="#161616">{yr}</text>'
        )
    ours = sorted((p for p in points if not p.published), key=lambda p: p.edition)
    for run in consecutive_runs(ours):
        if len(run) > 1:  # one line per run of consecutive editions, none across a gap
            path = " ".join(f"{'M' if i == 0 else 'L'}{x(p.edition):.1f},{y(p.value):.1f}" for i, p in enumerate(run))
            parts.append(f'<path d="{path}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for p in ours:
        if p.ci_low is not None and p.ci_high is not None:
            parts.append(
                f'<line x1="{x(p.edition):.1f}" y1="{y(p.ci_low):.1f}" x2="{x(p.edition):.1f}" '
                f'y2="{y(p.ci_high):.1f}" stroke="{BLUE}" stroke-width="1.5" opacity="0.6"/>'
            )
        parts.append(f'<circle cx="{x(p.edition):.1f}" cy="{y(p.value):.1f}" r="4" fill="{BLUE}"/>')
    for p in points:
        if p.published:
            cx, cy = x(p.edition) + 8, y(p.value)
            parts.append(
                f'<path d="M{cx:.1f},{cy - 6:.1f} L{cx + 6:.1f},{cy:.1f} L{cx:.1f},{cy + 6:.1f} '
                f'L{cx - 6:.1f},{cy:.1f} Z" fill="{PUBLISHED}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


#: Sequential blues (light → dark) of the choropleth classes, DSFR-like.
MAP_CLASSES = ("#e3e3fd", "#cacafb", "#8585f6", "#4747e0", "#000091")
NOT_AVAILABLE = "#eeeeee"


def _map_outlines() -> dict[str, dict[str, object]]:
    import json

    from barometre.core.paths import DATA_DIR

    with open(DATA_DIR / "maps" / "regions.json", encoding="utf-8") as fh:
        data: dict[str, dict[str, dict[str, object]]] = json.load(fh)
    return data["regions"]


def region_map(values: dict[str, float | None], *, title: str, desc: str, lang: str = "fr", width: int = 640) -> str:
    """Choropleth of the régions (mainland, Corsica, and the five overseas régions as insets).

    ``values``: INSEE région code → percent, or None when not published (drawn grey, "n.d.").
    Five equal classes over 0–100; every région carries a ``<title>`` with its name and value.
    Outlines: ``data/maps/regions.json`` (@gouvfr/dsfr-chart, MIT).
    """
    nd = wording.not_published(lang)

    def fill(code: str) -> str:
        v = values.get(code)
        if v is None:
            return NOT_AVAILABLE
        return MAP_CLASSES[min(len(MAP_CLASSES) - 1, int(max(0.0, v) // 20))]

    def shown(code: str) -> str:
        v = values.get(code)
        return format_percent(v, 0, lang) if v is not None else nd

    legend = [
        (colour, f"{format_percent(20 * i, 0, lang)} – {format_percent(20 * (i + 1), 0, lang)}")
        for i, colour in enumerate(MAP_CLASSES)
    ]
    return choropleth(fill, shown, [*legend, (NOT_AVAILABLE, nd)], title=title, desc=desc, lang=lang, width=width)


def choropleth(
    fill: Callable[[str], str],
    shown: Callable[[str], str],
    legend: Sequence[tuple[str, str]],
    *,
    title: str,
    desc: str,
    lang: str = "fr",
    width: int = 640,
) -> str:
    """A région map: ``fill(code)`` colours each région, ``shown(code)`` is the value in its ``<title>``,
    ``legend`` lists (colour, text) boxes under the map (at most six)."""
    outlines = _map_outlines()
    main_size, inset_w, inset_h, gap = 1010.0, 190.0, 170.0, 20.0
    height_units = main_size + inset_h + gap + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {main_size:.0f} {height_units:.0f}" '
        f'width="100%" style="max-width:{width}px" aria-labelledby="mt md" class="barometre-chart barometre-map">',
        f'<title id="mt">{escape(title)}</title><desc id="md">{escape(desc)}</desc>',
    ]

    def label(code: str, name: str) -> str:
        return wording.named_value(name, shown(code), lang)

    insets = []
    for code, region in outlines.items():
        name = str(region["name"])
        paths = "".join(f'<path d="{escape(str(d))}"/>' for d in region["paths"])  # type: ignore[attr-defined]
        group = (
            f'<g fill="{fill(code)}" stroke="#ffffff" stroke-width="1.5" data-region="{escape(code)}">'
            f"<title>{escape(label(code, name))}</title>{paths}</g>"
        )
        if region.get("inset"):
            insets.append((code, region, group))
        else:
            parts.append(group)
    for i, (_code, region, group) in enumerate(insets):
        _, _, vw, vh = (float(x) for x in str(region["viewbox"]).split())
        scale = min((inset_w - 10) / vw, (inset_h - 30) / vh)
        x0 = i * (inset_w + 10)
        y0 = main_size + gap
        parts.append(
            f'<g transform="translate({x0:.1f},{y0:.1f})"><rect width="{inset_w:.0f}" height="{inset_h:.0f}" '
            f'fill="none" stroke="#dddddd"/><g transform="translate(5,5) scale({scale:.3f})">{group}</g>'
            f'<text x="{inset_w / 2:.0f}" y="{inset_h - 8:.0f}" font-size="18" text-anchor="middle" fill="#161616">'
            f"{escape(str(region['name']))}</text></g>"
        )
    ly = main_size + gap + inset_h + 15
    for i, (colour, text) in enumerate(legend):
        x = i * 170
        parts.append(
            f'<rect x="{x:.0f}" y="{ly:.0f}" width="24" height="24" fill="{colour}" stroke="#999999"/>'
            f'<text x="{x + 30:.0f}" y="{ly + 19:.0f}" font-size="20" fill="#161616">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _outlines(level: str) -> dict[str, dict[str, object]]:
    import json

    from barometre.core.paths import DATA_DIR

    name = "departements" if level == "departement" else "regions"
    with open(DATA_DIR / "maps" / f"{name}.json", encoding="utf-8") as fh:
        data: dict[str, dict[str, dict[str, object]]] = json.load(fh)
    return data[name]


@dataclass(frozen=True)
class AreaValue:
    """One area of a small-area map: model-based estimate (percent), its CV, the direct estimate."""

    name: str
    estimate: float | None
    cv: float | None
    direct: float | None
    #: None when the direct estimate is withheld (a hidden cell publishes no count)
    n: int | None
    method: str


def small_area_map(
    level: str, values: dict[str, AreaValue], *, title: str, desc: str, lang: str = "fr", width: int = 640
) -> str:
    """Choropleth of model-based estimates (Fay–Herriot) by département or région.

    Every area carries a ``<title>`` with its name, the model-based estimate labelled
    "estimation par modèle" with its CV, and the direct estimate beside it (or "non publiée");
    areas whose CV is above 30 % are hatched. Outlines: ``data/maps/departements.json`` and
    ``regions.json`` (@gouvfr/dsfr-chart, MIT).
    """
    outlines = _outlines(level)
    main_size, inset_w, inset_h, gap = 1010.0, 190.0, 170.0, 20.0
    height_units = main_size + inset_h + gap + 110
    uid = "sa" + level[:3]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {main_size:.0f} {height_units:.0f}" '
        f'width="100%" style="max-width:{width}px" aria-labelledby="{uid}t {uid}d" '
        'class="barometre-chart barometre-map barometre-small-area-map">',
        f'<title id="{uid}t">{escape(title)}</title><desc id="{uid}d">{escape(desc)}</desc>',
        f'<defs><pattern id="{uid}h" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="none"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern></defs>',
    ]

    def fill(v: AreaValue | None) -> str:
        if v is None or v.estimate is None:
            return NOT_AVAILABLE
        return MAP_CLASSES[min(len(MAP_CLASSES) - 1, int(max(0.0, v.estimate) // 20))]

    def label(code: str, v: AreaValue | None) -> str:
        name = v.name if v is not None else code
        if v is None or v.estimate is None:
            return wording.area_unavailable(name, lang)
        return wording.small_area_title(name, v.estimate, v.cv, v.direct, v.n, lang)

    insets = []
    for code, area in outlines.items():
        v = values.get(code)
        paths = "".join(f'<path d="{escape(str(d))}"/>' for d in area["paths"])  # type: ignore[attr-defined]
        hatch = (
            f'<g fill="url(#{uid}h)" stroke="none">{paths}</g>'
            if v is not None and (v.cv is None or v.cv > 0.3)
            else ""
        )
        group = (
            f'<g data-area="{escape(code)}"><title>{escape(label(code, v))}</title>'
            f'<g fill="{fill(v)}" stroke="#ffffff" stroke-width="1.5">{paths}</g>{hatch}</g>'
        )
        if area.get("inset"):
            insets.append((code, area, group))
        else:
            parts.append(group)
    for i, (code, area, group) in enumerate(insets):
        _, _, vw, vh = (float(x) for x in str(area["viewbox"]).split())
        scale = min((inset_w - 10) / vw, (inset_h - 30) / vh)
        x0 = i * (inset_w + 10)
        y0 = main_size + gap
        name = values[code].name if code in values else str(area.get("name", code))
        parts.append(
            f'<g transform="translate({x0:.1f},{y0:.1f})"><rect width="{inset_w:.0f}" height="{inset_h:.0f}" '
            f'fill="none" stroke="#dddddd"/><g transform="translate(5,5) scale({scale:.3f})">{group}</g>'
            f'<text x="{inset_w / 2:.0f}" y="{inset_h - 8:.0f}" font-size="18" text-anchor="middle" fill="#161616">'
            f"{escape(name)}</text></g>"
        )
    ly = main_size + gap + inset_h + 15
    for i, colour in enumerate(MAP_CLASSES):
        lo, hi = 20 * i, 20 * (i + 1)
        text = f"{format_percent(lo, 0, lang)} – {format_percent(hi, 0, lang)}"
        parts.append(
            f'<rect x="{i * 170:.0f}" y="{ly:.0f}" width="24" height="24" fill="{colour}" stroke="#999999"/>'
            f'<text x="{i * 170 + 30:.0f}" y="{ly + 19:.0f}" font-size="20" fill="#161616">{escape(text)}</text>'
        )
    ly2 = ly + 45
    legend = wording.small_area_legend(lang)
    parts.append(
        f'<rect x="0" y="{ly2:.0f}" width="24" height="24" fill="{MAP_CLASSES[2]}" stroke="#999999"/>'
        f'<rect x="0" y="{ly2:.0f}" width="24" height="24" fill="url(#{uid}h)"/>'
        f'<text x="30" y="{ly2 + 19:.0f}" font-size="20" fill="#161616">{escape(legend)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
