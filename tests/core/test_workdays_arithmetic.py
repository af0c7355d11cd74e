"""Working-time arithmetic on real dates: Tết 2026 and 2027, 30/4–1/5, 2/9, make-up
Saturdays, days the site keeps, half days, moments outside office hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from core.workdays import (
    KeptDay,
    OutsideCalendar,
    WorkingCalendar,
    add_working_days,
    add_working_time,
    next_working_session,
    working_days_between,
)
from core.workdays.hours import office_hours_of_text

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS = office_hours_of_text("07:30-11:30 13:30-17:00", "1 2 3 4 5")
CALENDAR = WorkingCalendar(HOURS)


def at(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


# whole days across the holidays ----------------------------------------------------
@pytest.mark.parametrize(
    "start, days, due",
    [
        # Tết 2026 (Mon 16 – Fri 20 February) between two weekends
        (at(2026, 2, 13, 9, 30), 1, at(2026, 2, 23, 9, 30)),
        (at(2026, 2, 12, 14, 0), 3, at(2026, 2, 24, 14, 0)),
        # Tết 2027: 29 Tết (Thu 4 February) to Mùng năm (Wed 10), weekend inside
        (at(2027, 2, 3, 8, 0), 1, at(2027, 2, 11, 8, 0)),
        (at(2027, 2, 3, 8, 0), 2, at(2027, 2, 12, 8, 0)),
        # 30/4 and 1/5 2026 (Thursday, Friday)
        (at(2026, 4, 29, 10, 0), 1, at(2026, 5, 4, 10, 0)),
        # 1/5 2027 on a Saturday: Monday 3 May off in lieu
        (at(2027, 4, 29, 10, 0), 1, at(2027, 5, 4, 10, 0)),
        # 2/9 2026: Monday 31 August (swapped with Saturday 22 August), 1 and 2 September
        (at(2026, 8, 28, 15, 0), 1, at(2026, 9, 3, 15, 0)),
        # the make-up Saturday 22 August 2026 is a working day
        (at(2026, 8, 21, 9, 30), 1, at(2026, 8, 22, 9, 30)),
        (at(2026, 8, 21, 9, 30), 2, at(2026, 8, 24, 9, 30)),
        # 2/9 2027 (Thursday) and 3/9
        (at(2027, 9, 1, 16, 0), 1, at(2027, 9, 6, 16, 0)),
    ],
)
def test_whole_days_keep_the_time_of_day_and_skip_the_days_off(start, days, due):
    assert add_working_days(CALENDAR, start, days) == due
    assert working_days_between(CALENDAR, start, due) == days


def test_received_after_hours_the_count_starts_at_the_next_working_session():
    """Friday 24 April 2026 at 17:45: Monday 27 is Giỗ Tổ Hùng Vương in lieu, so the
    count starts on Tuesday 28 at 07:30; three days are Tuesday, Wednesday and
    (past 30/4, 1/5 and the weekend) Monday 4 May, due at its end."""
    received = at(2026, 4, 24, 17, 45)
    session = next_working_session(CALENDAR, received)
    assert (session.start, session.end) == (at(2026, 4, 28, 7, 30), at(2026, 4, 28, 11, 30))
    assert add_working_days(CALENDAR, received, 0) == at(2026, 4, 28, 7, 30)
    assert add_working_days(CALENDAR, received, 3) == at(2026, 5, 4, 17, 0)


def test_received_on_a_holiday_or_a_weekend():
    assert add_working_days(CALENDAR, at(2026, 2, 17, 10, 0), 1) == at(2026, 2, 23, 17, 0)
    assert add_working_days(CALENDAR, at(2026, 3, 14, 9, 0), 0.5) == at(2026, 3, 16, 11, 30)


def test_received_before_opening_or_during_the_lunch_break():
    assert add_working_days(CALENDAR, at(2026, 3, 10, 6, 0), 1) == at(2026, 3, 10, 17, 0)
    assert add_working_days(CALENDAR, at(2026, 3, 10, 12, 15), 0.5) == at(2026, 3, 10, 17, 0)
    assert add_working_days(CALENDAR, at(2026, 3, 10, 12, 15), 1) == at(2026, 3, 11, 11, 30)
    lunch = next_working_session(CALENDAR, at(2026, 3, 10, 11, 30))  # the morning is over
    assert lunch.start == at(2026, 3, 10, 13, 30)


def test_in_office_hours_zero_days_is_the_moment_itself():
    assert add_working_days(CALENDAR, at(2026, 3, 10, 9, 41), 0) == at(2026, 3, 10, 9, 41)
    assert next_working_session(CALENDAR, at(2026, 3, 10, 9, 41)).start == at(2026, 3, 10, 7, 30)


# half days ---------------------------------------------------------------------------
def test_a_half_day_is_one_session_at_the_same_share():
    """09:30 is half of the morning (07:30–11:30); half of the afternoon
    (13:30–17:00, three and a half hours) is 15:15."""
    assert add_working_days(CALENDAR, at(2026, 3, 10, 9, 30), 0.5) == at(2026, 3, 10, 15, 15)
    assert add_working_days(CALENDAR, at(2026, 3, 10, 15, 15), 0.5) == at(2026, 3, 11, 9, 30)
    assert add_working_days(CALENDAR, at(2026, 3, 10, 9, 30), 2.5) == at(2026, 3, 12, 15, 15)
    assert add_working_days(CALENDAR, at(2026, 3, 10, 7, 30), Decimal("0.5")) == at(
        2026, 3, 10, 11, 30
    )
    assert working_days_between(CALENDAR, at(2026, 3, 10, 9, 30), at(2026, 3, 11, 9, 30)) == 1
    assert working_days_between(
        CALENDAR, at(2026, 3, 10, 9, 30), at(2026, 3, 10, 15, 15)
    ) == Fraction(1, 2)


def test_a_half_day_before_tet_ends_after_it():
    assert add_working_days(CALENDAR, at(2026, 2, 13, 15, 15), 0.5) == at(2026, 2, 23, 9, 30)
    assert add_working_days(CALENDAR, at(2026, 2, 13, 13, 30), 0.5) == at(2026, 2, 13, 17, 0)


def test_sessions_of_other_lengths_count_half_a_day_each():
    hours = office_hours_of_text("07:00-11:30 13:30-17:00", "1 2 3 4 5 6")
    calendar = WorkingCalendar(hours)
    assert add_working_days(calendar, at(2026, 3, 13, 9, 15), 0.5) == at(2026, 3, 13, 15, 15)
    assert add_working_days(calendar, at(2026, 3, 13, 9, 15), 1) == at(2026, 3, 14, 9, 15)


def test_counting_is_the_inverse_of_adding():
    """From every start, a quarter of an hour apart, over four weeks around Tết 2026."""
    start = at(2026, 2, 2)
    while start < at(2026, 3, 2):
        for days in (Fraction(1, 2), 1, Fraction(5, 2), 7):
            due = add_working_days(CALENDAR, start, days)
            assert due > start
            counted = working_days_between(CALENDAR, start, due)
            assert abs(counted - days) < Fraction(1, 10**9), (start, days, due)
            assert working_days_between(CALENDAR, due, start) == -counted
        start += timedelta(minutes=15)


def test_what_is_left_of_a_stopped_clock_is_added_back_exactly():
    """A supplement request stops a deadline with a fraction of a day left (here 2
    days and an hour and a half of a four-hour morning); the supplement, after Tết,
    adds exactly that back."""
    stopped, due = at(2026, 2, 10, 9, 0), at(2026, 2, 12, 10, 30)
    left = working_days_between(CALENDAR, stopped, due)
    assert left == Fraction(2) + Fraction(3, 16)
    resumed = at(2026, 2, 23, 7, 30)
    assert add_working_time(CALENDAR, resumed, left) == at(2026, 2, 25, 9, 0)
    assert (
        working_days_between(CALENDAR, resumed, add_working_time(CALENDAR, resumed, left)) == left
    )
    assert add_working_time(CALENDAR, at(2026, 2, 14, 9, 0), Fraction(0)) == at(2026, 2, 23, 7, 30)
    with pytest.raises(ValueError):
        add_working_time(CALENDAR, resumed, Fraction(-1, 3))


def test_counting_between_moments():
    friday_evening, monday_morning = at(2026, 3, 13, 17, 45), at(2026, 3, 16, 7, 30)
    assert working_days_between(CALENDAR, friday_evening, monday_morning) == 0
    assert working_days_between(CALENDAR, at(2026, 2, 13, 9, 30), at(2026, 2, 23, 15, 15)) == 1.5
    a_quarter = working_days_between(CALENDAR, at(2026, 3, 10, 7, 30), at(2026, 3, 10, 9, 30))
    assert a_quarter == Fraction(1, 4)


# the days the site keeps --------------------------------------------------------------
def test_kept_days_off_and_make_up_days_count():
    kept = {
        date(2026, 2, 23): KeptDay(False, "Nghỉ bù Tết"),
        date(2026, 2, 28): KeptDay(True, "Làm bù"),  # a Saturday
    }
    calendar = WorkingCalendar(HOURS, kept)
    assert add_working_days(calendar, at(2026, 2, 13, 9, 30), 1) == at(2026, 2, 24, 9, 30)
    assert add_working_days(calendar, at(2026, 2, 13, 9, 30), 5) == at(2026, 2, 28, 9, 30)
    assert add_working_days(CALENDAR, at(2026, 2, 13, 9, 30), 5) == at(2026, 2, 27, 9, 30)


def test_a_holiday_the_site_works_is_a_working_day():
    calendar = WorkingCalendar(HOURS, {date(2026, 11, 24): KeptDay(True, "Làm việc")})
    assert add_working_days(CALENDAR, at(2026, 11, 23, 9, 30), 1) == at(2026, 11, 25, 9, 30)
    assert add_working_days(calendar, at(2026, 11, 23, 9, 30), 1) == at(2026, 11, 24, 9, 30)


# moments, time zones, input ---------------------------------------------------------
def test_moments_in_other_time_zones_answer_in_vietnam_time():
    due = add_working_days(CALENDAR, datetime(2026, 2, 13, 2, 30, tzinfo=UTC), 1)
    assert due == at(2026, 2, 23, 9, 30)
    assert due.tzinfo.key == "Asia/Ho_Chi_Minh" and due.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize("days", [-1, 0.3, Decimal("1.25"), float("nan"), float("inf")])
def test_days_must_be_whole_or_half_and_not_negative(days):
    with pytest.raises(ValueError):
        add_working_days(CALENDAR, at(2026, 3, 10, 9), days)


@pytest.mark.parametrize("days", [True, "1", None])
def test_days_must_be_a_number(days):
    with pytest.raises(TypeError):
        add_working_days(CALENDAR, at(2026, 3, 10, 9), days)


def test_naive_moments_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_days(CALENDAR, datetime(2026, 3, 10, 9), 1)
    with pytest.raises(ValueError):
        working_days_between(CALENDAR, at(2026, 3, 10, 9), datetime(2026, 3, 11, 9))
    with pytest.raises(ValueError):
        next_working_session(CALENDAR, datetime(2026, 3, 10, 9))


def test_beyond_the_years_the_calendar_knows():
    with pytest.raises(OutsideCalendar):
        add_working_days(CALENDAR, at(2100, 12, 28, 9), 5)
    with pytest.raises(OutsideCalendar):
        add_working_days(CALENDAR, datetime(1900, 6, 1, 9, tzinfo=VN), 1)


# cost --------------------------------------------------------------------------------
class CountingCalendar(WorkingCalendar):
    """The calendar, counting the days it is asked about."""

    asked = 0

    def is_working_day(self, day):
        CountingCalendar.asked += 1
        return super().is_working_day(day)


def test_a_year_of_working_days_asks_about_each_date_about_once():
    calendar = CountingCalendar(HOURS)
    start = at(2026, 1, 2, 8, 0)
    due = add_working_days(calendar, start, 365)
    assert CountingCalendar.asked < 2 * 550  # ~520 dates walked, never minutes
    working = [
        start.date() + timedelta(days=n)
        for n in range(1, (due.date() - start.date()).days + 1)
        if CALENDAR.is_working_day(start.date() + timedelta(days=n))
    ]
    assert len(working) == 365 and working[-1] == due.date() and due.time() == start.time()
