"""The ``http`` transport: a JSON document POSTed to a receiver (the national
public-service portal, another agency's exchange), with urllib.

The message's recipient is the URL, its body the JSON text (or, for a message
with a payload, the payload's bytes with its own media type). Each request carries
``Idempotency-Key: <message id>`` (the same at every attempt, so a receiver can
drop a copy it already has), ``Content-Type: application/json``, the message's
own headers, and ``Authorization: Bearer <token>`` when ``cong.outbox.http_tokens``
has a token for the URL. A 2xx answer is delivered; 408, 429 and 5xx answers,
timeouts and unreachable hosts are temporary failures; other 4xx (and 3xx, not
followed) are permanent.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from core.outbox.message import Envelope
from core.outbox.settings import OutboxSettings, outbox_settings
from core.outbox.transports import PermanentFailure, TemporaryFailure

#: HTTP statuses that say "later".
RETRY_STATUSES = frozenset({408, 425, 429})
#: Characters of the receiver's answer kept as a reference or a reason.
KEPT = 300


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a place to POST the message again."""

    def redirect_request(self, *args, **kwargs):
        return None


class HttpTransport:
    """POSTs ``http`` messages with the outbox's timeout and tokens."""

    def __init__(self, settings: OutboxSettings):
        self.settings = settings
        self.opener = urllib.request.build_opener(NoRedirect)

    @classmethod
    def from_registry(cls, registry) -> HttpTransport:
        return cls(outbox_settings(registry))

    def send(self, envelope: Envelope) -> str:
        data, content_type = envelope.body.encode("utf-8"), "application/json; charset=utf-8"
        if envelope.payload is not None:
            data, content_type = envelope.payload, envelope.payload_type
        headers = {"Content-Type": content_type, **dict(envelope.headers)}
        headers["Idempotency-Key"] = envelope.id
        token = self.settings.token_for(envelope.recipient)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(
            envelope.recipient, data=data, headers=headers, method="POST"
        )
        try:
            with self.opener.open(request, timeout=self.settings.http_timeout) as response:
                status, answer = response.status, response.read(KEPT)
        except urllib.error.HTTPError as exc:
            status, answer = exc.code, exc.read(KEPT)
        except (OSError, ValueError) as exc:  # unreachable, timed out, a broken answer
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}"[:KEPT]) from None
        if 200 <= status < 300:
            return f"HTTP {status}"
        text = f"HTTP {status} {answer.decode('utf-8', 'replace')}".strip()
        if status >= 500 or status in RETRY_STATUSES:
            raise TemporaryFailure(text)
        raise PermanentFailure(text)
