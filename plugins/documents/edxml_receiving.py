"""What a unit takes in from agencies outside the portal as edXML: packages
(:func:`receive_package`) and status messages on what it sent them
(:func:`receive_status`). Only the unit's Clerks (and Managers) take them in.

- A package of a new document (business type 0, 2 update or 3 replace) is
  registered in the unit's incoming register, its fields and files checked as a
  clerk's entry is (:func:`plugins.documents.edxml_mapping.incoming_values`; a PDF
  whose signature is broken is refused, :mod:`plugins.documents.sealing`). The
  office remembers which incoming document each package's DocumentId became
  (``edxml_received``), so the same package taken in twice is refused (409) while
  the first one is still in the register (not returned nor recalled).
- A recall package (business type 1) registers nothing: the incoming document it
  recalls (by the DocumentId of its trace, else its own, from the same sender)
  gets ``recall_requested`` (the reason) and a history line, for the clerk to
  answer as for a recall inside the portal; 404 when there is none, 409 when it
  was returned, recalled or is already asked to be.
- A status message finds the outgoing document of the unit it reports on (its
  ResponseFor's DocumentId: the unit's code, the date and the number and notation
  issued) and the recipient that sends it (its From's OrganId, a partner the
  document was sent to), and records the status on that recipient
  (:meth:`~plugins.documents.registered.Recipient.reported`) with a line of the
  document's history, as the exchange does for units of the portal; 404 for a
  document unknown, 403 for a sender it was not sent to, 400 without a sender.

Each refusal is :class:`~plugins.documents.entries.EntryError` (``message``,
``status``) raised before anything is changed.
"""

from __future__ import annotations

from datetime import UTC, date

from BTrees.OOBTree import OOBTree

from core.clock import now
from core.i18n import _
from plugins.documents import registered as R
from plugins.documents.access import has_role
from plugins.documents.edxml import RECALL, EdxmlDocument, EdxmlStatus
from plugins.documents.edxml_mapping import incoming_values, sender_name
from plugins.documents.entries import EntryError
from plugins.documents.exchange_status import (
    RECALL_EVENT,
    RECALL_REFUSED,
    REFUSED,
    REPORT_EVENT,
    status_text,
)
from plugins.documents.indexing import reindex
from plugins.documents.registration import register_incoming
from plugins.documents.transitions import MAX_COMMENT

#: The longest DocumentId remembered.
MAX_DOCUMENT_ID = 300
#: The statuses whose Description is kept as the recipient's reason.
REASONED = (REFUSED, RECALL_REFUSED)
#: The incoming documents that no longer count as registered (a package may come again).
GONE = (R.RETURNED, R.RECALLED)

CLERKS_ONLY = _("Chỉ văn thư của đơn vị được nhận văn bản điện tử.")


def check_clerk(request, office) -> None:
    """EntryError (403) unless the requester is a Clerk of ``office``'s unit (or a
    Manager)."""
    if not has_role(request, office.unit_code, "Clerk"):
        raise EntryError(CLERKS_ONLY, 403)


def received_of(office) -> OOBTree:
    """``office``'s DocumentId -> incoming id of the packages it registered."""
    found = getattr(office, "edxml_received", None)
    if found is None:
        found = office.edxml_received = OOBTree()
    return found


def _received(office, key: str):
    found = getattr(office, "edxml_received", None)
    doc_id = found.get(key) if found is not None and key else None
    return office.documents.get(doc_id) if doc_id else None


def receive_package(request, office, doc: EdxmlDocument) -> tuple[R.IncomingDocument, bool]:
    """Take package ``doc`` in at ``office``: the incoming document registered
    (and True), or the one a recall package asks back (and False)."""
    check_clerk(request, office)
    if len(doc.document_id) > MAX_DOCUMENT_ID:
        raise EntryError(_("Mã định danh văn bản (DocumentId) quá dài."), 400)
    if doc.trace.business_doc_type == RECALL:
        return ask_recall(request, office, doc), False
    earlier = _received(office, doc.document_id)
    if earlier is not None and earlier.status not in GONE:
        raise EntryError(
            _(
                "Văn bản ${notation} của ${sender} đã được vào sổ (số đến ${number}).",
                mapping={
                    "notation": earlier.notation,
                    "sender": earlier.sender,
                    "number": earlier.arrival_number,
                },
            ),
            409,
        )
    values = incoming_values(request, doc)
    incoming = register_incoming(request, office, values)
    incoming.edxml_document_id = doc.document_id  # what status messages answer
    received_of(office)[doc.document_id] = incoming.id
    reindex(request, incoming)  # the listeners again, now that it answers a package
    return incoming, True


