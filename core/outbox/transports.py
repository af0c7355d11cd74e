"""Transports: what sends a message of one channel (``mail``, ``sms``, ``http``...).

A transport is registered by name with a factory taking the registry, at
start-up (a plugin does it in ``cong_configure``)::

    config.add_outbox_transport("zalo", ZaloTransport.from_registry)

Two transports of one name stop the start-up. The factories are called once the
configuration is committed (after every plugin's ``cong_configure``), so a wrong
setting stops the start-up too. :meth:`ITransport.send` says how a transport
reports the outcome.
"""

from __future__ import annotations

from collections.abc import Callable

from pyramid.config import Configurator
from zope.interface import Interface

from core.outbox.message import Envelope

#: The order of the configuration action making the transports: after the
#: plugins' registrations (SMS providers, transports), which have the default 0.
BUILD_ORDER = 10


class TemporaryFailure(Exception):
    """The message could not be sent now and may be later (a server down, busy,
    a timeout, SMTP 4xx, HTTP 5xx): it is tried again after a wait."""


class PermanentFailure(Exception):
    """The message will never be sent as it is (SMTP 5xx, HTTP 4xx, a wrong
    address): it is not tried again unless a Manager asks."""


class ITransport(Interface):
    """Sends the messages of one channel."""

    def send(envelope: Envelope) -> str:
        """Send ``envelope`` (:class:`core.outbox.message.Envelope`) now, outside
        any transaction; return a reference to keep (a provider's id, or '').

        Raise :class:`TemporaryFailure` or :class:`PermanentFailure` (with a short
        reason, never the message's body) when it was not sent. Any other
        exception counts as a temporary failure. Called from one thread at a time
        per delivery run, but runs may be concurrent: keep no per-message state."""


def add_outbox_transport(config: Configurator, name: str, factory: Callable) -> None:
    """Directive: send the messages of channel ``name`` with ``factory(registry)``
    (an :class:`ITransport`), made once the configuration is committed."""

    def register():
        config.registry.cong_outbox_factories[name] = factory

    config.action(("cong.outbox.transport", name), register)


def build_transports(registry) -> None:
    """Make every registered transport (a configuration action)."""
    registry.cong_outbox_transports = {
        name: factory(registry) for name, factory in registry.cong_outbox_factories.items()
    }


def get_transport(registry, channel: str) -> ITransport | None:
    """The transport of ``channel``, or None when none is registered."""
    return registry.cong_outbox_transports.get(channel)


def channels(registry) -> tuple[str, ...]:
    """The channels a message may be queued on."""
    return tuple(sorted(registry.cong_outbox_factories))
