"""What the calendar is made of: the ``holidays`` package's Vietnamese holidays (and
their limits), office hours, and which day is a working day and why."""

from __future__ import annotations

from datetime import date

import pytest

from core.settings import SettingsError
from core.workdays import KeptDay, WorkingCalendar
from core.workdays.days import HOLIDAY, KEPT, MAKEUP, WEEKDAY, WEEKLY_REST, describe
from core.workdays.hours import (
    OfficeHoursError,
    office_hours,
    office_hours_from_settings,
)
from core.workdays.public_holidays import (
    FIRST_YEAR,
    LAST_YEAR,
    OutsideCalendar,
    holidays_of,
    makeup_days_of,
)

HOURS = office_hours_from_settings({})


def days_off(year: int, month: int) -> list[int]:
    return [d.day for d in holidays_of(year) if d.month == month]


# the package -----------------------------------------------------------------------
def test_tet_is_the_eve_and_four_days_with_days_in_lieu_for_a_weekend():
    assert days_off(2026, 2) == [16, 17, 18, 19, 20]
    assert holidays_of(2026)[date(2026, 2, 17)] == "Tết Nguyên Đán"
    # Tết 2027 (Saturday 6 February): 29 Tết before and Mùng năm after, in lieu
    assert days_off(2027, 2) == [4, 5, 6, 7, 8, 9, 10]
    assert holidays_of(2027)[date(2027, 2, 4)] == "29 Tết"


def test_national_day_is_two_days_and_other_holidays():
    assert [d for d in holidays_of(2027) if d.month == 9] == [date(2027, 9, 2), date(2027, 9, 3)]
    assert {date(2026, 4, 30), date(2026, 5, 1), date(2026, 1, 1)} <= set(holidays_of(2026))
    assert holidays_of(2026)[date(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert holidays_of(2026)[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"


def test_the_swaps_the_package_knows():
    """2/9 2026: Monday 31 August off, Saturday 22 August worked; 30/4 2025: Friday
    2 May off, Saturday 26 April worked. Only the swaps its authors recorded."""
    assert holidays_of(2026)[date(2026, 8, 31)] == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert makeup_days_of(2026) == {date(2026, 8, 22)}
    assert makeup_days_of(2025) == {date(2025, 4, 26)}
    assert makeup_days_of(2027) == frozenset()


def test_names_in_english():
    assert holidays_of(2026, "en")[date(2026, 2, 17)] == "Lunar New Year"
    assert holidays_of(2026, "fr")[date(2026, 2, 17)] == "Tết Nguyên Đán"


def test_the_years_the_package_covers():
    assert holidays_of(FIRST_YEAR) and holidays_of(LAST_YEAR)
    for year in (FIRST_YEAR - 1, LAST_YEAR + 1):
        with pytest.raises(OutsideCalendar):
            holidays_of(year)


# office hours --------------------------------------------------------------------------
def test_the_default_office_hours():
    assert HOURS.text() == "07:30-11:30 13:30-17:00"
    assert HOURS.weekdays == {1, 2, 3, 4, 5}
    assert HOURS.times()["afternoon_start"] == "13:30"


def test_office_hours_from_the_ini():
    hours = office_hours_from_settings(
        {"cong.office_hours": "7:00-11:30  13:30-17:00", "cong.working_weekdays": "1 2 3 4 5 6"}
    )
    assert hours.text() == "07:00-11:30 13:30-17:00" and 6 in hours.weekdays


@pytest.mark.parametrize(
    "hours, weekdays",
    [
        ("07:30-11:30", "1 2 3 4 5"),
        ("07:30-11:30 13:30-25:00", "1 2 3 4 5"),
        ("11:30-07:30 13:30-17:00", "1 2 3 4 5"),
        ("07:30-14:00 13:30-17:00", "1 2 3 4 5"),
        ("07:30-11:30 13:30-17:00", "0 1 2"),
        ("07:30-11:30 13:30-17:00", "mon tue"),
    ],
)
def test_wrong_office_hours_in_the_ini_stop_start_up(hours, weekdays):
    settings = {"cong.office_hours": hours, "cong.working_weekdays": weekdays}
    with pytest.raises(SettingsError, match="cong.office_hours"):
        office_hours_from_settings(settings)


def test_wrong_office_hours_name_each_wrong_field():
    values = {
        "morning_start": "07:30",
        "morning_end": "7h",
        "afternoon_start": "17:00",
        "afternoon_end": "13:30",
    }
    with pytest.raises(OfficeHoursError) as refused:
        office_hours(values, [])
    assert set(refused.value.errors) == {"morning_end", "afternoon_end", "weekdays"}
    good = dict(values, morning_end="11:30", afternoon_start="11:00", afternoon_end="17:00")
    with pytest.raises(OfficeHoursError) as refused:
        office_hours(good, ["1", 2, True])
    assert set(refused.value.errors) == {"afternoon_start", "weekdays"}


# which days are worked ------------------------------------------------------------
def test_what_decides_a_day():
    kept = {
        date(2026, 11, 24): KeptDay(True, "Chưa áp dụng năm nay"),
        date(2026, 2, 23): KeptDay(False, "Nghỉ bù Tết"),
        date(2026, 3, 7): KeptDay(True),
    }
    calendar = WorkingCalendar(HOURS, kept)
    cultural = calendar.day(date(2026, 11, 24))
    assert (cultural.working, cultural.source, cultural.holiday) == (
        True,
        KEPT,
        "Ngày Văn hóa Việt Nam",
    )
    assert calendar.day(date(2026, 2, 23)).source == KEPT
    assert calendar.day(date(2026, 2, 17)).source == HOLIDAY
    assert calendar.day(date(2026, 8, 22)).source == MAKEUP
    assert calendar.day(date(2026, 3, 8)).source == WEEKLY_REST
    assert calendar.day(date(2026, 3, 9)).source == WEEKDAY
    assert [describe(calendar.day(d)) for d in (date(2026, 2, 23), date(2026, 2, 17))] == [
        "Nghỉ bù Tết",
        "Tết Nguyên Đán",
    ]
    assert describe(calendar.day(date(2026, 3, 7))) == "Ngày làm việc"
    assert describe(calendar.day(date(2026, 3, 8))) == "Nghỉ hằng tuần"


def test_the_notable_days_of_a_year():
    kept = {date(2026, 2, 23): KeptDay(False, "Nghỉ bù Tết"), date(2027, 1, 2): KeptDay(False)}
    notable = WorkingCalendar(HOURS, kept).notable_days(2026)
    dates = [d.date for d in notable]
    assert dates == sorted(dates)
    assert date(2026, 2, 23) in dates and date(2026, 8, 22) in dates
    assert date(2027, 1, 2) not in dates
    assert len(notable) == len(holidays_of(2026)) + 2
