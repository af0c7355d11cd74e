"""The exchange's pages and JSON.

- ``<unit>/van-thu/@@hop-thu-di``: the unit's outbox (hộp thư đi): counters and
  lists of its outgoing documents not sent, with a send error, returned, late to
  accept, with a recall pending (:mod:`plugins.documents.exchange_outbox`), each
  recipient with its exchange status; and the documents other units sent it that
  it has not accepted in time. For the unit's Clerks and Leaders and Managers;
  403 for everyone else.
- ``GET <unit>/van-thu/@exchange-outbox`` (JSON): the same, to the same people:
  ``counts``, a list per name of :data:`~plugins.documents.exchange_outbox.LISTS`
  (documents with the recipients concerned), and ``inbox_late``.
- ``GET <outgoing>/@exchange`` (JSON): the recipients of one outgoing document
  and their statuses, to those who may see it.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from pyramid.view import view_config

from core.api import api_view
from core.api.serialize import iso, url_of
from core.i18n import _
from core.theme import render_template
from core.workdays import working_calendar
from plugins.documents.access import can_view, has_role
from plugins.documents.exchange_outbox import (
    LATE,
    LISTS,
    NOT_SENT,
    RECALL_PENDING,
    RETURNED,
    SEND_ERROR,
    late_to_accept,
    outbox,
    recipient_rows,
    recipient_statuses,
)
from plugins.documents.exchange_status import accept_deadline
from plugins.documents.interfaces import IOffice, IOutgoingDocument

#: The documents a list shows at most (its count counts them all).
SHOWN = 200
TITLES = {
    NOT_SENT: _("Chưa gửi"),
    SEND_ERROR: _("Gửi lỗi"),
    RETURNED: _("Bị trả lại"),
    LATE: _("Chậm tiếp nhận"),
    RECALL_PENDING: _("Đang đề nghị thu hồi"),
}
HELP = {
    NOT_SENT: _("Đã ban hành, chưa gửi cho nơi nhận."),
    SEND_ERROR: _("Nơi nhận chưa nhận được văn bản điện tử."),
    RETURNED: _("Nơi nhận từ chối tiếp nhận, kèm lý do."),
    LATE: _("Nơi nhận chưa tiếp nhận trong ngày làm việc văn bản đến."),
    RECALL_PENDING: _("Nơi nhận chưa trả lời đề nghị thu hồi."),
}


def may_see_outbox(request, office) -> bool:
    """The unit's Clerks and Leaders, and Managers."""
    return has_role(request, office.unit_code, "Clerk", "Leader")


def _document(request, document, recipients) -> dict:
    codes = {r.code for r in recipients}
    return {
        "@id": url_of(request, document),
        "id": document.id,
        "notation": document.notation,
        "summary": document.summary,
        "issued": document.issued,
        "sent": document.sent,
        "recipients": [r for r in recipient_rows(document, request) if r["code"] in codes],
    }


def _inbox_late(request, office) -> list[dict]:
    calendar = working_calendar(request)
    return [
        {
            "@id": url_of(request, d),
            "id": d.id,
            "arrival_number": d.arrival_number,
            "sender": d.sender,
            "notation": d.notation,
            "summary": d.summary,
            "arrival": d.arrival,
            "accept_by": accept_deadline(calendar, d.arrival),
        }
        for d in late_to_accept(request, office)
    ]


def outbox_values(request, office) -> dict:
    """What the page and the JSON show: the lists (at most :data:`SHOWN` documents
    each), their counts, the documents late to accept here."""
    if not may_see_outbox(request, office):
        raise HTTPForbidden()
    lists = outbox(request, office)
    return {
        "counts": {name: len(lists[name]) for name in LISTS},
        "lists": {
            name: [_document(request, d, rs) for d, rs in lists[name][:SHOWN]] for name in LISTS
        },
        "inbox_late": _inbox_late(request, office),
    }


@view_config(context=IOffice, name="hop-thu-di")
def outbox_page(context, request):
    """The unit's outbox page."""
    values = outbox_values(request, context)
    translate = request.localizer.translate
    sections = [
        {
            "id": name.replace("_", "-"),
            "title": translate(TITLES[name]),
            "help": translate(HELP[name]),
            "count": values["counts"][name],
            "rows": values["lists"][name],
        }
        for name in LISTS
    ]
    body = render_template(
        request,
        "exchange/outbox.pt",
        context=context,
        unit=context.__parent__,
        sections=sections,
        inbox_late=values["inbox_late"],
        shown=SHOWN,
    )
    response = Response(body, content_type="text/html", charset="utf-8")
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response


def _json(value):
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return iso(value) if hasattr(value, "isoformat") else value


@api_view(context=IOffice, name="@exchange-outbox", request_method="GET")
def outbox_json(context, request):
    """The unit's outbox in JSON."""
    values = outbox_values(request, context)
    return {
        "@id": url_of(request, context) + "/@exchange-outbox",
        "unit": context.unit_code,
        "counts": values["counts"],
        **_json(values["lists"]),
        "inbox_late": _json(values["inbox_late"]),
    }


@api_view(context=IOutgoingDocument, name="@exchange", request_method="GET")
def document_exchange_json(context, request):
    """The recipients of an outgoing document and their exchange statuses."""
    if not can_view(request, context):
        raise HTTPForbidden()
    return {
        "@id": url_of(request, context) + "/@exchange",
        "id": context.id,
        "notation": context.notation,
        "sent": iso(context.sent),
        "recipients": recipient_statuses(context, request),
    }
