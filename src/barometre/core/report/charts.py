"""The note's charts: an overview of each chapter, an indicator by stratum and kind, its trend and
its regional map, each queued on the context (drawn once by :func:`draw_charts`, in parallel when
there are enough) and returned as a :class:`~.blocks.FigureBlock` with its data table."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Sequence

from barometre.core.indicators.catalogue import ALL, Indicator
from barometre.core.report import figures as fg
from barometre.core.report.blocks import Cell, FigureBlock, Table
from barometre.core.report.context import Job, NoteContext
from barometre.core.report.model import Row
from barometre.core.report.selection import IMPRECISE_WIDTH, is_imprecise, stratum_order
from barometre.core.report.tables import table_for_rows
from barometre.core.wording.note import sentences
from barometre.core.wording.note import text as tx
from barometre.core.wording.note.text import Paragraph


def figure_block(
    ctx: NoteContext,
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
        tx.alt_text(kind, ftitle, alt_items, ctx.lang),
        files,
        ctx.champ(inds),
        ctx.source_line(),
        lecture,
        ctx.s[interval],
        table,
    )


def overview(ctx: NoteContext, ch_id: str, title: str, inds: Sequence[Indicator]) -> FigureBlock | None:
    items = [(tx.indicator_label(i, ctx.lang, short=True), r) for i in inds if (r := ctx.ix.get(i.id)) is not None]
    if not items:
        return None
    cid = ctx.chart_id(f"{ch_id}_overview")
    bars = tuple(
        fg.Bar(
            lbl,
            r.estimate if r.shown else None,
            r.ci_low,
            r.ci_high,
            r.n,
            r.indicator,
            "ensemble",
            tx.translate_reason(r.reason, ctx.lang),
        )
        for lbl, r in items
    )
    ftitle = f"{title} — {ctx.s['overview'].lower()} ({ctx.year})"
    files = ctx.plot(
        fg.bar_chart,
        ctx.fig_dir,
        cid,
        ftitle,
        [fg.Panel(ctx.s["all_authorities"], bars)],
        lang=ctx.lang,
        suppressed_label=ctx.s["nd_secret"],
        axis_label=ctx.s["axis_share"],
    )
    table = table_for_rows(ctx, cid, ftitle, items)
    table.head[0] = ctx.s["indicator"]
    first = next(((i, r) for i in inds if (r := ctx.ix.get(i.id)) is not None and r.shown), None)
    lect = tx.lecture(first[0], first[1], None, ctx.lang, ctx.ulabel(first[0])) if first else None
    return figure_block(ctx, cid, ftitle, "bars", items, files, inds, lect, table)


def by_domain(ctx: NoteContext, ind: Indicator) -> FigureBlock | None:
    panels: list[fg.Panel] = []
    items: list[tuple[str, Row]] = []
    for bd, ptitle in (("strate", ctx.s["by_stratum"]), ("type", ctx.s["by_kind"])):
        if bd not in ind.breakdowns:
            continue
        rows = sorted(ctx.ix.domain_rows(ind.id, bd), key=lambda r: (stratum_order(r.domain_value), r.domain_value))
        if not rows:
            continue
        its = [(ctx.dlabel(bd, r.domain_value), r) for r in rows]
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
                        tx.translate_reason(r.reason, ctx.lang),
                    )
                    for lbl, r in its
                ),
            )
        )
    if not panels:
        return None
    label = tx.indicator_label(ind, ctx.lang, short=True)
    ftitle = sentences.figure_title("domains", label, ctx.year, ctx.lang)
    cid = ctx.chart_id(f"{ind.id}_domains")
    files = ctx.plot(
        fg.bar_chart,
        ctx.fig_dir,
        cid,
        ftitle,
        panels,
        lang=ctx.lang,
        suppressed_label=ctx.s["nd_secret"],
        axis_label=ctx.s["axis_share"],
    )
    table = table_for_rows(ctx, cid, ftitle, items)
    first = next(((lbl, r) for lbl, r in items if r.shown), None)
    lect = tx.lecture(ind, first[1], first[0], ctx.lang) if first else None
    return figure_block(ctx, cid, ftitle, "bars", items, files, [ind], lect, table)


def trend(ctx: NoteContext, ind: Indicator) -> FigureBlock | None:
    years = sorted(ctx.ix.by_year)
    series: list[fg.Series] = []
    table_rows: list[list[Cell]] = []
    key: list[tuple[str, Row]] = []
    doms: list[tuple[str, str]] = [("ensemble", ALL)]
    for p in ind.published:
        if (p.breakdown, p.domain) not in doms and len(doms) < 3 and ctx.ix.get(ind.id, p.breakdown, p.domain):
            doms.append((p.breakdown, p.domain))
    for bd, dom in doms:
        label = ctx.dlabel(bd, dom)
        pts = []
        for y in years:
            r = ctx.ix.get(ind.id, bd, dom, y)
            if r is None:
                continue
            pts.append(fg.TrendPoint(y, r.estimate if r.shown else None, r.ci_low, r.ci_high, r.n))
            table_rows.append(
                [
                    (label,),
                    (str(y),),
                    (ctx.s["estimate"],),
                    (tx.estimate_num(r, ctx.lang),),
                    tx.interval(r, ctx.lang),
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
                    (ctx.s["published_long"],),
                    (tx.published_num(ind.id, bd, dom, e, v, ctx.lang),),
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
    label = tx.indicator_label(ind, ctx.lang, short=True)
    ftitle = sentences.figure_title("trend", label, ctx.year, ctx.lang)
    cid = ctx.chart_id(f"{ind.id}_trend")
    files = ctx.plot(
        fg.trend_chart,
        ctx.fig_dir,
        cid,
        ftitle,
        series,
        lang=ctx.lang,
        estimate_label=ctx.s["estimate"],
        published_label=ctx.s["published"],
    )
    table = Table(
        cid,
        ftitle,
        [ctx.s["domain"], ctx.s["edition"], "", ctx.s["value"], ctx.s["ci"]],
        table_rows,
        numeric={3, 4},
    )
    cur = ctx.ix.get(ind.id)
    lect = tx.lecture(ind, cur, None, ctx.lang, ctx.ulabel(ind)) if cur is not None and cur.shown else None
    return figure_block(ctx, cid, ftitle, "trend", key, files, [ind], lect, table, interval="interval_trend")


def region_map(ctx: NoteContext, ind: Indicator) -> FigureBlock | None:
    if "region" not in ind.breakdowns:
        return None
    rows = sorted(ctx.ix.domain_rows(ind.id, "region"), key=lambda r: r.domain_value)
    if not rows or not any(r.shown for r in rows):
        return None
    values = {r.domain_value: (r.estimate if r.shown else None) for r in rows}
    extra = {r.domain_value: (r.ci_low, r.ci_high, r.n, tx.translate_reason(r.reason, ctx.lang)) for r in rows}
    label = tx.indicator_label(ind, ctx.lang, short=True)
    ftitle = sentences.figure_title("regions", label, ctx.year, ctx.lang)
    cid = ctx.chart_id(f"{ind.id}_regions")
    files = ctx.plot(
        fg.choropleth,
        ctx.fig_dir,
        cid,
        ftitle,
        values,
        lang=ctx.lang,
        suppressed_label=ctx.s["nd_secret"],
        rows_extra=extra,
        imprecise={r.domain_value for r in rows if is_imprecise(r)},
        imprecise_label=sentences.imprecise_label(IMPRECISE_WIDTH, ctx.lang),
    )
    items = [(ctx.dlabel("region", r.domain_value), r) for r in rows]
    table = table_for_rows(ctx, cid, ftitle, items)
    first = next(((lbl, r) for lbl, r in items if r.shown and not is_imprecise(r)), None)
    lect = tx.lecture(ind, first[1], first[0], ctx.lang, proper=True) if first else None
    block = figure_block(ctx, cid, ftitle, "map", items, files, [ind], lect, table)
    block.interval = sentences.caption(
        "map", ctx.lang, imprecise_width=IMPRECISE_WIDTH
    )  # a map has no bars: its own caption
    return block


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
