"""The note's "Regard des Français" chapter: the poll beside the authorities' figures, source and base stated."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from barometre.core.paths import POLL_QUESTIONNAIRES_DIR
from barometre.core.poll import load_margins, load_poll_catalogue, poll_estimates, weight_poll
from barometre.core.poll.simulate import simulate_poll
from barometre.core.questionnaire import load_edition
from barometre.core.report import build_report
from barometre.core.report.model import PollFigure, PollInput, ReportInput
from barometre.core.report.poll import poll_chapter
from barometre.core.report.synthetic import synthetic_input
from barometre.core.wording.note.text import Num, pct
from barometre.core.wording.numbers import format_number


@cache
def _poll(year: int) -> PollInput:
    """A simulated poll computed by the poll module itself (weighting and estimates)."""
    cat = load_poll_catalogue()
    sim = simulate_poll(load_edition(year, POLL_QUESTIONNAIRES_DIR), cat, load_margins(), seed=11)
    answers = [a for _, a in sim.respondents]
    rows = {
        r.indicator: r for r in poll_estimates(weight_poll(answers), answers, cat, year) if r.breakdown == "ensemble"
    }
    figures = []
    for ind in cat.for_edition(year):
        r = rows[ind.id]
        pub = ind.published_value(year)
        figures.append(
            PollFigure(
                ind.id, ind.label, r.estimate, r.ci_low, r.ci_high, r.n, r.deff, pub.value if pub else None, ind.beside
            )
        )
    return PollInput(
        year, True, len(answers), {"fr": cat.source(year, "fr"), "en": cat.source(year, "en")}, tuple(figures)
    )


def _input(lang: str) -> ReportInput:
    data = synthetic_input(lang)
    return replace(data, poll=_poll(data.edition.year))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_chapter_states_source_base_and_simulation(lang: str) -> None:
    data = _input(lang)
    ch = poll_chapter(data)
    assert ch is not None and data.poll is not None
    assert "Ipsos" in ch.source and str(data.poll.year) in ch.source
    n = format_number(data.poll.n_respondents, 0, lang)
    assert n in ch.champ and n in ch.intro
    assert ("Base" in ch.intro) and ch.simulated
    assert ch.title == ("Regard des Français" if lang == "fr" else "The French view")


def test_chapter_numbers_are_the_poll_estimates_beside_the_authorities_rows() -> None:
    data = _input("fr")
    ch = poll_chapter(data)
    assert ch is not None and data.poll is not None
    rows = {(r.indicator, r.breakdown, r.domain_value): r for r in data.rows}
    for figure, cells in zip(data.poll.figures, ch.table.rows, strict=True):
        assert figure.estimate is not None and figure.published is not None
        assert cells[1] == (pct(figure.estimate, "fr"),)
        assert cells[3] == (pct(figure.published, "fr"),)
        beside = [s for s in cells[4] if isinstance(s, Num) and s.kind == "estimate"]
        wanted = [i for i in figure.beside if (i, "ensemble", "ensemble") in rows]
        assert [s.indicator for s in beside] == wanted and wanted
        for s in beside:
            row = rows[(s.indicator, "ensemble", "ensemble")]
            assert s.suppressed or s.text == pct(row.estimate or 0.0, "fr")


def test_no_poll_no_chapter() -> None:
    assert poll_chapter(synthetic_input("fr")) is None


@pytest.mark.slow  # builds a whole note
def test_note_html_has_the_chapter_in_its_table_of_contents(tmp_path: Path) -> None:
    result = build_report(_input("en"), tmp_path, pdf=False)
    html = result.html.read_text(encoding="utf-8")
    assert 'href="#ch-regard-des-francais"' in html and 'id="ch-regard-des-francais"' in html
    assert "The French view" in html and "Base: all people interviewed" in html
