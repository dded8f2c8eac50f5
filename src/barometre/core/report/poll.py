"""The "Regard des Français" chapter: the poll of French adults beside the authorities' figures.

One table: each poll indicator (weighted estimate, 95 % interval, the institute's published figure)
and, beside it, the matching authorities' indicators of the same edition. Source and base stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from barometre.core.report.model import ReportInput, Row
from barometre.core.wording.note import poll as words
from barometre.core.wording.note import text as tx
from barometre.core.wording.note.text import Paragraph, Segment
from barometre.core.wording.numbers import format_number

CHAPTER_ID = "regard-des-francais"


@dataclass
class PollTable:
    """Same shape as the note's other tables (the template's ``table`` macro)."""

    id: str
    caption: str
    head: list[str]
    rows: list[list[tuple[Segment, ...]]]
    numeric: set[int] = field(default_factory=lambda: {1, 2, 3})


@dataclass
class PollChapter:
    id: str
    title: str
    intro: str
    table: PollTable
    champ: str
    source: str
    simulated: str


def _authority_cell(data: ReportInput, ids: tuple[str, ...]) -> tuple[Segment, ...]:
    lang = data.lang
    rows: dict[str, Row] = {
        r.indicator: r for r in data.rows if r.breakdown == "ensemble" and r.domain_value == "ensemble"
    }
    out: list[Segment] = []
    for iid in ids:
        row = rows.get(iid)
        if row is None:
            continue
        ind = data.catalogue.get(iid)
        if out:
            out.append(tx.list_separator(lang))
        label = tx.indicator_label(ind, lang)
        universe = tx.lower_first(tx.universe_label(data.catalogue, ind, lang))
        out += [f"{label} ({universe}) ", tx.estimate_num(row, lang), " ", *tx.interval(row, lang)]
    return tuple(out) or ("—",)


def poll_chapter(data: ReportInput) -> PollChapter | None:
    """The chapter, or None when no poll of the edition's year is published."""
    poll = data.poll
    if poll is None:
        return None
    lang = data.lang
    t = words.strings(lang)
    n = format_number(poll.n_respondents, 0, lang)
    rows: list[list[tuple[Segment, ...]]] = []
    for f in poll.figures:
        label: Paragraph = (str(f.label.get(lang) or f.label["fr"]),)
        if f.estimate is None or f.ci_low is None or f.ci_high is None:
            cells: list[tuple[Segment, ...]] = [(tx.strings(lang)["nd"],), ("",)]
        else:
            sep = tx.interval_separator(lang)
            deff = "" if f.deff is None else f" ({t['deff'].format(d=format_number(f.deff, 2, lang))})"
            cells = [
                (tx.pct(f.estimate, lang),),
                (f"[{tx.pct(f.ci_low, lang)}{sep}{tx.pct(f.ci_high, lang)}]{deff}",),
            ]
        published = (tx.pct(f.published, lang),) if f.published is not None else ("—",)
        rows.append([label, *cells, published, _authority_cell(data, f.beside)])
    return PollChapter(
        id=CHAPTER_ID,
        title=t["title"],
        intro=t["intro"].format(n=n),
        table=PollTable(CHAPTER_ID, t["caption"].format(y=poll.year), words.head(lang), rows),
        champ=t["base"].format(n=n),
        source=t["source"].format(
            src=poll.source.get(lang) or poll.source["fr"], y=poll.year, sim=t["sim"] if poll.simulated else ""
        ),
        simulated=t["simulated"] if poll.simulated else "",
    )
