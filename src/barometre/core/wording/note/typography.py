"""French typography of the note's text: no-break spaces inside numbers and before units and
punctuation, so that « 3 500 habitants », « 12,5 % » or « +1 pt » never break across lines."""

from __future__ import annotations

import re

from barometre.core.wording.note.text import fr_typo
from barometre.core.wording.numbers import NBSP, NNBSP

#: A digit group separated by a space (plain, no-break or narrow): 3 500, 1 267 000.
_GROUPS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")
#: A number followed by a unit or a word it must stay with.
_UNITS = re.compile(
    r"(?<=\d) (?=(?:%|‰|€|k€|M€|Md€|pt|pts|points?|habitants|hab\.|ans?|mois|jours?|h|min|s|km|Mo|Go|ko|kB|MB|GB)\b)"
)
#: Singular "pt" where the value is between -2 and 2 exclusive (French agreement: 1,5 pt, 2 pts).
_PTS = re.compile(r"([+\-−]?)(\d+(?:,\d+)?)[\u00a0\u202f ]pts\b")


def _pt_agreement(m: re.Match[str]) -> str:
    value = float(m.group(2).replace(",", "."))
    unit = "pt" if value < 2 else "pts"
    return f"{m.group(1)}{m.group(2)}{NBSP}{unit}"


def numbers(text: str) -> str:
    """No-break spaces inside numbers and between a number and its unit (any language)."""
    text = _GROUPS.sub(NNBSP, text)
    return _UNITS.sub(NBSP, text)


def fr(text: str) -> str:
    """The note's French typography: :func:`.text.fr_typo`, numbers kept whole, « pt »/« pts »."""
    return _PTS.sub(_pt_agreement, numbers(fr_typo(text)))


def typo(text: str, lang: str) -> str:
    return fr(text) if lang == "fr" else numbers(text)
