"""The working-day calendar through the API (:mod:`core.workdays`).

- ``GET /@due-date?start=<ISO datetime with offset>&days=<n>``: the moment ``n``
  working days (whole or half, at most :data:`MAX_DAYS`) after ``start``, the
  moment the count started (``start``, or the next working session when it is
  outside office hours) and the days off skipped; for anyone, on the portal and on
  every subsite;
- ``GET /@working-calendar?year=``: the office hours and the year's public
  holidays, make-up days and days the site keeps; ``GET /@working-calendar/<date>``:
  one day, working or not and why, with its sessions;
- for Managers: ``POST /@working-calendar`` ``{"date", "working"?, "note"?}`` keeps
  a day (201, or 200 when it replaces one), ``DELETE /@working-calendar/<date>``
  forgets it (204), ``PATCH /@working-calendar`` ``{"office_hours": {...} | null}``
  sets the site's office hours or goes back to the ini's (204).

A start without a time zone offset is refused (400): it would be a guess.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from core import audit, params
from core.api import api_view
from core.api.content import no_content
from core.api.deserialize import read_json
from core.api.errors import ApiError, not_allowed
from core.api.params import Param, api_body, api_params
from core.api.serialize import url_of
from core.clock import TIMEZONE, now
from core.i18n import _
from core.interfaces import INavigationRoot, ISite
from core.operations import ValidationFailed
from core.permissions import MANAGE_CALENDAR, VIEW
from core.workdays import arithmetic
from core.workdays.days import Day, describe
from core.workdays.hours import TIME_FIELDS, OfficeHours, OfficeHoursError, office_hours
from core.workdays.kept import (
    CalendarError,
    read_day,
    site_calendar,
    working_calendar,
)
from core.workdays.public_holidays import FIRST_YEAR, LAST_YEAR, OutsideCalendar

#: The most working days ``@due-date`` adds (four years or so).
MAX_DAYS = Decimal(1000)
DATE = Param(
    "date",
    "path",
    _("Ngày (YYYY-MM-DD)"),
    {"type": "string", "format": "date"},
    example="2026-09-02",
)
#: The JSON form of a session, and of office hours.
SESSION_SCHEMA = {
    "type": "object",
    "required": ["start", "end"],
    "properties": {"start": {"type": "string"}, "end": {"type": "string"}},
}
HOURS_SCHEMA = {
    "type": "object",
    "required": ["morning", "afternoon", "weekdays"],
    "properties": {
        "morning": SESSION_SCHEMA,
        "afternoon": SESSION_SCHEMA,
        "weekdays": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 7},
            "uniqueItems": True,
        },
    },
}
#: The body names of the fields of :data:`core.workdays.hours.TIME_FIELDS`.
HOURS_FIELDS = {
    "morning_start": "office_hours.morning.start",
    "morning_end": "office_hours.morning.end",
    "afternoon_start": "office_hours.afternoon.start",
    "afternoon_end": "office_hours.afternoon.end",
    "weekdays": "office_hours.weekdays",
}


def outside_calendar() -> ApiError:
    return ApiError(
        400,
        _(
            "Lịch chỉ có các năm từ ${first} đến ${last}.",
            mapping={"first": FIRST_YEAR, "last": LAST_YEAR},
        ),
        "BadRequest",
    )


def day_json(request, day: Day) -> dict:
    """One day: working or not, why (``source``: kept, holiday, makeup,
    weekly-rest, weekday), the package's holiday and the site's note."""
    return {
        "date": day.date.isoformat(),
        "weekday": day.date.isoweekday(),
        "working": day.working,
        "source": day.source,
        "title": request.localizer.translate(describe(day)),
        "holiday": day.holiday or None,
        "note": day.note or None,
    }


def hours_json(hours: OfficeHours, default: bool) -> dict:
    """Office hours: the two sessions (``HH:MM``), the ISO working weekdays, and
    whether they are the installation's defaults."""
    times = hours.times()
    return {
        "morning": {"start": times["morning_start"], "end": times["morning_end"]},
        "afternoon": {"start": times["afternoon_start"], "end": times["afternoon_end"]},
        "weekdays": sorted(hours.weekdays),
        "default": default,
    }


