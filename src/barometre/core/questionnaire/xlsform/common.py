"""What XLSForm export and import share: the language columns, the grid separator, the refusal error."""

from __future__ import annotations

from barometre.core.errors import QuestionnaireError

__all__ = ["EN", "FR", "GRID_SEP", "XLSFormRefused", "number_cell"]

FR = "French (fr)"
EN = "English (en)"
GRID_SEP = "__"


class XLSFormRefused(QuestionnaireError):
    """The form uses what the barometer does not support; one message per offending row."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        more = f" (et {len(messages) - 1} autre(s))" if len(messages) > 1 else ""
        super().__init__(messages[0] + more)


def number_cell(x: float | None) -> str:
    """A bound as written in a cell: ``3`` for 3.0, ``2.5``, empty for none."""
    if x is None:
        return ""
    return str(int(x)) if x == int(x) else repr(x)
