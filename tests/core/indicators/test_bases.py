"""Every base of a published figure in the catalogue reads as words in French and English."""

from __future__ import annotations

from barometre.core.indicators.catalogue import load_catalogue
from barometre.core.wording.bases import base_label


def test_every_published_base_of_the_catalogue_is_worded() -> None:
    bases = {p.base for ind in load_catalogue().indicators for p in ind.published}
    assert "all respondents" in bases
    for base in bases:
        fr, en = base_label(base, "fr"), base_label(base, "en")
        assert fr and en
        assert "all respondents" not in fr + en and "unclear" not in fr + en
        if base not in ("EPCI", "métropoles", "régions", "départements"):
            assert fr != base, base  # worded in French, not the file's English


def test_an_unknown_base_is_shown_as_given() -> None:
    assert base_label("communes littorales", "fr") == "communes littorales"
