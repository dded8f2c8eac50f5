"""Build the note: figures (SVG/PNG/CSV), ``index.html`` (self-contained) and ``note.pdf``.

``build_report(data, out_dir)`` writes::

    out_dir/index.html        one page, CSS inline, figures and fonts beside it, works offline
    out_dir/note.pdf          the same note, A4, page numbers, table of contents (WeasyPrint)
    out_dir/figures/*.svg|png|csv
    out_dir/fonts/Marianne-*.woff2|woff

Every number of the note comes from the rows (or the catalogue's published values) and carries
``data-indicator``, ``data-breakdown``, ``data-domain``, ``data-edition`` and ``data-kind``.
Building twice gives the same HTML (no build timestamp; SVGs without date, fixed hash salt).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import markupsafe

from barometre.core.errors import ReportError
from barometre.core.formatting import format_margin, format_number, format_percent
from barometre.core.indicators.catalogue import ALL, THEMES, Indicator
from barometre.core.registry import STRATUM_LABELS, Kind, Stratum
from barometre.core.registry.model import STRATUM_LABELS_EN
from barometre.core.report import figures as fg
from barometre.core.report import small_area
from barometre.core.report import text as tx
from barometre.core.report.model import ReportInput, Row
from barometre.core.report.poll import poll_chapter
from barometre.core.report.text import Num, Paragraph, Segment

TEMPLATES = Path(__file__).parent / "templates"
#: Default headline indicators of the key-figures page (those missing from the edition are skipped).
HEADLINE: tuple[str, ...] = (
    "data_project_2y",
    "data_project_done_or_planned",
    "ai_done_or_tested",
    "ai_done_or_planned",
    "rssi",
    "cyber_attack_suffered",
    "reen_strategy",
    "rgpd_compliant",
)
#: Chapters: id, themes of the catalogue, title key (None: the theme's label).
CHAPTERS: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("data", ("data",), None),
    ("ia", ("ia",), None),
    ("cyber", ("cyber",), None),
    ("nr_rgpd", ("numerique_responsable", "rgpd"), "nr_rgpd"),
    ("mutualisation", ("mutualisation",), "mutualisation"),
)
#: Indicators of a chapter commented with charts by domain and trends (the others are in its table).
FOCUS_PER_CHAPTER = 2
MOE_SIZES = (50, 100, 200, 300, 500, 1000, 2000)
FONT_WEIGHTS = ("Regular", "Medium", "Bold")

T = TypeVar("T")


# --------------------------------------------------------------------------- blocks for the template


Cell = tuple[Segment, ...]


@dataclass
class Table:
    id: str
    caption: str
    head: list[str]
    rows: list[list[Cell]]
    champ: str = ""
    source: str = ""
    lecture: Paragraph | None = None
    notes: list[str] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)


@dataclass
class FigureBlock:
    id: str
    title: str
    alt: str
    files: fg.ChartFiles
    champ: str
    source: str
    lecture: Paragraph | None
    interval: str
    table: Table


@dataclass
class KeyFigure:
    indicator: Indicator
    label: str
    universe: str
    estimate: Num
    interval: tuple[Segment, ...]
    n: Num
    change: Paragraph


@dataclass
class Section:
    id: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    figures: list[FigureBlock] = field(default_factory=list)


@dataclass
class Chapter:
    id: str
    title: str
    intro: str
    overview: FigureBlock | None
    sections: list[Section]
    table: Table | None
    empty_text: str = ""


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    html: Path
    pdf: Path | None
    figures: tuple[Path, ...]
    #: Seconds per stage: prepare, figures, html, pdf (and total).
    timings: Mapping[str, float]


# --------------------------------------------------------------------------- helpers


class _Index:
    """Rows of every edition, by (indicator, breakdown, domain)."""

    def __init__(self, data: ReportInput) -> None:
        self.year = data.edition.year
        self.by_year: dict[int, dict[tuple[str, str, str], Row]] = {}
        for y, rows in [*data.previous.items(), (self.year, data.rows)]:
            self.by_year[y] = {(r.indicator, r.breakdown, r.domain_value): r for r in rows}

    def get(self, ind: str, bd: str = "ensemble", dom: str = ALL, year: int | None = None) -> Row | None:
        return self.by_year.get(self.year if year is None else year, {}).get((ind, bd, dom))

    def domain_rows(self, ind: str, bd: str, year: int | None = None) -> list[Row]:
        rows = self.by_year.get(self.year if year is None else year, {})
        return [r for (i, b, _d), r in rows.items() if i == ind and b == bd]

    def previous(self, ind: str, bd: str = "ensemble", dom: str = ALL) -> Row | None:
        """The latest earlier edition's row that is shown (for changes)."""
        for y in sorted((y for y in self.by_year if y < self.year), reverse=True):
            r = self.get(ind, bd, dom, y)
            if r is not None and r.shown:
                return r
        return None


