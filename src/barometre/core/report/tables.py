"""The note's tables: a figure's data table, a chapter's table of every indicator, and the
methodology annex (frame, sample by stratum, weighting diagnostics, margins of error, published figures)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from barometre.core.indicators.catalogue import ALL, Indicator
from barometre.core.registry import Stratum
from barometre.core.report import small_area
from barometre.core.report.blocks import Cell, Table
from barometre.core.report.context import NoteContext
from barometre.core.report.model import Row
from barometre.core.report.selection import Z95, stratum_order
from barometre.core.wording.bases import base_label
from barometre.core.wording.labels import stratum_label
from barometre.core.wording.note import text as tx
from barometre.core.wording.numbers import format_margin, format_number, format_percent

MOE_SIZES = (50, 100, 200, 300, 500, 1000, 2000)


def table_for_rows(ctx: NoteContext, tid: str, caption: str, items: Sequence[tuple[str, Row]]) -> Table:
    s = ctx.s
    rows: list[list[Cell]] = []
    for label, r in items:
        rows.append([(label,), (tx.estimate_num(r, ctx.lang),), tx.interval(r, ctx.lang), (tx.n_num(r, ctx.lang),)])
    return Table(tid, caption, [s["domain"], s["estimate"].capitalize(), s["ci"], s["n"]], rows, numeric={1, 2, 3})


def theme_table(ctx: NoteContext, ch_id: str, title: str, inds: Sequence[Indicator]) -> Table:
    s = ctx.s
    rows: list[list[Cell]] = []
    for ind in inds:
        r = ctx.ix.get(ind.id)
        if r is None:
            continue
        prev = ctx.ix.previous(ind.id)
        pubs = [p for p in ind.published_for(ctx.year) if p.breakdown == "ensemble"]
        rows.append(
            [
                (tx.indicator_label(ind, ctx.lang),),
                (tx.estimate_num(r, ctx.lang),),
                tx.interval(r, ctx.lang),
                (tx.n_num(r, ctx.lang),),
                (tx.estimate_num(prev, ctx.lang), f" ({prev.edition})") if prev else ("—",),
                (tx.change_num(r, prev, ctx.lang),) if prev else ("—",),
                tuple(
                    x for p in pubs for x in (tx.published_num(ind.id, "ensemble", ALL, ctx.year, p.value, ctx.lang),)
                )
                or ("—",),
            ]
        )
    caption = f"{title} — {s['theme_table'].lower()} ({ctx.year})"
    t = Table(
        f"tab_{ch_id}",
        caption,
        [
            s["indicator"],
            f"{s['estimate'].capitalize()} {ctx.year}",
            s["ci"],
            s["n"],
            s["previous"],
            s["change"],
            f"{s['published_long'].capitalize()} {ctx.year}",
        ],
        rows,
        champ=ctx.champ(inds),
        source=ctx.source_line(),
        numeric={1, 2, 3, 4, 5, 6},
    )
    first = next(((i, r) for i in inds if (r := ctx.ix.get(i.id)) is not None and r.shown), None)
    if first:
        t.lecture = tx.lecture(first[0], first[1], None, ctx.lang, ctx.ulabel(first[0]))
    return t


def annex(ctx: NoteContext) -> dict[str, Any]:
    s, lang, w = ctx.s, ctx.lang, ctx.d.weighting
    e = ctx.d.edition

    def pct1(v: Any) -> str:
        return format_percent(100 * float(v), 1, lang)

    sample_rows: list[list[str]] = []
    for st in sorted(w.get("by_stratum", []), key=lambda st: stratum_order(str(st.get("stratum", "")))):
        try:
            label = stratum_label(Stratum(st["stratum"]), lang)
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
        half = 100 * Z95 * (0.25 / n) ** 0.5
        moe_rows.append(
            [format_number(n, 0, lang), format_margin(half, 1, lang), format_margin(half * deff**0.5, 1, lang)]
        )
    pubs: list[list[Cell]] = []
    for ind in ctx.cat.indicators:
        for p in sorted(ind.published, key=lambda p: (p.edition, p.breakdown, p.domain)):
            pubs.append(
                [
                    (tx.indicator_label(ind, lang, short=True),),
                    (str(p.edition),),
                    (ctx.dlabel(p.breakdown, p.domain),),
                    (tx.published_num(ind.id, p.breakdown, p.domain, p.edition, p.value, lang),),
                    (base_label(p.base, lang),),
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
    if e.date:
        frame.append((s["note_date"], tx.format_date(e.date, lang)))
    frame += list(ctx.d.extra.items())
    return {
        "frame": frame,
        "sample_rows": sample_rows,
        "diag": diag,
        "moe_rows": moe_rows,
        "sqrt_deff": format_number(deff**0.5, 2, lang),
        "pubs": pubs,
        "assumption": tx.weighting_assumption(w, lang),
        "notes": tx.weighting_notes(w, lang),
        "small_area": small_area.annex_section(ctx),
    }
