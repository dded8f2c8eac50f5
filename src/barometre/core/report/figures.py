"""Charts of the note (matplotlib, Agg): SVG + PNG + CSV per chart, reproducible byte for byte.

* :func:`bar_chart` — estimates by domain (strata, kinds…) with 95 % interval bars, in panels;
* :func:`trend_chart` — estimates across editions with interval bars, and the values published
  by earlier notes as distinct markers labelled "publié";
* :func:`choropleth` — one value per région, the five overseas régions as insets
  (outlines: ``data/maps/regions.json``).

Numbers on the charts are formatted by :mod:`barometre.core.wording.numbers` (French typography).
Text is drawn as paths in the SVG (Marianne when django-dsfr's fonts are found), so the SVG
files are self-contained.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import json
import math
import re
import shutil
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MPath
from matplotlib.ticker import FuncFormatter, MaxNLocator

from barometre.core.charts import consecutive_runs
from barometre.core.errors import ReportError
from barometre.core.paths import DATA_DIR
from barometre.core.text import neutralise_formula
from barometre.core.wording.numbers import format_percent

if TYPE_CHECKING:
    from barometre.core.indicators.compute import EstimateRow

BLUE = "#000091"  # DSFR blue-france-sun-113
BLUE_LIGHT = "#6A6AF4"  # blue-france-main-525
BLUE_PALE = "#E3E3FD"  # blue-france-925
RED = "#E1000F"  # red-marianne-main-472
GREY = "#666666"
GREY_LIGHT = "#DDDDDD"
#: Fill of a suppressed bar / région (no hatching: cheap to render in the PDF).
ND_FILL = "#F0F0F0"
ND_MAP = "#D9D9D9"
SERIES_COLORS = (BLUE, "#009081", "#A558A0", "#C3992A")
MAPS_PATH = DATA_DIR / "maps" / "regions.json"
FONT_FAMILY = "Marianne"
FALLBACK_FAMILY = "DejaVu Sans"


# --------------------------------------------------------------------------- fonts and style


def dsfr_fonts_dir() -> Path | None:
    """django-dsfr's font folder (Marianne), found without importing the package (no Django)."""
    spec = importlib.util.find_spec("dsfr")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        d = Path(loc) / "static" / "dsfr" / "dist" / "fonts"
        if (d / "Marianne-Regular.woff").exists():
            return d
    return None


@functools.lru_cache(maxsize=1)
def setup_style() -> str:
    """Register Marianne (converted from WOFF to TTF once, in the temp dir) and set rcParams.

    Returns the font family used (Marianne, or DejaVu Sans when the fonts are missing).
    """
    family = FALLBACK_FAMILY
    fonts = dsfr_fonts_dir()
    if fonts is not None:
        try:
            from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

            cache = Path(tempfile.gettempdir()) / "barometre-fonts"
            cache.mkdir(exist_ok=True)
            for weight in ("Regular", "Bold", "Medium"):
                ttf = cache / f"Marianne-{weight}.ttf"
                if not ttf.exists():
                    font = TTFont(str(fonts / f"Marianne-{weight}.woff"))
                    font.flavor = None
                    tmp = ttf.with_suffix(".tmp")
                    font.save(str(tmp))
                    tmp.replace(ttf)
                font_manager.fontManager.addfont(str(ttf))
            family = FONT_FAMILY
        except Exception:
            family = FALLBACK_FAMILY
    plt.rcParams.update(
        {
            "font.family": family,
            "font.size": 9,
            "axes.edgecolor": GREY,
            "axes.labelcolor": "#161616",
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "xtick.color": "#3A3A3A",
            "ytick.color": "#3A3A3A",
            "svg.hashsalt": "barometre",
            # text kept as <text> set in Marianne: one SVG serves the web page and the PDF (WeasyPrint
            # sets it in the document's fonts, much faster than glyph outlines), drawn once
            "svg.fonttype": "none",
            "path.simplify": True,
            "figure.dpi": 100,
        }
    )
    return family


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class ChartFiles:
    """Names (relative to the figures folder) of one chart's files."""

    id: str
    svg: str
    png: str
    csv: str