def number_json(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# @due-date --------------------------------------------------------------------------
@api_view(context=INavigationRoot, name="@due-date", request_method="GET", permission=VIEW)
@api_params(
    Param(
        "start",
        "query",
        _("Thời điểm bắt đầu tính, ISO 8601 có múi giờ"),
        {"type": "string", "format": "date-time"},
        required=True,
        example="2026-02-13T09:30:00+07:00",
    ),
    Param(
        "days",
        "query",
        _("Số ngày làm việc (số nguyên hoặc nửa ngày, ví dụ 2.5)"),
        {"type": "number", "minimum": 0, "maximum": int(MAX_DAYS), "multipleOf": 0.5},
        required=True,
        example=3,
    ),
)
def due_date_view(context, request):
    """The moment some working days after a start (halves allowed), and the days
    off skipped on the way.

    Office hours and days off are the site's working calendar (the public holidays,
    the days its Managers keep). A start outside office hours is counted from the
    next working session (``counted_from``)."""
    start = params.moment(request, "start")
    days = params.decimal(request, "days", Decimal(0), MAX_DAYS)
    if days * 2 != (days * 2).to_integral_value():
        raise params.BadParameter(
            _("Tham số “days” phải là số nguyên hoặc nửa ngày (ví dụ 3 hoặc 2.5).")
        )
    calendar = working_calendar(request)
    try:
        counted_from = arithmetic.add_working_days(calendar, start, 0)
        due = arithmetic.add_working_days(calendar, start, days)
    except OutsideCalendar:
        raise outside_calendar() from None
    language = request.locale_name
    skipped = [
        day_json(request, day)
        for day in calendar.days(counted_from.date(), due.date(), language)
        if not day.working
    ]
    return {
        "@id": url_of(request, context) + "/@due-date",
        "start": start.astimezone(TIMEZONE).isoformat(),
        "days": number_json(days),
        "counted_from": counted_from.isoformat(),
        "due": due.isoformat(),
        "days_off": skipped,
    }


@api_view(context=INavigationRoot, name="@due-date", require_csrf=False)
def due_date_other_methods(context, request):
    """405: ``@due-date`` only answers GET."""
    raise not_allowed("GET")


# @working-calendar ------------------------------------------------------------------
def calendar_url(request) -> str:
    return url_of(request, request.root) + "/@working-calendar"


def date_from_path(request) -> date:
    """The date named by the one segment after ``@working-calendar``; 404 otherwise."""
    if len(request.subpath) == 1:
        try:
            day = date.fromisoformat(request.subpath[0])
        except ValueError:
            day = None
        if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR:
            return day
    raise ApiError(404, _("Không tìm thấy trang bạn yêu cầu."), "NotFound")


@api_view(context=ISite, name="@working-calendar", request_method="GET", permission=VIEW)
@api_params(
    DATE,
    Param(
        "year",
        "query",
        _("Năm (mặc định: năm nay)"),
        {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
        example=2026,
    ),
)
def working_calendar_get(context, request):
    """The office hours and a year's holidays, make-up days and kept days
    (``@working-calendar``), or one day (``@working-calendar/<date>``)."""
    calendar = working_calendar(request)
    if request.subpath:
        day = calendar.day(date_from_path(request), request.locale_name)
        found = day_json(request, day)
        found["@id"] = f"{calendar_url(request)}/{day.date.isoformat()}"
        found["sessions"] = [
            {
                "start": datetime.combine(day.date, s.start, TIMEZONE).isoformat(),
                "end": datetime.combine(day.date, s.end, TIMEZONE).isoformat(),
            }
            for s in (calendar.hours.sessions if day.working else ())
        ]
        return found
    this_year = now().astimezone(TIMEZONE).year
    year = params.integer(request, "year", this_year, FIRST_YEAR, LAST_YEAR)
    items = [day_json(request, day) for day in calendar.notable_days(year, request.locale_name)]
    return {
        "@id": calendar_url(request),
        "year": year,
        "office_hours": hours_json(calendar.hours, site_calendar(context).hours is None),
        "items": items,
        "items_total": len(items),
    }


@api_view(
    context=ISite, name="@working-calendar", request_method="POST", permission=MANAGE_CALENDAR
)
@api_body(
    {
        "type": "object",
        "required": ["date"],
        "properties": {
            "date": {"type": "string", "format": "date"},
            "working": {"type": "boolean"},
            "note": {"type": "string", "maxLength": 200},
        },
    }
)
def working_calendar_post(context, request):
    """Keep a day: a day off (``"working": false``, the default) or a working day,
    with a note; 201, or 200 when it replaces a day kept before."""
    if request.subpath:
        raise not_allowed("GET", "DELETE")
    body = read_json(request, required=True)
    try:
        day, working, note = read_day(body, "json")
    except CalendarError as exc:
        raise ValidationFailed(exc.errors) from None
    kept = site_calendar(context)
    replaced = day in kept.days
    kept.keep(day, working, note)
    audit.record(request, "settings.calendar", day.isoformat(), working=working)
    url = f"{calendar_url(request)}/{day.isoformat()}"
    request.response.status = 200 if replaced else 201
    request.response.headers["Location"] = url
    calendar = working_calendar(request)
    return dict(day_json(request, calendar.day(day, request.locale_name)), **{"@id": url})


@api_view(
    context=ISite, name="@working-calendar", request_method="DELETE", permission=MANAGE_CALENDAR
)
@api_params(replace(DATE, required=True))
def working_calendar_delete(context, request):
    """Forget a kept day (the holidays and its weekday decide it again): 204."""
    if not request.subpath:
        raise not_allowed("GET", "POST", "PATCH")
    day = date_from_path(request)
    if not site_calendar(context).forget(day):
        message = _("Ngày ${date} không có trong lịch của trang.", mapping={"date": day})
        raise ApiError(404, message, "NotFound")
    audit.record(request, "settings.calendar", day.isoformat(), forgotten=True)
    return no_content()


@api_view(
    context=ISite, name="@working-calendar", request_method="PATCH", permission=MANAGE_CALENDAR
)
@api_body(
    {
        "type": "object",
        "required": ["office_hours"],
        "properties": {"office_hours": {"oneOf": [HOURS_SCHEMA, {"type": "null"}]}},
    }
)
def working_calendar_patch(context, request):
    """Set the site's office hours, or (``null``) go back to the installation's: 204."""
    if request.subpath:
        raise not_allowed("GET", "DELETE")
    body = read_json(request, required=True)
    if "office_hours" not in body:
        raise ValidationFailed({"office_hours": _("Bắt buộc nhập.")})
    value = body["office_hours"]
    site_calendar(context).set_hours(None if value is None else hours_from_json(value))
    audit.record(request, "settings.office_hours", reset=value is None)
    return no_content()


def hours_from_json(value) -> OfficeHours:
    """Office hours from their JSON form (:data:`HOURS_SCHEMA`); 400 naming each
    wrong member."""
    if not isinstance(value, dict):
        raise ValidationFailed({"office_hours": _("Phải là một đối tượng {...} hoặc null.")})
    times = {}
    for name in TIME_FIELDS:
        session, end = name.split("_")
        part = value.get(session)
        times[name] = part.get(end) if isinstance(part, dict) else None
    weekdays = value.get("weekdays")
    try:
        return office_hours(times, weekdays if isinstance(weekdays, list) else [None])
    except OfficeHoursError as exc:
        raise ValidationFailed({HOURS_FIELDS[k]: m for k, m in exc.errors.items()}) from None


@api_view(context=ISite, name="@working-calendar", require_csrf=False)
def working_calendar_other_methods(context, request):
    """405 for the methods ``@working-calendar`` does not answer."""
    if request.subpath:
        raise not_allowed("GET", "DELETE")
    raise not_allowed("GET", "POST", "PATCH")
