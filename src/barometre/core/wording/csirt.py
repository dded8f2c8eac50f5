"""The CSIRT directory's sentences, in French or English (:mod:`barometre.core.diagnostic.csirt` decides).

Opening statuses are codes (``open_until``, ``closed_holiday``…) with their parameters; this module
words them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time

from barometre.core.wording import pick

WEEKDAY_NAMES: Mapping[str, tuple[str, ...]] = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
#: English names of the holidays of :mod:`barometre.core.diagnostic.holidays` (French name → English).
HOLIDAY_EN: Mapping[str, str] = {
    "Jour de l'an": "New Year's Day",
    "Lundi de Pâques": "Easter Monday",
    "Fête du Travail": "Labour Day",
    "Victoire 1945": "Victory in Europe Day",
    "Ascension": "Ascension Day",
    "Lundi de Pentecôte": "Whit Monday",
    "Fête nationale": "Bastille Day",
    "Assomption": "Assumption Day",
    "Toussaint": "All Saints' Day",
    "Armistice 1918": "Armistice Day",
    "Noël": "Christmas Day",
    "Vendredi saint (Alsace-Moselle)": "Good Friday (Alsace-Moselle)",
    "Saint-Étienne (Alsace-Moselle)": "St Stephen's Day (Alsace-Moselle)",
}


def clock(t: time, lang: str = "fr") -> str:
    """``9h30`` / ``9h`` (French), ``9:30`` (English)."""
    if lang == "en":
        return f"{t.hour}:{t.minute:02d}"
    return f"{t.hour}h{t.minute:02d}" if t.minute else f"{t.hour}h"


def holiday(name: str, lang: str) -> str:
    """A public holiday's name (the French one as :mod:`holidays` gives it)."""
    return HOLIDAY_EN.get(name, name) if lang == "en" else name


def hours(
    groups: Sequence[tuple[int, int, Sequence[str]]] | None,
    *,
    closed_on_holidays: bool,
    source_date: str | None,
    lang: str,
) -> str:
    """Opening hours from ``(first weekday, last weekday, slot texts)`` groups (None: not disclosed)."""
    if groups is None:
        return pick(lang, "horaires non communiqués", "hours not disclosed")
    names = WEEKDAY_NAMES[pick(lang, "fr", "en")]
    parts = []
    for first, last, slots in groups:
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
        parts.append(f"{days} {pick(lang, ' et ', ' and ').join(slots)}")
    text = pick(lang, " ; ", "; ").join(parts)
    if closed_on_holidays:
        text += pick(lang, " (hors jours fériés)", " (except public holidays)")
    if source_date:
        source = pick(lang, "d'après une source de", "according to a source dated")
        text += f" — {source} {source_date}"
    return text


def status(code: str, lang: str, *, holiday_name: str = "", at: time | None = None, region: str = "") -> str:
    """The sentence of an opening status or of a missing CSIRT (``code``: see the module's callers)."""
    hol = holiday(holiday_name, lang)
    hm = clock(at, lang) if at is not None else ""
    texts: dict[str, tuple[str, str]] = {
        "hours_unknown": (
            "Horaires non communiqués : ouverture inconnue.",
            "Opening hours not disclosed: unknown whether open.",
        ),
        "closed_holiday": (f"Fermé : jour férié ({hol}).", f"Closed: public holiday ({hol})."),
        "holiday_unknown": (
            f"Jour férié ({hol}) : la source ne dit pas si le service est ouvert ces jours-là.",
            f"Public holiday ({hol}): the source does not say whether the service is open on such days.",
        ),
        "open_until": (f"Ouvert jusqu'à {hm}.", f"Open until {hm}."),
        "closed_no_service": ("Fermé : pas de permanence ce jour-là.", "Closed: no service on that day."),
        "closed_opens_at": (f"Fermé : ouverture à {hm}.", f"Closed: opens at {hm}."),
        "closed_after_hours": ("Fermé : en dehors des heures d'ouverture.", "Closed: outside opening hours."),
        "closed_lunch": ("Fermé : pause de midi.", "Closed: lunch break."),
        "region_unknown": (
            "Région de la collectivité inconnue : utilisez le dispositif national.",
            "Region of the authority unknown: use the national service.",
        ),
        "not_found": (
            f"Aucun CSIRT régional trouvé pour {region} dans les sources consultées (incertain) : "
            "utilisez le dispositif national.",
            f"No regional CSIRT found for {region} in the sources consulted (uncertain): use the national service.",
        ),
        "no_csirt": (
            f"Aucun CSIRT régional connu pour la région {region} : utilisez le dispositif national.",
            f"No known regional CSIRT for region {region}: use the national service.",
        ),
    }
    fr, en = texts[code]
    return pick(lang, fr, en)


def serious_incident_label(lang: str) -> str:
    return pick(lang, "Incident grave :", "Serious incident:")
