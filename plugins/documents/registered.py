"""The documents of a unit's registers: what arrives (văn bản đến) and what the
unit drafts, signs and issues (văn bản đi).

A registered document is not content: it has no ``uid``, the catalog never sees
it, and it is reached only through the office of its unit
(:class:`plugins.documents.office.Office`) by those allowed
(:mod:`plugins.documents.access`). Its parts are immutable records kept inside it
(:class:`Attachment`, :class:`Event`, :class:`Direction`, :class:`Recipient`), so
one document is one database record plus the blobs of its files.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time

from persistent import Persistent
from ZODB.blob import Blob
from zope.interface import implementer

from core.clock import TIMEZONE
from core.i18n import _
from plugins.documents.interfaces import IIncomingDocument, IOutgoingDocument

INCOMING, OUTGOING = "incoming", "outgoing"

#: Urgency (độ khẩn), most urgent first; '' is a normal document.
URGENCIES = {"hoa-toc": _("Hỏa tốc"), "thuong-khan": _("Thượng khẩn"), "khan": _("Khẩn")}
#: Secrecy (độ mật); '' is a normal document. A secret document is seen only by
#: its named readers (:mod:`plugins.documents.access`).
SECRECIES = {"mat": _("Mật"), "toi-mat": _("Tối mật"), "tuyet-mat": _("Tuyệt mật")}
#: Signing authority (thẩm quyền ký) before the signer's position.
AUTHORITIES = {
    "": _("Ký trực tiếp"),
    "TM.": _("TM. (thay mặt tập thể)"),
    "KT.": _("KT. (ký thay người đứng đầu)"),
    "TL.": _("TL. (thừa lệnh)"),
    "TUQ.": _("TUQ. (thừa ủy quyền)"),
    "Q.": _("Q. (quyền)"),
}

# incoming statuses
ARRIVED = "arrived"  # sent by another unit of the portal, receipt not yet confirmed
REGISTERED = "registered"
SUBMITTED = "submitted"
ASSIGNED = "assigned"
PROCESSING = "processing"
DONE = "done"
RETURNED = "returned"
RECALLED = "recalled"
INCOMING_STATUSES = {
    ARRIVED: _("Chờ tiếp nhận"),
    REGISTERED: _("Đã vào sổ"),
    SUBMITTED: _("Trình lãnh đạo"),
    ASSIGNED: _("Đã giao xử lý"),
    PROCESSING: _("Đang xử lý"),
    DONE: _("Hoàn thành"),
    RETURNED: _("Trả lại nơi gửi"),
    RECALLED: _("Đã thu hồi"),
}
# outgoing statuses
DRAFT = "draft"
AWAITING_SIGNATURE = "awaiting_signature"
SIGNED = "signed"
ISSUED = "issued"
SENT = "sent"
OUTGOING_STATUSES = {
    DRAFT: _("Dự thảo"),
    AWAITING_SIGNATURE: _("Chờ ký"),
    SIGNED: _("Đã ký"),
    ISSUED: _("Đã ban hành"),
    SENT: _("Đã gửi"),
    RECALLED: _("Đã thu hồi"),
}
#: The statuses in which a document is still being handled (it has a place on
#: the dashboard, and its deadline counts).
OPEN = frozenset({ARRIVED, REGISTERED, SUBMITTED, ASSIGNED, PROCESSING})


@dataclass(frozen=True)
class Attachment:
    """A file of a document: its name, media type, size and bytes (a blob);
    ``signatures``: what the verification of a PDF's signatures found
    (:mod:`plugins.documents.signatures`), as plain dicts, when it was checked."""

    filename: str
    content_type: str
    size: int
    blob: Blob = field(compare=False, repr=False)
    signatures: tuple = ()
    checked: bool = False

    def open(self):
        return self.blob.open("r")

    def read(self) -> bytes:
        with self.blob.open("r") as handle:
            return handle.read()


@dataclass(frozen=True)
class Event:
    """A line of the history: who did ``transition`` (or ``note`` for a progress
    note), when, from which status to which, with what comment."""

    when: datetime
    actor: str
    actor_title: str
    transition: str
    source: str
    dest: str
    comment: str = ""


def end_of_day(day: date) -> datetime:
    """The last second of ``day`` in Vietnam time (a deadline), as documents keep
    moments: in UTC (a ZoneInfo time zone does not pickle in ZODB records)."""
    return datetime.combine(day, time(23, 59, 59), TIMEZONE).astimezone(UTC)


def person(login: str) -> str:
    """The handler token of a person."""
    return f"user:{login}"


def unit(code: str) -> str:
    """The handler token of a unit of the portal."""
    return f"unit:{code}"


@dataclass(frozen=True)
class Direction:
    """A leader's direction (ý kiến chỉ đạo) on an incoming document: who leads the
    handling and who coordinates, each a handler token (:func:`person` or
    :func:`unit`), by when."""

    text: str
    leader: str
    leader_title: str
    when: datetime
    lead: str
    lead_title: str
    coordinators: tuple[str, ...] = ()
    deadline: datetime | None = None


@dataclass(frozen=True)
class Recipient:
    """Who an outgoing document goes to: a unit of the portal (``unit`` code) or an
    outside agency of the partner catalogue (``partner`` code), its name, and the
    exchange's state with it: the last status reported (1 arrived … 6 done, 2
    refused, 13/15/16 recall; 0 not sent), when, and why (refusals, errors)."""

    code: str
    name: str
    internal: bool
    status: int = 0
    when: datetime | None = None
    reason: str = ""
    incoming_id: str = ""  # the document made in an internal recipient's register
    error: str = ""  # the last delivery error (outside agencies)

    def reported(self, status: int, when: datetime, reason: str = "") -> Recipient:
        return replace(self, status=status, when=when, reason=reason, error="")


class RegisteredDocument(Persistent):
    """What incoming and outgoing documents share: the document itself (kind,
    number and notation, date, summary, urgency, secrecy, files), its status and
    history, its readers when secret."""

    kind = ""
    __name__ = ""
    __parent__ = None

    def __init__(self, id: str, **values):
        self.id = self.__name__ = id
        self.type_code: str = values.get("type_code", "cong-van")
        self.number: int | None = values.get("number")
        self.notation: str = values.get("notation", "")
        self.document_date: date | None = values.get("document_date")
        self.summary: str = values.get("summary", "")
        self.urgency: str = values.get("urgency", "")
        self.secrecy: str = values.get("secrecy", "")
        self.readers: tuple[str, ...] = tuple(values.get("readers", ()))
        self.attachments: tuple[Attachment, ...] = tuple(values.get("attachments", ()))
        self.history: tuple[Event, ...] = ()
        self.created: datetime = values["created"]
        self.creator: str = values.get("creator", "")
        self.status: str = values["status"]
        self.work_file: str = ""  # the id of the work file it is filed in

    @property
    def unit_code(self) -> str:
        return self.__parent__.unit_code if self.__parent__ is not None else ""

    @property
    def title(self) -> str:
        """What breadcrumbs and page titles call it: its number and notation (its id
        before it has one) and, unless it is secret, the start of its summary."""
        name = self.notation or self.id
        if self.secrecy or not self.summary:
            return name
        summary = self.summary if len(self.summary) <= 80 else self.summary[:79] + "…"
        return f"{name}: {summary}"

    def add_event(self, event: Event) -> None:
        self.history = (*self.history, event)

    def add_attachment(self, attachment: Attachment) -> None:
        self.attachments = (*self.attachments, attachment)


@implementer(IIncomingDocument)
class IncomingDocument(RegisteredDocument):
    """A document received (văn bản đến), numbered in the incoming register of the
    year it arrived (``arrival_number``).

    ``sender``: who sent it (an agency's name; ``sender_code``: its code, a unit of
    the portal or a partner); ``origin``: ``(unit code, outgoing id)`` when another
    unit of the portal sent it through the exchange, and ``exchange_status`` the
    last status reported back to it."""

    kind = INCOMING

    def __init__(self, id: str, **values):
        super().__init__(id, **values)
        self.arrival_number: int = values["arrival_number"]
        self.arrival: datetime = values["arrival"]
        self.sender: str = values.get("sender", "")
        self.sender_code: str = values.get("sender_code", "")
        self.signer: str = values.get("signer", "")
        self.origin: tuple[str, str] | None = values.get("origin")
        self.exchange_status: int = 0
        self.direction: Direction | None = None
        self.deadline: datetime | None = values.get("deadline")
        self.finished: datetime | None = None
        self.return_reason: str = ""
        self.recall_requested: str = ""  # the sender's reason, while it waits for an answer

    @property
    def year(self) -> int:
        return self.arrival.astimezone(TIMEZONE).year

    @property
    def handlers(self) -> tuple[str, ...]:
        """The lead and the coordinators (handler tokens) of the direction."""
        if self.direction is None:
            return ()
        return (self.direction.lead, *self.direction.coordinators)


@implementer(IOutgoingDocument)
class OutgoingDocument(RegisteredDocument):
    """A document the unit drafts (văn bản đi): numbered at issue in the series of
    its kind (:mod:`plugins.documents.numbering`), signed by ``signer_name`` in
    ``signer_position`` with an ``authority`` prefix, sent to ``recipients``.

    ``replaces`` / ``corrects``: the id of an issued document of the same unit this
    one replaces (content errors) or corrects (a correcting công văn, form errors)."""

    kind = OUTGOING

    def __init__(self, id: str, **values):
        super().__init__(id, **values)
        self.drafting_unit: str = values.get("drafting_unit", "")
        self.legal_normative: bool = bool(values.get("legal_normative", False))
        self.signer_name: str = values.get("signer_name", "")
        self.signer_position: str = values.get("signer_position", "")
        self.authority: str = values.get("authority", "")
        self.recipients: tuple[Recipient, ...] = tuple(values.get("recipients", ()))
        self.copies: int = values.get("copies", 1)
        self.places: tuple[str, ...] = tuple(values.get("places", ()))  # nơi nhận as printed
        self.replaces: str = values.get("replaces", "")
        self.corrects: str = values.get("corrects", "")
        self.replaced_by: str = ""
        self.issued: datetime | None = None
        self.sent: datetime | None = None
        self.signed_pdf: Attachment | None = None
        self.recall_reason: str = ""

    @property
    def year(self) -> int | None:
        return self.issued.astimezone(TIMEZONE).year if self.issued else None

    def recipient(self, code: str) -> Recipient | None:
        return next((r for r in self.recipients if r.code == code), None)

    def set_recipient(self, new: Recipient) -> None:
        self.recipients = tuple(new if r.code == new.code else r for r in self.recipients)
