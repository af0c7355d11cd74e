"""The calendar the site's Managers keep: the days the government adds or swaps each
year, and the site's own office hours.

It lives on the site root (``site.working_calendar``, made by an evolve step, on a
new site too). Each kept day overrides what the package and the weekday say
(:mod:`core.workdays.days`):

- a day off, with a note: an extra day off ("Nghỉ bù Tết"), a working day swapped
  away;
- a working day, with a note: a make-up Saturday, or a public holiday of the
  package that is not one this year.

The days are kept in a B-tree by date, so Managers adding or removing different
days at the same moment do not conflict; the office hours are a value of their own
(None: the installation's, from the ini).

For a plugin: ``working_calendar(request)`` is the calendar to count with.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.i18n import TranslationString

from core.fields import Bool, Date, Invalid, TextLine
from core.i18n import _
from core.workdays.days import KeptDay, WorkingCalendar
from core.workdays.hours import OfficeHours, office_hours_of_text
from core.workdays.public_holidays import FIRST_YEAR, LAST_YEAR

#: The attribute of the site root holding its calendar.
CALENDAR_KEY = "working_calendar"
EVOLVE_STEP = "core-calendar-0001-create"
#: The fields of a kept day, for the page's form and the API's body alike.
DATE = Date("date", _("Ngày"), required=True)
WORKING = Bool("working", _("Là ngày làm việc"))
NOTE = TextLine("note", _("Ghi chú"), max_length=200)


class SiteCalendar(Persistent):
    """The days and office hours the site's Managers keep."""

    def __init__(self):
        self.days = OOBTree()  # date -> KeptDay
        self.hours: str | None = None  # "07:30-11:30 13:30-17:00", None: the ini's
        self.weekdays: tuple[int, ...] | None = None

    def keep(self, day: date, working: bool, note: str = "") -> None:
        """Make ``day`` a working day or a day off, with ``note`` (replacing what
        was kept for it)."""
        self.days[day] = KeptDay(working, note)

    def forget(self, day: date) -> bool:
        """Stop keeping ``day`` (the package and its weekday decide it again);
        False when it was not kept."""
        if day not in self.days:
            return False
        del self.days[day]
        return True

    def set_hours(self, hours: OfficeHours | None) -> None:
        """Give the site its own office hours, or (None) go back to the ini's."""
        self.hours = hours.text() if hours is not None else None
        self.weekdays = tuple(sorted(hours.weekdays)) if hours is not None else None

    def office_hours(self, default: OfficeHours) -> OfficeHours:
        """The site's office hours, or ``default`` when it has none of its own."""
        if self.hours is None:
            return default
        return office_hours_of_text(self.hours, self.weekdays)


class CalendarError(ValueError):
    """A kept day that cannot be: ``errors`` maps each wrong field to its message."""

    def __init__(self, errors: dict[str, TranslationString]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


def create_calendar(site) -> None:
    """Evolve step: give the site its (empty) calendar."""
    if getattr(site, CALENDAR_KEY, None) is None:
        setattr(site, CALENDAR_KEY, SiteCalendar())


def site_calendar(site) -> SiteCalendar:
    """The calendar the site keeps."""
    return getattr(site, CALENDAR_KEY)


def default_hours(registry) -> OfficeHours:
    """The installation's office hours (the ini's, read at start-up)."""
    return registry.cong_office_hours


def working_calendar(request) -> WorkingCalendar:
    """The calendar to count working time with: the package's holidays, the days
    the site keeps and its office hours."""
    kept = site_calendar(request.root)
    return WorkingCalendar(kept.office_hours(default_hours(request.registry)), kept.days)


def read_day(values: Mapping[str, object], source: str) -> tuple[date, bool, str]:
    """``(date, working, note)`` from a form (``source='form'``) or a JSON body;
    :class:`CalendarError` naming each wrong field (a date missing, mistyped or
    outside the years the calendar knows, a note too long)."""
    errors: dict[str, TranslationString] = {}
    found = {}
    for field in (DATE, WORKING, NOTE):
        try:
            found[field.name] = field.parse(values.get(field.name), source)
        except Invalid as exc:
            errors[field.name] = exc.message
    day = found.get("date")
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors["date"] = _(
            "Lịch chỉ có các năm từ ${first} đến ${last}.",
            mapping={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    if errors:
        raise CalendarError(errors)
    return day, found["working"], found["note"] or ""
