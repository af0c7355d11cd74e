"""One outgoing message and the states it goes through (GOV.UK Notify's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from persistent import Persistent
from ZODB.blob import Blob

from core.i18n import _

CREATED = "created"
SENDING = "sending"
DELIVERED = "delivered"
TEMPORARY_FAILURE = "temporary-failure"
PERMANENT_FAILURE = "permanent-failure"
#: Every state, in the order a message goes through them, with its label.
STATES = {
    CREATED: _("Chờ gửi"),
    SENDING: _("Đang gửi"),
    DELIVERED: _("Đã gửi"),
    TEMPORARY_FAILURE: _("Lỗi tạm thời, sẽ gửi lại"),
    PERMANENT_FAILURE: _("Không gửi được"),
}
#: The states :func:`core.outbox.deliver` takes messages from (once due).
WAITING = (CREATED, SENDING, TEMPORARY_FAILURE)
#: The states a Manager may send again by hand.
FAILED = (TEMPORARY_FAILURE, PERMANENT_FAILURE)


class Message(Persistent):
    """A message to send: the caller's part (``channel``, ``recipient``,
    ``subject``, ``body`` (text; JSON text for ``http``), ``headers`` (pairs),
    ``key``, ``source``; for ``http``, a ``payload`` (a blob: bytes posted as they
    are, ``payload_type`` their media type, instead of the JSON body, which then
    describes them for the outbox's pages)) and the outbox's (``state``, ``attempts``,
    ``next_attempt``, ``last_error``, ``delivered``, ``reference``: what the
    transport answered, e.g. a provider's id).

    It has no ``_p_resolveConflict``, on purpose: two processes that both mark it
    ``sending`` conflict, and only the one that commits first sends it."""

    payload: Blob | None = None
    payload_type = ""

    def __init__(
        self,
        id: str,
        channel: str,
        recipient: str,
        subject: str,
        body: str,
        headers: tuple[tuple[str, str], ...],
        key: str,
        source: str,
        created: datetime,
    ):
        self.id = id
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.headers = headers
        self.key = key
        self.source = source
        self.created = created
        self.state = CREATED
        self.attempts = 0
        self.next_attempt: datetime | None = created
        self.last_attempt: datetime | None = None
        self.last_error = ""
        self.delivered: datetime | None = None
        self.reference = ""

    def envelope(self) -> Envelope:
        """What a transport sends: plain data, read outside any transaction."""
        payload = None
        if self.payload is not None:
            with self.payload.open("r") as handle:
                payload = handle.read()
        return Envelope(
            self.id,
            self.channel,
            self.recipient,
            self.subject,
            self.body,
            self.headers,
            self.attempts,
            payload,
            self.payload_type,
        )


@dataclass(frozen=True)
class Envelope:
    """A claimed message as a transport gets it (:meth:`Message.envelope`);
    ``attempt`` counts from 1."""

    id: str
    channel: str
    recipient: str
    subject: str
    body: str
    headers: tuple[tuple[str, str], ...]
    attempt: int
    payload: bytes | None = None
    payload_type: str = ""
