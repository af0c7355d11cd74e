"""The internal process of each procedure: ordered steps, each with a role, the
unit concerned and a time allotment, versioned so that a changed process never
changes a dossier already running (a dossier copies its steps when it is
received).

A step's unit is ``receiving`` (the unit that received the dossier),
``processing`` (the unit that processes it) or a unit's code. Its allotment is in
working days or hours (an hour is an eighth of a working day), or empty: the
step takes what the procedure's processing time leaves to it. Where a procedure
has no process of its own, :data:`DEFAULT_PROCESS` applies: receive → process →
approve → return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from persistent import Persistent

from core import audit
from core.clock import now
from core.i18n import _

RECEIVING, PROCESSING = "receiving", "processing"
ROLES = ("Receptionist", "Specialist", "Leader")
UNITS_RE = re.compile(r"^(receiving|processing|[0-9]{1,12})\Z")
NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}\Z")
#: The longest allotment of a step, in working days.
MAX_DAYS = 365
HOURS_A_DAY = 8


class ProcessError(ValueError):
    """A process that cannot be kept; ``errors`` by step (index) and field."""

    def __init__(self, errors: dict):
        super().__init__("invalid process")
        self.errors = errors


@dataclass(frozen=True)
class ProcessStep:
    """A step of a process as Managers define it."""

    name: str
    title: str
    role: str
    unit: str
    amount: float | None = None
    unit_of_time: str = "days"  # "days" or "hours"

    @property
    def days(self) -> Fraction | None:
        """The allotment in working days, or None (what the others leave)."""
        if self.amount is None:
            return None
        amount = Fraction(self.amount)
        return amount / HOURS_A_DAY if self.unit_of_time == "hours" else amount

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "role": self.role,
            "unit": self.unit,
            "amount": self.amount,
            "unit_of_time": self.unit_of_time,
        }


DEFAULT_PROCESS = (
    ProcessStep("receive", "Tiếp nhận hồ sơ", "Receptionist", RECEIVING, 0),
    ProcessStep("process", "Thẩm định, xử lý hồ sơ", "Specialist", PROCESSING, None),
    ProcessStep("approve", "Phê duyệt kết quả", "Leader", PROCESSING, 0.5),
    ProcessStep("return", "Trả kết quả", "Receptionist", RECEIVING, 0),
)


@dataclass(frozen=True)
class ProcessVersion:
    """One version of a procedure's process."""

    number: int
    steps: tuple[ProcessStep, ...]
    created: datetime
    author: str


class ProcedureSettings(Persistent):
    """A procedure's one-stop settings: received anywhere in the province ("phi
    địa giới"), the unit that processes it (its code; '' : the procedure's
    implementing unit, else the receiving unit) and its process versions."""

    def __init__(self, code: str):
        self.code = code
        self.anywhere = False
        self.processing_unit = ""
        self.versions: tuple[ProcessVersion, ...] = ()

    @property
    def current(self) -> ProcessVersion | None:
        return self.versions[-1] if self.versions else None

    def add_version(
        self, steps: tuple[ProcessStep, ...], when: datetime, author: str
    ) -> ProcessVersion:
        version = ProcessVersion(len(self.versions) + 1, steps, when, author)
        self.versions = (*self.versions, version)
        return version


def settings_of(site, code: str, create: bool = False) -> ProcedureSettings | None:
    """The settings of procedure ``code`` (made when ``create``), or None."""
    found = site.onestop.processes.get(code)
    if found is None and create:
        found = site.onestop.processes[code] = ProcedureSettings(code)
    return found


def save_settings(
    request, code: str, anywhere: bool, unit: str, steps: tuple[ProcessStep, ...] | None
) -> ProcessVersion | None:
    """Store procedure ``code``'s settings (``steps`` None: unchanged) and record the
    change in the audit log; the new version when the steps changed, else None."""
    settings = settings_of(request.root, code, create=True)
    settings.anywhere = anywhere
    settings.processing_unit = unit
    current = settings.current
    version = None
    if steps is not None and (current is None or current.steps != steps):
        author = request.identity.login if request.identity is not None else ""
        version = settings.add_version(steps, now(), author)
    audit.record(
        request,
        "settings.onestop_process",
        code,
        anywhere=anywhere,
        processing_unit=unit,
        version=version.number if version is not None else None,
    )
    return version


