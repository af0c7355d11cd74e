"""The working-day calendar page, for Managers (:mod:`core.workdays`).

``@@working-calendar?year=`` on the site lists the year's public holidays (from the
``holidays`` package, marked as such), the make-up days and the days the site
keeps, with the office hours. Its forms post to ``@@working-calendar-day`` (keep a
day off or a working day, with a note), ``@@working-calendar-day-remove`` (forget
a kept day) and ``@@working-calendar-hours`` (the site's office hours, or back to
the ini's). A refused form comes back with each message next to its field (400);
nothing is stored.
"""

from __future__ import annotations

from datetime import date

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from core import audit, params
from core.clock import TIMEZONE, now
from core.fields import Invalid
from core.formatting import DATE_FORMAT
from core.i18n import _
from core.interfaces import ISite
from core.permissions import MANAGE_CALENDAR
from core.views.forms import flash
from core.workdays.days import KEPT, describe
from core.workdays.hours import (
    SESSIONS,
    TIME_FIELDS,
    WEEKDAYS,
    OfficeHoursError,
    office_hours,
    parse_time,
)
from core.workdays.kept import (
    DATE,
    CalendarError,
    default_hours,
    read_day,
    site_calendar,
    working_calendar,
)
from core.workdays.public_holidays import FIRST_YEAR, LAST_YEAR

PAGE = "@@working-calendar"
FORM_ERROR = _("Chưa lưu được: xem các lỗi bên dưới.")
WEEKDAY_NAMES = dict(WEEKDAYS)


def this_year() -> int:
    return now().astimezone(TIMEZONE).year


def page_url(request, year: int) -> str:
    return request.resource_url(request.root, PAGE, query={"year": year}) + "#days"


def page_values(request, year: int, **values) -> dict:
    """What ``working_calendar.pt`` shows for ``year``; ``values`` replace the
    defaults (a refused form's input and errors)."""
    calendar = working_calendar(request)
    own = site_calendar(request.root).hours is not None
    defaults = default_hours(request.registry)
    translate = request.localizer.translate
    rows = [
        {
            "date": day.date.isoformat(),
            "shown": day.date.strftime(DATE_FORMAT),
            "weekday": translate(WEEKDAY_NAMES[day.date.isoweekday()]),
            "working": day.working,
            "holiday": day.holiday,
            "note": day.note,
            "kept": day.source == KEPT,
            "title": translate(describe(day)),
        }
        for day in calendar.notable_days(year, request.locale_name)
    ]
    base = {
        "year": year,
        "previous": year - 1 if year > FIRST_YEAR else None,
        "next": year + 1 if year < LAST_YEAR else None,
        "rows": rows,
        "sessions": SESSIONS,
        "weekdays": WEEKDAYS,
        "own_hours": own,
        "default_hours": defaults.text().replace(" ", ", ").replace("-", "–"),
        "default_weekdays": ", ".join(
            translate(WEEKDAY_NAMES[n]) for n in sorted(defaults.weekdays)
        ),
        "hours": calendar.hours.times(),
        "chosen_weekdays": {str(n) for n in calendar.hours.weekdays},
        "day": {"date": "", "working": False, "note": ""},
        "day_errors": {},
        "hours_errors": {},
        "message": None,
    }
    base.update(values)
    return base


def posted(request, name: str) -> str:
    """The text posted as ``name`` ('' when absent or not text), to show it again."""
    value = request.POST.get(name, "")
    return value if isinstance(value, str) else ""


def date_value(text: str) -> str:
    """``text`` if a date input may show it (a date written YYYY-MM-DD), else ''."""
    try:
        return date.fromisoformat(text).isoformat() if len(text) == 10 else ""
    except ValueError:
        return ""


def time_value(text: str) -> str:
    """``text`` as a time input may show it (``HH:MM``), or '' when it is no time."""
    found = parse_time(text)
    return f"{found:%H:%M}" if found else ""


def refused(request, year: int, **values) -> dict:
    """The page again with a refused form's errors, as a 400."""
    request.response.status = 400
    return page_values(request, year, **{"message": FORM_ERROR, **values})


@view_config(
    context=ISite,
    name="working-calendar",
    renderer="working_calendar.pt",
    permission=MANAGE_CALENDAR,
    request_method=("GET", "HEAD"),
)
def working_calendar_page(context, request):
    """The year's holidays, make-up days and kept days, and the office hours."""
    return page_values(request, params.integer(request, "year", this_year(), FIRST_YEAR, LAST_YEAR))


@view_config(
    context=ISite,
    name="working-calendar-day",
    renderer="working_calendar.pt",
    permission=MANAGE_CALENDAR,
    request_method="POST",
)
def keep_day(context, request):
    """Keep a day off or a working day, with its note."""
    try:
        day, working, note = read_day(request.POST, "form")
    except CalendarError as exc:
        submitted = {
            "date": date_value(posted(request, "date")),
            "working": posted(request, "working") == "1",
            "note": posted(request, "note"),
        }
        return refused(request, this_year(), day=submitted, day_errors=exc.errors)
    site_calendar(context).keep(day, working, note)
    audit.record(request, "settings.calendar", day.isoformat(), working=working)
    shown = day.strftime(DATE_FORMAT)
    if working:
        flash(request, _("Đã đặt ngày ${date} là ngày làm việc.", mapping={"date": shown}))
    else:
        flash(request, _("Đã đặt ngày ${date} là ngày nghỉ.", mapping={"date": shown}))
    return HTTPFound(page_url(request, day.year))


@view_config(
    context=ISite,
    name="working-calendar-day-remove",
    renderer="working_calendar.pt",
    permission=MANAGE_CALENDAR,
    request_method="POST",
)
def forget_day(context, request):
    """Forget a kept day: the public holidays and its weekday decide it again."""
    try:
        day = DATE.parse(request.POST.get("date"), "form")
    except Invalid as exc:
        return refused(request, this_year(), message=exc.message)
    if not FIRST_YEAR <= day.year <= LAST_YEAR or not site_calendar(context).forget(day):
        message = _("Ngày ${date} không có trong lịch của trang.", mapping={"date": day})
        return refused(request, this_year(), message=message)
    audit.record(request, "settings.calendar", day.isoformat(), forgotten=True)
    flash(request, _("Đã bỏ ngày ${date} khỏi lịch.", mapping={"date": day.strftime(DATE_FORMAT)}))
    return HTTPFound(page_url(request, day.year))


@view_config(
    context=ISite,
    name="working-calendar-hours",
    renderer="working_calendar.pt",
    permission=MANAGE_CALENDAR,
    request_method="POST",
)
def set_hours(context, request):
    """Give the site its own office hours, or (``reset``) go back to the ini's."""
    kept = site_calendar(context)
    if request.POST.get("reset"):
        kept.set_hours(None)
        audit.record(request, "settings.office_hours", reset=True)
        flash(request, _("Đã dùng lại giờ làm việc mặc định."))
        return HTTPFound(page_url(request, this_year()))
    weekdays = [v for v in request.POST.getall("weekdays") if isinstance(v, str)]
    try:
        hours = office_hours(request.POST, weekdays)
    except OfficeHoursError as exc:
        submitted = {name: time_value(posted(request, name)) for name in TIME_FIELDS}
        return refused(
            request,
            this_year(),
            hours=submitted,
            chosen_weekdays=set(weekdays),
            hours_errors=exc.errors,
        )
    kept.set_hours(hours)
    audit.record(request, "settings.office_hours")
    flash(request, _("Đã lưu giờ làm việc."))
    return HTTPFound(page_url(request, this_year()))
