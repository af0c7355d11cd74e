"""The one-stop desk's part of ``cong demo`` (:mod:`core.demo`): the demo file's
``"onestop"``::

    {"staff": [{"login", "fullname", "email", "password", "unit", "roles"}],
     "citizens": [{"login", "fullname", "email", "password"}],
     "dossiers": [{"procedure", "unit", "channel", "state", "days_ago", "took",
                   "owner", "applicant": {...}, "rating": {...}, "to"}]}

Staff get their roles on their unit (a subsite by code). Each dossier goes through
the real intake and transitions (:mod:`plugins.onestop.intake`,
:mod:`plugins.onestop.transitions`), done by the unit's staff, on a clock moved to
``days_ago`` days before the load (then ``took`` days to its result), so the
queues, the deadlines slipping and the statistics show at once. ``state`` is one
of :data:`PATHS` (``liaison``: handed to unit ``to`` for a step). A load on desks
that have dossiers already adds none.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from core.cli import act_as
from core.clock import TIMEZONE, now, set_now
from core.fields import Upload
from core.hookspecs import hookimpl
from plugins.onestop.intake import IntakeError, Submission, find_procedure, submit
from plugins.onestop.persons import parse_person
from plugins.onestop.ratings import rate
from plugins.onestop.transitions import TransitionError, perform
from plugins.onestop.units import desk_of, unit_of

#: A one-page PDF: the scans handed in.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FINISH = ("assign", "assign", "approve")
#: The transitions after intake leading to each state, with the role doing each.
PATHS = {
    "submitted": (),
    "received": ("receive",),
    "processing": ("receive", "assign"),
    "supplement": ("receive", "assign", "request_supplement"),
    "liaison": ("receive", "assign", "transfer"),
    "result_ready": ("receive", *FINISH),
    "returned": ("receive", *FINISH, "return_result"),
    "refused": ("refuse",),
    "withdrawn": ("receive", "withdraw"),
    "suspended": ("receive", "assign", "suspend"),
}
ROLE_OF = {
    "receive": "Receptionist",
    "refuse": "Receptionist",
    "withdraw": "Receptionist",
    "return_result": "Receptionist",
    "assign": "Specialist",
    "transfer": "Specialist",
    "request_supplement": "Specialist",
    "approve": "Leader",
    "suspend": "Leader",
}
COMMENTS = {
    "refuse": "Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị.",
    "request_supplement": "Đề nghị bổ sung bản sao giấy tờ chứng minh quyền sử dụng đất.",
    "suspend": "Người nộp đề nghị dừng để hoàn thiện hồ sơ thiết kế.",
    "withdraw": "Công dân đề nghị rút hồ sơ.",
}


@hookimpl(trylast=True)
def cong_demo_data(request, data, loader):
    """After the subsites and the catalog: the staff, then the dossiers."""
    part = data.get("onestop")
    if not isinstance(part, dict):
        return
    staff = {}
    for values in part.get("staff", ()):
        add_staff(request, loader, values, staff)
    for values in part.get("citizens", ()):
        loader.add_user(values)
    dossiers = part.get("dossiers", ())
    units = {d.get("unit") for d in dossiers}
    if any(len(desk.dossiers) for desk in filter(None, (desk_of(request.root, u) for u in units))):
        loader.skip("the demo dossiers", "the desks have dossiers already")
        return
    identity, real = request.identity, now()
    try:
        for index, values in enumerate(dossiers):
            add_dossier(
                request, loader, values, staff, real - timedelta(minutes=len(dossiers) - index)
            )
    finally:
        set_now(None)
        act_as(request, identity)


def add_staff(request, loader, values: dict, staff: dict) -> None:
    """Add a staff user and grant their roles on their unit."""
    login, unit = values.get("login", ""), values.get("unit", "")
    subsite = unit_of(request.root, unit)
    if subsite is None:
        loader.skip(f"staff {login}", f"no unit {unit}")
        return
    if not loader.add_staff(subsite, values):
        return
    for role in values.get("roles", ()):
        staff[(unit, role)] = login


def working_moment(day, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour``, moved back to the Friday before a weekend."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(hour, minute), TIMEZONE)


class Clock:
    """The demo's moments for one dossier: never after ``latest``, always later
    than the one before."""

    def __init__(self, latest: datetime):
        self.latest = latest
        self.last = None

    def at(self, moment: datetime) -> None:
        moment = min(moment, self.latest - timedelta(seconds=30))
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(seconds=1)
        self.last = moment
        set_now(moment)


def add_dossier(request, loader, values: dict, staff: dict, latest: datetime) -> None:
    """Submit one demo dossier and take it to its ``state``."""
    where = f"dossier {values.get('procedure')} at {values.get('unit')}"
    state, unit = values.get("state"), values.get("unit", "")
    applicant, errors = parse_person(values.get("applicant"), "json")
    if state not in PATHS or applicant is None:
        loader.skip(where, f"bad state or applicant {errors}")
        return
    today = latest.astimezone(TIMEZONE).date()
    start = working_moment(today - timedelta(days=int(values.get("days_ago", 0))), 8, 30)
    clock = Clock(latest)
    clock.at(start)
    channel, owner = values.get("channel", "counter"), values.get("owner", "")
    users = request.root.principals
    act_as(request, users.get_user(owner or staff.get((unit, "Receptionist"), "")))
    try:
        procedure = find_procedure(request, values.get("procedure"))
        required = [c["name"] for c in procedure.components if c.get("required", True)]
        submission = Submission(
            procedure.code,
            applicant,
            "counter",
            channel,
            unit,
            documents=[(name, Upload("ban-scan.pdf", "application/pdf", PDF)) for name in required],
            owner=owner,
        )
        dossier = submit(request, submission)
        finished = start + timedelta(days=int(values.get("took", 0)))
        for name in PATHS[state]:
            step_unit = (
                unit
                if name in ("receive", "refuse", "withdraw", "return_result")
                else (
                    dossier.current_step.unit if dossier.current_step else dossier.processing_unit
                )
            )
            if name == "approve":
                clock.at(working_moment(finished.date(), 15))
            elif name == "return_result":
                clock.at(working_moment(finished.date() + timedelta(days=1), 9))
            else:
                clock.at(clock.last + timedelta(hours=1))
            act_as(request, users.get_user(staff.get((step_unit, ROLE_OF[name]), "")))
            data = {"comment": COMMENTS.get(name, "")}
            if name == "transfer":
                data.update(unit=values.get("to", ""), days=5, step="Thẩm định hồ sơ thiết kế")
            if name == "approve":
                data.update(result_number=f"{len(dossier.code) % 97 + 1}/GP", signer="")
            perform(request, dossier, name, data)
        if values.get("rating"):
            rate(request, dossier, values["rating"], "")
    except (IntakeError, TransitionError) as exc:
        loader.skip(where, exc.message)
        return
    loader.summary.items["Dossier"] += 1
