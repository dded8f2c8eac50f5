"""Trend lines are broken where an edition is missing, on the explorer's SVG and the note's figures."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from barometre.core.charts import Point, consecutive_runs, trend


def _paths(svg: str) -> list[str]:
    return re.findall(r'<path d="([^"]+)" fill="none"', svg)


def test_runs_cut_at_every_missing_edition() -> None:
    pts = [Point(y, 50.0) for y in (2021, 2022, 2024, 2025, 2027)]
    assert [[p.edition for p in r] for r in consecutive_runs(pts)] == [[2021, 2022], [2024, 2025], [2027]]
    assert consecutive_runs([]) == []


def test_the_explorer_trend_draws_no_line_across_a_gap() -> None:
    points = [Point(2022, 40.0, 35.0, 45.0), Point(2024, 50.0, 45.0, 55.0), Point(2025, 60.0, 55.0, 65.0)]
    svg = trend(points, title="t", desc="d")
    paths = _paths(svg)
    # one line, from 2024 to 2025 only: 2022 stands alone (its dot and interval, no segment to 2024)
    assert len(paths) == 1 and paths[0].count("M") == 1 and paths[0].count("L") == 1
    assert svg.count("<circle") == 3
    # without the gap the three editions are one line
    joined = trend([Point(2023, 45.0), *points], title="t", desc="d")
    assert [p.count("L") for p in _paths(joined)] == [3]
    # the published values never join the line
    with_published = trend([*points, Point(2023, 48.0, published=True)], title="t", desc="d")
    assert _paths(with_published) == paths


@pytest.mark.parametrize("missing", [2023, None])
def test_the_note_trend_figure_breaks_its_line_at_a_gap(tmp_path: Path, missing: int | None) -> None:
    import barometre.core.report.figures as figures

    years = [y for y in (2022, 2023, 2024, 2025) if y != missing]
    series = [
        figures.Series(
            label="Ensemble",
            breakdown="ensemble",
            domain="ensemble",
            points=tuple(figures.TrendPoint(y, 40.0 + y - 2022, 35.0, 50.0, 100) for y in years),
        )
    ]
    drawn: list[int] = []
    real = figures.plt.Axes.errorbar

    def spy(self, x, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append(len(x))
        return real(self, x, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(figures.plt.Axes, "errorbar", spy)
        files = figures.trend_chart(
            tmp_path, "trend", "Titre", series, lang="fr", estimate_label="estimation", published_label="publié"
        )
    assert drawn == ([1, 2] if missing else [4])
    # the data beside the figure keeps every edition drawn
    with open(tmp_path / files.csv, encoding="utf-8") as fh:
        assert sorted(int(r["edition"]) for r in csv.DictReader(fh)) == years
