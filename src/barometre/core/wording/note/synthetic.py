"""Texts of the synthetic edition that tests and the benchmark build the note from
(:mod:`barometre.core.report.synthetic`)."""

from __future__ import annotations

from collections.abc import Mapping

from barometre.core.wording import lang_key

_EDITION: Mapping[str, Mapping[str, str]] = {
    "fr": {"frame_millesime": "population municipale INSEE 2023", "field_period": "du 2 juin au 11 juillet"},
    "en": {"frame_millesime": "INSEE municipal population 2023", "field_period": "2 June to 11 July"},
}


def edition_texts(lang: str) -> Mapping[str, str]:
    """The synthetic edition's frame vintage (``frame_millesime``) and fieldwork period (``field_period``)."""
    return _EDITION[lang_key(lang)]