def current_process(site, code: str) -> tuple[int, tuple[ProcessStep, ...]]:
    """The version number (0: the default) and the steps a dossier of ``code``
    received now follows."""
    settings = settings_of(site, code)
    version = settings.current if settings is not None else None
    return (version.number, version.steps) if version is not None else (0, DEFAULT_PROCESS)


def parse_steps(rows) -> tuple[ProcessStep, ...]:
    """Steps from JSON-like rows; :class:`ProcessError` naming every problem."""
    if not isinstance(rows, list) or not rows:
        raise ProcessError({"steps": _("Cần ít nhất một bước, dạng danh sách.")})
    if len(rows) > 30:
        raise ProcessError({"steps": _("Một quy trình có nhiều nhất 30 bước.")})
    errors: dict = {}
    steps = []
    for index, row in enumerate(rows):
        step, problems = _parse_step(row)
        if problems:
            errors[str(index)] = problems
        else:
            steps.append(step)
    names = [s.name for s in steps]
    if not errors and len(set(names)) != len(names):
        errors["steps"] = _("Mỗi bước cần một tên riêng.")
    if not errors and sum(1 for s in steps if s.amount is None) > 1:
        errors["steps"] = _("Chỉ một bước được để trống thời gian (nhận phần thời gian còn lại).")
    if errors:
        raise ProcessError(errors)
    return tuple(steps)


def _parse_step(row) -> tuple[ProcessStep | None, dict]:
    if not isinstance(row, dict):
        return None, {"step": _("Mỗi bước là một đối tượng.")}
    problems = {}
    name, title, role, unit = (row.get(k) for k in ("name", "title", "role", "unit"))
    if not isinstance(name, str) or not NAME_RE.match(name):
        problems["name"] = _("Tên bước: chữ thường không dấu, số, gạch ngang.")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        problems["title"] = _("Cần tên hiển thị của bước (tối đa 200 ký tự).")
    elif any(ord(c) < 32 for c in title):
        problems["title"] = _("Tên bước không được chứa ký tự điều khiển.")
    if role not in ROLES:
        problems["role"] = _("Vai trò là Receptionist, Specialist hoặc Leader.")
    if not isinstance(unit, str) or not UNITS_RE.match(unit):
        problems["unit"] = _("Đơn vị là receiving, processing hoặc mã đơn vị.")
    amount, unit_of_time = row.get("amount"), row.get("unit_of_time", "days")
    if unit_of_time not in ("days", "hours"):
        problems["unit_of_time"] = _("Đơn vị thời gian là days hoặc hours.")
    elif amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int | float) or amount < 0:
            problems["amount"] = _("Thời gian là một số không âm.")
        else:
            days = amount / HOURS_A_DAY if unit_of_time == "hours" else amount
            if days > MAX_DAYS or (unit_of_time == "days" and (amount * 2) % 1):
                problems["amount"] = _("Số ngày là bội của nửa ngày, tối đa 365 ngày.")
            elif unit_of_time == "hours" and amount % 1:
                problems["amount"] = _("Số giờ là số nguyên.")
    if problems:
        return None, problems
    return ProcessStep(name, title.strip(), role, unit, amount, unit_of_time), {}


def allotments(steps, total_days: float) -> list[Fraction]:
    """Each step's working days: its own, and for the step without one what the
    others leave of ``total_days`` (never less than nothing)."""
    fixed = sum((s.days for s in steps if s.days is not None), Fraction(0))
    rest = max(Fraction(total_days) - fixed, Fraction(0))
    return [s.days if s.days is not None else rest for s in steps]
