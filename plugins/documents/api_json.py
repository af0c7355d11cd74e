"""Registered documents as the JSON API gives them: whole to those allowed to see
them (:func:`document_json`), and as a line of a register's listing
(:func:`register_item`).

``kind`` is the register (``incoming`` or ``outgoing``); ``type`` the kind of
document of Decree 30 (``{"code", "title", "abbreviation"}``), as the bodies that
register documents name it. Choices come with their label (``status`` and
``status_title``, ``urgency`` and ``urgency_title`` …).
"""

from __future__ import annotations

from dataclasses import asdict

from core.api.serialize import iso, json_value, url_of
from core.clock import now
from plugins.documents import registered as R
from plugins.documents.doctypes import BY_CODE
from plugins.documents.downloads import SIGNED, attachment_url
from plugins.documents.exchange_status import STATUSES as EXCHANGE_STATUSES
from plugins.documents.transitions import available, handler_title
from plugins.documents.units import unit_title
from plugins.documents.verification import SignatureReport

STATUSES = {R.INCOMING: R.INCOMING_STATUSES, R.OUTGOING: R.OUTGOING_STATUSES}
TYPE_NAMES = {R.INCOMING: "IncomingDocument", R.OUTGOING: "OutgoingDocument"}


def _label(request, labels: dict, value: str) -> str:
    found = labels.get(value)
    return request.localizer.translate(found) if found is not None else value


def status_json(request, document) -> dict:
    """``status`` and its label ``status_title``."""
    labels = STATUSES[document.kind]
    return {"status": document.status, "status_title": _label(request, labels, document.status)}


def type_json(request, code: str) -> dict:
    """The kind of document: ``code``, ``title``, ``abbreviation``."""
    kind = BY_CODE.get(code)
    if kind is None:
        return {"code": code, "title": code, "abbreviation": ""}
    return {
        "code": kind.code,
        "title": request.localizer.translate(kind.title),
        "abbreviation": kind.abbreviation,
    }


def is_overdue(document, moment=None) -> bool:
    """An incoming document still open past its deadline."""
    deadline = getattr(document, "deadline", None)
    return (
        deadline is not None
        and document.status in R.OPEN
        and (moment if moment is not None else now()) > deadline
    )


def attachment_json(request, document, attachment: R.Attachment, name: str) -> dict:
    """A file: its name, type, size, download address and what the check of its
    signatures found (``signatures``, when ``signatures_checked``: a PDF)."""
    return {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "download": attachment_url(request, document, name),
        "signatures_checked": attachment.checked,
        "signatures": [signature_json(request, r) for r in attachment.signatures],
    }


def signature_json(request, report: SignatureReport) -> dict:
    """What the check of one signature found (:class:`SignatureReport`), with its
    verdicts (``valid``, ``changed_after_signing``, ``signed_again``) and the line
    people read (``summary``)."""
    return {
        **json_value(request, asdict(report)),
        "valid": report.valid,
        "changed_after_signing": report.changed_after_signing,
        "signed_again": report.signed_again,
        "summary": request.localizer.translate(report.summary),
    }


def event_json(request, document, event: R.Event) -> dict:
    """A line of the history."""
    labels = STATUSES[document.kind]
    return {
        "time": iso(event.when),
        "action": event.transition,
        "from": event.source or None,
        "to": event.dest or None,
        "to_title": _label(request, labels, event.dest) if event.dest else None,
        "actor": event.actor,
        "actor_title": event.actor_title,
        "comment": event.comment,
    }


def handler_json(request, token: str) -> dict:
    """A handler (``user:<login>`` or ``unit:<code>``) and its name."""
    kind, _sep, value = token.partition(":")
    return {"token": token, "kind": kind, "id": value, "title": handler_title(request, token)}


def direction_json(request, direction: R.Direction | None) -> dict | None:
    if direction is None:
        return None
    return {
        "text": direction.text,
        "leader": direction.leader,
        "leader_title": direction.leader_title,
        "time": iso(direction.when),
        "lead": {**handler_json(request, direction.lead), "title": direction.lead_title},
        "coordinators": [handler_json(request, t) for t in direction.coordinators],
        "deadline": iso(direction.deadline),
    }


def exchange_title(request, code: int) -> str:
    return _label(request, EXCHANGE_STATUSES, code) if code in EXCHANGE_STATUSES else str(code)