def _save(
    fig: Figure,
    out_dir: Path,
    chart_id: str,
    title: str,
    header: Sequence[str],
    data: Sequence[Sequence[Any]],
    png_dpi: int = 110,
    text_svg_dir: Path | None = None,
) -> ChartFiles:
    out_dir.mkdir(parents=True, exist_ok=True)
    svg, png, csv_name = f"{chart_id}.svg", f"{chart_id}.png", f"{chart_id}.csv"
    meta = {"Date": None, "Creator": None, "Title": title}
    fig.savefig(out_dir / svg, format="svg", metadata=meta)  # ``svg.fonttype`` none: text as <text>
    if text_svg_dir is not None:  # kept for callers that want a second copy of the SVG elsewhere
        shutil.copyfile(out_dir / svg, text_svg_dir / svg)
    fig.savefig(out_dir / png, format="png", dpi=png_dpi, metadata={"Software": None, "Title": title})
    plt.close(fig)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in data:
        w.writerow(["" if v is None else _csv_cell(v) for v in r])
    (out_dir / csv_name).write_text(buf.getvalue(), encoding="utf-8")
    return ChartFiles(chart_id, svg, png, csv_name)


def _csv_cell(value: object) -> object:
    """Numbers as numbers (4 decimals), text never read as a formula by a spreadsheet."""
    if isinstance(value, float):
        return f"{value:.4f}"
    return neutralise_formula(value) if isinstance(value, str) else value


def _pct_formatter(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda v, _pos: format_percent(v, 0, lang))


# --------------------------------------------------------------------------- bars


@dataclass(frozen=True)
class Bar:
    """One bar: a domain's estimate (percent) and its 95 % interval, or a suppressed cell."""

    label: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    domain: str
    breakdown: str
    #: wording of a hidden cell's reason ("" when shown)
    reason: str = ""

    @classmethod
    def of(cls, row: EstimateRow, label: str, reason: str = "") -> Bar:
        """The bar of an estimate row as it is stored (suppressed cells have no estimate); ``reason``: the
        wording of a hidden cell's reason code."""
        return cls(label, row.estimate, row.ci_low, row.ci_high, row.n, row.domain_value, row.breakdown, reason)


@dataclass(frozen=True)
class Panel:
    title: str
    bars: tuple[Bar, ...]


def bar_chart(
    out_dir: Path,
    chart_id: str,
    title: str,
    panels: Sequence[Panel],
    *,
    lang: str,
    suppressed_label: str,
    axis_label: str,
    text_svg_dir: Path | None = None,
) -> ChartFiles:
    """Horizontal bars by domain, one panel per breakdown, 95 % interval as error bars."""
    setup_style()
    panels = [p for p in panels if p.bars]
    if not panels:
        raise ReportError(f"graphique {chart_id} : aucune donnée")
    heights = [len(p.bars) + 1.2 for p in panels]
    fig, axes = plt.subplots(
        len(panels), 1, figsize=(7.2, 0.26 * sum(heights) + 0.9), gridspec_kw={"height_ratios": heights}, squeeze=False
    )
    rows: list[list[Any]] = []
    for ax, panel in zip(axes[:, 0], panels, strict=True):
        ys = list(range(len(panel.bars)))[::-1]
        for y, b in zip(ys, panel.bars, strict=True):
            rows.append([panel.title, b.breakdown, b.domain, b.label, b.estimate, b.ci_low, b.ci_high, b.n, b.reason])
            if b.estimate is None or b.ci_low is None or b.ci_high is None:
                ax.barh(y, 100, color=ND_FILL, height=0.62, linewidth=0)
                ax.text(2, y, suppressed_label, va="center", ha="left", fontsize=7.5, color=GREY)
                continue
            ax.barh(y, b.estimate, color=BLUE, height=0.62)
            ax.errorbar(
                b.estimate,
                y,
                xerr=[[b.estimate - b.ci_low], [b.ci_high - b.estimate]],
                fmt="none",
                ecolor=RED,
                elinewidth=1.1,
                capsize=2.5,
            )
            inside = b.ci_high > 90  # no room right of the interval: the value goes inside the bar
            ax.text(
                b.estimate - 1.5 if inside else b.ci_high + 1.5,
                y,
                format_percent(b.estimate, 0, lang),
                va="center",
                ha="right" if inside else "left",
                fontsize=7.5,
                color="white" if inside else "#161616",
                fontweight="bold" if inside else "normal",
            )
        ax.set_yticks(ys, [b.label for b in panel.bars], fontsize=7.5)
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.6, len(panel.bars) - 0.4)
        ax.xaxis.set_major_formatter(_pct_formatter(lang))
        ax.tick_params(axis="x", labelsize=7.5)
        ax.set_title(panel.title, loc="left", fontsize=8.5, color=BLUE)
        ax.grid(axis="x", color="#EEEEEE", linewidth=0.6)
        ax.set_axisbelow(True)
    axes[-1, 0].set_xlabel(axis_label, fontsize=7.5)
    fig.tight_layout()
    return _save(
        fig,
        out_dir,
        chart_id,
        title,
        ["panel", "breakdown", "domain", "label", "estimate", "ci_low", "ci_high", "n", "reason"],
        rows,
        text_svg_dir=text_svg_dir,
    )


