"""The calendar the site keeps: stored in ZODB, Managers changing different days at
the same moment merge, and the site's office hours stand beside them."""

from __future__ import annotations

from datetime import date

import pytest
import transaction
from ZODB.POSException import ConflictError

from core.site import get_site
from core.workdays import KeptDay, site_calendar, working_calendar
from core.workdays.hours import office_hours_of_text
from core.workdays.kept import CalendarError, SiteCalendar, create_calendar, read_day


def open_calendar(app):
    """A connection of its own on the app's database, and the site's calendar in it."""
    tm = transaction.TransactionManager()
    conn = app.registry._zodb_databases[""].open(tm)
    return tm, conn, site_calendar(get_site(conn))


def test_a_new_site_has_an_empty_calendar_with_the_default_hours(model):
    calendar = working_calendar(model.request)
    assert dict(calendar.kept) == {}
    assert calendar.hours.text() == "07:30-11:30 13:30-17:00"
    before = site_calendar(model.site)
    create_calendar(model.site)  # run again: the calendar stays
    assert site_calendar(model.site) is before


def test_keep_forget_and_hours():
    kept = SiteCalendar()
    default = office_hours_of_text("07:30-11:30 13:30-17:00", "1 2 3 4 5")
    kept.keep(date(2026, 2, 23), False, "Nghỉ bù Tết")
    kept.keep(date(2026, 2, 23), True, "Làm bù")
    assert dict(kept.days) == {date(2026, 2, 23): KeptDay(True, "Làm bù")}
    assert kept.forget(date(2026, 2, 23)) and not kept.forget(date(2026, 2, 23))
    own = office_hours_of_text("07:00-11:30 13:30-17:00", "1 2 3 4 5 6")
    kept.set_hours(own)
    assert kept.office_hours(default) == own
    kept.set_hours(None)
    assert kept.office_hours(default) is default


def test_managers_keeping_different_days_at_once_both_succeed(app):
    tm, conn, calendar = open_calendar(app)
    calendar.keep(date(2026, 1, 2), False, "Nghỉ bù Tết Dương lịch")  # a bucket to merge in
    tm.commit()
    conn.close()
    first, second = open_calendar(app), open_calendar(app)
    try:
        for n, (_tm, _conn, calendar) in enumerate((first, second)):
            calendar.keep(date(2026, 3, 2 + n), False, f"Nghỉ {n}")
        second[2].set_hours(office_hours_of_text("08:00-11:30 13:30-17:00", "1 2 3 4 5"))
        first[0].commit()
        second[0].commit()  # merged by the B-tree's conflict resolution, not refused
    finally:
        first[1].close()
        second[1].close()
    tm, conn, calendar = open_calendar(app)
    try:
        assert sorted(calendar.days) == [date(2026, 1, 2), date(2026, 3, 2), date(2026, 3, 3)]
        assert calendar.hours == "08:00-11:30 13:30-17:00"
    finally:
        conn.close()


def test_two_changes_of_one_day_at_once_conflict(app):
    first, second = open_calendar(app), open_calendar(app)
    try:
        first[2].keep(date(2026, 3, 2), False, "Nghỉ")
        second[2].keep(date(2026, 3, 2), True, "Làm bù")
        first[0].commit()
        with pytest.raises(ConflictError):  # the request is tried again (pyramid_retry)
            second[0].commit()
    finally:
        second[0].abort()
        first[1].close()
        second[1].close()


@pytest.mark.parametrize(
    "values, wrong",
    [
        ({"date": "2026-02-23", "working": "1", "note": " Làm   bù "}, None),
        ({"date": "", "note": "x"}, {"date"}),
        ({"date": "1900-12-31"}, {"date"}),
        ({"date": "2026-02-23", "note": "x" * 201}, {"note"}),
    ],
)
def test_reading_a_day_from_a_form(values, wrong):
    if wrong is None:
        assert read_day(values, "form") == (date(2026, 2, 23), True, "Làm bù")
        return
    with pytest.raises(CalendarError) as refused:
        read_day(values, "form")
    assert set(refused.value.errors) == wrong
