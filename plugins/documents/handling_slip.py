"""The handling slip of an incoming document (phiếu xử lý văn bản đến, Decree
30/2020, Appendix IV), printed on A4 through :mod:`core.printing` as the form
``documents.handling_slip``, in three parts:

I.   the document's particulars and the clerk's submission to the leader;
II.  the leader's direction;
III. the handling: who leads and coordinates, by when, the progress notes and the
     result.

A province replaces the form as any print form (``cong.print_forms.<name>``).
"""

from __future__ import annotations

from datetime import datetime

from core.clock import TIMEZONE, now
from core.formatting import written_date
from core.i18n import _
from plugins.documents import registered as R
from plugins.documents.doctypes import BY_CODE
from plugins.documents.transitions import handler_title
from plugins.documents.units import unit_title

FORM = "documents.handling_slip"
TEMPLATE = "plugins.documents:templates/office/handling_slip.pt"
VERSION = "2020"
TITLE = _("Phiếu xử lý văn bản đến")


def register_slip(config) -> None:
    """Register the form (at configuration)."""
    config.add_print_form(FORM, TEMPLATE, version=VERSION, title=TITLE)


def moment_text(moment: datetime | None) -> str:
    """``09 giờ 30, 04/03/2026`` (the portal's time zone); '' for none."""
    if moment is None:
        return ""
    local = moment.astimezone(TIMEZONE)
    return f"{local:%H} giờ {local:%M}, {local.day:02d}/{local.month:02d}/{local.year}"


def _event(event: R.Event | None) -> dict | None:
    if event is None:
        return None
    return {
        "who": event.actor_title or event.actor,
        "when": moment_text(event.when),
        "text": event.comment,
    }


def _last(document, name: str) -> R.Event | None:
    return next((e for e in reversed(document.history) if e.transition == name), None)


def slip_values(request, document) -> dict:
    """What the slip prints of ``document`` (an incoming document the requester may
    see)."""
    kind = BY_CODE.get(document.type_code)
    direction = document.direction
    result = _last(document, "finish") or _last(document, "return_to_sender")
    return {
        "unit_title": unit_title(request.root, document.unit_code),
        "today": written_date(now()),
        "document": document,
        "arrival": moment_text(document.arrival),
        "document_date": document.document_date.strftime("%d/%m/%Y")
        if document.document_date
        else "",
        "type_title": str(kind.title) if kind else document.type_code,
        "urgency": str(R.URGENCIES.get(document.urgency, "")),
        "secrecy": str(R.SECRECIES.get(document.secrecy, "")),
        "files": len(document.attachments),
        "submission": _event(_last(document, "submit")),
        "direction": {
            "text": direction.text,
            "leader": direction.leader_title,
            "when": moment_text(direction.when),
        }
        if direction
        else None,
        "lead": direction.lead_title if direction else "",
        "coordinators": [handler_title(request, t) for t in direction.coordinators]
        if direction
        else [],
        "deadline": moment_text(document.deadline),
        "progress": [
            _event(e) for e in document.history if e.transition in ("start", "note")
        ],
        "result": _event(result),
        "status": str(
            R.INCOMING_STATUSES.get(document.status, document.status)
        ),
    }  # fmt: skip
