"""The weekly schedule's part of ``cong demo`` (:mod:`core.demo`): a schedule's
``weeks`` in the demo file.

``weeks`` maps a week to its entries: ``previous``, ``current`` or ``next`` (weeks
counted from the day the demo is loaded, so the portal shows a schedule whatever
the day) or an ISO week (``2026-W47``); each entry has its ``weekday`` (1 = Monday)
and the values of a row of the week form (``time``, ``content``, ``leader``,
``participants``, ``location``). A week that has entries already is left as it is,
so loading twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from core.hookspecs import hookimpl
from plugins.schedule.content import RowErrors, WeeklySchedule, save_week
from plugins.schedule.weeks import Week, current_week, parse_week, week_of

#: The weeks named relative to the load: name -> weeks from now.
RELATIVE_WEEKS = {"previous": -1, "current": 0, "next": 1}


def week_named(key: str, this_week: Week) -> Week:
    """The week ``key`` names (see the module docstring); ``ValueError`` if none."""
    if key in RELATIVE_WEEKS:
        return week_of(this_week.monday + timedelta(weeks=RELATIVE_WEEKS[key]))
    return parse_week(key)


#: Why a week that is not a list of entries was skipped.
NOT_A_WEEK = "not a week of entries"


def refusal(request, exc: Exception) -> str:
    """Why the rows of a week were refused: the messages of :class:`RowErrors`
    (translated, in one line), or :data:`NOT_A_WEEK`."""
    if not isinstance(exc, RowErrors):
        return NOT_A_WEEK
    found = [exc.message] if exc.message else []
    found += [message for problems in exc.errors.values() for message in problems.values()]
    return "; ".join(request.localizer.translate(message) for message in found) or NOT_A_WEEK


def load_weeks(request, schedule: WeeklySchedule, weeks, skip: Callable) -> None:
    """Store the ``weeks`` of a demo file in ``schedule`` (see the module docstring);
    ``skip(what, why)`` hears each week that could not be stored."""
    if not isinstance(weeks, dict):
        skip("weeks", NOT_A_WEEK)
        return
    this_week = current_week()
    for key, entries in weeks.items():
        try:
            week = week_named(key, this_week)
            if schedule.entries(week):
                continue  # filled already (by an earlier load, or by hand)
            days = week.days()
            rows = [
                {**entry, "day": days[int(entry.get("weekday", 1)) - 1].isoformat()}
                for entry in entries
            ]
            save_week(request, schedule, week, rows)
        except (ValueError, IndexError, TypeError, AttributeError) as exc:
            skip(f"week {key}", refusal(request, exc))


@hookimpl
def cong_demo_item(request, obj, values, skip):
    """A weekly schedule's ``weeks``."""
    if isinstance(obj, WeeklySchedule) and "weeks" in values:
        load_weeks(request, obj, values["weeks"], skip)
