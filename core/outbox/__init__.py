"""The outbox: messages to send (mail, SMS, HTTP), queued with the change they
are about and delivered after it commits, each once, retried after failures.

::

    from core.outbox import messages_of, queue

    queue(request, "mail", applicant_email, "Hồ sơ 000.00.12.H01-250304-0001",
          text, key=f"onestop:{dossier.uid}:received:mail", source=dossier.uid)
    queue(request, "sms", phone, "", short_text, key=..., source=dossier.uid)
    queue(request, "http", portal_url, "", {"MaHoSo": ..., "TrangThaiHoSo": 2},
          key=f"onestop:{dossier.uid}:sync:{n}", source=dossier.uid)
    for message in messages_of(request, dossier.uid): message.state ...

- :mod:`core.outbox.message`: a :class:`Message`, its :data:`STATES`;
- :mod:`core.outbox.store`: the site's :class:`Outbox` and its indexes;
- :mod:`core.outbox.queueing`: :func:`queue`, in the caller's transaction;
- :mod:`core.outbox.delivery`: :func:`deliver`: claim, commit, send, record;
- :mod:`core.outbox.background`: delivery in a thread after each commit;
- :mod:`core.outbox.transports`: :class:`ITransport`, the failures, and
  ``config.add_outbox_transport``; the built-in ones: :mod:`core.outbox.mail`
  (pyramid_mailer), :mod:`core.outbox.sms` (:class:`ISmsProvider`, the sandbox
  provider, ``config.add_sms_provider``), :mod:`core.outbox.http_json`;
- :mod:`core.outbox.settings`: ``cong.outbox.*``; :mod:`core.outbox.masking`:
  recipients as logs show them.

Managers see it on ``@@outbox`` (:mod:`core.views.outbox`) and
``GET /@outbox?state=`` (:mod:`core.api.outbox`); ``cong outbox send`` and
``cong outbox list`` (:mod:`core.cli.outbox`). Decision 0026.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyramid.config import Configurator
from pyramid.events import NewRequest

from core.outbox.background import Courier, wake_on_first_request
from core.outbox.delivery import Report, deliver
from core.outbox.http_json import HttpTransport
from core.outbox.mail import MailTransport
from core.outbox.message import (
    CREATED,
    DELIVERED,
    PERMANENT_FAILURE,
    SENDING,
    STATES,
    TEMPORARY_FAILURE,
    Envelope,
    Message,
)
from core.outbox.queueing import OutboxError, queue, send_again
from core.outbox.settings import read_outbox_settings
from core.outbox.sms import SANDBOX, ISmsProvider, SandboxProvider, SmsTransport, add_sms_provider
from core.outbox.store import EVOLVE_STEP, Outbox, create_outbox, outbox_of
from core.outbox.transports import (
    BUILD_ORDER,
    ITransport,
    PermanentFailure,
    TemporaryFailure,
    add_outbox_transport,
    build_transports,
)
from core.security import site_of

__all__ = [
    "CREATED",
    "DELIVERED",
    "PERMANENT_FAILURE",
    "SENDING",
    "STATES",
    "TEMPORARY_FAILURE",
    "Envelope",
    "ISmsProvider",
    "ITransport",
    "Message",
    "Outbox",
    "OutboxError",
    "PermanentFailure",
    "Report",
    "TemporaryFailure",
    "deliver",
    "messages_of",
    "outbox_of",
    "queue",
    "send_again",
]


def messages_of(request, source: str) -> Iterator[Message]:
    """The messages queued about ``source``, oldest first (read their ``state``,
    ``attempts``, ``last_error``, ``delivered``)."""
    return outbox_of(site_of(request)).of_source(source)


def includeme(config: Configurator) -> None:
    """Read the settings (a wrong one stops start-up), add the directives, the
    built-in transports and SMS provider, and the evolve step making the outbox."""
    registry = config.registry
    registry.cong_outbox_settings = read_outbox_settings(registry.settings)
    registry.cong_outbox_factories = {}
    registry.cong_outbox_transports = {}
    registry.cong_sms_providers = {}
    registry.cong_outbox_courier = Courier(registry._zodb_databases[""], registry)
    config.add_directive("add_outbox_transport", add_outbox_transport)
    config.add_directive("add_sms_provider", add_sms_provider)
    config.add_outbox_transport("mail", MailTransport.from_registry)
    config.add_outbox_transport("sms", SmsTransport.from_registry)
    config.add_outbox_transport("http", HttpTransport.from_registry)
    config.add_sms_provider(SANDBOX, SandboxProvider.from_registry)
    config.action(None, build_transports, args=(registry,), order=BUILD_ORDER)
    config.add_evolve_step(EVOLVE_STEP, create_outbox, new_sites=True)
    if registry.cong_outbox_settings.deliver_in_process:
        config.add_subscriber(wake_on_first_request, NewRequest)