def _timed(timings: dict[str, float], stage: str, fn: Callable[[], T]) -> T:
    t0 = time.perf_counter()
    try:
        return fn()
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0


def _stratum_order(domain: str) -> int:
    """Order of strata, then of kinds, as in the registry's enumerations (unknown values last)."""
    for enum_ in (Stratum, Kind):
        values = [str(v) for v in enum_]
        if domain in values:
            return values.index(domain)
    return 99


class _Builder:
    def __init__(self, data: ReportInput, out_dir: Path) -> None:
        self.d = data
        self.lang = data.lang
        self.s = tx.strings(data.lang)
        self.cat = data.catalogue
        self.year = data.edition.year
        self.ix = _Index(data)
        self.out = out_dir
        self.fig_dir = out_dir / "figures"
        self.regions = fg.region_names()
        self.n_fig = 0
        self.text_svg_dir: Path | None = None
        self.jobs: list[tuple[Callable[..., fg.ChartFiles], tuple[Any, ...], dict[str, Any]]] = []
        self.files: list[Path] = []

    # ----------------------------------------------------------------- texts

    def source_line(self, year: int | None = None) -> str:
        e = self.d.edition
        y = year or self.year
        sim = ""
        if e.simulated:
            sim = " (données simulées)" if self.lang == "fr" else " (simulated data)"
        n = format_number(e.n_respondents, 0, self.lang)
        sep = " ; " if self.lang == "fr" else "; "
        return f"{self.s['source_text']} {y}{sim}, n = {n} {self.s['respondent_authorities']}{sep}{self.s['weighted']}."

    def champ(self, inds: Sequence[Indicator]) -> str:
        labels = sorted({tx.universe_label(self.cat, i, self.lang) for i in inds})
        among = [i for i in inds if i.definition(self.year).among is not None]
        txt = " ; ".join(labels) if self.lang == "fr" else "; ".join(labels)
        if among:
            txt += (
                " (parmi les collectivités concernées par la question, selon l'indicateur)"
                if self.lang == "fr"
                else " (among the authorities the question applies to, per indicator)"
            )
        txt += f", {self.year}"
        return txt

    def ulabel(self, ind: Indicator) -> str:
        return tx.universe_label(self.cat, ind, self.lang)

    def dlabel(self, bd: str, dom: str) -> str:
        return tx.domain_label(self.cat, bd, dom, self.lang, self.regions)

    def plot(
        self, fn: Callable[..., fg.ChartFiles], out_dir: Path, chart_id: str, *args: Any, **kwargs: Any
    ) -> fg.ChartFiles:
        """Queue one chart (drawn later by :func:`draw_charts`, possibly in parallel); its file names."""
        if self.text_svg_dir is not None:
            kwargs["text_svg_dir"] = self.text_svg_dir
        self.jobs.append((fn, (out_dir, chart_id, *args), kwargs))
        return fg.ChartFiles(chart_id, f"{chart_id}.svg", f"{chart_id}.png", f"{chart_id}.csv")

    def chart_id(self, name: str) -> str:
        self.n_fig += 1
        return f"fig{self.n_fig:02d}_{name}"

    def table_for_rows(self, tid: str, caption: str, items: Sequence[tuple[str, Row]]) -> Table:
        s = self.s
        rows: list[list[Cell]] = []
        for label, r in items:
            rows.append(
                [(label,), (tx.estimate_num(r, self.lang),), tx.interval(r, self.lang), (tx.n_num(r, self.lang),)]
            )
        return Table(tid, caption, [s["domain"], s["estimate"].capitalize(), s["ci"], s["n"]], rows, numeric={1, 2, 3})

    def block(
        self,
        cid: str,
        ftitle: str,
        kind: str,
        alt_items: Sequence[tuple[str, Row]],
        files: fg.ChartFiles,
        inds: Sequence[Indicator],
        lecture: Paragraph | None,
        table: Table,
        interval: str = "interval_text",
    ) -> FigureBlock:
        """One figure with what stands under every chart: text alternative, champ, source, reading."""
        return FigureBlock(
            cid,
            ftitle,
            tx.alt_text(kind, ftitle, alt_items, self.lang),
            files,
            self.champ(inds),
            self.source_line(),
            lecture,
            self.s[interval],
            table,
        )

    # ----------------------------------------------------------------- key figures

    def key_figures(self) -> list[KeyFigure]:
        wanted = self.d.headline if self.d.headline is not None else HEADLINE
        out: list[KeyFigure] = []
        for iid in wanted:
            known = [i for i in self.cat.indicators if i.id == iid]
            if not known:
                continue  # unknown id: skipped (the catalogue moves)
            ind = known[0]
            r = self.ix.get(iid)
            if r is None:
                continue
            prev = self.ix.previous(iid)
            change: Paragraph
            if prev is None:
                change = (self.s["no_previous"],)
            elif self.lang == "fr":
                change = (
                    tx.change_num(r, prev, self.lang),
                    f" depuis {prev.edition} (",
                    tx.estimate_num(prev, self.lang),
                    ")",
                )
            else:
                change = (
                    tx.change_num(r, prev, self.lang),
                    f" since {prev.edition} (",
                    tx.estimate_num(prev, self.lang),
                    ")",
                )
            out.append(
                KeyFigure(
                    ind,
                    tx.indicator_label(ind, self.lang),
                    tx.universe_label(self.cat, ind, self.lang),
                    tx.estimate_num(r, self.lang),
                    tx.interval(r, self.lang),
                    tx.n_num(r, self.lang),
                    change,
                )
            )
        if not 6 <= len(out) <= 8:
            # complete (or cut) with the first indicators of the edition that have an overall estimate
            have = {k.indicator.id for k in out}
            for ind in self.cat.for_edition(self.year):
                if len(out) >= 6:
                    break
                r = self.ix.get(ind.id)
                if ind.id in have or r is None or not r.shown:
                    continue
                prev = self.ix.previous(ind.id)
                ch: Paragraph = (
                    (self.s["no_previous"],)
                    if prev is None
                    else (tx.change_num(r, prev, self.lang), f" ({prev.edition})")
                )
                out.append(
                    KeyFigure(
                        ind,
                        tx.indicator_label(ind, self.lang),
                        tx.universe_label(self.cat, ind, self.lang),
                        tx.estimate_num(r, self.lang),
                        tx.interval(r, self.lang),
                        tx.n_num(r, self.lang),
                        ch,
                    )
                )
            out = out[:8]
        return out

    # ----------------------------------------------------------------- charts

    def overview(self, ch_id: str, title: str, inds: Sequence[Indicator]) -> FigureBlock | None:
        items = [
            (tx.indicator_label(i, self.lang, short=True), r) for i in inds if (r := self.ix.get(i.id)) is not None
        ]
        if not items:
            return None
        cid = self.chart_id(f"{ch_id}_overview")
        bars = tuple(
            fg.Bar(
                lbl,
                r.estimate if r.shown else None,
                r.ci_low,
                r.ci_high,
                r.n,
                r.indicator,
                "ensemble",
                tx.translate_reason(r.reason, self.lang),
            )
            for lbl, r in items
        )
        ftitle = f"{title} — {self.s['overview'].lower()} ({self.year})"
        files = self.plot(
            fg.bar_chart,
            self.fig_dir,
            cid,
            ftitle,
            [fg.Panel(self.s["all_authorities"], bars)],
            lang=self.lang,
            suppressed_label=self.s["nd_secret"],
            axis_label=self.s["axis_share"],
        )
        table = self.table_for_rows(cid, ftitle, items)
        table.head[0] = self.s["indicator"]
        first = next(((i, r) for i in inds if (r := self.ix.get(i.id)) is not None and r.shown), None)
        lect = tx.lecture(first[0], first[1], None, self.lang, self.ulabel(first[0])) if first else None
        return self.block(cid, ftitle, "bars", items, files, inds, lect, table)

    def by_domain(self, ind: Indicator) -> FigureBlock | None:
        panels: list[fg.Panel] = []
        items: list[tuple[str, Row]] = []
        for bd, ptitle in (("strate", self.s["by_stratum"]), ("type", self.s["by_kind"])):
            if bd not in ind.breakdowns:
                continue
            rows = sorted(
                self.ix.domain_rows(ind.id, bd), key=lambda r: (_stratum_order(r.domain_value), r.domain_value)
            )
            if not rows:
                continue
            its = [(self.dlabel(bd, r.domain_value), r) for r in rows]
            items += its
            panels.append(
                fg.Panel(
                    ptitle,
                    tuple(
                        fg.Bar(
                            lbl,
                            r.estimate if r.shown else None,
                            r.ci_low,
                            r.ci_high,
                            r.n,
                            r.domain_value,
                            bd,
                            tx.translate_reason(r.reason, self.lang),
                        )
                        for lbl, r in its
                    ),
                )
            )
        if not panels:
            return None
        label = tx.indicator_label(ind, self.lang, short=True)
        ftitle = (
            f"{label} : par strate et type de collectivité ({self.year})"
            if self.lang == "fr"
            else f"{label}: by stratum and kind of authority ({self.year})"
        )
        cid = self.chart_id(f"{ind.id}_domains")
        files = self.plot(
            fg.bar_chart,
            self.fig_dir,
            cid,
            ftitle,
            panels,
            lang=self.lang,
            suppressed_label=self.s["nd_secret"],
            axis_label=self.s["axis_share"],
        )
        table = self.table_for_rows(cid, ftitle, items)
        first = next(((lbl, r) for lbl, r in items if r.shown), None)
        lect = tx.lecture(ind, first[1], first[0], self.lang) if first else None
        return self.block(cid, ftitle, "bars", items, files, [ind], lect, table)

    def trend(self, ind: Indicator) -> FigureBlock | None:
        years = sorted(self.ix.by_year)
        series: list[fg.Series] = []
        table_rows: list[list[Cell]] = []
        key: list[tuple[str, Row]] = []
        doms: list[tuple[str, str]] = [("ensemble", ALL)]
        for p in ind.published:
            if (p.breakdown, p.domain) not in doms and len(doms) < 3 and self.ix.get(ind.id, p.breakdown, p.domain):
                doms.append((p.breakdown, p.domain))
        for bd, dom in doms:
            label = self.dlabel(bd, dom)
            pts = []
            for y in years:
                r = self.ix.get(ind.id, bd, dom, y)
                if r is None:
                    continue
                pts.append(fg.TrendPoint(y, r.estimate if r.shown else None, r.ci_low, r.ci_high, r.n))
                table_rows.append(
                    [
                        (label,),
                        (str(y),),
                        (self.s["estimate"],),
                        (tx.estimate_num(r, self.lang),),
                        tx.interval(r, self.lang),
                    ]
                )
                if bd == "ensemble":
                    key.append((str(y), r))
            pubs = tuple(sorted((p.edition, p.value) for p in ind.published if p.breakdown == bd and p.domain == dom))
            for e, v in pubs:
                table_rows.append(
                    [
                        (label,),
                        (str(e),),
                        (self.s["published_long"],),
                        (tx.published_num(ind.id, bd, dom, e, v, self.lang),),
                        ("",),
                    ]
                )
            series.append(fg.Series(label, bd, dom, tuple(pts), pubs))
        n_points = sum(len(s.points) + len(s.published) for s in series)
        if (
            n_points < 2
            or len({p.edition for s in series for p in s.points} | {e for s in series for e, _ in s.published}) < 2
        ):
            return None
        label = tx.indicator_label(ind, self.lang, short=True)
        ftitle = f"{label} : évolution" if self.lang == "fr" else f"{label}: trend"
        cid = self.chart_id(f"{ind.id}_trend")
        files = self.plot(
            fg.trend_chart,
            self.fig_dir,
            cid,
            ftitle,
            series,
            lang=self.lang,
            estimate_label=self.s["estimate"],
            published_label=self.s["published"],
        )
        table = Table(
            cid,
            ftitle,
            [self.s["domain"], self.s["edition"], "", self.s["value"], self.s["ci"]],
            table_rows,
            numeric={3, 4},
        )
        cur = self.ix.get(ind.id)
        lect = tx.lecture(ind, cur, None, self.lang, self.ulabel(ind)) if cur is not None and cur.shown else None
        return self.block(cid, ftitle, "trend", key, files, [ind], lect, table, interval="interval_trend")

    def region_map(self, ind: Indicator) -> FigureBlock | None:
        if "region" not in ind.breakdowns:
            return None
        rows = sorted(self.ix.domain_rows(ind.id, "region"), key=lambda r: r.domain_value)
        if not rows or not any(r.shown for r in rows):
            return None
        values = {r.domain_value: (r.estimate if r.shown else None) for r in rows}
        extra = {r.domain_value: (r.ci_low, r.ci_high, r.n, tx.translate_reason(r.reason, self.lang)) for r in rows}
        label = tx.indicator_label(ind, self.lang, short=True)
        ftitle = f"{label} : par région ({self.year})" if self.lang == "fr" else f"{label}: by region ({self.year})"
        cid = self.chart_id(f"{ind.id}_regions")
        files = self.plot(
            fg.choropleth,
            self.fig_dir,
            cid,
            ftitle,
            values,
            lang=self.lang,
            suppressed_label=self.s["nd_secret"],
            rows_extra=extra,
        )
        items = [(self.dlabel("region", r.domain_value), r) for r in rows]
        table = self.table_for_rows(cid, ftitle, items)
        first = next(((lbl, r) for lbl, r in items if r.shown), None)
        lect = tx.lecture(ind, first[1], first[0], self.lang, proper=True) if first else None
        return self.block(cid, ftitle, "map", items, files, [ind], lect, table)

    # ----------------------------------------------------------------- chapters

    def focus(self, inds: Sequence[Indicator]) -> list[Indicator]:
        wanted = self.d.headline if self.d.headline is not None else HEADLINE

        def score(i: Indicator) -> tuple[int, int, int]:
            return (0 if i.id in wanted else 1, 0 if "strate" in i.breakdowns else 1, -len(i.published))

        return sorted(inds, key=score)[:FOCUS_PER_CHAPTER]

    def theme_table(self, ch_id: str, title: str, inds: Sequence[Indicator]) -> Table:
        s = self.s
        rows: list[list[Cell]] = []
        for ind in inds:
            r = self.ix.get(ind.id)
            if r is None:
                continue
            prev = self.ix.previous(ind.id)
            pubs = [p for p in ind.published_for(self.year) if p.breakdown == "ensemble"]
            rows.append(
                [
                    (tx.indicator_label(ind, self.lang),),
                    (tx.estimate_num(r, self.lang),),
                    tx.interval(r, self.lang),
                    (tx.n_num(r, self.lang),),
                    (tx.estimate_num(prev, self.lang), f" ({prev.edition})") if prev else ("—",),
                    (tx.change_num(r, prev, self.lang),) if prev else ("—",),
                    tuple(
                        x
                        for p in pubs
                        for x in (tx.published_num(ind.id, "ensemble", ALL, self.year, p.value, self.lang),)
                    )
                    or ("—",),
                ]
            )
        caption = f"{title} — {s['theme_table'].lower()} ({self.year})"
        t = Table(
            f"tab_{ch_id}",
            caption,
            [
                s["indicator"],
                f"{s['estimate'].capitalize()} {self.year}",
                s["ci"],
                s["n"],
                s["previous"],
                s["change"],
                f"{s['published_long'].capitalize()} {self.year}",
            ],
            rows,
            champ=self.champ(inds),
            source=self.source_line(),
            numeric={1, 2, 3, 4, 5, 6},
        )
        first = next(((i, r) for i in inds if (r := self.ix.get(i.id)) is not None and r.shown), None)
        if first:
            t.lecture = tx.lecture(first[0], first[1], None, self.lang, self.ulabel(first[0]))
        return t

    def chapters(self) -> list[Chapter]:
        out: list[Chapter] = []
        for ch_id, themes, title_key in CHAPTERS:
            if title_key is not None:
                title = self.s[title_key]
            else:
                t = THEMES[themes[0]]
                title = t.fr if self.lang == "fr" else t.en
            inds = [i for i in self.cat.for_edition(self.year) if i.theme in themes and self.ix.get(i.id) is not None]
            if not inds:
                if ch_id == "mutualisation":
                    out.append(Chapter(ch_id, title, "", None, [], None, self.s["no_mutualisation"]))
                continue
            overview = self.overview(ch_id, title, inds)
            sections: list[Section] = []
            map_done = False
            for ind in self.focus(inds):
                sec = Section(f"{ch_id}-{ind.id}", tx.indicator_label(ind, self.lang))
                cur = self.ix.get(ind.id)
                assert cur is not None
                strata = [
                    (self.dlabel("strate", r.domain_value), r)
                    for r in sorted(self.ix.domain_rows(ind.id, "strate"), key=lambda r: _stratum_order(r.domain_value))
                ]
                sec.paragraphs.append(
                    tx.indicator_paragraph(
                        ind,
                        cur,
                        self.ix.previous(ind.id),
                        strata,
                        self.lang,
                        tx.universe_label(self.cat, ind, self.lang),
                    )
                )
                for make in (self.by_domain, self.trend):
                    block = make(ind)
                    if block is not None:
                        sec.figures.append(block)
                if not map_done:
                    block = self.region_map(ind)
                    if block is not None:
                        sec.figures.append(block)
                        map_done = True
                sections.append(sec)
            intro = (
                f"{len(inds)} indicateurs de ce thème sont estimés pour l'édition {self.year}."
                if self.lang == "fr"
                else f"{len(inds)} indicators of this theme are estimated for the {self.year} edition."
            )
            out.append(Chapter(ch_id, title, intro, overview, sections, self.theme_table(ch_id, title, inds)))
        return out

    # ----------------------------------------------------------------- annex

    def annex(self) -> dict[str, Any]:
        s, lang, w = self.s, self.lang, self.d.weighting
        e = self.d.edition

        def pct1(v: Any) -> str:
            return format_percent(100 * float(v), 1, lang)

        sample_rows: list[list[str]] = []
        for st in sorted(w.get("by_stratum", []), key=lambda st: _stratum_order(str(st.get("stratum", "")))):
            try:
                label = (
                    STRATUM_LABELS[Stratum(st["stratum"])]
                    if lang == "fr"
                    else STRATUM_LABELS_EN[Stratum(st["stratum"])]
                )
            except (ValueError, KeyError):
                label = str(st.get("label", st.get("stratum", "")))
            sample_rows.append(
                [
                    label,
                    format_number(int(st["units"]), 0, lang),
                    format_number(int(st["respondents"]), 0, lang),
                    pct1(st["response_rate"]),
                    pct1(st.get("weighted_response_rate", st["response_rate"])),
                    format_number(float(st.get("mean_weight", 0.0)), 1, lang),
                ]
            )
        if "units" in w and "respondents" in w:
            sample_rows.append(
                [
                    s["total"],
                    format_number(int(w["units"]), 0, lang),
                    format_number(int(w["respondents"]), 0, lang),
                    pct1(w.get("response_rate", 0.0)),
                    pct1(w.get("weighted_response_rate", w.get("response_rate", 0.0))),
                    "",
                ]
            )
        diag: list[tuple[str, str]] = []
        if "r_indicator" in w:
            diag.append((s["r_indicator"], format_number(float(w["r_indicator"]["value"]), 2, lang)))
        if "effective_sample_size" in w:
            diag.append((s["n_eff"], format_number(float(w["effective_sample_size"]), 0, lang)))
        deff = float(w.get("design_effect_weighting", 1.0) or 1.0)
        if "design_effect_weighting" in w:
            diag.append((s["deff"], format_number(deff, 2, lang)))
        final = (w.get("weights") or {}).get("final") or {}
        if final:
            diag.append((s["weights_cv"], format_number(float(final.get("cv", 0.0)), 2, lang)))
            diag.append(
                (
                    s["weights_range"],
                    " – ".join(
                        format_number(v, 1, lang)
                        for v in (final.get("min", 0.0), final.get("median", 0.0), final.get("max", 0.0))
                    ),
                )
            )
        if "trimming" in w:
            diag.append((s["trimmed"], format_number(int(w["trimming"].get("trimmed", 0)), 0, lang)))
        if "max_margin_relative_error" in w:
            diag.append((s["max_margin_error"], format_percent(100 * float(w["max_margin_relative_error"]), 4, lang)))
        moe_rows = []
        for n in MOE_SIZES:
            half = 100 * tx.Z95 * (0.25 / n) ** 0.5
            moe_rows.append(
                [format_number(n, 0, lang), format_margin(half, 1, lang), format_margin(half * deff**0.5, 1, lang)]
            )
        pubs: list[list[Cell]] = []
        for ind in self.cat.indicators:
            for p in sorted(ind.published, key=lambda p: (p.edition, p.breakdown, p.domain)):
                pubs.append(
                    [
                        (tx.indicator_label(ind, lang, short=True),),
                        (str(p.edition),),
                        (self.dlabel(p.breakdown, p.domain),),
                        (tx.published_num(ind.id, p.breakdown, p.domain, p.edition, p.value, lang),),
                        (p.base,),
                        (p.source,),
                    ]
                )
        frame = [
            (s["frame"], e.frame_source),
            (s["millesime"], e.frame_millesime),
            (s["questionnaire"], str(e.questionnaire_year)),
        ]
        if e.collection:
            frame.append((s["collection"], tx.collection_label(e.collection, lang)))
        if e.field_period:
            frame.append((s["field_period"], e.field_period))
        frame += list(self.d.extra.items())
        return {
            "frame": frame,
            "sample_rows": sample_rows,
            "diag": diag,
            "moe_rows": moe_rows,
            "sqrt_deff": format_number(deff**0.5, 2, lang),
            "pubs": pubs,
            "assumption": str(w.get("assumption", "")) if lang == "fr" else "",
            "notes": [tx.weighting_event(ev, lang) for ev in w.get("events", [])]
            + ([str(n) for n in w.get("notes", [])] if lang == "fr" else []),
            "small_area": small_area.annex_section(self),
        }


