"""What every part of the note's builder shares: the input, the row index, the strings of the
language, labels, and the queue of charts to draw (:func:`.charts.draw_charts`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from barometre.core.indicators.catalogue import Indicator
from barometre.core.report import figures as fg
from barometre.core.report.model import ReportInput
from barometre.core.report.selection import RowIndex
from barometre.core.wording.note import sentences
from barometre.core.wording.note import text as tx

Job = tuple[Callable[..., fg.ChartFiles], tuple[Any, ...], dict[str, Any]]


class NoteContext:
    def __init__(self, data: ReportInput, out_dir: Path) -> None:
        self.d = data
        self.lang = data.lang
        self.s = tx.strings(data.lang)
        self.cat = data.catalogue
        self.year = data.edition.year
        self.ix = RowIndex(data)
        self.out = out_dir
        self.fig_dir = out_dir / "figures"
        self.regions = fg.region_names()
        self.n_fig = 0
        self.text_svg_dir: Path | None = None
        self.jobs: list[Job] = []

    def source_line(self, year: int | None = None) -> str:
        return sentences.source_line(self.s, self.d.edition, year or self.year, self.lang)

    def champ(self, inds: Sequence[Indicator]) -> str:
        return sentences.champ(self.cat, inds, self.year, self.lang)

    def ulabel(self, ind: Indicator) -> str:
        return tx.universe_label(self.cat, ind, self.lang)

    def dlabel(self, bd: str, dom: str) -> str:
        return tx.domain_label(self.cat, bd, dom, self.lang, self.regions)

    def plot(
        self, fn: Callable[..., fg.ChartFiles], out_dir: Path, chart_id: str, *args: Any, **kwargs: Any
    ) -> fg.ChartFiles:
        """Queue one chart (drawn later by :func:`.charts.draw_charts`, possibly in parallel); its file names."""
        if self.text_svg_dir is not None:
            kwargs["text_svg_dir"] = self.text_svg_dir
        self.jobs.append((fn, (out_dir, chart_id, *args), kwargs))
        return fg.ChartFiles(chart_id, f"{chart_id}.svg", f"{chart_id}.png", f"{chart_id}.csv")

    def chart_id(self, name: str) -> str:
        self.n_fig += 1
        return f"fig{self.n_fig:02d}_{name}"
