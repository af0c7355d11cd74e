"""What the exchange needs watching, for the sender and for the receiver.

The sender's outbox (hộp thư đi) lists its outgoing documents that need a look:

- ``not_sent``: issued with recipients, not yet sent;
- ``send_error``: a recipient the exchange could not reach (a unit without an
  office, a partner without an address, a secret document);
- ``returned``: refused by a recipient (status 2), with the reason;
- ``late_to_accept``: a recipient that has not accepted it by the end of the
  working day it arrived (status 1 past :func:`accept_deadline`);
- ``recall_pending``: a recall request a recipient has not answered (13).

It reads the office's ``exchange_pending`` index (outgoing id -> the lists it may
be in, :func:`track`), kept in step after each change of an outgoing document
and each report, so the page wakes only the documents concerned. The receiver's
side is :func:`late_to_accept`, from the office's ``inbox`` (exchange id ->
incoming id of the documents arrived and not yet accepted or refused).
"""

from __future__ import annotations

from BTrees.OOBTree import OOBTree
from pyramid.traversal import find_root

from core.api.serialize import iso
from core.clock import now
from core.outbox import outbox_of
from core.workdays import working_calendar
from plugins.documents import registered as R
from plugins.documents.access import can_view
from plugins.documents.exchange_partners import message_key
from plugins.documents.exchange_status import (
    ARRIVED,
    RECALL_REQUESTED,
    REFUSED,
    STATUSES,
    accept_deadline,
)

NOT_SENT, SEND_ERROR, RETURNED = "not_sent", "send_error", "returned"
LATE, RECALL_PENDING = "late_to_accept", "recall_pending"
#: The outbox's lists, in the order the page shows them.
LISTS = (NOT_SENT, SEND_ERROR, RETURNED, LATE, RECALL_PENDING)
#: In the index: recipients have arrived and not accepted yet (late or not yet).
WAITING = "waiting"


def watched(document) -> tuple[str, ...]:
    """The lists ``document`` (outgoing) may be in, now (``late_to_accept``
    counted as ``waiting``: lateness depends on the time)."""
    found = []
    recipients = document.recipients
    if document.status == R.ISSUED and recipients:
        found.append(NOT_SENT)
    if any(r.error for r in recipients):
        found.append(SEND_ERROR)
    if any(r.status == REFUSED for r in recipients):
        found.append(RETURNED)
    if any(r.status == ARRIVED for r in recipients):
        found.append(WAITING)
    if any(r.status == RECALL_REQUESTED for r in recipients):
        found.append(RECALL_PENDING)
    return tuple(found)


def track(document) -> None:
    """Bring the office's ``exchange_pending`` index in step with ``document``."""
    office = document.__parent__
    found = watched(document)
    pending = getattr(office, "exchange_pending", None)
    if found:
        if pending is None:
            pending = office.exchange_pending = OOBTree()
        if pending.get(document.id) != found:
            pending[document.id] = found
    elif pending is not None and document.id in pending:
        del pending[document.id]


def is_late(calendar, recipient: R.Recipient, moment) -> bool:
    """Whether ``recipient`` has not accepted in time (it arrived, and the working
    day it arrived is over)."""
    return (
        recipient.status == ARRIVED
        and recipient.when is not None
        and accept_deadline(calendar, recipient.when) < moment
    )


def late_to_accept(request, office) -> list:
    """The incoming documents of ``office`` sent by other units and still not
    accepted after the working day they arrived, oldest first: O(the documents
    waiting in its inbox)."""
    calendar, moment = working_calendar(request), now()
    found = []
    for doc_id in office.inbox.values():
        document = office.documents.get(doc_id)
        if (
            document is not None
            and document.status == R.ARRIVED
            and accept_deadline(calendar, document.arrival) < moment
        ):
            found.append(document)
    return sorted(found, key=lambda d: (d.arrival, d.id))


def _text(request, value) -> str:
    if request is not None:
        return request.localizer.translate(value)
    interpolate = getattr(value, "interpolate", None)
    return interpolate() if interpolate is not None else value


def _delivery(document, recipient) -> str | None:
    """The kernel outbox's state of the package queued for a partner."""
    if recipient.internal or recipient.when is None or recipient.error:
        return None
    message = outbox_of(find_root(document)).by_key(message_key(document, recipient))
    return message.state if message is not None else None


def recipient_status(request, document, recipient, late: bool | None) -> dict:
    """A recipient of ``document`` and its exchange status (``when`` a datetime)."""
    return {
        "code": recipient.code,
        "name": recipient.name,
        "internal": recipient.internal,
        "status": recipient.status,
        "status_title": _text(request, STATUSES.get(recipient.status, "")),
        "when": recipient.when,
        "reason": recipient.reason,
        "error": _text(request, recipient.error) if recipient.error else "",
        "incoming_id": recipient.incoming_id,
        "late": late,
        "delivery": _delivery(document, recipient),
    }


def recipient_rows(document, request=None) -> list[dict]:
    """:func:`recipient_status` of each recipient of outgoing ``document``."""
    calendar = working_calendar(request) if request is not None else None
    moment = now()
    return [
        recipient_status(
            request, document, r, is_late(calendar, r, moment) if calendar is not None else None
        )
        for r in document.recipients
    ]


def recipient_statuses(document, request=None) -> list[dict]:
    """The recipients of outgoing ``document`` and their exchange statuses
    (``code``, ``name``, ``internal``, ``status`` (0–16), ``status_title``,
    ``when``, ``reason``, ``error``, ``incoming_id``, ``late``, and ``delivery``:
    the outbox state of a partner's package), in JSON types. With the
    ``request``, titles are in its language and ``late`` says whether an arrived
    document waits past its day (None without one: the calendar is the site's)."""
    return [{**row, "when": iso(row["when"])} for row in recipient_rows(document, request)]


def outbox(request, office) -> dict[str, list[tuple]]:
    """The outbox's lists (:data:`LISTS`) of ``office``, newest document first,
    each ``(document, recipients concerned)``; only documents the requester may
    see."""
    calendar, moment = working_calendar(request), now()
    lists: dict[str, list[tuple]] = {name: [] for name in LISTS}
    pending = getattr(office, "exchange_pending", None)
    for doc_id in reversed(list(pending.keys())) if pending is not None else ():
        document = office.documents.get(doc_id)
        if document is None or not can_view(request, document):
            continue
        kinds = pending[doc_id]
        recipients = document.recipients
        if NOT_SENT in kinds:
            lists[NOT_SENT].append((document, recipients))
        for name, test in (
            (SEND_ERROR, lambda r: bool(r.error)),
            (RETURNED, lambda r: r.status == REFUSED),
            (LATE, lambda r: is_late(calendar, r, moment)),
            (RECALL_PENDING, lambda r: r.status == RECALL_REQUESTED),
        ):
            concerned = tuple(r for r in recipients if test(r))
            if concerned:
                lists[name].append((document, concerned))
    return lists
