"""A dossier (hồ sơ): who applies for which procedure, what they handed in, where
it is received and processed, its status, deadlines and history.

A dossier is not content: it has no ``uid``, the catalog never sees it, and it is
reached only through the desk of the unit that processes it
(:class:`plugins.onestop.desk.Desk`), by those allowed
(:mod:`plugins.onestop.access`). Its parts are immutable records kept inside it
(:class:`Person`, :class:`Document`, :class:`Event`, :class:`Handover`,
:class:`Supplement`, :class:`Result`), so one dossier is one database record plus
the blobs of its files.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from persistent import Persistent
from ZODB.blob import Blob
from zope.interface import implementer

from plugins.onestop import statuses
from plugins.onestop.interfaces import IDossier

CHANNEL_ONLINE, CHANNEL_COUNTER, CHANNEL_NATIONAL = "online", "counter", "national"
#: How a dossier arrived: the form of this portal, a counter, the national portal.
CHANNELS = (CHANNEL_ONLINE, CHANNEL_COUNTER, CHANNEL_NATIONAL)
RETURN_COUNTER, RETURN_POST, RETURN_ONLINE = "counter", "post", "online"
#: How the result goes back to the applicant.
RETURN_METHODS = (RETURN_COUNTER, RETURN_POST, RETURN_ONLINE)


@dataclass(frozen=True)
class Person:
    """The applicant (chủ hồ sơ) or their authorised representative.

    ``id_type``: ``cccd`` (12-digit citizen identity number), ``passport`` or
    ``tax`` (a business's tax code)."""

    full_name: str
    id_type: str
    id_number: str
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class Document:
    """A file handed in for a dossier component (``component`` is its name in the
    procedure; '' for a file the staff added), or a result."""

    component: str
    filename: str
    content_type: str
    size: int
    blob: Blob = field(compare=False, repr=False)

    def open(self):
        return self.blob.open("r")


@dataclass(frozen=True)
class Event:
    """A line of the history: who did ``transition`` (or '' for a note), when, at
    which unit, from which status to which, with what comment."""

    when: datetime
    actor: str
    actor_title: str
    unit: str
    transition: str
    source: int
    dest: int
    comment: str = ""
    step: str = ""
    step_due: datetime | None = None


@dataclass(frozen=True)
class Handover:
    """A hand-over between units (liên thông): who sent it, who received it,
    when, for which step, and that step's deadline; ``sub`` is the sub-dossier's
    code when the receiving unit keeps one."""

    when: datetime
    sender_unit: str
    receiver_unit: str
    step: str
    due: datetime | None
    sub: str = ""
    back: datetime | None = None


@dataclass(frozen=True)
class Supplement:
    """A request to supplement and its answer: what was asked, when, the due date
    before the clock stopped and after it restarted."""

    requested: datetime
    reason: str
    previous_due: datetime | None
    supplied: datetime | None = None
    new_due: datetime | None = None


@dataclass(frozen=True)
class Result:
    """The result: the document's number and notation, signer, date, and file."""

    number: str
    signer: str
    issued: date | None
    outcome: str  # "approved" or "denied"
    document: Document | None = None


@dataclass(frozen=True)
class Apology:
    """An apology for lateness (Mẫu 04): why, and the new appointment date."""

    when: datetime
    reason: str
    previous_due: datetime | None
    new_due: datetime


@dataclass(frozen=True)
class Step:
    """A step of a dossier's process, as the dossier runs it: the step's name and
    title, the role that does it, the unit concerned (a unit code), its allotment
    in working days, and when it started and is due."""

    name: str
    title: str
    role: str
    unit: str
    days: float | None
    started: datetime | None = None
    due: datetime | None = None
    done: datetime | None = None


@implementer(IDossier)
class Dossier(Persistent):
    """One dossier. Change it through :mod:`plugins.onestop.transitions` and
    :mod:`plugins.onestop.intake`, which keep the desks' indexes in step."""

    __parent__ = None
    national_code = ""
    origin = ""  # the code of the dossier a liên thông sub-dossier belongs to
    owner = ""  # the login of the citizen who submitted it signed in
    representative: Person | None = None
    result: Result | None = None
    received = None
    due = None
    finished = None
    returned = None
    closed = None
    clock_stopped = None
    payment_reference = ""
    fee_total = 0
    rating: dict | None = None
    anonymised = False
    process_version = 0
    resume_status = 0  # the status a supplement or a payment goes back to
    description = ""  # what pages show of a context below its title: nothing

    @property
    def title(self) -> str:
        """What pages and breadcrumbs call it: its code (never the applicant)."""
        return self.code

    def __init__(
        self,
        code: str,
        procedure_code: str,
        procedure_title: str,
        field: str,
        channel: str,
        receiving_unit: str,
        processing_unit: str,
        applicant: Person,
        return_method: str,
        submitted: datetime,
        days: float,
    ):
        self.code = self.__name__ = code
        self.procedure_code = procedure_code
        self.procedure_title = procedure_title
        self.field = field
        self.channel = channel
        self.receiving_unit = receiving_unit
        self.processing_unit = processing_unit
        self.applicant = applicant
        self.return_method = return_method
        self.submitted = submitted
        self.days = days
        self.status = statuses.SUBMITTED
        self.documents: tuple[Document, ...] = ()
        self.history: tuple[Event, ...] = ()
        self.steps: tuple[Step, ...] = ()
        self.step_index = -1
        self.handovers: tuple[Handover, ...] = ()
        self.supplements: tuple[Supplement, ...] = ()
        self.apologies: tuple[Apology, ...] = ()
        self.subs: tuple[str, ...] = ()
        self.viewers: tuple[tuple[datetime, str], ...] = ()
        self.assignee = ""

    @property
    def status_info(self) -> statuses.Status:
        return statuses.STATUSES[self.status]

    @property
    def current_step(self) -> Step | None:
        return self.steps[self.step_index] if 0 <= self.step_index < len(self.steps) else None

    @property
    def units(self) -> frozenset[str]:
        """The codes of the units handling it: receiving, processing, and those it
        was handed over to."""
        found = {self.receiving_unit, self.processing_unit}
        found.update(h.receiver_unit for h in self.handovers)
        return frozenset(found)

    def add_event(self, event: Event) -> None:
        self.history = (*self.history, event)

    def replace_step(self, index: int, **changes) -> None:
        steps = list(self.steps)
        steps[index] = replace(steps[index], **changes)
        self.steps = tuple(steps)
