"""Regional CSIRT directory: « ouvert maintenant ? », next opening, fallback."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from barometre.core import yamlfile
from barometre.core.diagnostic.csirt import (
    CSIRT_FILE,
    PARIS,
    Csirt,
    csirt_report,
    load_directory,
    next_opening,
    open_status,
    parse_directory,
)
from barometre.core.errors import DiagnosticError

OCCITANIE = "76"
BRETAGNE = "53"
GRAND_EST = "44"
PAYS_DE_LA_LOIRE = "52"


def csirt(region: str) -> Csirt:
    found = load_directory().for_region(region)
    assert found is not None
    return found


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def raw_directory() -> dict[str, Any]:
    data = yamlfile.load_file(CSIRT_FILE)
    assert isinstance(data, dict)
    return data


# ---------------------------------------------------------------------------
# Directory data: nothing invented
# ---------------------------------------------------------------------------

#: Phone numbers confirmed by data/domain/facts.md §4.2 — the directory may hold no other.
FACTS_PHONES = {
    "0 800 200 008",
    "0 800 800 001",
    "0 970 609 909",
    "0 970 51 25 25",
    "0 800 71 13 13",
    "0 805 29 29 40",
    "0262 974 999",
}


def test_directory_phones_all_come_from_facts() -> None:
    phones = {c.phone for c in load_directory().csirts if c.phone}
    assert phones == FACTS_PHONES


def test_every_csirt_entry_has_sources_and_a_date() -> None:
    for c in load_directory().csirts:
        assert c.sources and all(s.startswith("http") for s in c.sources), c.id
        assert c.source_date, c.id


def test_only_csirts_with_hours_in_facts_have_hours() -> None:
    with_hours = {c.id for c in load_directory().csirts if c.hours is not None}
    assert with_hours == {"breizh_cyber", "normandie_cyber", "cyber_occ"}


def test_missing_hours_are_reported_as_not_communicated_and_open_is_unknown() -> None:
    c = csirt(GRAND_EST)
    assert c.hours_text() == "horaires non communiqués"
    st = open_status(c, paris("2026-11-24T10:00"))
    assert st.open is None
    assert st.next_opening is None


def test_directory_rejects_overlapping_slots() -> None:
    data = raw_directory()
    data["csirts"][0]["hours"] = {"mon": ["09:00-12:00", "11:00-13:00"]}
    with pytest.raises(DiagnosticError, match="chevauchent"):
        parse_directory(data)


def test_directory_rejects_a_region_covered_twice() -> None:
    data = raw_directory()
    data["csirts"][1]["regions"] = data["csirts"][0]["regions"]
    with pytest.raises(DiagnosticError, match="couverte"):
        parse_directory(data)


# ---------------------------------------------------------------------------
# Opening hours: lunch break, exact minutes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-24T08:59", False),
        ("2026-11-24T09:00", True),
        ("2026-11-24T12:29", True),
        ("2026-11-24T12:30", False),  # lunch break starts
        ("2026-11-24T13:59", False),
        ("2026-11-24T14:00", True),
        ("2026-11-24T17:29", True),
        ("2026-11-24T17:30", False),
    ],
)
def test_cyber_occ_lunch_break_exact_minute_boundaries(moment: str, expected: bool) -> None:
    assert open_status(csirt(OCCITANIE), paris(moment)).open is expected


def test_lunch_break_gives_the_afternoon_opening_as_next_opening() -> None:
    st = open_status(csirt(OCCITANIE), paris("2026-11-24T12:45"))
    assert st.open is False
    assert st.next_opening == paris("2026-11-24T14:00")
    assert "midi" in st.reason


def test_cyber_occ_hours_text_mentions_the_lunch_break() -> None:
    c = csirt(OCCITANIE)
    assert c.lunch_breaks() == ["12h30–14h"]
    assert "9h–12h30 et 14h–17h30" in c.hours_text()


@pytest.mark.parametrize(
    ("moment", "expected"),
    [("2026-11-27T16:59", True), ("2026-11-27T17:00", False), ("2026-11-26T17:29", True)],
)
def test_breizh_cyber_closes_earlier_on_friday(moment: str, expected: bool) -> None:
    assert open_status(csirt(BRETAGNE), paris(moment)).open is expected


def test_open_status_gives_closing_time_when_open() -> None:
    st = open_status(csirt(OCCITANIE), paris("2026-11-24T10:00"))
    assert st.open is True
    assert st.closes_at == paris("2026-11-24T12:30")
    assert st.next_opening is None


# ---------------------------------------------------------------------------
# Weekends and public holidays
# ---------------------------------------------------------------------------


def test_closed_on_saturday_next_opening_monday_morning() -> None:
    st = open_status(csirt(OCCITANIE), paris("2026-11-28T10:00"))
    assert st.open is False
    assert st.next_opening == paris("2026-11-30T09:00")


def test_friday_evening_next_opening_is_monday() -> None:
    assert next_opening(csirt(OCCITANIE), paris("2026-11-27T18:00")) == paris("2026-11-30T09:00")


def test_christmas_2026_closed_and_next_opening_after_the_weekend() -> None:
    # 25 Dec 2026 is a Friday: next opening Monday 28 Dec.
    st = open_status(csirt(OCCITANIE), paris("2026-12-25T10:00"))
    assert st.open is False
    assert "Noël" in st.reason
    assert st.next_opening == paris("2026-12-28T09:00")


def test_easter_monday_2026_closed_at_cyber_occ() -> None:
    st = open_status(csirt(OCCITANIE), paris("2026-04-06T10:00"))
    assert st.open is False
    assert st.next_opening == paris("2026-04-07T09:00")


def test_ascension_2026_closed_and_next_opening_is_friday() -> None:
    st = open_status(csirt(OCCITANIE), paris("2026-05-14T10:00"))
    assert st.open is False
    assert st.next_opening == paris("2026-05-15T09:00")


def test_holiday_is_unknown_when_the_source_does_not_say() -> None:
    # Breizh Cyber: hours known, holidays policy not stated by the source.
    st = open_status(csirt(BRETAGNE), paris("2026-04-06T10:00"))
    assert st.open is None
    assert st.next_opening == paris("2026-04-07T09:00")


def test_holiday_outside_hours_is_simply_closed() -> None:
    assert open_status(csirt(BRETAGNE), paris("2026-04-06T20:00")).open is False


def test_26_december_is_a_working_day_for_the_grand_est_csirt_in_nancy() -> None:
    # The CSIRT's calendar is where it sits (Nancy, 54), not the authority's (e.g. Moselle).
    c = csirt(GRAND_EST)
    assert c.location_departement == "54"


def test_alsace_moselle_days_apply_to_a_csirt_located_there() -> None:
    data = raw_directory()
    entry = next(e for e in data["csirts"] if e["id"] == "cyber_occ")
    entry["location_departement"] = "57"
    d = parse_directory(data)
    c = d.for_region(OCCITANIE)
    assert c is not None
    # 26 Dec 2025 is a Friday; Good Friday 2026 is 3 April.
    assert open_status(c, paris("2025-12-26T10:00")).open is False
    assert open_status(c, paris("2026-04-03T10:00")).open is False
    assert open_status(csirt(OCCITANIE), paris("2025-12-26T10:00")).open is True
    assert open_status(csirt(OCCITANIE), paris("2026-04-03T10:00")).open is True


# ---------------------------------------------------------------------------
# Time zones and DST
# ---------------------------------------------------------------------------


def test_dst_start_day_next_opening_has_summer_offset() -> None:
    # Clocks go forward on Sunday 29 March 2026 at 02:00.
    nxt = next_opening(csirt(OCCITANIE), paris("2026-03-29T01:30"))
    assert nxt == paris("2026-03-30T09:00")
    assert nxt is not None and nxt.utcoffset() is not None
    assert nxt.isoformat() == "2026-03-30T09:00:00+02:00"


def test_dst_end_day_next_opening_has_winter_offset() -> None:
    # Clocks go back on Sunday 25 October 2026 at 03:00.
    nxt = next_opening(csirt(OCCITANIE), paris("2026-10-25T02:30"))
    assert nxt is not None
    assert nxt.isoformat() == "2026-10-26T09:00:00+01:00"


def test_utc_moment_is_converted_to_paris_time() -> None:
    # 08:30 UTC in summer = 10:30 in Paris → open.
    assert open_status(csirt(OCCITANIE), datetime(2026, 6, 2, 8, 30, tzinfo=UTC)).open is True
    # 07:30 UTC in winter = 08:30 in Paris → closed.
    assert open_status(csirt(OCCITANIE), datetime(2026, 12, 1, 7, 30, tzinfo=UTC)).open is False


def test_naive_moment_is_read_as_paris_time() -> None:
    assert open_status(csirt(OCCITANIE), datetime(2026, 11, 24, 9, 0)).open is True


# ---------------------------------------------------------------------------
# Report and fallback
# ---------------------------------------------------------------------------


def test_report_has_the_documented_shape() -> None:
    r = csirt_report(OCCITANIE, paris("2026-12-25T10:00"))
    assert set(r) >= {"csirt", "open", "next_opening", "fallback"}
    assert set(r["csirt"]) >= {"name", "region", "phone", "website", "hours"}
    assert r["open"] is False
    assert r["next_opening"] == "2026-12-28T09:00:00+01:00"
    assert re.match(r"\d{4}-\d\d-\d\dT", r["at"])


def test_fallback_names_17cyber_and_cert_fr() -> None:
    fb = csirt_report(OCCITANIE, paris("2026-12-25T10:00"))["fallback"]
    assert fb["national"]["name"] == "17Cyber"
    assert fb["national"]["url"] == "https://17cyber.gouv.fr"
    assert "CERT-FR" in fb["serious_incident"]["name"]


def test_region_without_known_csirt_gets_the_national_route() -> None:
    r = csirt_report(PAYS_DE_LA_LOIRE, paris("2026-11-24T10:00"))
    assert r["csirt"] is None
    assert r["open"] is None
    assert "Pays de la Loire" in r["status"]
    assert r["fallback"]["national"]["name"] == "17Cyber"


def test_unknown_region_gets_the_national_route() -> None:
    r = csirt_report(None, paris("2026-11-24T10:00"))
    assert r["csirt"] is None and r["fallback"]
