"""The note's body: the key-figures cards and the chapters (overview, commented indicators with
their charts, the chapter's table), from the selection (:mod:`.selection`), charts and tables."""

from __future__ import annotations

from barometre.core.report.blocks import Chapter, KeyFigure, Section
from barometre.core.report.charts import by_domain, overview, region_map, trend
from barometre.core.report.context import NoteContext
from barometre.core.report.selection import (
    CHAPTERS,
    chapter_indicators,
    focus,
    key_indicators,
    significance,
    strata_rows,
)
from barometre.core.report.tables import theme_table
from barometre.core.wording.note import sentences
from barometre.core.wording.note import text as tx


def key_figures(ctx: NoteContext) -> list[KeyFigure]:
    return [
        KeyFigure(
            ind,
            tx.indicator_label(ind, ctx.lang),
            tx.universe_label(ctx.cat, ind, ctx.lang),
            tx.estimate_num(r, ctx.lang),
            tx.interval(r, ctx.lang),
            tx.n_num(r, ctx.lang),
            sentences.key_change(ctx.s, r, ctx.ix.previous(ind.id), ctx.lang, short=completed),
        )
        for ind, r, completed in key_indicators(ctx.d, ctx.ix)
    ]


def chapters(ctx: NoteContext) -> list[Chapter]:
    out: list[Chapter] = []
    for ch_id, themes, title_key in CHAPTERS:
        if title_key is not None:
            title = ctx.s[title_key]
        else:
            title = tx.theme_label(themes[0], ctx.lang)
        inds = chapter_indicators(ctx.d, ctx.ix, themes)
        if not inds:
            if ch_id == "mutualisation":
                out.append(Chapter(ch_id, title, "", None, [], None, ctx.s["no_mutualisation"]))
            continue
        ov = overview(ctx, ch_id, title, inds)
        sections: list[Section] = []
        map_done = False
        for ind in focus(ctx.d, inds):
            sec = Section(f"{ch_id}-{ind.id}", tx.indicator_label(ind, ctx.lang))
            cur = ctx.ix.get(ind.id)
            assert cur is not None
            prev = ctx.ix.previous(ind.id)
            strata = [(ctx.dlabel("strate", r.domain_value), r) for r in strata_rows(ctx.ix, ind.id)]
            sec.paragraphs.append(
                tx.indicator_paragraph(
                    ind,
                    cur,
                    prev,
                    strata,
                    ctx.lang,
                    tx.universe_label(ctx.cat, ind, ctx.lang),
                    significance=0 if prev is None else significance(cur, prev),
                )
            )
            for make in (by_domain, trend):
                block = make(ctx, ind)
                if block is not None:
                    sec.figures.append(block)
            if not map_done:
                block = region_map(ctx, ind)
                if block is not None:
                    sec.figures.append(block)
                    map_done = True
            sections.append(sec)
        intro = sentences.chapter_intro(len(inds), ctx.year, ctx.lang)
        out.append(Chapter(ch_id, title, intro, ov, sections, theme_table(ctx, ch_id, title, inds)))
    return out
