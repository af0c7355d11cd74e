"""The ``mail`` transport: e-mail through an SMTP server, with pyramid_mailer.

Settings are pyramid_mailer's (``mail.host``, ``mail.port``, ``mail.username``,
``mail.password``, ``mail.tls``, ``mail.ssl``, ``mail.default_sender``). Each
message carries ``Message-ID: <message id@sender's domain>``, the same at every
attempt, so a mail sent twice (after a crash, see :mod:`core.outbox.delivery`)
can be recognised as one.

repoze.sendmail hands smtplib the message as bytes with bare line feeds, which
smtplib sends as they are; servers refusing bare line feeds (Postfix 3.9's
default, aiosmtpd) would answer "line too long": the connection classes below
send CRLF line ends.

An answer of the server in the 5xx range refusing the recipient or the message
is a permanent failure; anything else (the server unreachable, 4xx, a refused
login or sender, which are the installation's to fix) is temporary.
"""

from __future__ import annotations

import re
import smtplib

from pyramid_mailer.mailer import Mailer, SMTP_SSLMailer
from pyramid_mailer.message import Message

from core.outbox.message import Envelope
from core.outbox.transports import PermanentFailure, TemporaryFailure

#: The Message-ID domain when the sender has none.
FALLBACK_DOMAIN = "cong.invalid"


def message_id(envelope: Envelope, sender: str) -> str:
    """The stable Message-ID of ``envelope``."""
    domain = sender.rpartition("@")[2].strip(" >") or FALLBACK_DOMAIN
    return f"<{envelope.id}@{domain}>"


def smtp_reason(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"SMTP {code} {text}".strip()[:500]


def crlf(message: bytes) -> bytes:
    """``message`` with every line ending in CRLF, as SMTP wants."""
    return re.sub(rb"\r?\n", b"\r\n", message)


class CrlfSMTP(smtplib.SMTP):
    def sendmail(self, from_addr, to_addrs, msg, *args, **kwargs):
        body = crlf(msg) if isinstance(msg, bytes) else msg
        return super().sendmail(from_addr, to_addrs, body, *args, **kwargs)


class CrlfSMTP_SSL(smtplib.SMTP_SSL):
    def sendmail(self, from_addr, to_addrs, msg, *args, **kwargs):
        body = crlf(msg) if isinstance(msg, bytes) else msg
        return super().sendmail(from_addr, to_addrs, body, *args, **kwargs)


def mailer_from_settings(settings: dict) -> Mailer:
    """pyramid_mailer's Mailer for ``settings``, sending CRLF line ends."""
    mailer = Mailer.from_settings(settings)
    ssl = isinstance(mailer.smtp_mailer, SMTP_SSLMailer)
    mailer.smtp_mailer.smtp = CrlfSMTP_SSL if ssl else CrlfSMTP
    mailer.smtp_mailer.smtp_ssl = CrlfSMTP_SSL
    return mailer


class MailTransport:
    """Sends ``mail`` messages (plain text) through ``mailer``."""

    def __init__(self, mailer: Mailer):
        self.mailer = mailer

    @classmethod
    def from_registry(cls, registry) -> MailTransport:
        return cls(mailer_from_settings(registry.settings))

    def send(self, envelope: Envelope) -> str:
        sender = self.mailer.default_sender
        if not sender:
            raise TemporaryFailure("mail.default_sender is not set")
        headers = dict(envelope.headers)
        headers["Message-ID"] = message_id(envelope, sender)
        message = Message(
            subject=envelope.subject,
            sender=sender,
            recipients=[envelope.recipient],
            body=envelope.body,
            extra_headers=headers,
        )
        try:
            self.mailer.send_immediately(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            failure = PermanentFailure if code >= 500 else TemporaryFailure
            raise failure(smtp_reason(code, text)) from None
        except smtplib.SMTPDataError as exc:
            failure = PermanentFailure if exc.smtp_code >= 500 else TemporaryFailure
            raise failure(smtp_reason(exc.smtp_code, exc.smtp_error)) from None
        except smtplib.SMTPResponseException as exc:
            raise TemporaryFailure(smtp_reason(exc.smtp_code, exc.smtp_error)) from None
        except OSError as exc:  # unreachable, timed out, disconnected (smtplib's too)
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}"[:500]) from None
        return headers["Message-ID"]
