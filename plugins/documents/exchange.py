"""Liên thông văn bản: the exchange of documents between units of the portal.

It follows the registers through the documents listener
(``config.add_documents_listener``, called after every change):

- **Sending.** When an outgoing document is sent (``send``), each recipient that is
  a unit of the portal with an office (the plugin enabled there) gets an incoming
  document in its register (numbered, ``arrived``, ``origin`` = the sending unit
  and the outgoing id) carrying the sender, notation, date, kind, summary, urgency,
  signer and the files (the same blobs, and the signed PDF if there is one); the
  recipient gets status 1 and ``incoming_id``. A unit without an office keeps an
  error the sender's outbox shows. Agencies outside the portal are sent a package
  through the kernel outbox (:mod:`plugins.documents.exchange_partners`).
  **Secret documents are never sent through the exchange** (Decision 28/2018/QĐ-TTg
  leaves state secrets out of electronic sending): their recipients keep an error
  saying to send the paper copy, and nothing is delivered.
- **Reports back.** Each change of an incoming document the exchange delivered
  reports a status to the sender's recipient (:data:`EVENT_STATUSES`: accept 3,
  return 2 with the reason, assign 4, start/note 5, finish 6, the recall answers 15
  and 16 with the reason) as a line of the outgoing document's history too (actor:
  the receiving unit). A report for a sender's document that is gone is dropped.
- **Recall.** When the sender recalls the document (``recall``), each receiver's
  incoming document (unless the receiver returned it) gets ``recall_requested``
  (the reason) and a history line, and the recipient status 13 until the receiver
  answers (``accept_recall``: its files are deleted, 15; ``refuse_recall``, 16).
  Agencies outside the portal are not asked (an edXML recall package, later).
- **Same-day receipt.** An office's ``inbox`` holds the documents arrived and not
  yet accepted or refused; :func:`plugins.documents.exchange_outbox.late_to_accept`
  finds those past the end of their working day.

Every step checks what is already done, so a document changed again (or a listener
called twice) never delivers or reports twice.
"""

from __future__ import annotations

from dataclasses import replace

from core.clock import now
from core.i18n import _
from plugins.documents import registered as R
from plugins.documents.entries import EntryError
from plugins.documents.exchange_outbox import track
from plugins.documents.exchange_partners import send_to_partner
from plugins.documents.exchange_status import (
    EVENT_STATUSES,
    RECALL_EVENT,
    RECALL_REFUSED,
    RECALL_REQUESTED,
    RECALLED,
    REFUSED,
    REPORT_EVENT,
    status_text,
)
from plugins.documents.indexing import reindex
from plugins.documents.registration import SYSTEM, register_incoming
from plugins.documents.units import PLUGIN, office_of, unit_title
from subsites.plugins import enabled_at

#: Why a recipient was not delivered.
NO_OFFICE = _("Đơn vị nhận chưa sử dụng quản lý văn bản: không nhận được văn bản điện tử.")
SECRET = _("Văn bản mật không gửi qua hệ thống: gửi bản giấy theo quy định bảo vệ bí mật nhà nước.")


def exchange_id(origin: tuple[str, str]) -> str:
    """The key of a delivered document in the receiver's ``inbox``:
    ``<sending unit>/<outgoing id>``."""
    return f"{origin[0]}/{origin[1]}"


def on_change(request, document) -> None:
    """The documents listener: deliver what was sent, ask back what was recalled,
    report the receiver's changes, keep the indexes."""
    if document.kind == R.OUTGOING:
        if document.status == R.SENT:
            deliver(request, document)
        elif document.status == R.RECALLED:
            ask_recall(request, document)
        track(document)
    elif getattr(document, "origin", None):
        keep_inbox(document)
        report(request, document)


# sending ---------------------------------------------------------------------------------
def _history(document, actor_title: str, comment: str) -> None:
    document.add_event(
        R.Event(now(), "", actor_title, REPORT_EVENT, document.status, document.status, comment)
    )


def fail(document, recipient: R.Recipient, error) -> None:
    """Keep why ``recipient`` was not sent ``document``."""
    document.set_recipient(replace(recipient, when=now(), error=error))
    text = error.interpolate() if hasattr(error, "interpolate") else error
    _history(document, SYSTEM, f"{recipient.name}: {text}")


def deliver(request, document) -> None:
    """Send ``document`` to each recipient not tried yet."""
    for code in [r.code for r in document.recipients]:
        recipient = document.recipient(code)  # as it is now: a report may have changed it
        if recipient is None or recipient.when is not None:
            continue
        if document.secrecy:
            fail(document, recipient, SECRET)
        elif recipient.internal:
            deliver_to_unit(request, document, recipient)
        else:
            error = send_to_partner(request, document, recipient)
            if error:
                fail(document, recipient, error)
            else:
                document.set_recipient(replace(recipient, when=now()))
    track(document)


