"""What the note's template receives: tables, figures, key figures, sections and chapters.

Plain data built by :mod:`.tables`, :mod:`.charts` and :mod:`.chapters`; the template
(``templates/note.html.j2``) lays them out. Numbers inside are
:class:`~barometre.core.wording.note.text.Num` segments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from barometre.core.indicators.catalogue import Indicator
from barometre.core.report import figures as fg
from barometre.core.wording.note.text import Num, Paragraph, Segment

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
