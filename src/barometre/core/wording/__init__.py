"""The wording layer: every French and English text the core writes is chosen here.

The rest of the core decides with codes and numbers; it asks this package for the words, in French
(the default) or English, and never tests the language itself (``tests/test_architecture.py``).

- :mod:`.numbers`: numbers, percentages, intervals and dates for people (12,5 %, no-break spaces);
- :mod:`.labels`: breakdown domains, disclosure reasons, plain definitions of the indicators;
- :mod:`.charts`: what the charts and maps say;
- :mod:`.csirt` and :mod:`.obligations`: the diagnostic's sentences;
- :mod:`.note`: the note de conjoncture's strings, numbers and sentences.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

#: The languages every text is given in.
LANGS: tuple[str, ...] = ("fr", "en")


def pick(lang: str, fr: T, en: T) -> T:
    """``en`` in English, ``fr`` otherwise (French is the default of every text)."""
    return en if lang == "en" else fr


def lang_key(lang: str) -> str:
    """The key of ``lang`` in a ``{fr, en}`` pair (anything but English reads French)."""
    return "en" if lang == "en" else "fr"