def recalled_by(office, doc: EdxmlDocument):
    """The incoming document recall package ``doc`` asks back, or None."""
    for key in (doc.trace.document_id, doc.document_id):
        found = _received(office, key)
        if found is not None and found.sender_code == doc.from_organ.organ_id:
            return found
    return None


def ask_recall(request, office, doc: EdxmlDocument) -> R.IncomingDocument:
    """Mark the incoming document recall package ``doc`` asks back."""
    incoming = recalled_by(office, doc)
    if incoming is None:
        raise EntryError(
            _(
                "Không có văn bản đến nào của nơi gửi này ứng với văn bản được thu hồi (${id}).",
                mapping={"id": (doc.trace.document_id or doc.document_id)[:120]},
            ),
            404,
        )
    if incoming.status in GONE or incoming.recall_requested:
        raise EntryError(
            _(
                "Văn bản đến số ${number} đã được trả lại, đã thu hồi hoặc đang chờ trả lời "
                "đề nghị thu hồi.",
                mapping={"number": incoming.arrival_number},
            ),
            409,
        )
    reason = doc.trace.business_doc_reason.strip()[:MAX_COMMENT]
    incoming.recall_requested = reason or _("Thu hồi văn bản.").interpolate()
    sender = sender_name(request.root, doc.from_organ)
    incoming.add_event(
        R.Event(
            now(),
            "",
            sender,
            RECALL_EVENT,
            incoming.status,
            incoming.status,
            incoming.recall_requested,
        )
    )
    reindex(request, incoming)
    return incoming


# status messages -------------------------------------------------------------------------
def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        return None


def outgoing_of(office, document_id: str):
    """The outgoing document of ``office`` whose DocumentId is ``document_id``
    (``<unit code>,YYYY/MM/DD,<number/notation>``), or None."""
    organ, _sep, rest = document_id.partition(",")
    day_text, _sep, notation = rest.partition(",")
    day = _day(day_text)
    if organ.strip() != office.unit_code or day is None:
        return None
    doc_id = office.notations.get((day.year, "", notation.strip()))
    document = office.documents.get(doc_id) if doc_id else None
    if document is None or document.kind != R.OUTGOING or document.document_date != day:
        return None
    return document


def receive_status(request, office, status: EdxmlStatus) -> R.OutgoingDocument:
    """Record the status message ``status`` on the outgoing document of
    ``office`` it reports on; that document."""
    check_clerk(request, office)
    answered = status.response_for
    document = None
    if answered.organ_id.strip() == office.unit_code:
        document = outgoing_of(office, answered.document_id)
    if document is None:
        raise EntryError(
            _(
                "Đơn vị không có văn bản đi ${id}.",
                mapping={"id": answered.document_id[:120]},
            ),
            404,
        )
    sender = status.from_organ.organ_id.strip() if status.from_organ is not None else ""
    if not sender:
        raise EntryError(_("Thông báo trạng thái thiếu mã định danh cơ quan gửi (From/OrganId)."))
    recipient = document.recipient(sender)
    if recipient is None or recipient.internal:
        raise EntryError(
            _(
                "Cơ quan ${code} không phải nơi nhận văn bản ${notation} từ ngoài cổng.",
                mapping={"code": sender[:60], "notation": document.notation},
            ),
            403,
        )
    code = status.status_code
    reason = status.description.strip()[:MAX_COMMENT] if code in REASONED else ""
    if (recipient.status, recipient.reason) == (code, reason):
        return document  # told again
    moment = now()
    when = min(status.timestamp.astimezone(UTC), moment)
    document.set_recipient(recipient.reported(code, when, reason))
    document.add_event(
        R.Event(
            moment,
            "",
            recipient.name,
            REPORT_EVENT,
            document.status,
            document.status,
            status_text(code, reason),
        )
    )
    reindex(request, document)
    return document
