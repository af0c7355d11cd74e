"""The document office of a unit (``<unit>/van-thu``): the content object under
which its registers live, and the indexes its dashboard and registers read.

- ``documents``: id -> :class:`~plugins.documents.registered.IncomingDocument` or
  :class:`~plugins.documents.registered.OutgoingDocument` (canonical address
  ``<unit>/van-thu/<id>``);
- ``incoming_register``: ``(year, arrival number)`` -> id, the incoming register in
  its order; ``outgoing_register``: ``(issue date ISO, id)`` -> id, the issued
  outgoing documents;
- ``notations``: ``(year, '' or 'mat', notation)`` -> id, the numbers the unit
  issued (a number + notation is never issued twice by one body in one year; the
  secret register apart);
- ``open_due``: ``(due ISO, id)`` for every open document with a deadline, and
  ``open_assigned``: login -> ids of the open documents a person leads, what the
  dashboard counts without waking every document;
- ``done_by_month``: ``"YYYY-MM"`` -> ids finished that month, and
  ``done_handled``: ``("YYYY-MM", handler token)`` -> ids of those the handler led
  or coordinated (the dashboard per person);
- ``open_by_status``: status -> ids of the open incoming documents (the counts of
  documents in progress and arrived, from the sizes of these sets);
- ``incoming_by_arrival``: ``(arrival ISO UTC, id)``, the incoming register by
  arrival time (a register for a period);
- ``inbox``: exchange id -> the id of an incoming document sent by another unit of
  the portal and not yet accepted or refused (:mod:`plugins.documents.exchange`).
"""

from __future__ import annotations

from BTrees.OOBTree import OOBTree, OOTreeSet
from zope.interface import implementer

from core.content import Folder
from plugins.documents.interfaces import IOffice

TYPE_NAME = "DocumentOffice"
#: The office's name in its unit (URL segment), title and description.
SECTION = (
    "van-thu",
    "Quản lý văn bản",
    "Sổ văn bản đến, văn bản đi, hồ sơ công việc và liên thông văn bản của đơn vị.",
)


@implementer(IOffice)
class Office(Folder):
    type_name = TYPE_NAME
    #: The issuing body's abbreviation in notations (``UBND`` in ``12/QĐ-UBND``).
    body_abbreviation = ""

    def __init__(self, **values):
        super().__init__(**values)
        self.documents = OOBTree()
        self.incoming_register = OOBTree()
        self.outgoing_register = OOBTree()
        self.notations = OOBTree()
        self.open_due = OOTreeSet()
        self.open_assigned = OOBTree()
        self.done_by_month = OOBTree()
        self.done_handled = OOBTree()
        self.open_by_status = OOBTree()
        self.incoming_by_arrival = OOTreeSet()
        self.inbox = OOBTree()
        self.work_files = OOBTree()

    @property
    def unit_code(self) -> str:
        """The code of the unit (subsite) the office is in."""
        return getattr(self.__parent__, "code", "") or ""

    def __getitem__(self, name: str):
        try:
            return super().__getitem__(name)
        except KeyError:
            return self.documents[name]
