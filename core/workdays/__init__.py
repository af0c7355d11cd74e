"""The working-day calendar: a kernel service for whatever counts deadlines in
working days (one-stop dossiers, documents awaiting an answer).

::

    from core.workdays import add_working_days, working_calendar

    calendar = working_calendar(request)
    due = add_working_days(calendar, received, 15)   # halves allowed: 0.5, 2.5...

- :mod:`core.workdays.public_holidays`: Vietnam's public holidays, from the
  ``holidays`` package, and what it does not know;
- :mod:`core.workdays.hours`: office hours (two sessions, the working weekdays),
  defaults from the ini;
- :mod:`core.workdays.days`: which day is a working day, and why
  (:class:`WorkingCalendar`);
- :mod:`core.workdays.kept`: the calendar the site's Managers keep (extra days off,
  make-up working days, the site's office hours);
- :mod:`core.workdays.arithmetic`: add working days to a moment, count them between
  two moments, the working session under way or next.

The page is ``@@working-calendar`` (:mod:`core.views.workdays`); the JSON API has
``@due-date`` and ``@working-calendar`` (:mod:`core.api.workdays`).
"""

from pyramid.config import Configurator

from core.workdays.arithmetic import (
    WorkingSession,
    add_working_days,
    add_working_time,
    next_working_session,
    working_days_between,
)
from core.workdays.days import Day, KeptDay, WorkingCalendar
from core.workdays.hours import OfficeHours, Session, office_hours_from_settings
from core.workdays.kept import EVOLVE_STEP, create_calendar, site_calendar, working_calendar
from core.workdays.public_holidays import OutsideCalendar

__all__ = [
    "Day",
    "KeptDay",
    "OfficeHours",
    "OutsideCalendar",
    "Session",
    "WorkingCalendar",
    "WorkingSession",
    "add_working_days",
    "add_working_time",
    "next_working_session",
    "site_calendar",
    "working_calendar",
    "working_days_between",
]


def includeme(config: Configurator) -> None:
    """Read the default office hours (a wrong setting stops start-up) and add the
    evolve step that gives the site its calendar."""
    config.registry.cong_office_hours = office_hours_from_settings(config.registry.settings)
    config.add_evolve_step(EVOLVE_STEP, create_calendar, new_sites=True)
