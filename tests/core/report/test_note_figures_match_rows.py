"""Every number of the note comes from the rows (or the catalogue's published values), formatted
the French way, and suppressed cells never show as numbers."""

from __future__ import annotations

import re

import pytest

from barometre.core.report import Row
from barometre.core.wording.labels import reason_label
from barometre.core.wording.note.text import DECIMALS, strings
from barometre.core.wording.numbers import format_number, format_percent, format_points

from .conftest import Built, parse

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("note")]  # builds the note once per session (one worker)


def _index(b: Built) -> dict[tuple[int, str, str, str], Row]:
    out = {(r.edition, r.indicator, r.breakdown, r.domain_value): r for r in b.data.rows}
    for rows in b.data.previous.values():
        out.update({(r.edition, r.indicator, r.breakdown, r.domain_value): r for r in rows})
    return out


def _published(b: Built) -> dict[tuple[int, str, str, str], float]:
    return {(p.edition, i.id, p.breakdown, p.domain): p.value for i in b.data.catalogue.indicators for p in i.published}


def _check_all(b: Built) -> dict[str, int]:
    lang = b.data.lang
    rows, pubs = _index(b), _published(b)
    nd = strings(lang)["nd"]
    kinds: dict[str, int] = {}
    for el in parse(b.html).elements:
        if "data-indicator" not in el.attrs:
            continue
        a = el.attrs
        key = (int(a["data-edition"]), a["data-indicator"], a["data-breakdown"], a["data-domain"])
        kind = a["data-kind"]
        kinds[kind] = kinds.get(kind, 0) + 1
        where = f"{key} {kind}: {el.text!r}"
        if kind == "published":
            assert el.text == format_percent(pubs[key], DECIMALS, lang), where
            continue
        row = rows[key]
        if kind in ("estimate", "ci_low", "ci_high"):
            value = getattr(row, "estimate" if kind == "estimate" else kind)
            if row.suppressed or value is None:
                assert el.text.startswith(nd), where
                assert "%" not in el.text, where
                assert "nd" in el.attrs["class"].split(), where
            else:
                assert el.text == format_percent(value, DECIMALS, lang), where
        elif kind == "n":
            if row.suppressed or row.n is None:  # a hidden cell publishes no count
                assert el.text.startswith(nd) and row.n is None, where
            else:
                assert el.text == format_number(row.n, 0, lang), where
        elif kind == "change":
            prev = rows[(int(a["data-previous"]), *key[1:])]
            if row.shown and prev.shown:
                assert row.estimate is not None and prev.estimate is not None
                assert el.text == format_points(row.estimate - prev.estimate, DECIMALS, lang), where
            else:
                assert el.text == nd, where
        else:
            pytest.fail(f"unknown data-kind {kind!r}")
    return kinds


def test_every_figure_of_the_french_note_matches_the_rows(note_fr: Built) -> None:
    kinds = _check_all(note_fr)
    assert kinds["estimate"] > 200
    assert kinds["ci_low"] == kinds["ci_high"] > 100
    assert kinds["change"] > 10 and kinds["published"] > 50 and kinds["n"] > 100


def test_every_figure_of_the_english_note_matches_the_rows(note_en: Built) -> None:
    kinds = _check_all(note_en)
    assert kinds["estimate"] > 200


def test_french_numbers_use_comma_and_nbsp_before_percent(note_fr: Built) -> None:
    els = [e for e in parse(note_fr.html).elements if e.attrs.get("data-kind") == "estimate"]
    shown = [e.text for e in els if "nd" not in e.attrs["class"].split()]
    assert shown and all(t.endswith("\u00a0%") for t in shown)
    assert not re.search(r"\d %", note_fr.html)  # never an ordinary space before %
    changes = [e.text for e in parse(note_fr.html).elements if e.attrs.get("data-kind") == "change"]
    assert any(t.endswith("\u00a0pts") for t in changes)


def test_suppressed_cells_are_shown_as_statistical_secret_with_reason(note_fr: Built) -> None:
    suppressed = {(r.indicator, r.breakdown, r.domain_value) for r in note_fr.data.rows if r.suppressed}
    assert suppressed, "the synthetic edition must have suppressed cells"
    shown = [
        e
        for e in parse(note_fr.html).elements
        if e.attrs.get("data-kind") == "estimate"
        and (e.attrs["data-indicator"], e.attrs["data-breakdown"], e.attrs["data-domain"]) in suppressed
        and e.attrs["data-edition"] == str(note_fr.data.edition.year)
    ]
    assert shown
    reasons = {reason_label(code, "fr") for code in ("confidentiality", "complementary", "precision")}
    for e in shown:
        assert e.attrs.get("title") in reasons  # the reason, worded, and nothing else
        assert e.text == f"n.d. ({e.attrs['title']})"


def test_every_number_in_paragraphs_and_cards_carries_its_origin(note_fr: Built) -> None:
    """Outside the annex's methodological tables, no percentage is shown without data-indicator."""
    html = note_fr.html
    body = html[html.index("<main>") : html.index('id="annex"')]
    # the authors' own text (editorial, lessons, example boxes, recommendations) quotes its sources
    body = re.sub(
        r'<(section|div|aside) class="[^"]*"[^>]* data-(editorial|example)="[^"]*".*?</\1>', "", body, flags=re.S
    )
    body = re.sub(r'<aside class="example".*?</aside>', "", body, flags=re.S)
    stripped = re.sub(r"<span class=\"num[^>]*>.*?</span>(</span>)?", "", body, flags=re.S)
    stripped = re.sub(r"<[^>]+>", " ", stripped)
    stripped = stripped.replace("à 95\u00a0%", "").replace("seuil de 5\u00a0%", "")  # confidence and test levels
    assert not re.search(r"\d\u00a0%", stripped)