def incoming_values(document, sender: str) -> dict:
    """What the receiver's incoming document carries of outgoing ``document`` sent
    by ``sender`` (the unit's name)."""
    attachments = document.attachments
    if document.signed_pdf is not None:
        attachments = (*attachments, document.signed_pdf)
    return {
        "sender": sender,
        "sender_code": document.unit_code,
        "number": document.number,
        "notation": document.notation,
        "document_date": document.document_date,
        "type_code": document.type_code,
        "summary": document.summary,
        "urgency": document.urgency,
        "signer": document.signer_name,
        "attachments": attachments,
    }


def deliver_to_unit(request, document, recipient: R.Recipient) -> None:
    """Register ``document`` in the incoming register of unit ``recipient``."""
    office = office_of(request.root, recipient.code)
    if office is None or not enabled_at(office, PLUGIN):
        fail(document, recipient, NO_OFFICE)
        return
    sender = unit_title(request.root, document.unit_code)
    values = {**incoming_values(document, sender), "arrival": now()}
    try:
        incoming = register_incoming(
            request, office, values, origin=(document.unit_code, document.id), check=False
        )
    except EntryError as error:  # a file the receiver cannot take (a broken signature)
        fail(document, recipient, error.message)
        return
    # the portal registered it, not the sender's clerk who sent it
    incoming.creator = ""
    first = incoming.history[0]
    comment = _("Nhận qua liên thông từ ${unit}.", mapping={"unit": sender}).interpolate()
    incoming.history = (replace(first, actor="", actor_title=SYSTEM, comment=comment),)


# recall ----------------------------------------------------------------------------------
def ask_recall(request, document) -> None:
    """Ask each receiver of recalled ``document`` to recall its copy."""
    sender = unit_title(request.root, document.unit_code)
    for code in [r.code for r in document.recipients]:
        recipient = document.recipient(code)
        if recipient is None or recipient.status in (
            REFUSED,
            RECALL_REQUESTED,
            RECALLED,
            RECALL_REFUSED,
        ):
            continue  # returned by the receiver, or asked already
        if not recipient.internal:
            recall_from_partner(request, document, recipient)
            continue
        if not recipient.incoming_id:
            continue
        office = office_of(request.root, code)
        incoming = office.documents.get(recipient.incoming_id) if office is not None else None
        if incoming is None or incoming.status == R.RECALLED or incoming.recall_requested:
            continue
        reason = document.recall_reason or _("Thu hồi văn bản.").interpolate()
        incoming.recall_requested = reason
        incoming.add_event(
            R.Event(now(), "", sender, RECALL_EVENT, incoming.status, incoming.status, reason)
        )
        reindex(request, incoming)


def recall_from_partner(request, document, recipient: R.Recipient) -> None:
    """Send an outside agency that was sent ``document`` its recall package."""
    if recipient.when is None or recipient.error:
        return  # never sent: nothing to recall
    error = send_to_partner(request, document, recipient, business="recall")
    if error:
        fail(document, recipient, error)
    else:
        document.set_recipient(recipient.reported(RECALL_REQUESTED, now()))


# reports back ----------------------------------------------------------------------------
def keep_inbox(incoming) -> None:
    """Keep ``incoming`` in its office's ``inbox`` while it waits to be accepted."""
    inbox, key = incoming.__parent__.inbox, exchange_id(incoming.origin)
    if incoming.status == R.ARRIVED:
        if inbox.get(key) != incoming.id:
            inbox[key] = incoming.id
    elif key in inbox:
        del inbox[key]


def reported(incoming) -> tuple[int, str] | None:
    """The status (and reason) ``incoming``'s last change reports, or None."""
    if not incoming.history:
        return None
    last = incoming.history[-1]
    code = EVENT_STATUSES.get(last.transition)
    if code is None:
        return None
    if incoming.recall_requested and code not in (RECALLED, RECALL_REFUSED):
        return RECALL_REQUESTED, incoming.recall_requested  # the request waits for its answer
    if code == REFUSED:
        return code, incoming.return_reason
    if code in (RECALL_REQUESTED, RECALL_REFUSED):
        return code, last.comment
    return code, ""


def report(request, incoming) -> None:
    """Report ``incoming``'s status to its sender's outgoing document."""
    found = reported(incoming)
    if found is None:
        return
    code, reason = found
    unit_code, doc_id = incoming.origin
    office = office_of(request.root, unit_code)
    document = office.documents.get(doc_id) if office is not None else None
    recipient = document.recipient(incoming.unit_code) if document is not None else None
    if recipient is None:
        return  # the sender's document is gone: nobody to tell
    incoming.exchange_status = code
    if (recipient.status, recipient.reason, recipient.incoming_id) == (code, reason, incoming.id):
        return
    moment = now()
    document.set_recipient(
        replace(recipient.reported(code, moment, reason), incoming_id=incoming.id)
    )
    receiver = unit_title(request.root, incoming.unit_code)
    _history(document, receiver, status_text(code, reason))
    track(document)


def includeme(config) -> None:
    """Follow the registers (the ``add_documents_listener`` directive must be
    there)."""
    config.add_documents_listener(on_change)
