"""The ``sms`` transport: text messages through an SMS provider.

Providers are registered by name (a plugin brings a real one)::

    config.add_sms_provider("viettel", ViettelProvider.from_registry)

and ``cong.outbox.sms_provider`` chooses the one used (default ``sandbox``: the
built-in :class:`SandboxProvider`, which sends nothing and records what it would
have sent in the database, for Managers to read on ``@@outbox-sandbox``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import transaction
from pyramid.config import ConfigurationError, Configurator
from zope.interface import Interface, implementer

from core.clock import now
from core.outbox.message import Envelope
from core.outbox.settings import outbox_settings
from core.outbox.store import outbox_of
from core.site import get_site

SANDBOX = "sandbox"


class ISmsProvider(Interface):
    """Sends text messages to phone numbers."""

    def send(phone: str, text: str, message_id: str) -> str:
        """Send ``text`` to ``phone`` now; return the provider's reference ('' if
        none). ``message_id`` is the same at every attempt (a provider that
        takes a client reference can drop copies). Raise
        :class:`core.outbox.TemporaryFailure` or :class:`core.outbox.PermanentFailure`
        when it was not sent."""


@dataclass(frozen=True)
class SandboxSms:
    """What the sandbox provider would have sent."""

    message_id: str
    phone: str
    text: str
    at: datetime


@implementer(ISmsProvider)
class SandboxProvider:
    """Sends nothing: records each text in ``site.outbox.sandbox`` (one record a
    message, whatever the attempts), in a transaction of its own."""

    def __init__(self, db):
        self.db = db

    @classmethod
    def from_registry(cls, registry) -> SandboxProvider:
        return cls(registry._zodb_databases[""])

    def send(self, phone: str, text: str, message_id: str) -> str:
        tm = transaction.TransactionManager(explicit=True)
        conn = self.db.open(transaction_manager=tm)
        try:
            with tm:
                sandbox = outbox_of(get_site(conn)).sandbox
                sandbox[message_id] = SandboxSms(message_id, phone, text, now())
        finally:
            conn.close()
        return f"{SANDBOX}:{message_id}"


class SmsTransport:
    """Sends ``sms`` messages (their body) through ``provider``."""

    def __init__(self, provider: ISmsProvider):
        self.provider = provider

    @classmethod
    def from_registry(cls, registry) -> SmsTransport:
        name = outbox_settings(registry).sms_provider
        factory = registry.cong_sms_providers.get(name)
        if factory is None:
            known = ", ".join(sorted(registry.cong_sms_providers))
            raise ConfigurationError(
                f"cong.outbox.sms_provider: there is no SMS provider {name!r} (known: {known})"
            )
        return cls(factory(registry))

    def send(self, envelope: Envelope) -> str:
        return self.provider.send(envelope.recipient, envelope.body, envelope.id) or ""


def add_sms_provider(config: Configurator, name: str, factory: Callable) -> None:
    """Directive: offer the SMS provider ``factory(registry)`` (an
    :class:`ISmsProvider`) as ``name``, for ``cong.outbox.sms_provider`` to choose."""

    def register():
        config.registry.cong_sms_providers[name] = factory

    config.action(("cong.outbox.sms_provider", name), register)


def sandbox_records(site) -> list[SandboxSms]:
    """What the sandbox provider recorded, newest first."""
    return sorted(outbox_of(site).sandbox.values(), key=lambda r: r.at, reverse=True)