def recipient_json(request, recipient: R.Recipient) -> dict:
    """A recipient and the exchange's state with it (``status``: 0 not sent, 1
    arrived … 6 done, 2 refused, 13/15/16 recall; ``status_title``)."""
    return {
        "code": recipient.code,
        "name": recipient.name,
        "internal": recipient.internal,
        "status": recipient.status,
        "status_title": exchange_title(request, recipient.status),
        "time": iso(recipient.when),
        "reason": recipient.reason,
        "incoming_id": recipient.incoming_id or None,
        "error": recipient.error,
    }


def reference_json(request, document, doc_id: str) -> dict | None:
    """Another document of the same office, by id."""
    if not doc_id:
        return None
    return {"id": doc_id, "@id": f"{url_of(request, document.__parent__)}/{doc_id}"}


def transitions_json(request, document) -> list[dict]:
    """The transitions the requester may make now, each with its address."""
    base = url_of(request, document) + "/@workflow/"
    translate = request.localizer.translate
    return [
        {"@id": base + t.name, "name": t.name, "title": translate(t.title)}
        for t in available(request, document)
    ]


def _common(request, document) -> dict:
    return {
        "@id": url_of(request, document),
        "@type": TYPE_NAMES[document.kind],
        "id": document.id,
        "kind": document.kind,
        "unit": {"code": document.unit_code, "title": unit_title(request.root, document.unit_code)},
        "type": type_json(request, document.type_code),
        "number": document.number,
        "notation": document.notation,
        "document_date": iso(document.document_date),
        "summary": document.summary,
        "urgency": document.urgency,
        "urgency_title": _label(request, R.URGENCIES, document.urgency) if document.urgency else "",
        "secrecy": document.secrecy,
        "secrecy_title": _label(request, R.SECRECIES, document.secrecy) if document.secrecy else "",
        **status_json(request, document),
    }


def _incoming(request, document) -> dict:
    origin = document.origin
    return {
        "arrival_number": document.arrival_number,
        "arrival": iso(document.arrival),
        "sender": document.sender,
        "sender_code": document.sender_code,
        "signer": document.signer,
        "deadline": iso(document.deadline),
        "overdue": is_overdue(document),
        "finished": iso(document.finished),
        "return_reason": document.return_reason,
        "recall_requested": document.recall_requested,
        "origin": None if origin is None else {"unit": origin[0], "id": origin[1]},
        "exchange_status": document.exchange_status,
        "exchange_status_title": exchange_title(request, document.exchange_status),
        "direction": direction_json(request, document.direction),
    }


def _outgoing(request, document) -> dict:
    signed = document.signed_pdf
    return {
        "drafting_unit": document.drafting_unit,
        "legal_normative": document.legal_normative,
        "signer_name": document.signer_name,
        "signer_position": document.signer_position,
        "authority": document.authority,
        "authority_title": _label(request, R.AUTHORITIES, document.authority),
        "recipients": [recipient_json(request, r) for r in document.recipients],
        "copies": document.copies,
        "places": list(document.places),
        "replaces": reference_json(request, document, document.replaces),
        "corrects": reference_json(request, document, document.corrects),
        "replaced_by": reference_json(request, document, document.replaced_by),
        "issued": iso(document.issued),
        "sent": iso(document.sent),
        "recall_reason": document.recall_reason,
        "signed_pdf": None
        if signed is None
        else attachment_json(request, document, signed, SIGNED),
    }


def document_json(request, document) -> dict:
    """The whole document, for those allowed to see it: every field, its files,
    history, direction (incoming) or recipients (outgoing), and the transitions
    the requester may make."""
    own = _incoming if document.kind == R.INCOMING else _outgoing
    return {
        **_common(request, document),
        **own(request, document),
        "readers": list(document.readers),
        "created": iso(document.created),
        "creator": document.creator,
        "work_file": document.work_file or None,
        "attachments": [
            attachment_json(request, document, a, str(n))
            for n, a in enumerate(document.attachments, start=1)
        ],
        "history": [event_json(request, document, e) for e in document.history],
        "transitions": transitions_json(request, document),
    }


def register_item(request, document, moment) -> dict:
    """A line of a register's listing."""
    found = _common(request, document)
    if document.kind == R.INCOMING:
        direction = document.direction
        found.update(
            arrival_number=document.arrival_number,
            arrival=iso(document.arrival),
            sender=document.sender,
            deadline=iso(document.deadline),
            overdue=is_overdue(document, moment),
            lead=None if direction is None else handler_json(request, direction.lead),
        )
    else:
        found.update(
            drafting_unit=document.drafting_unit,
            signer_name=document.signer_name,
            issued=iso(document.issued),
            recipients=len(document.recipients),
        )
    return found
