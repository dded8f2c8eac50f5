"""Small accessible SVG charts for the web pages (no JavaScript needed).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
stating the key result; the page shows the data table beside it. The report
(``core/report``) draws its print figures with matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from barometre.core.formatting import format_percent

BLUE = "#000091"
GREY = "#666666"
PUBLISHED = "#c9191e"


@dataclass(frozen=True)
class Bar:
    label: str
    estimate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    note: str = ""


def interval_bars(bars: Sequence[Bar], *, title: str, desc: str, lang: str = "fr", width: int = 640) -> str:
    """Horizontal bars (percent, 0–100) with their 95 % interval as a whisker."""
    label_w, bar_h, gap, top = 230, 18, 10, 10
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
    if len(ours) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(p.edition):.1f},{y(p.value):.1f}" for i, p in enumerate(ours))
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
