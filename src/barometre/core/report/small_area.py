"""The note's département map (model-based estimates, Fay–Herriot) and its methodology annex text.

The map colours every geographic département by its model-based estimate (``core.sae``: EBLUP where
the département has at least the disclosure minimum of respondents, synthetic estimate elsewhere),
hatches those whose CV is above 30 %, and says "estimation par modèle" in its title, legend and
table, with the direct estimate beside it when it is published. Outlines:
``data/maps/departements.json`` (@gouvfr/dsfr-chart, MIT).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.colors import Normalize
from matplotlib.patches import PathPatch, Rectangle

from barometre.core.paths import DATA_DIR
from barometre.core.report import figures as fg
from barometre.core.report.model import SmallAreaMap
from barometre.core.stats import DisclosureRule
from barometre.core.wording.note import small_area as words
from barometre.core.wording.note import text as tx
from barometre.core.wording.numbers import format_number, format_percent

DEPARTEMENTS_PATH = DATA_DIR / "maps" / "departements.json"
MAX_CV = 0.3


@functools.lru_cache(maxsize=1)
def load_departements(path: Path = DEPARTEMENTS_PATH) -> dict[str, fg.RegionShape]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, fg.RegionShape] = {}
    for code, r in raw["departements"].items():
        a, b, c, d = (float(v) for v in str(r["viewbox"]).split())
        out[code] = fg.RegionShape(
            code, code, (a, b, c, d), bool(r.get("inset")), tuple(fg.svg_path(p) for p in r["paths"])
        )
    return out


def departement_map(
    out_dir: Path,
    chart_id: str,
    title: str,
    values: Mapping[str, tuple[str, float, float | None, float | None, int, str]],
    *,
    lang: str,
    legend: str,
    text_svg_dir: Path | None = None,
) -> fg.ChartFiles:
    """Départements coloured by model-based estimate; hatched where CV > 30 %.

    ``values``: code → (name, estimate, cv, direct or None, n, method)."""
    fg.setup_style()
    shapes = load_departements()
    norm = Normalize(0, 100)
    fig = plt.figure(figsize=(7.2, 6.0))
    main = fig.add_axes((0.2, 0.12, 0.78, 0.86))

    def draw(ax: Any, s: fg.RegionShape) -> None:
        v = values.get(s.code)
        for p in s.paths:
            face = fg.ND_MAP if v is None else fg.MAP_CMAP(norm(v[1]))
            hatch = "////" if v is not None and (v[2] is None or v[2] > MAX_CV) else None
            ax.add_patch(PathPatch(p, facecolor=face, edgecolor="white", linewidth=0.4, hatch=hatch))
        ax.set_xlim(s.viewbox[0], s.viewbox[0] + s.viewbox[2])
        ax.set_ylim(s.viewbox[1] + s.viewbox[3], s.viewbox[1])
        ax.set_aspect("equal")
        ax.axis("off")

    for s in shapes.values():
        if not s.inset:
            draw(main, s)
    main.set_xlim(0, 1010)
    main.set_ylim(1010, 0)
    for i, s in enumerate(sorted((s for s in shapes.values() if s.inset), key=lambda r: r.code)):
        ax = fig.add_axes((0.02, 0.84 - i * 0.16, 0.13, 0.12))
        draw(ax, s)
        ax.set_title(values[s.code][0] if s.code in values else s.code, fontsize=7, color="#3A3A3A", pad=1)
    cax = fig.add_axes((0.45, 0.07, 0.4, 0.022))
    cb = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=fg.MAP_CMAP), cax=cax, orientation="horizontal")
    cb.ax.xaxis.set_major_formatter(fg._pct_formatter(lang))
    cb.ax.tick_params(labelsize=7)
    cb.outline.set_visible(False)
    fig.patches.append(
        Rectangle(
            (0.02, 0.025), 0.03, 0.02, transform=fig.transFigure, facecolor=fg.MAP_CMAP(0.5), hatch="////",
            edgecolor="white", linewidth=0.5,
        )
    )  # fmt: skip
    fig.text(0.06, 0.029, legend, fontsize=7, color=fg.GREY, ha="left")
    rows = [[code, *values[code]] for code in sorted(values)]
    header = ["departement", "name", "estimate_model", "cv", "direct", "n", "method"]
    return fg._save(fig, out_dir, chart_id, title, header, rows, text_svg_dir=text_svg_dir)


def annex_section(b: Any) -> dict[str, Any] | None:
    """Title, paragraphs and map figure of the annex's small-area section (None without data).

    ``b``: the note builder (its language, edition, catalogue, chart queue and notes helpers)."""
    from barometre.core.report.blocks import FigureBlock, Table

    maps: tuple[SmallAreaMap, ...] = b.d.small_areas
    if not maps:
        return None
    m = maps[0]
    lang = b.lang
    s = words.strings(lang)
    ind = next((i for i in b.cat.indicators if i.id == m.indicator), None)
    label = tx.indicator_label(ind, lang, short=True) if ind is not None else m.indicator
    title = s["map_title"].format(label=label, year=b.year)
    values = {a.area: (a.name, a.estimate, a.cv, a.direct, a.n, a.method) for a in m.areas}
    cid = b.chart_id(f"{m.indicator}_departements_model")
    files = b.plot(departement_map, b.fig_dir, cid, title, values, lang=lang, legend=s["legend"])

    def cv_text(cv: float | None) -> str:
        return "—" if cv is None else format_percent(100 * cv, 0, lang)

    rows: list[list[Any]] = [
        [
            (f"{a.name} ({a.area})",),
            (format_percent(a.estimate, 0, lang),),
            (cv_text(a.cv),),
            (s["nd"] if a.direct is None else format_percent(a.direct, 0, lang),),
            ("—" if a.n is None else format_number(a.n, 0, lang),),
            (s.get(a.method, a.method),),
        ]
        for a in m.areas
    ]
    table = Table(cid, title, s["head"].split("|"), rows, numeric={1, 2, 3, 4})
    hi = max(m.areas, key=lambda a: (a.estimate, a.name))
    lo = min(m.areas, key=lambda a: (a.estimate, a.name))
    alt = words.alt_text(
        title,
        (hi.name, format_percent(hi.estimate, 0, lang)),
        (lo.name, format_percent(lo.estimate, 0, lang)),
        lang,
    )
    first = next((a for a in m.areas if a.direct is not None), m.areas[0])
    direct = None if first.direct is None else format_percent(first.direct, 0, lang)
    text = words.lecture(first.name, format_percent(first.estimate, 0, lang), cv_text(first.cv), direct, lang)
    lecture: tuple[str, ...] = (text,)
    figure = FigureBlock(cid, title, alt, files, s["champ"], b.source_line(), lecture, s["interval"], table)
    rule_min = DisclosureRule().min_respondents
    return {"title": s["title"], "paragraphs": words.annex_paragraphs(m, label, rule_min, lang), "figure": figure}