# --------------------------------------------------------------------------- fonts and rendering


def _copy_fonts(out_dir: Path) -> bool:
    src = fg.dsfr_fonts_dir()
    if src is None:
        return False
    dst = out_dir / "fonts"
    dst.mkdir(parents=True, exist_ok=True)
    for w in FONT_WEIGHTS:
        for ext in ("woff2", "woff"):
            f = src / f"Marianne-{w}.{ext}"
            if f.exists():
                shutil.copyfile(f, dst / f.name)
    return True


def _env(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.tests["num"] = lambda x: isinstance(x, Num)
    env.filters["typo"] = lambda v: tx.typo(str(v), lang)
    env.filters["date_text"] = lambda v: tx.format_date(str(v), lang)
    env.filters["css_string"] = lambda v: markupsafe.Markup(  # noqa: S704 - escaped CSS string
        '"' + str(v).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'
    )
    return env


Job = tuple[Callable[..., fg.ChartFiles], tuple[Any, ...], dict[str, Any]]


def _run_job(job: Job) -> fg.ChartFiles:
    fn, args, kwargs = job
    return fn(*args, **kwargs)


def draw_charts(jobs: Sequence[Job], workers: int | None = None) -> None:
    """Draw the queued charts; in ``workers`` forked processes when there are enough charts.

    ``workers`` None: up to 4, one per CPU; 1: in this process. The files do not depend on it.
    """
    n = min(4, os.cpu_count() or 1) if workers is None else max(1, workers)
    fg.setup_style()
    if n > 1 and len(jobs) >= 6 and "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
            list(pool.map(_run_job, jobs, chunksize=1))
        return
    for job in jobs:
        _run_job(job)


def render_html(
    data: ReportInput,
    out_dir: Path,
    timings: dict[str, float] | None = None,
    *,
    workers: int | None = None,
    text_svg_dir: Path | None = None,
) -> tuple[str, list[Path]]:
    """Figures and the HTML text of the note (figures written under ``out_dir/figures``)."""
    timings = timings if timings is not None else {}
    b = _Builder(data, out_dir)
    b.text_svg_dir = text_svg_dir
    key = _timed(timings, "prepare", b.key_figures)
    chapters = _timed(timings, "prepare", b.chapters)
    annex = _timed(timings, "prepare", b.annex)  # before the drawing: it queues the département map
    _timed(timings, "figures", lambda: draw_charts(b.jobs, workers))
    poll = _timed(timings, "prepare", lambda: poll_chapter(data))
    fonts = _timed(timings, "prepare", lambda: _copy_fonts(out_dir))
    s = b.s
    e = data.edition
    title = f"{s['title']} — {s['subtitle']} {e.year}"
    if e.simulated:
        title = f"[{s['simulated_banner'].split(' — ')[0]}] {title}"
    subject = f"{s['subtitle']} {e.year}" + (f" — {s['simulated_banner']}" if e.simulated else "")
    keywords = s["keywords"] + (", données simulées, simulated data" if e.simulated else "")
    css = markupsafe.Markup((TEMPLATES / "note.css").read_text(encoding="utf-8"))  # noqa: S704 - our file

    def render() -> str:
        return (
            _env(data.lang)
            .get_template("note.html.j2")
            .render(
                s=s,
                lang=data.lang,
                e=e,
                doc_title=title,
                subject=subject,
                keywords=keywords,
                css=css,
                fonts=fonts,
                key_figures=key,
                key_champ=b.champ([k.indicator for k in key]) if key else "",
                key_lecture=next(
                    (
                        tx.lecture(k.indicator, r, None, data.lang, b.ulabel(k.indicator))
                        for k in key
                        if (r := b.ix.get(k.indicator.id)) is not None and r.shown
                    ),
                    None,
                ),
                chapters=chapters,
                poll=poll,
                annex=annex,
                disclosure=data.disclosure_rule,
                n_respondents=format_number(e.n_respondents, 0, data.lang),
                n_units=format_number(e.n_units, 0, data.lang) if e.n_units else "",
                source_line=b.source_line(),
                weights_text=s["weighting_steps"],
            )
        )

    html = _timed(timings, "html", render)
    figs = sorted(p for p in b.fig_dir.iterdir()) if b.fig_dir.exists() else []
    return html, figs


def write_pdf(html: str, base_dir: Path, pdf_path: Path, svg_dir: Path | None = None) -> None:
    """``note.pdf`` from the note's HTML with WeasyPrint (A4, page numbers, table of contents).

    ``svg_dir``: where the charts drawn with real text (``svg.fonttype = none``) are; the PDF uses
    them instead of ``figures/*.svg`` (same charts, text set in the document's Marianne, faster).
    """
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if svg_dir is not None:
        uri = svg_dir.resolve().as_uri()
        html = re.sub(r'(<img src=")figures/([^"/]+\.svg")', lambda m: f"{m.group(1)}{uri}/{m.group(2)}", html)
    try:
        HTML(string=html, base_url=str(base_dir.resolve()) + "/").write_pdf(str(pdf_path))
    except Exception as exc:
        raise ReportError(f"génération du PDF impossible ({type(exc).__name__}: {exc})") from exc


def build_report(data: ReportInput, out_dir: Path, *, pdf: bool = True, workers: int | None = None) -> BuildResult:
    """Write the note into ``out_dir`` (created; existing ``figures/`` replaced). See the module doc."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"dossier de sortie impossible à créer : {out_dir} ({exc.strerror})") from None
    fig_dir = out_dir / "figures"
    if fig_dir.exists():
        shutil.rmtree(fig_dir)
    with tempfile.TemporaryDirectory(prefix="barometre-note-") as tmp:
        svg_dir = Path(tmp) if pdf else None
        html, figs = render_html(data, out_dir, timings, workers=workers, text_svg_dir=svg_dir)
        html_path = out_dir / "index.html"
        html_path.write_text(html, encoding="utf-8")
        pdf_path: Path | None = None
        if pdf:
            pdf_path = out_dir / "note.pdf"
            target = pdf_path
            _timed(timings, "pdf", lambda: write_pdf(html, out_dir, target, svg_dir))
    timings["total"] = time.perf_counter() - t0
    return BuildResult(out_dir, html_path, pdf_path, tuple(figs), timings)
