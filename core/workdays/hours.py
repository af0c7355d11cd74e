"""Office hours: the morning and afternoon sessions of a working day, and the days
of the week that are working days.

A working day has two sessions, each counted as half a day whatever its length on
the clock (:mod:`core.workdays.arithmetic`). The installation's defaults come from
the ini::

    cong.office_hours = 07:30-11:30 13:30-17:00
    cong.working_weekdays = 1 2 3 4 5

(those are the defaults when the ini says nothing: 07:30–11:30 and 13:30–17:00,
Monday to Friday; weekdays are ISO numbers, 1 Monday to 7 Sunday). The site's
Managers may give the site hours of its own on the calendar page
(:mod:`core.workdays.kept`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from pyramid.i18n import TranslationString

from core.i18n import _
from core.settings import SettingsError

#: The four times that make the office hours, in order.
TIME_FIELDS = ("morning_start", "morning_end", "afternoon_start", "afternoon_end")
#: The sessions of a working day and their names.
SESSIONS = (("morning", _("Buổi sáng")), ("afternoon", _("Buổi chiều")))
DEFAULT_HOURS = "07:30-11:30 13:30-17:00"
DEFAULT_WEEKDAYS = (1, 2, 3, 4, 5)
#: The days of the week (ISO numbers) and their names.
WEEKDAYS = (
    (1, _("Thứ Hai")),
    (2, _("Thứ Ba")),
    (3, _("Thứ Tư")),
    (4, _("Thứ Năm")),
    (5, _("Thứ Sáu")),
    (6, _("Thứ Bảy")),
    (7, _("Chủ nhật")),
)
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")
_HOURS_RE = re.compile(r"\s*(\S+)\s*-\s*(\S+)\s+(\S+)\s*-\s*(\S+)\s*")


@dataclass(frozen=True)
class Session:
    """A session of a working day, from ``start`` to ``end`` (local times)."""

    start: time
    end: time

    @property
    def length(self) -> timedelta:
        return datetime.combine(datetime.min, self.end) - datetime.combine(datetime.min, self.start)


@dataclass(frozen=True)
class OfficeHours:
    """The two sessions of a working day and the working days of the week."""

    morning: Session
    afternoon: Session
    weekdays: frozenset[int]

    @property
    def sessions(self) -> tuple[Session, Session]:
        return (self.morning, self.afternoon)

    def text(self) -> str:
        """The sessions as the ini writes them: ``07:30-11:30 13:30-17:00``."""
        return " ".join(f"{s.start:%H:%M}-{s.end:%H:%M}" for s in self.sessions)

    def times(self) -> dict[str, str]:
        """The four times by :data:`TIME_FIELDS` name, as ``HH:MM``."""
        values = (self.morning.start, self.morning.end, self.afternoon.start, self.afternoon.end)
        return {name: f"{value:%H:%M}" for name, value in zip(TIME_FIELDS, values, strict=True)}


class OfficeHoursError(ValueError):
    """Office hours that cannot be: ``errors`` maps each wrong field (a name of
    :data:`TIME_FIELDS`, or ``weekdays``) to its message."""

    def __init__(self, errors: dict[str, TranslationString]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


def parse_time(text: object) -> time | None:
    """``HH:MM`` (or ``HH:MM:00``, as a time input may send it) as a time; None
    when it is no time of day."""
    found = _TIME_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def office_hours(values: Mapping[str, object], weekdays: Iterable[object]) -> OfficeHours:
    """Office hours from the four times of :data:`TIME_FIELDS` in ``values`` and
    the ISO numbers of the working ``weekdays``; :class:`OfficeHoursError` names
    every field that is wrong (a time missing or mistyped, a session ending before
    it starts, the afternoon starting before the morning ends, no working day)."""
    errors: dict[str, TranslationString] = {}
    times = {}
    for name in TIME_FIELDS:
        times[name] = parse_time(values.get(name))
        if times[name] is None:
            errors[name] = _("Giờ không hợp lệ (định dạng HH:MM, ví dụ 07:30).")
    if "morning_end" not in errors and "morning_start" not in errors:
        if times["morning_end"] <= times["morning_start"]:
            errors["morning_end"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
    if "afternoon_end" not in errors and "afternoon_start" not in errors:
        if times["afternoon_end"] <= times["afternoon_start"]:
            errors["afternoon_end"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
    if not errors and times["afternoon_start"] < times["morning_end"]:
        errors["afternoon_start"] = _("Buổi chiều phải bắt đầu sau khi buổi sáng kết thúc.")
    days = {_weekday(value) for value in weekdays}
    if None in days:
        errors["weekdays"] = _("Ngày trong tuần là một số từ 1 (thứ Hai) đến 7 (Chủ nhật).")
    elif not days:
        errors["weekdays"] = _("Chọn ít nhất một ngày làm việc trong tuần.")
    if errors:
        raise OfficeHoursError(errors)
    return OfficeHours(
        Session(times["morning_start"], times["morning_end"]),
        Session(times["afternoon_start"], times["afternoon_end"]),
        frozenset(days),
    )


def _weekday(value: object) -> int | None:
    """An ISO weekday number (1 to 7) given as a number or its text, else None."""
    if isinstance(value, str) and len(value.strip()) == 1 and value.strip() in "1234567":
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7:
        return value
    return None


def office_hours_of_text(hours: str, weekdays: str | Iterable[int]) -> OfficeHours:
    """Office hours written as the ini writes them (``07:30-11:30 13:30-17:00``,
    weekdays ``1 2 3 4 5``); :class:`OfficeHoursError` when they cannot be."""
    found = _HOURS_RE.fullmatch(hours)
    values = dict(zip(TIME_FIELDS, found.groups(), strict=True)) if found else {}
    if isinstance(weekdays, str):
        weekdays = weekdays.split()
    return office_hours(values, weekdays)


def office_hours_from_settings(settings: Mapping[str, str]) -> OfficeHours:
    """The installation's default office hours (``cong.office_hours``,
    ``cong.working_weekdays``); :class:`SettingsError` saying what to change."""
    hours = settings.get("cong.office_hours", "").strip() or DEFAULT_HOURS
    weekdays = settings.get("cong.working_weekdays", "").strip() or DEFAULT_WEEKDAYS
    try:
        return office_hours_of_text(hours, weekdays)
    except OfficeHoursError as exc:
        raise SettingsError(
            "cong.office_hours must be two sessions such as '07:30-11:30 13:30-17:00', the "
            "afternoon after the morning, and cong.working_weekdays ISO weekday numbers "
            f"such as '1 2 3 4 5' (1 is Monday): {exc}"
        ) from None
