"""Text coming from outside (forms, query strings, imported files, the database) made safe to keep and show.

- :func:`find_control` finds the first character a person cannot have meant to type (NUL and the
  other C0/C1 control characters, except TAB and line breaks where multi-line text is allowed);
  PostgreSQL refuses NUL outright, terminals obey escape sequences.
- :func:`neutralise_formula` keeps a spreadsheet from reading a text cell as a formula.
- :func:`printable` renders text for a terminal: control characters shown as ``\\xNN`` escapes.
"""

from __future__ import annotations

import re
import unicodedata

#: Line breaks and TAB: allowed in multi-line text (answers typed in a text area).
MULTILINE_ALLOWED = frozenset("\t\n\r")
#: Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _is_control(char: str) -> bool:
    category = unicodedata.category(char)
    # Cc: C0/C1 controls (NUL, ESC, DEL…); Cs: lone surrogates (not encodable); also the
    # line/paragraph separators, which break a single-line display.
    return category in ("Cc", "Cs") or char in "\u2028\u2029"


def find_control(text: str, *, multiline: bool = False) -> int | None:
    """Index of the first forbidden control character of ``text``, or None when it is clean."""
    for i, char in enumerate(text):
        if _is_control(char) and not (multiline and char in MULTILINE_ALLOWED):
            return i
    return None


def describe_char(char: str) -> str:
    """``"\\x00"`` → ``"U+0000"`` (how an error message names an invisible character)."""
    return f"U+{ord(char):04X}"


def neutralise_formula(value: str) -> str:
    """A text cell that a spreadsheet would evaluate, prefixed with an apostrophe so it stays text.

    ``=HYPERLINK("x")`` → ``'=HYPERLINK("x")``. A text already starting with an apostrophe gets
    one more, so that :func:`restore_formula` gives back exactly what was written. Other text is
    unchanged; numbers are never passed here (they stay numbers).
    """
    if value and value.startswith((*FORMULA_TRIGGERS, "'")):
        return "'" + value
    return value


def restore_formula(value: str) -> str:
    """Inverse of :func:`neutralise_formula` (reading back our own CSV)."""
    return value[1:] if value.startswith("'") else value


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with control characters (ESC, NUL, CR…) shown as visible escapes; TAB and LF kept."""
    return _CONTROL_RE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else "\\u" + f"{ord(m.group()):04x}", text
    )
