"""iCalendar (RFC 5545) files of events, written with the ``icalendar`` package."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar
from icalendar import Event as VEvent

from catalog import Record
from core.clock import TIMEZONE, now

PRODID = "-//cong//Cổng thông tin điện tử//VI"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _event(uid: str, host: str, title: str, description: str, url: str, start: datetime,
           end: datetime | None, all_day: bool, location: str, stamp: datetime) -> VEvent:  # fmt: skip
    event = VEvent()
    event.add("uid", f"{uid}@{host}")
    event.add("dtstamp", stamp)
    event.add("summary", title)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    event.add("url", url)
    if all_day:  # whole days, in Vietnam: DTEND is the day after the last one
        first = start.astimezone(TIMEZONE).date()
        last = (end or start).astimezone(TIMEZONE).date()
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))
    else:
        event.add("dtstart", start)
        if end is not None:
            event.add("dtend", end)
    return event


def calendar_of_event(request, event) -> bytes:
    """One event as an iCalendar file."""
    cal = _calendar(event.title)
    cal.add_component(
        _event(
            event.uid, request.host.split(":")[0], event.title, event.description,
            request.resource_url(event), event.start, event.end, event.all_day,
            event.location, event.modified,
        )
    )  # fmt: skip
    return cal.to_ical()


def calendar_of_records(request, folder, records: Iterable[Record]) -> bytes:
    """The events of catalog ``records`` as one iCalendar file named after ``folder``."""
    cal = _calendar(folder.title or folder.__name__ or "")
    host = request.host.split(":")[0]
    for record in records:
        data = record.metadata
        start = data.get("event_start")
        if start is None:
            continue
        end = data.get("event_end")
        cal.add_component(
            _event(
                record.uid, host, record.title, record.description, record.url(request),
                start, end if end != start else None, bool(data.get("all_day")),
                data.get("event_location", ""), record.modified or now(),
            )
        )  # fmt: skip
    return cal.to_ical()
