"""The registers' part of ``cong demo`` (:mod:`core.demo`): the demo file's
``"documents"``::

    {"staff": [{"login", "fullname", "email", "password", "unit", "roles"}],
     "bodies": {"<unit code>": "<body abbreviation>"},
     "partners": [{"code", "name", "address", "email"}],
     "register": {"unit", "days", "senders": [...], "summaries": [...]},
     "exchange": [{"from", "to": [...], "type", "drafting_unit", "summary",
                   "days_ago", "receiver": "accepted" | "assigned" | "done" | ""}]}

The staff get their roles on their unit. ``register`` fills the incoming register
of ``unit`` for its last ``days`` days: on each working day, a few documents from
the senders, about the summaries, registered by its Clerk and taken as far as
their age makes likely (submitted, directed by its Leader to its Specialist with a
deadline of a few working days, in progress, done; one returned to its sender).
``exchange`` drafts outgoing documents, has them signed, issued and sent to other
units of the portal through the exchange, and has the receivers take them to
``receiver``. Everything goes through the real registration and transitions
(:mod:`plugins.documents.registration`, :mod:`plugins.documents.transitions`) on a
clock moved back in time. A load on offices that have documents already adds none.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from core.cli import act_as
from core.clock import TIMEZONE, now, set_now
from core.hookspecs import hookimpl
from plugins.documents.entries import EntryError, parse_incoming, parse_outgoing
from plugins.documents.registration import create_outgoing, register_incoming
from plugins.documents.registry import Partner, registry_of
from plugins.documents.transitions import TransitionError, perform
from plugins.documents.units import office_of, unit_of

#: A one-page PDF: the scans registered.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_UPLOAD = {
    "filename": "van-ban.pdf",
    "data": "JVBERi0xLjQKMSAwIG9iajw8PmVuZG9iagp0cmFpbGVyPDw+PgolJUVPRgo=",
}
TYPES = ("cong-van", "cong-van", "cong-van", "ke-hoach", "thong-bao", "giay-moi", "quyet-dinh")
URGENCY = ("", "", "", "", "khan", "thuong-khan")


@hookimpl(trylast=True)
def cong_demo_data(request, data, loader):
    """After the subsites: the staff, the partners, the registers, the exchange."""
    part = data.get("documents")
    if not isinstance(part, dict):
        return
    staff: dict[tuple[str, str], str] = {}
    for values in part.get("staff", ()):
        add_staff(request, loader, values, staff)
    for code, body in (part.get("bodies") or {}).items():
        office = office_of(request.root, code)
        if office is not None:
            office.body_abbreviation = body
    partners = registry_of(request.root).partners
    for values in part.get("partners", ()):
        partners[values["code"]] = Partner(**values)
    units = {part.get("register", {}).get("unit")} | {
        e.get("from") for e in part.get("exchange", ())
    }
    offices = [office_of(request.root, code) for code in units if code]
    if any(office is not None and len(office.documents) for office in offices):
        loader.skip("the demo registers", "the offices have documents already")
        return
    identity, real = request.identity, now()
    try:
        if part.get("register"):
            fill_register(request, loader, part["register"], staff, real)
        for values in part.get("exchange", ()):
            exchange(request, loader, values, staff, real)
    finally:
        set_now(None)
        act_as(request, identity)


def add_staff(request, loader, values: dict, staff: dict) -> None:
    """Add a staff user (unless another plugin's demo did) and grant their roles on
    their unit."""
    login, unit = values.get("login", ""), values.get("unit", "")
    subsite = unit_of(request.root, unit)
    if subsite is None:
        loader.skip(f"staff {login}", f"no unit {unit}")
        return
    if not loader.add_staff(subsite, values):
        return
    for role in values.get("roles", ()):
        staff[(unit, role)] = login


def working_days_back(today, days: int):
    """The working days (Monday to Friday) of the last ``days`` days, oldest first."""
    found = [today - timedelta(days=n) for n in range(days, 0, -1)]
    return [day for day in found if day.weekday() < 5]


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TIMEZONE)


def _as(request, staff: dict, unit: str, role: str) -> None:
    act_as(request, request.root.principals.get_user(staff.get((unit, role), "")))


def fill_register(request, loader, values: dict, staff: dict, real: datetime) -> None:
    """A few weeks of ``unit``'s incoming register."""
    unit = values.get("unit", "")
    office = office_of(request.root, unit)
    if office is None:
        loader.skip(f"the register of {unit}", "no office")
        return
    rng = random.Random(15)
    senders, summaries = values.get("senders", []), values.get("summaries", [])
    today = real.astimezone(TIMEZONE).date()
    days = working_days_back(today, int(values.get("days", 28)))
    for index, day in enumerate(days):
        for n in range(rng.randint(1, 3)):
            moment = min(at(day, 8 + 2 * n, 15), real - timedelta(minutes=5))
            set_now(moment)
            _as(request, staff, unit, "Clerk")
            age = len(days) - index
            number = rng.randint(10, 990)
            sender = rng.choice(senders)
            raw = {
                "sender": sender["name"],
                "sender_code": sender.get("code", ""),
                "notation": f"{number}/{sender.get('abbreviation', 'UBND')}-VP",
                "document_date": (day - timedelta(days=rng.randint(1, 3))).isoformat(),
                "type": rng.choice(TYPES),
                "summary": rng.choice(summaries),
                "urgency": rng.choice(URGENCY),
                "attachments": [PDF_UPLOAD],
            }
            try:
                document = register_incoming(request, office, parse_incoming(request, raw, "json"))
                handle(request, document, unit, staff, age, rng, moment, real)
            except (EntryError, TransitionError) as error:
                loader.skip(f"an incoming document of {day}", error.message)
                continue
            loader.summary.items["IncomingDocument"] += 1


def handle(request, document, unit, staff, age: int, rng, moment, real) -> None:
    """Take a registered document as far as its ``age`` (working days) makes likely."""
    if age == 1 and rng.random() < 0.5:
        return  # registered today, not yet submitted
    step = [moment]

    def later(hours: float) -> None:
        step[0] = min(step[0] + timedelta(hours=hours), real - timedelta(minutes=2))
        set_now(step[0])

    later(0.5)
    if rng.random() < 0.05:
        _as(request, staff, unit, "Clerk")
        perform(request, document, "return_to_sender", {"comment": "Văn bản gửi nhầm đơn vị."})
        return
    _as(request, staff, unit, "Clerk")
    perform(request, document, "submit")
    if age <= 2 and rng.random() < 0.5:
        return
    later(2)
    _as(request, staff, unit, "Leader")
    perform(
        request,
        document,
        "assign",
        {
            "direction": "Giao phòng chuyên môn nghiên cứu, tham mưu trả lời đúng hạn.",
            "lead": staff.get((unit, "Specialist"), ""),
            "days": rng.choice((3, 5, 7, 10)),
        },
    )
    if age <= 3:
        return
    later(20)
    _as(request, staff, unit, "Specialist")
    perform(request, document, "start")
    if age > 8 and rng.random() < 0.8:
        later(rng.choice((24, 48, 96)))
        perform(request, document, "finish", {"comment": "Đã tham mưu văn bản trả lời."})


def exchange(request, loader, values: dict, staff: dict, real: datetime) -> None:
    """Draft, sign, issue and send one outgoing document, then have the receivers
    take it to ``receiver``."""
    sender = values.get("from", "")
    office = office_of(request.root, sender)
    if office is None:
        loader.skip(f"an exchange from {sender}", "no office")
        return
    day = (real - timedelta(days=int(values.get("days_ago", 3)))).astimezone(TIMEZONE).date()
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    moment = at(day, 9)
    try:
        set_now(moment)
        _as(request, staff, sender, "Specialist")
        raw = {k: values[k] for k in ("type", "summary", "drafting_unit") if k in values}
        raw |= {"recipients": values.get("to", []), "attachments": [PDF_UPLOAD]}
        document = create_outgoing(request, office, parse_outgoing(request, raw, "json"))
        perform(request, document, "submit")
        set_now(moment + timedelta(hours=1))
        _as(request, staff, sender, "Leader")
        perform(request, document, "sign", {"signer_position": "Giám đốc"})
        set_now(moment + timedelta(hours=2))
        _as(request, staff, sender, "Clerk")
        perform(request, document, "issue")
        perform(request, document, "send")
        loader.summary.items["OutgoingDocument"] += 1
        receiver = values.get("receiver", "")
        for recipient in document.recipients:
            incoming = office_of(request.root, recipient.code)
            received = incoming.documents.get(recipient.incoming_id) if incoming else None
            if received is None or not receiver or (recipient.code, "Clerk") not in staff:
                continue  # left for the unit's clerk to accept
            set_now(moment + timedelta(hours=3))
            _as(request, staff, recipient.code, "Clerk")
            perform(request, received, "accept")
            if receiver in ("assigned", "done"):
                perform(request, received, "submit")
                _as(request, staff, recipient.code, "Leader")
                perform(
                    request,
                    received,
                    "assign",
                    {
                        "direction": "Giao công chức phụ trách triển khai.",
                        "lead": staff.get((recipient.code, "Specialist"), ""),
                        "days": 5,
                    },
                )
            if receiver == "done":
                set_now(moment + timedelta(hours=26))
                _as(request, staff, recipient.code, "Specialist")
                perform(request, received, "finish", {"comment": "Đã triển khai."})
    except (EntryError, TransitionError) as error:
        loader.skip(f"an exchange from {sender}", error.message)
