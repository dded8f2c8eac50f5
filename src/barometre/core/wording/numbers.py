"""French (and English) number formatting for what users read.

French typography: comma decimals, a narrow no-break space as thousands
separator and a no-break space before ``%``; differences in points are "pts".
"""

from __future__ import annotations

import math
from datetime import date

NBSP = "\u00a0"
NNBSP = "\u202f"


def format_number(value: float, decimals: int = 0, lang: str = "fr") -> str:
    """Format ``value`` with ``decimals`` decimals, grouped by thousands."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"cannot format {value!r}")
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        return text.replace(",", NNBSP).replace(".", ",")
    return text


def format_significant(value: float, lang: str = "fr") -> str:
    """Up to ten significant digits, thousands grouped (a bound quoted in a validation message)."""
    text = f"{value:,.10g}" if value == value else "NaN"
    if lang == "fr":
        return text.replace(",", NNBSP).replace(".", ",")
    return text


def format_percent(value: float, decimals: int = 0, lang: str = "fr") -> str:
    """Format a percentage given in percent units (``12.5`` → ``12,5 %``)."""
    number = format_number(value, decimals, lang)
    return f"{number}{NBSP}%" if lang == "fr" else f"{number}%"


def _printed_value(number: str, lang: str) -> float:
    """The value of a number as :func:`format_number` printed it."""
    plain = number.replace(NNBSP, "").replace(NBSP, "")
    return float(plain.replace(",", ".") if lang == "fr" else plain.replace(",", ""))


def _points_unit(number: str, lang: str) -> str:
    """« pt » or « pts » agreeing with the number as printed: French singular below 2 (0, 1, 1,5 pt),
    English singular for exactly 1 (1 pt, 0 pts, 1.5 pts)."""
    value = _printed_value(number, lang)
    if lang == "fr":
        return "pt" if value < 2 else "pts"
    return "pt" if value == 1 else "pts"


def format_points(value: float, decimals: int = 0, lang: str = "fr") -> str:
    """Format a difference of percentages in points (``+3 pts``, ``+1 pt``; no sign on a printed 0)."""
    number = format_number(abs(value), decimals, lang)
    sign = "" if _printed_value(number, lang) == 0 else ("+" if value > 0 else "−")
    unit = _points_unit(number, lang)
    return f"{sign}{number}{NBSP}{unit}" if lang == "fr" else f"{sign}{number} {unit}"


def format_interval(low: float, high: float, decimals: int = 0, lang: str = "fr") -> str:
    """A 95 % interval as ``[38 % ; 46 %]`` (French) or ``[38%, 46%]`` (English)."""
    lo, hi = format_percent(low, decimals, lang), format_percent(high, decimals, lang)
    return f"[{lo}{NBSP}; {hi}]" if lang == "fr" else f"[{lo}, {hi}]"


def format_margin(value: float, decimals: int = 1, lang: str = "fr") -> str:
    """A margin of error in points: ``± 4,4 pts``."""
    number = format_number(abs(value), decimals, lang)
    unit = _points_unit(number, lang)
    return f"±{NBSP}{number}{NBSP}{unit}" if lang == "fr" else f"±{number} {unit}"


MONTHS: dict[str, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def format_day(d: date, lang: str = "fr") -> str:
    """``date(2023, 1, 1)`` → ``1er janvier 2023`` / ``1 January 2023``."""
    day = "1er" if d.day == 1 and lang == "fr" else str(d.day)
    return f"{day} {MONTHS[lang][d.month - 1]} {d.year}"


def format_source_date(value: str, lang: str = "fr") -> str:
    """A source's date as written in the data files (``2023-11-16``, ``2024-11`` or ``2025``), for people."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return format_day(date(int(parts[0]), int(parts[1]), int(parts[2])), lang)
        if len(parts) == 2:
            return f"{MONTHS[lang][int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        return value
    return value
