"""Queuing a message, in the caller's transaction."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from ZODB.blob import Blob

from core.clock import now
from core.outbox.background import deliver_after_commit
from core.outbox.message import CREATED, FAILED, Message
from core.outbox.store import new_id, outbox_of
from core.outbox.transports import channels
from core.security import site_of

#: Characters of text the outbox keeps per field, at most.
MAX_SUBJECT = 500
MAX_RECIPIENT = 2000
MAX_BODY = 1_000_000
#: Bytes of an http message's payload, at most (kept in a blob).
MAX_PAYLOAD = 200 * 1024 * 1024
MEDIA_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*(;[^\r\n]*)?\Z")
EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
PHONE_RE = re.compile(r"^\+?[0-9]{8,15}$")
LINE_BREAKS = re.compile(r"[\r\n]")


class OutboxError(ValueError):
    """A message the outbox refuses (a wrong address, an unknown channel)."""


def check_recipient(channel: str, recipient: str) -> str:
    """``recipient`` as stored (a phone without its spaces, dots and dashes);
    :class:`OutboxError` when it is no address of the built-in channels."""
    if not isinstance(recipient, str) or not recipient.strip() or len(recipient) > MAX_RECIPIENT:
        raise OutboxError("a message needs a recipient")
    recipient = recipient.strip()
    if channel == "mail" and not EMAIL_RE.match(recipient):
        raise OutboxError("not an e-mail address")
    if channel == "sms":
        recipient = re.sub(r"[\s.()-]", "", recipient)
        if not PHONE_RE.match(recipient):
            raise OutboxError("not a phone number")
    if channel == "http" and not recipient.startswith(("http://", "https://")):
        raise OutboxError("not an http:// or https:// address")
    if LINE_BREAKS.search(recipient):
        raise OutboxError("a recipient is one line")
    return recipient


def body_text(channel: str, body) -> str:
    """The body as stored: text, or for ``http`` the JSON text of a JSON-able value."""
    if channel == "http":
        try:
            text = json.dumps(body, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise OutboxError(f"an http message's body must be JSON-able: {exc}") from None
    elif isinstance(body, str):
        text = body
    else:
        raise OutboxError("a message's body is text")
    if len(text) > MAX_BODY:
        raise OutboxError(f"a message's body has at most {MAX_BODY} characters")
    return text


def header_pairs(headers: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    pairs = tuple((str(k), str(v)) for k, v in (headers or {}).items())
    if any(LINE_BREAKS.search(k + v) or not k for k, v in pairs):
        raise OutboxError("a header is a name and a one-line value")
    return pairs


def queue(
    request,
    channel: str,
    recipient: str,
    subject: str,
    body,
    *,
    key: str = "",
    source: str = "",
    headers: Mapping[str, str] | None = None,
    payload: bytes | None = None,
    payload_type: str = "",
) -> Message:
    """Queue a message in the request's transaction and return it: nothing is sent
    unless that transaction commits. With a ``key`` already queued (ever), the
    message queued then is returned and nothing is added.

    ``channel`` is a registered transport (``mail``, ``sms``, ``http``...);
    ``recipient`` its address (an e-mail address, a phone number, a URL);
    ``subject`` a line (unused by SMS and http); ``body`` text, or for ``http`` a
    JSON-able value; ``source`` what it is about (a uid, a dossier's code), to
    list the messages of one object with :func:`core.outbox.messages_of`;
    ``headers`` extra mail or HTTP headers. An ``http`` message may carry a
    ``payload`` instead: bytes (a package, a file; kept in a blob, up to
    :data:`MAX_PAYLOAD`) posted as they are with ``payload_type`` as their
    ``Content-Type``; its ``body`` then only describes them (the outbox's pages
    show it). :class:`OutboxError` for a message
    that cannot be sent as it is (raised before anything is stored).

    After the commit the application delivers it in a thread of its own (unless
    ``cong.outbox.deliver_in_process`` is false: then ``cong outbox send`` does)."""
    if channel not in channels(request.registry):
        raise OutboxError(f"no transport named {channel!r}")
    if not isinstance(subject, str) or LINE_BREAKS.search(subject) or len(subject) > MAX_SUBJECT:
        raise OutboxError(f"a subject is one line of at most {MAX_SUBJECT} characters")
    if not isinstance(key, str) or not isinstance(source, str):
        raise OutboxError("a key and a source are text")
    outbox = outbox_of(site_of(request))
    if key:
        found = outbox.by_key(key)
        if found is not None:
            return found
    created = now()
    message = Message(
        new_id(created),
        channel,
        check_recipient(channel, recipient),
        subject,
        body_text(channel, body),
        header_pairs(headers),
        key,
        source,
        created,
    )
    if payload is not None:
        check_payload(channel, payload, payload_type)
        message.payload, message.payload_type = Blob(bytes(payload)), payload_type
    outbox.add(message)
    deliver_after_commit(request)
    return message


def check_payload(channel: str, payload, payload_type) -> None:
    if channel != "http":
        raise OutboxError("only an http message carries a payload")
    if not isinstance(payload, bytes | bytearray) or len(payload) > MAX_PAYLOAD:
        raise OutboxError(f"a payload is at most {MAX_PAYLOAD} bytes")
    if not isinstance(payload_type, str) or not MEDIA_TYPE_RE.match(payload_type):
        raise OutboxError("a payload needs its media type, on one line")


def send_again(request, message: Message) -> None:
    """Make a failed ``message`` due now, with a fresh count of attempts (a
    Manager's retry); :class:`OutboxError` when it has not failed."""
    if message.state not in FAILED:
        raise OutboxError("only a failed message is sent again")
    message.attempts = 0
    outbox_of(site_of(request)).change(message, CREATED, now())
    deliver_after_commit(request)
