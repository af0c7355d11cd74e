"""The national public-service portal kept in step: every change of a dossier
queues its status message (:mod:`plugins.onestop.national_status`) for the
address in ``cong.onestop.national_sync_url``, sent by the outbox's HTTP
transport with retries (a bearer token for that address comes from the outbox's
settings). What is pending or failed shows on the outbox's page and in
``GET /@outbox?source=<code>``. Without the setting nothing is queued."""

from __future__ import annotations

from core.outbox import queue
from plugins.onestop.dossier import Dossier
from plugins.onestop.national_status import status_message
from plugins.onestop.units import unit_title

SETTING = "cong.onestop.national_sync_url"


def sync_url(registry) -> str:
    return (registry.settings.get(SETTING) or "").strip()


def queue_status(request, dossier: Dossier) -> None:
    """Listener: queue the dossier's status message (never a sub-dossier's)."""
    url = sync_url(request.registry)
    if not url or dossier.origin or not dossier.history:
        return
    titles = {code: unit_title(request.root, code) for code in dossier.units}
    queue(
        request,
        "http",
        url,
        "",
        status_message(dossier, titles),
        key=f"onestop-sync:{dossier.code}:{len(dossier.history)}",
        source=dossier.code,
    )
