"""French public holidays (jours fériés), including Alsace-Moselle's two extra days.

National list: 1 January, Easter Monday, 1 May, 8 May, Ascension (Easter + 39),
Whit Monday (Easter + 50), 14 July, 15 August, 1 November, 11 November,
25 December. Alsace-Moselle (départements 57, 67, 68) adds Good Friday
(Easter − 2) and 26 December. Overseas-specific days (abolition of slavery...)
are not covered: no source in ``data/domain/facts.md``.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

#: Départements of Alsace-Moselle (local law: Good Friday and 26 December).
ALSACE_MOSELLE_DEPARTEMENTS = frozenset({"57", "67", "68"})


def easter_sunday(year: int) -> date:
    """Easter Sunday (Gregorian calendar), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    if year < 1583:
        raise ValueError(f"Gregorian Easter is defined from 1583 on (got {year})")
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def is_alsace_moselle(departement: str | None) -> bool:
    return departement is not None and departement.strip().upper() in ALSACE_MOSELLE_DEPARTEMENTS


@functools.cache
def _holidays(year: int, alsace_moselle: bool) -> dict[date, str]:
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Jour de l'an",
        easter + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du Travail",
        date(year, 5, 8): "Victoire 1945",
        easter + timedelta(days=39): "Ascension",
        easter + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }
    if alsace_moselle:
        days[easter - timedelta(days=2)] = "Vendredi saint (Alsace-Moselle)"
        days[date(year, 12, 26)] = "Saint-Étienne (Alsace-Moselle)"
    return dict(sorted(days.items()))


def public_holidays(year: int, departement: str | None = None) -> dict[date, str]:
    """Public holidays of ``year`` (date → French name); Alsace-Moselle days if ``departement`` is 57, 67 or 68."""
    return dict(_holidays(year, is_alsace_moselle(departement)))


def holiday_name(day: date, departement: str | None = None) -> str | None:
    """The holiday's French name, or None when ``day`` is not a public holiday."""
    return _holidays(day.year, is_alsace_moselle(departement)).get(day)


def is_public_holiday(day: date, departement: str | None = None) -> bool:
    return holiday_name(day, departement) is not None
