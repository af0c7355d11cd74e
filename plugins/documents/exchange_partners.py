"""Sending an outgoing document to an agency outside the portal (a partner of the
catalogue, :class:`plugins.documents.registry.Partner`): its package is queued in
the kernel's outbox (:mod:`core.outbox`, ``http`` channel) for the partner's
``endpoint``.

The package is made by the *package builder* the edXML module gives
(``fn(request, document, recipient) -> bytes``: a MIME package with its headers,
raising ValueError with a message when it cannot make one), registered at
start-up::

    register_package_builder(config, build_for_partner)

The message is POSTed as HTTP carries a package — its ``multipart/related`` body
with that Content-Type, what ``POST <unit>/@edxml`` of another cong takes — as the
outbox's payload (a blob, so a package of scanned files fits), described by
``{"type": "edxml", "from", "to", "document", "filename", "bytes"}`` for the
outbox's pages. Its key is :func:`message_key` (``new``, then ``recall`` once
recalled), its source :func:`message_source` (the sender's outbox shows the
delivery's state from it). With no builder registered, or a partner without an
endpoint, nothing is queued and the recipient keeps the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import _
from core.outbox import OutboxError, queue
from plugins.documents.edxml_mime import http_parts
from plugins.documents.registry import registry_of

#: The start-up action's discriminator: two builders conflict.
BUILDER_ACTION = "documents-package-builder"
#: Why a partner was not sent the document.
NO_BUILDER = _("Chưa có chức năng đóng gói edXML: văn bản chưa gửi được cho đơn vị ngoài.")
NO_ENDPOINT = _("Đơn vị ngoài chưa có địa chỉ nhận văn bản điện tử: gửi bằng đường khác.")

PackageBuilder = Callable[..., bytes]


def register_package_builder(config, builder: PackageBuilder) -> None:
    """Make ``builder(request, document, recipient) -> bytes`` the maker of the
    packages sent to partners (once: a second registration is a start-up
    conflict)."""

    def register():
        config.registry.documents_package_builder = builder

    config.action(BUILDER_ACTION, register)


def package_builder(registry) -> PackageBuilder | None:
    return getattr(registry, "documents_package_builder", None)


def message_key(document, recipient, business: str = "new") -> str:
    """The outbox key of ``document``'s package to ``recipient`` (``new``, or
    ``recall`` once it is recalled): each queued once."""
    return f"documents:{document.unit_code}/{document.id}:{recipient.code}:{business}"


def message_source(document) -> str:
    return f"documents:{document.unit_code}/{document.id}"


def send_to_partner(request, document, recipient, business: str = "new") -> str:
    """Queue ``document``'s package for partner ``recipient`` (the builder writes a
    recalled document's as a recall); '' when queued, else why not (a message to
    show)."""
    partner = registry_of(request.root).partners.get(recipient.code)
    builder = package_builder(request.registry)
    if builder is None:
        return NO_BUILDER
    if partner is None or not partner.endpoint:
        return NO_ENDPOINT
    try:
        content_type, package = http_parts(builder(request, document, recipient))
        queue(
            request,
            "http",
            partner.endpoint,
            "",
            {
                "type": "edxml",
                "from": document.unit_code,
                "to": recipient.code,
                "document": document.notation,
                "filename": f"{document.id}.edxml",
                "bytes": len(package),
            },
            key=message_key(document, recipient, business),
            source=message_source(document),
            headers={"Accept": "application/json"},  # the answer a cong gives APIs
            payload=package,
            payload_type=content_type,
        )
    except OutboxError as error:
        return _("Không xếp được gói tin vào hàng gửi: ${reason}", mapping={"reason": str(error)})
    except ValueError as error:
        return getattr(error, "message", None) or str(error)
    return ""
