"""Status messages back to the outside agencies whose documents came by edXML
(QCVN 102:2016 status messages; Decree 30/2020, art. 21: the receiver tells the
sender it received the document, and how its handling goes).

A documents listener: when an incoming document that arrived as an edXML package
(it keeps the package's ``edxml_document_id``) is registered, which accepts it (3),
returned (2, with
the reason), assigned (4), in progress (5), done (6), or answers a recall (15, 16),
and its sender is a partner with a ``status_endpoint``, an edXML status message
(``ResponseFor`` the package's DocumentId, ``From`` the receiving unit) is queued
in the kernel's outbox for that address, once per change. The same codes as the
reports to units of the portal (:func:`plugins.documents.exchange.reported`).
"""

from __future__ import annotations

from core.clock import now
from core.outbox import OutboxError, queue
from plugins.documents import registered as R
from plugins.documents.edxml import (
    EdxmlError,
    EdxmlOrgan,
    EdxmlResponseFor,
    EdxmlStaff,
    EdxmlStatus,
    build_status,
)
from plugins.documents.exchange import reported
from plugins.documents.exchange_status import ACCEPTED, ARRIVED, RECALL_REQUESTED
from plugins.documents.registration import actor_title
from plugins.documents.registry import registry_of
from plugins.documents.units import unit_title

#: The longest description a status message carries.
MAX_DESCRIPTION = 1000


def status_of(request, incoming, code: int, reason: str) -> EdxmlStatus:
    """The status message reporting ``code`` on ``incoming`` to its sender."""
    unit = unit_title(request.root, incoming.unit_code)
    return EdxmlStatus(
        response_for=EdxmlResponseFor(
            incoming.sender_code,
            incoming.notation,
            incoming.document_date,
            incoming.edxml_document_id,
        ),
        status_code=code,
        timestamp=now().replace(microsecond=0),
        description=reason[:MAX_DESCRIPTION],
        staff_info=EdxmlStaff(department=unit, staff=actor_title(request)),
        from_organ=EdxmlOrgan(incoming.unit_code, organ_name=unit),
    )


def report_to_partner(request, document) -> None:
    """The documents listener: queue the status message of ``document``'s change
    for the partner that sent it, when it is one that wants them."""
    if document.kind != R.INCOMING or not getattr(document, "edxml_document_id", ""):
        return
    found = reported(document)
    if found is not None and found[0] == ARRIVED and document.status != R.ARRIVED:
        found = (ACCEPTED, "")  # the clerk took the package in: received and accepted
    if found is None or found[0] == RECALL_REQUESTED:
        return  # nothing to say, or the partner's own request
    if getattr(document, "edxml_reported", None) == found:
        return
    partner = registry_of(request.root).partners.get(document.sender_code)
    if partner is None or not partner.status_endpoint:
        return
    code, reason = found
    source = f"documents:{document.unit_code}/{document.id}"
    try:
        queue(
            request,
            "http",
            partner.status_endpoint,
            "",
            {"type": "edxml-status", "document": document.notation, "status": code},
            key=f"{source}:status:{len(document.history)}",
            source=source,
            headers={"Accept": "application/json"},
            payload=build_status(status_of(request, document, code, reason)),
            payload_type="text/xml; charset=utf-8",
        )
    except (OutboxError, EdxmlError):
        return  # a partner's address the outbox refuses: the clerk's work goes on
    document.edxml_reported = found


def includeme(config) -> None:
    config.add_documents_listener(report_to_partner)
