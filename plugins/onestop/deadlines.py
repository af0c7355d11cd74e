"""A dossier's deadlines on the kernel's working-day calendar: the due date from
the procedure's processing time, each step's from its allotment, the clock that
a supplement request stops and the supplement restarts."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

from core.workdays import add_working_days, add_working_time, working_calendar, working_days_between
from plugins.onestop import statuses
from plugins.onestop.dossier import Dossier, Step
from plugins.onestop.process import PROCESSING, RECEIVING, allotments


def stored(moment: datetime) -> datetime:
    """``moment`` as a dossier keeps it: in UTC (a ZoneInfo time zone does not
    pickle in ZODB records); pages show it in Vietnam time."""
    return moment.astimezone(UTC)


def resolve_unit(dossier: Dossier, unit: str) -> str:
    """A step's unit as a unit code."""
    return {RECEIVING: dossier.receiving_unit, PROCESSING: dossier.processing_unit}.get(unit, unit)


def plan_steps(dossier: Dossier, steps) -> tuple[Step, ...]:
    """The dossier's own copy of a process: units resolved, each step's days."""
    days = allotments(steps, dossier.days)
    return tuple(
        Step(s.name, s.title, s.role, resolve_unit(dossier, s.unit), float(d))
        for s, d in zip(steps, days, strict=True)
    )


def start_clock(request, dossier: Dossier, when: datetime) -> None:
    """Reception: the due date counts from ``when`` (the next working session when
    outside office hours); the first step is done, the second starts."""
    calendar = working_calendar(request)
    dossier.received = when
    dossier.due = stored(add_working_days(calendar, when, dossier.days))
    if dossier.steps:
        dossier.replace_step(0, started=when, due=when, done=when)
        dossier.step_index = 0
        advance(request, dossier, when)


def advance(request, dossier: Dossier, when: datetime) -> Step | None:
    """Finish the current step and start the next (its due date from its
    allotment, never after the dossier's); None after the last."""
    index = dossier.step_index
    if 0 <= index < len(dossier.steps) and dossier.steps[index].done is None:
        dossier.replace_step(index, done=when)
    index += 1
    if index >= len(dossier.steps):
        dossier.step_index = len(dossier.steps)
        return None
    dossier.step_index = index
    step = dossier.steps[index]
    due = step_due(request, dossier, when, step)
    dossier.replace_step(index, started=when, due=due, done=None)
    return dossier.steps[index]


def step_due(request, dossier: Dossier, when: datetime, step: Step) -> datetime | None:
    if step.days is None or dossier.due is None:
        return dossier.due
    due = stored(add_working_time(working_calendar(request), when, Fraction(step.days)))
    return min(due, dossier.due)


def stop_clock(dossier: Dossier, when: datetime) -> None:
    """A supplement request: the count stops at ``when``."""
    if dossier.clock_stopped is None and dossier.due is not None:
        dossier.clock_stopped = when


def restart_clock(
    request, dossier: Dossier, when: datetime
) -> tuple[datetime | None, datetime | None]:
    """The supplement: the count goes on from ``when`` with what was left at the
    stop (nothing when it was already late). Returns (previous due, new due)."""
    previous = dossier.due
    stopped, dossier.clock_stopped = dossier.clock_stopped, None
    if stopped is None or previous is None:
        return previous, previous
    calendar = working_calendar(request)
    left = max(working_days_between(calendar, stopped, previous), Fraction(0))
    dossier.due = stored(add_working_time(calendar, when, left))
    step = dossier.current_step
    if step is not None and step.due is not None and step.done is None:
        step_left = max(working_days_between(calendar, stopped, step.due), Fraction(0))
        new_step_due = min(stored(add_working_time(calendar, when, step_left)), dossier.due)
        dossier.replace_step(dossier.step_index, due=new_step_due)
    return previous, dossier.due


def is_overdue(dossier: Dossier, now: datetime) -> bool:
    """Past its due date while the unit holds it (never while waiting for the
    citizen: the clock is stopped then)."""
    if dossier.due is None or dossier.clock_stopped is not None:
        return False
    if dossier.status in statuses.RUNNING:
        return now > dossier.due
    return False


def timeliness(finished: datetime, due: datetime) -> str:
    """``early``, ``on_time`` or ``late``: finished before the due day, on it, after."""
    if finished > due:
        return "late"
    return "on_time" if finished.date() == due.date() else "early"
