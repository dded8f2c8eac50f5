"""The note's département map is drawn from the model-based estimates, labelled, with a CV legend,
and the methodology annex describes the model and its checks."""

from __future__ import annotations

import csv
import re

import pytest

from tests.core.report.conftest import Built

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("note")]  # builds the note once per session (one worker)


def _section(html: str) -> str:
    start = html.index('id="small-area"')
    return html[start : html.index("</section>", start)]


def test_departement_map_shows_model_based_estimates_with_cv_for_every_departement(note_fr: Built) -> None:
    section = _section(note_fr.html)
    assert "estimation par modèle par département" in section
    src = re.search(r'<img src="figures/([^"]+)\.svg"', section)
    assert src is not None
    with open(note_fr.result.out_dir / "figures" / f"{src.group(1)}.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    model = note_fr.data.small_areas[0]
    assert len(rows) == len(model.areas) == 101
    assert {r["departement"] for r in rows} >= {"2A", "2B", "971", "976"}
    by_code = {a.area: a for a in model.areas}
    for r in rows:
        assert abs(float(r["estimate_model"]) - by_code[r["departement"]].estimate) < 1e-3
    assert "CV" in section and "hachuré au-dessus de 30" in section


def test_withheld_direct_estimates_stay_withheld_in_the_note(note_fr: Built) -> None:
    section = _section(note_fr.html)
    model = note_fr.data.small_areas[0]
    withheld = sum(a.direct is None for a in model.areas)
    assert withheld > 0
    assert section.count("non publiée") == withheld


def test_methodology_annex_describes_the_model_and_its_checks(note_fr: Built, note_en: Built) -> None:
    fr = _section(note_fr.html)
    for words in ("Fay et Herriot", "Prasad et Rao", "fonction de variance généralisée", "résidus standardisés"):
        assert words in fr
    en = _section(note_en.html)
    assert "Fay and Herriot" in en and "standardised residuals" in en
