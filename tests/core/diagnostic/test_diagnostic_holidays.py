"""French public holidays, Easter computation and Alsace-Moselle's two extra days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barometre.core.diagnostic.holidays import easter_sunday, holiday_name, is_public_holiday, public_holidays


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # latest possible date
        (2285, date(2285, 3, 22)),  # earliest possible date
    ],
)
def test_easter_by_the_anonymous_gregorian_algorithm(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


@given(st.integers(min_value=1583, max_value=4099))
def test_easter_is_a_sunday_between_22_march_and_25_april(year: int) -> None:
    e = easter_sunday(year)
    assert e.weekday() == 6
    assert date(year, 3, 22) <= e <= date(year, 4, 25)


def test_easter_monday_2026_is_a_holiday() -> None:
    assert holiday_name(date(2026, 4, 6)) == "Lundi de Pâques"
    assert not is_public_holiday(date(2026, 4, 7))


def test_ascension_and_whit_monday_2026() -> None:
    assert holiday_name(date(2026, 5, 14)) == "Ascension"
    assert holiday_name(date(2026, 5, 25)) == "Lundi de Pentecôte"


def test_france_has_eleven_public_holidays() -> None:
    assert len(public_holidays(2026)) == 11


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_alsace_moselle_has_thirteen_public_holidays(departement: str) -> None:
    days = public_holidays(2026, departement)
    assert len(days) == 13
    assert date(2026, 4, 3) in days  # Good Friday
    assert date(2026, 12, 26) in days


def test_25_december_is_a_holiday_everywhere() -> None:
    assert is_public_holiday(date(2026, 12, 25))
    assert is_public_holiday(date(2026, 12, 25), "57")


@pytest.mark.parametrize(
    ("departement", "expected"), [("57", True), ("67", True), ("68", True), ("54", False), (None, False)]
)
def test_26_december_is_a_holiday_in_moselle_not_elsewhere(departement: str | None, expected: bool) -> None:
    assert is_public_holiday(date(2026, 12, 26), departement) is expected


@pytest.mark.parametrize(("departement", "expected"), [("67", True), ("68", True), ("75", False)])
def test_good_friday_is_a_holiday_in_alsace(departement: str, expected: bool) -> None:
    good_friday = easter_sunday(2026) - timedelta(days=2)
    assert is_public_holiday(good_friday, departement) is expected