# --------------------------------------------------------------------------- trends


@dataclass(frozen=True)
class TrendPoint:
    edition: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None = 0


@dataclass(frozen=True)
class Series:
    """One domain's estimates across editions and the values published for it."""

    label: str
    breakdown: str
    domain: str
    points: tuple[TrendPoint, ...]
    published: tuple[tuple[int, float], ...] = ()


def trend_chart(
    out_dir: Path,
    chart_id: str,
    title: str,
    series: Sequence[Series],
    *,
    lang: str,
    estimate_label: str,
    published_label: str,
    text_svg_dir: Path | None = None,
) -> ChartFiles:
    """Estimates across editions (line, 95 % interval bars) and published values (hollow diamonds)."""
    setup_style()
    fig, ax = plt.subplots(figsize=(7.2, 3.4 + 0.18 * ((len(series) * 2 + 1) // 2)))
    rows: list[list[Any]] = []
    years: set[int] = set()
    for k, s in enumerate(series):
        color = SERIES_COLORS[k % len(SERIES_COLORS)]
        shown = [p for p in s.points if p.estimate is not None and p.ci_low is not None and p.ci_high is not None]
        off = (k - (len(series) - 1) / 2) * 0.06
        # the line is broken where an edition is missing (no estimate drawn across a gap)
        for r, run in enumerate(consecutive_runs(shown)):
            xs = [p.edition + off for p in run]
            ys = [float(p.estimate or 0.0) for p in run]
            lo = [y - float(p.ci_low or 0.0) for y, p in zip(ys, run, strict=True)]
            hi = [float(p.ci_high or 0.0) - y for y, p in zip(ys, run, strict=True)]
            ax.errorbar(
                xs,
                ys,
                yerr=[lo, hi],
                color=color,
                marker="o",
                markersize=4.5,
                linewidth=1.6,
                capsize=3,
                label=f"{s.label} — {estimate_label}" if r == 0 else None,
            )
        for p in s.points:
            years.add(p.edition)
            rows.append([s.label, s.breakdown, s.domain, p.edition, "estimate", p.estimate, p.ci_low, p.ci_high, p.n])
        if s.published:
            px = [e + off for e, _ in s.published]
            py = [v for _, v in s.published]
            ax.scatter(
                px,
                py,
                marker="D",
                s=36,
                facecolors="white",
                edgecolors=color,
                linewidths=1.5,
                zorder=5,
                label=f"{s.label} — {published_label}",
            )
            for e, v in s.published:
                years.add(e)
                ax.annotate(
                    published_label, (e + off, v), textcoords="offset points", xytext=(6, -3), fontsize=6.5, color=color
                )
                rows.append([s.label, s.breakdown, s.domain, e, "published", v, None, None, None])
    ax.set_ylim(0, 106)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.yaxis.set_major_formatter(_pct_formatter(lang))
    yrs = sorted(years)
    if yrs:
        ax.set_xlim(yrs[0] - 0.5, yrs[-1] + 0.5)
        ax.set_xticks(yrs, [str(y) for y in yrs])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True)) if not yrs else None
    ax.grid(axis="y", color="#EEEEEE", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    fig.tight_layout()
    return _save(
        fig,
        out_dir,
        chart_id,
        title,
        ["series", "breakdown", "domain", "edition", "kind", "value", "ci_low", "ci_high", "n"],
        rows,
        text_svg_dir=text_svg_dir,
    )


# --------------------------------------------------------------------------- map


_TOKEN = re.compile(r"([MmLlHhVvCcSsQqTtAaZz])|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}


def svg_path(d: str) -> MPath:
    """A matplotlib Path from an SVG path ``d`` (arcs drawn as straight segments)."""
    verts: list[tuple[float, float]] = []
    codes: list[Any] = []
    cmd = ""
    nums: list[float] = []
    x = y = sx = sy = 0.0
    last_ctrl: tuple[float, float] | None = None

    def flush(c: str, args: list[float]) -> None:
        nonlocal x, y, sx, sy, last_ctrl
        up, rel = c.upper(), c.islower()
        if up == "Z":
            if codes:
                verts.append((sx, sy))
                codes.append(MPath.CLOSEPOLY)
            x, y = sx, sy
            last_ctrl = None
            return
        n = _ARITY[up]
        first = True
        for i in range(0, len(args) - n + 1, n):
            a = args[i : i + n]
            ox, oy = (x, y) if rel else (0.0, 0.0)
            if up == "M":
                x, y = a[0] + ox, a[1] + oy
                if first:
                    verts.append((x, y))
                    codes.append(MPath.MOVETO)
                    sx, sy = x, y
                else:
                    verts.append((x, y))
                    codes.append(MPath.LINETO)
                last_ctrl = None
            elif up in ("L", "T"):
                x, y = a[0] + ox, a[1] + oy
                verts.append((x, y))
                codes.append(MPath.LINETO)
                last_ctrl = None
            elif up == "H":
                x = a[0] + (x if rel else 0.0)
                verts.append((x, y))
                codes.append(MPath.LINETO)
                last_ctrl = None
            elif up == "V":
                y = a[0] + (y if rel else 0.0)
                verts.append((x, y))
                codes.append(MPath.LINETO)
                last_ctrl = None
            elif up == "C":
                c1 = (a[0] + ox, a[1] + oy)
                c2 = (a[2] + ox, a[3] + oy)
                x, y = a[4] + ox, a[5] + oy
                verts.extend([c1, c2, (x, y)])
                codes.extend([MPath.CURVE4] * 3)
                last_ctrl = c2
            elif up == "S":
                c1 = (2 * x - last_ctrl[0], 2 * y - last_ctrl[1]) if last_ctrl else (x, y)
                c2 = (a[0] + ox, a[1] + oy)
                x, y = a[2] + ox, a[3] + oy
                verts.extend([c1, c2, (x, y)])
                codes.extend([MPath.CURVE4] * 3)
                last_ctrl = c2
            elif up == "Q":
                c1 = (a[0] + ox, a[1] + oy)
                x, y = a[2] + ox, a[3] + oy
                verts.extend([c1, (x, y)])
                codes.extend([MPath.CURVE3] * 2)
                last_ctrl = None
            elif up == "A":
                x, y = a[5] + ox, a[6] + oy
                verts.append((x, y))
                codes.append(MPath.LINETO)
                last_ctrl = None
            first = False

    for m in _TOKEN.finditer(d):
        if m.group(1):
            if cmd:
                flush(cmd, nums)
            cmd, nums = m.group(1), []
            if cmd in "Zz":
                flush(cmd, nums)
                cmd = ""
        else:
            nums.append(float(m.group(2)))
    if cmd:
        flush(cmd, nums)
    if not verts:
        raise ReportError("contour de région vide")
    return MPath(verts, codes)


@dataclass(frozen=True)
class RegionShape:
    code: str
    name: str
    viewbox: tuple[float, float, float, float]
    inset: bool
    paths: tuple[MPath, ...]


@functools.lru_cache(maxsize=2)
def load_regions(path: Path = MAPS_PATH) -> dict[str, RegionShape]:
    """The régions' outlines keyed by INSEE code (see ``data/maps/README.md``)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"contours des régions introuvables : {path}") from None
    out: dict[str, RegionShape] = {}
    for code, r in raw["regions"].items():
        vb = tuple(float(v) for v in str(r["viewbox"]).split())
        if len(vb) != 4:
            raise ReportError(f"{path}: région {code} : viewbox invalide")
        out[code] = RegionShape(
            code,
            str(r["name"]),
            (vb[0], vb[1], vb[2], vb[3]),
            bool(r.get("inset")),
            tuple(svg_path(d) for d in r["paths"]),
        )
    return out


def region_names() -> dict[str, str]:
    return {c: r.name for c, r in load_regions().items()}


MAP_CMAP = LinearSegmentedColormap.from_list("dsfr_blues", ["#F5F5FE", "#CACAFB", BLUE_LIGHT, BLUE])


def choropleth(
    out_dir: Path,
    chart_id: str,
    title: str,
    values: Mapping[str, float | None],
    *,
    lang: str,
    suppressed_label: str,
    rows_extra: Mapping[str, Sequence[Any]] | None = None,
    text_svg_dir: Path | None = None,
    imprecise: Collection[str] = (),
    imprecise_label: str = "",
) -> ChartFiles:
    """Régions coloured by value (percent); None: grey (suppressed or no data); ``imprecise``
    regions hatched over their colour, with ``imprecise_label`` in the legend."""
    setup_style()
    shapes = load_regions()
    shown = [v for v in values.values() if v is not None]
    lo = math.floor(min(shown) / 10) * 10 if shown else 0.0
    hi = math.ceil(max(shown) / 10) * 10 if shown else 100.0
    if hi <= lo:
        hi = lo + 10
    norm = Normalize(lo, hi)
    fig = plt.figure(figsize=(7.2, 5.6))
    main = fig.add_axes((0.24, 0.1, 0.74, 0.88))
    insets = [s for s in shapes.values() if s.inset]
    metro = [s for s in shapes.values() if not s.inset]
    data_rows: list[list[Any]] = []

    def draw(ax: Any, s: RegionShape) -> None:
        v = values.get(s.code)
        for p in s.paths:
            if v is None:
                patch = PathPatch(p, facecolor=ND_MAP, edgecolor="white", linewidth=0.8)
            else:
                patch = PathPatch(p, facecolor=MAP_CMAP(norm(v)), edgecolor="white", linewidth=0.8)
            ax.add_patch(patch)
            if v is not None and s.code in imprecise:
                ax.add_patch(PathPatch(p, facecolor="none", edgecolor=GREY, hatch="////", linewidth=0))
        ax.set_xlim(s.viewbox[0], s.viewbox[0] + s.viewbox[2])
        ax.set_ylim(s.viewbox[1] + s.viewbox[3], s.viewbox[1])
        ax.set_aspect("equal")
        ax.axis("off")

    for s in metro:
        draw(main, s)
    main.set_xlim(0, 1010)
    main.set_ylim(1010, 0)
    for i, s in enumerate(sorted(insets, key=lambda r: r.code)):
        ax = fig.add_axes((0.02, 0.82 - i * 0.17, 0.15, 0.13))
        draw(ax, s)
        ax.set_title(s.name, fontsize=7, fontweight="normal", color="#3A3A3A", pad=1)
    for code in sorted(shapes):
        v = values.get(code)
        extra = list(rows_extra.get(code, ())) if rows_extra else []
        data_rows.append([code, shapes[code].name, v, *extra])
    cax = fig.add_axes((0.45, 0.06, 0.4, 0.025))
    cb = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=MAP_CMAP), cax=cax, orientation="horizontal")
    cb.ax.xaxis.set_major_formatter(_pct_formatter(lang))
    cb.ax.tick_params(labelsize=7)
    cb.outline.set_visible(False)
    fig.text(0.24, 0.062, suppressed_label, fontsize=7, color=GREY, ha="left")
    fig.patches.append(
        Rectangle(
            (0.2, 0.058), 0.03, 0.02, transform=fig.transFigure, facecolor=ND_MAP, edgecolor=GREY_LIGHT, linewidth=0.5
        )
    )
    if imprecise_label:
        fig.text(0.24, 0.012, imprecise_label, fontsize=7, color=GREY, ha="left")
        fig.patches.append(
            Rectangle(
                (0.2, 0.008),
                0.03,
                0.02,
                transform=fig.transFigure,
                facecolor="white",
                edgecolor=GREY,
                hatch="////",
                linewidth=0.5,
            )
        )
    header = ["region", "name", "estimate"]
    if rows_extra:
        header += ["ci_low", "ci_high", "n", "reason"]
    return _save(fig, out_dir, chart_id, title, header, data_rows, text_svg_dir=text_svg_dir)
