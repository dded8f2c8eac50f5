"""Regional CSIRT directory, « ouvert maintenant ? », next opening and fallback.

Decisions (see README):

* The CSIRT's opening follows **the CSIRT's own calendar** (where it sits), not
  the authority's: a Moselle commune calling Grand Est Cybersécurité (Nancy, 54)
  finds it open on Good Friday and 26 December. Alsace-Moselle days apply only
  when the CSIRT's ``location_departement`` is 57, 67 or 68.
* Hours are wall-clock slots in the CSIRT's time zone (Europe/Paris for
  metropolitan France); a slot's end is excluded (open at 12:29, closed at 12:30).
* ``hours: null`` (not in the sources) → ``open`` is None ("horaires non
  communiqués") and ``next_opening`` is None; the fallback is always given.
* ``holidays: closed`` (the source says so) → closed on public holidays;
  ``holidays: unknown`` → ``open`` is None during a slot falling on a public
  holiday. ``next_opening`` is always the next *certain* opening (holidays skipped).
* A naive datetime is read as Europe/Paris time.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from barometre.core.diagnostic._data import load_yaml, localized
from barometre.core.diagnostic.holidays import holiday_name
from barometre.core.errors import DiagnosticError
from barometre.core.paths import DATA_DIR
from barometre.core.wording import csirt as wording

CSIRT_FILE = DATA_DIR / "csirt.yaml"
PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LANGS: tuple[str, ...] = ("fr", "en")
#: How far ahead to look for the next opening (covers long holiday weekends).
_LOOKAHEAD_DAYS = 14


@dataclass(frozen=True)
class Slot:
    start: time
    end: time

    def text(self, lang: str = "fr") -> str:
        return f"{wording.clock(self.start, lang)}–{wording.clock(self.end, lang)}"


@dataclass(frozen=True)
class Csirt:
    id: str
    name: str
    regions: tuple[str, ...]
    region_name: str
    operator: str | None
    phone: str | None
    phone_note: str | None
    email: str | None
    website: str | None
    hours: Mapping[int, tuple[Slot, ...]] | None  # weekday (0 = Monday) → slots
    hours_source_date: str | None
    holidays: Literal["closed", "unknown"]
    timezone: str
    location: str | None
    location_departement: str | None
    uncertain: bool
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    source_date: str
    lang: str = "fr"  # language of the texts above and default language of the generated ones

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def hours_text(self, lang: str | None = None) -> str:
        """``lundi–jeudi 9h–17h30 ; vendredi 9h–17h`` or « horaires non communiqués » (English with "en")."""
        lang = lang or self.lang
        if self.hours is None:
            return wording.hours(None, closed_on_holidays=False, source_date=None, lang=lang)
        groups: list[tuple[int, int, tuple[Slot, ...]]] = []
        for wd in range(7):
            slots = self.hours.get(wd, ())
            if not slots:
                continue
            if groups and groups[-1][1] == wd - 1 and groups[-1][2] == slots:
                groups[-1] = (groups[-1][0], wd, slots)
            else:
                groups.append((wd, wd, slots))
        return wording.hours(
            [(first, last, [s.text(lang) for s in slots]) for first, last, slots in groups],
            closed_on_holidays=self.holidays == "closed",
            source_date=self.hours_source_date,
            lang=lang,
        )

    def lunch_breaks(self, lang: str | None = None) -> list[str]:
        """Gaps between two slots of the same day (e.g. ``12h30–14h``)."""
        if self.hours is None:
            return []
        lang = lang or self.lang
        gaps = {
            f"{wording.clock(a.end, lang)}–{wording.clock(b.start, lang)}"
            for slots in self.hours.values()
            for a, b in itertools.pairwise(slots)
        }
        return sorted(gaps)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        return {
            "id": self.id,
            "name": self.name,
            "region": self.region_name,
            "region_codes": list(self.regions),
            "operator": self.operator,
            "phone": self.phone,
            "phone_note": self.phone_note,
            "email": self.email,
            "website": self.website,
            "hours": self.hours_text(lang),
            "lunch_break": ", ".join(self.lunch_breaks(lang)) or None,
            "timezone": self.timezone,
            "uncertain": self.uncertain,
            "notes": list(self.notes),
            "sources": list(self.sources),
            "source_date": self.source_date,
        }


@dataclass(frozen=True)
class Directory:
    csirts: tuple[Csirt, ...]
    not_found: Mapping[str, str]  # region code → region name
    fallback: Mapping[str, Any]

    def for_region(self, region: str | None) -> Csirt | None:
        if region is None:
            return None
        code = region.strip()
        return next((c for c in self.csirts if code in c.regions), None)


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def _parse_slot(text: Any, where: str) -> Slot:
    try:
        a, b = str(text).split("-")
        start, end = time.fromisoformat(a.strip()), time.fromisoformat(b.strip())
    except ValueError:
        raise DiagnosticError(f"créneau invalide « {text} » (attendu HH:MM-HH:MM)", location=where) from None
    if end <= start:
        raise DiagnosticError(f"créneau « {text} » : la fin doit suivre le début", location=where)
    return Slot(start, end)


def _parse_hours(raw: Any, where: str) -> Mapping[int, tuple[Slot, ...]] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise DiagnosticError("« hours » doit associer un jour (mon…sun) à des créneaux", location=where)
    hours: dict[int, tuple[Slot, ...]] = {}
    for day, slots in raw.items():
        if day not in WEEKDAYS:
            raise DiagnosticError(f"jour inconnu « {day} » (attendu : {', '.join(WEEKDAYS)})", location=where)
        parsed = tuple(sorted((_parse_slot(s, f"{where}:{day}") for s in slots), key=lambda s: s.start))
        for a, b in itertools.pairwise(parsed):
            if b.start < a.end:
                raise DiagnosticError(f"créneaux qui se chevauchent le {day}", location=where)
        hours[WEEKDAYS.index(day)] = parsed
    return hours


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _tr(raw: Mapping[str, Any], key: str, lang: str) -> Any:
    """``raw.get(key)`` in ``lang`` (a ``{fr, en}`` pair, or one text for both)."""
    return localized(raw.get(key), lang)


def _localise_data(obj: Any, lang: str) -> Any:
    """``obj`` with each ``{fr, en}`` pair replaced by its ``lang`` text, as plain dicts and lists."""
    obj = localized(obj, lang)
    if isinstance(obj, Mapping):
        return {k: _localise_data(v, lang) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_localise_data(v, lang) for v in obj]
    return obj


def parse_directory(data: Any, source: str = "csirt.yaml", lang: str = "fr") -> Directory:
    """The directory of ``data``, each text in ``lang`` (a ``{fr, en}`` pair, or one text for both)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("csirts"), list):
        raise DiagnosticError("le fichier doit contenir une liste « csirts »", location=source)
    csirts: list[Csirt] = []
    for i, raw in enumerate(data["csirts"]):
        where = f"{source}:csirts[{i}]"
        try:
            tz = str(raw.get("timezone") or "Europe/Paris")
            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                raise DiagnosticError(f"fuseau horaire inconnu « {tz} »", location=where) from None
            policy = raw.get("holidays", "unknown")
            if policy not in ("closed", "unknown"):
                raise DiagnosticError(f"« holidays » : closed ou unknown attendu, pas « {policy} »", location=where)
            csirts.append(
                Csirt(
                    id=str(raw["id"]),
                    name=str(_tr(raw, "name", lang)),
                    regions=tuple(str(r) for r in raw["regions"]),
                    region_name=str(raw["region_name"]),
                    operator=_opt(_tr(raw, "operator", lang)),
                    phone=_opt(raw.get("phone")),
                    phone_note=_opt(_tr(raw, "phone_note", lang)),
                    email=_opt(raw.get("email")),
                    website=_opt(raw.get("website")),
                    hours=_parse_hours(raw.get("hours"), where),
                    hours_source_date=_opt(raw.get("hours_source_date")),
                    holidays=policy,
                    timezone=tz,
                    location=_opt(raw.get("location")),
                    location_departement=_opt(raw.get("location_departement")),
                    uncertain=bool(raw.get("uncertain", False)),
                    notes=tuple(" ".join(str(localized(n, lang)).split()) for n in raw.get("notes") or ()),
                    sources=tuple(str(s) for s in raw.get("sources") or ()),
                    source_date=str(_tr(raw, "source_date", lang)),
                    lang=lang,
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise DiagnosticError(f"entrée mal formée ({exc})", location=where) from None
    seen: dict[str, str] = {}
    for c in csirts:
        for r in c.regions:
            if r in seen:
                raise DiagnosticError(f"région {r} couverte par {seen[r]} et {c.id}", location=source)
            seen[r] = c.id
    not_found = {str(e["region"]): str(e["region_name"]) for e in data.get("not_found") or ()}
    fallback = data.get("fallback")
    if not isinstance(fallback, Mapping) or "national" not in fallback:
        raise DiagnosticError("« fallback.national » manquant", location=source)
    return Directory(tuple(csirts), not_found, _localise_data(fallback, lang))


@functools.cache
def _load_cached(path: Path, lang: str = "fr") -> Directory:
    data = load_yaml(path, "annuaire des CSIRT")
    return parse_directory(data, str(path), lang)


def load_directory(path: Path | None = None, lang: str = "fr") -> Directory:
    """The directory (cached per path and language), texts in ``lang``."""
    if lang not in LANGS:
        raise DiagnosticError(f"langue « {lang} » non prise en charge (attendu : {', '.join(LANGS)})")
    return _load_cached((path or CSIRT_FILE).resolve(), lang)


# ---------------------------------------------------------------------------
# Opening hours
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenStatus:
    open: bool | None
    next_opening: datetime | None
    closes_at: datetime | None
    #: The status in words (``lang``); ``code`` says it for a program (``open_until``, ``closed_holiday``…).
    reason: str
    code: str = ""


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment.astimezone(tz)


def _slots_on(csirt: Csirt, day: date) -> tuple[Slot, ...]:
    assert csirt.hours is not None
    return csirt.hours.get(day.weekday(), ())


def next_opening(csirt: Csirt, moment: datetime) -> datetime | None:
    """The next start of a slot strictly after ``moment``, on a day that is not a public holiday."""
    if csirt.hours is None or not any(csirt.hours.values()):
        return None
    tz = csirt.tz
    local = _local(moment, tz)
    for offset in range(_LOOKAHEAD_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        if holiday_name(day, csirt.location_departement):
            continue
        for slot in _slots_on(csirt, day):
            start = datetime.combine(day, slot.start, tzinfo=tz)
            if start > local:
                return start
    return None


def open_status(csirt: Csirt, moment: datetime, lang: str | None = None) -> OpenStatus:
    """Is ``csirt`` open at ``moment`` (aware, or naive = Europe/Paris)? ``reason`` in ``lang`` (default: the
    language ``csirt`` was loaded in)."""
    lang = lang or csirt.lang
    if csirt.hours is None:
        return OpenStatus(None, None, None, wording.status("hours_unknown", lang), "hours_unknown")
    tz = csirt.tz
    local = _local(moment, tz)
    day, now = local.date(), local.time().replace(tzinfo=None)
    current = next((s for s in _slots_on(csirt, day) if s.start <= now < s.end), None)
    holiday = holiday_name(day, csirt.location_departement) or ""

    def said(code: str, at: time | None = None) -> str:
        return wording.status(code, lang, holiday_name=holiday, at=at)

    nxt = next_opening(csirt, local)
    if holiday and current is not None:
        if csirt.holidays == "closed":
            return OpenStatus(False, nxt, None, said("closed_holiday"), "closed_holiday")
        return OpenStatus(None, nxt, None, said("holiday_unknown"), "holiday_unknown")
    if current is not None:
        closes = datetime.combine(day, current.end, tzinfo=tz)
        return OpenStatus(True, None, closes, said("open_until", current.end), "open_until")
    if holiday:
        return OpenStatus(False, nxt, None, said("closed_holiday"), "closed_holiday")
    slots = _slots_on(csirt, day)
    at: time | None = None
    if not slots:
        code = "closed_no_service"
    elif now < slots[0].start:
        code, at = "closed_opens_at", slots[0].start
    elif now >= slots[-1].end:
        code = "closed_after_hours"
    else:
        code = "closed_lunch"
    return OpenStatus(False, nxt, None, said(code, at), code)


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def fallback_text(fallback: Mapping[str, Any], lang: str = "fr") -> list[str]:
    """The fallback as lines (French, or English with ``lang="en"``), for the text output."""
    lines = []
    nat = fallback.get("national") or {}
    lines.append(f"{nat.get('name')} ({nat.get('url')}) — {nat.get('availability')}")
    cm = fallback.get("cybermalveillance")
    if cm:
        lines.append(f"{cm.get('name')} ({cm.get('url')})")
    serious = fallback.get("serious_incident")
    if serious:
        label = wording.serious_incident_label(lang)
        lines.append(f"{label} {serious.get('name')} — {' '.join(str(serious.get('what', '')).split())}")
    lines.extend(str(x) for x in fallback.get("also") or ())
    return lines


def csirt_report(
    region: str | None, moment: datetime, directory: Directory | None = None, lang: str = "fr"
) -> dict[str, Any]:
    """``{"csirt", "open", "next_opening", "closes_at", "status", "at", "fallback"}`` for an authority's région.

    Texts in ``lang`` ("fr" or "en"); a given ``directory`` keeps the texts it was loaded with.
    """
    d = directory or load_directory(lang=lang)
    csirt = d.for_region(region)
    fallback = dict(d.fallback)
    if csirt is None:
        if region is None:
            why = wording.status("region_unknown", lang)
        elif region in d.not_found:
            why = wording.status("not_found", lang, region=d.not_found[region])
        else:
            why = wording.status("no_csirt", lang, region=region)
        return {
            "csirt": None,
            "open": None,
            "next_opening": None,
            "closes_at": None,
            "status": why,
            "at": _local(moment, PARIS).isoformat(),
            "fallback": fallback,
        }
    st = open_status(csirt, moment, lang)
    return {
        "csirt": csirt.to_dict(lang),
        "open": st.open,
        "next_opening": st.next_opening.isoformat() if st.next_opening else None,
        "closes_at": st.closes_at.isoformat() if st.closes_at else None,
        "status": st.reason,
        "at": _local(moment, csirt.tz).isoformat(),
        "fallback": fallback,
    }


def regions_covered(directory: Directory | None = None) -> Sequence[str]:
    d = directory or load_directory()
    return sorted(r for c in d.csirts for r in c.regions)
