"""A unit's office page (``<unit>/van-thu``) for the staff of its registers: the
incoming register, the issued outgoing documents and the drafts, newest first, a
page at a time (:mod:`plugins.documents.office_lists`), with filters by year,
status and urgency, and the ways to register, draft and set the office up.

Query: ``so`` (``den``, ``di``, ``du-thao``), ``nam``, ``trang-thai``, ``do-khan``,
``sau`` (the id of the last document of the previous page), ``b_size``. The unit's
SiteAdmins who hold no staff role see only the way to the settings; everybody else
is refused (visitors are asked to log in).
"""

from __future__ import annotations

from pyramid.view import view_config

from core import params
from core.clock import TIMEZONE, now
from core.i18n import _
from core.params import BadParameter
from core.ui import get_ui
from plugins.documents import registered as R
from plugins.documents.access import can_see_registers, can_view, has_role
from plugins.documents.exchange_views import may_see_outbox
from plugins.documents.interfaces import IOffice
from plugins.documents.office_lists import DRAFTS, INCOMING, ISSUED, key_of, listing
from plugins.documents.views_common import (
    label,
    page_values,
    require_registers,
    status_title,
    summary_of,
    type_title,
)
from plugins.documents.views_dashboard import UNIT_PAGE, no_store
from plugins.documents.views_entry import INCOMING_VIEW, OUTGOING_VIEW
from plugins.documents.views_registers import FORMS as REGISTER_FORMS
from plugins.documents.views_settings import SETTINGS_VIEW
from plugins.documents.workfiles_views import LIST_VIEW as WORK_FILES_VIEW

#: The lists (``so``): their list in :mod:`~plugins.documents.office_lists`, their
#: title, the statuses a filter offers.
LISTS = {
    "den": (INCOMING, _("Sổ văn bản đến"), tuple(R.INCOMING_STATUSES)),
    "di": (ISSUED, _("Văn bản đi đã ban hành"), (R.ISSUED, R.SENT, R.RECALLED)),
    "du-thao": (DRAFTS, _("Dự thảo, chờ ký"), (R.DRAFT, R.AWAITING_SIGNATURE, R.SIGNED)),
}
#: The urgency filter: '' every document, ``thuong`` the normal ones.
NORMAL = "thuong"
PAGE_SIZE = 50
EARLIEST_YEAR = 1990
#: The unit's outbox (:mod:`plugins.documents.exchange_views`).
OUTBOX_VIEW = "hop-thu-di"


def _choice(request, name: str, allowed) -> str:
    value = params.text(request, name)
    if value and value not in allowed:
        raise BadParameter(_("Tham số “${name}” không có giá trị này.", mapping={"name": name}))
    return value


def _after(request, office, list_name: str):
    """The document the page continues below (``sau``), or None."""
    doc_id = params.text(request, "sau")
    if not doc_id:
        return None
    document = office.documents.get(doc_id) if len(doc_id) <= 40 else None
    if document is None or key_of(list_name, document) is None:
        raise BadParameter(_("Tham số “sau” không chỉ một văn bản của danh sách này."))
    return document


def _test(status: str, urgency: str):
    if not status and not urgency:
        return None
    wanted = "" if urgency == NORMAL else urgency

    def test(document) -> bool:
        if status and document.status != status:
            return False
        return not urgency or document.urgency == wanted

    return test


def _row(request, ui, document) -> dict:
    """What a line of a list shows of ``document`` (its summary hidden when secret
    and not the requester's to see; a link only to what they may open)."""
    incoming = document.kind == R.INCOMING
    return {
        "id": document.id,
        "url": ui.url(document) if can_view(request, document) else "",
        "number": f"{document.arrival_number}" if incoming else "",
        "arrival": getattr(document, "arrival", None),
        "sender": getattr(document, "sender", ""),
        "notation": document.notation,
        "document_date": document.document_date,
        "type": type_title(request, document.type_code),
        "summary": summary_of(request, document),
        "secret": bool(document.secrecy),
        "urgency": label(request, R.URGENCIES, document.urgency),
        "deadline": getattr(document, "deadline", None),
        "status": status_title(request, document.kind, document.status),
        "issued": getattr(document, "issued", None),
        "created": document.created,
        "signer": getattr(document, "signer_name", ""),
        "recipients": ", ".join(r.name for r in getattr(document, "recipients", ())),
    }


def _kind_of(list_name: str) -> str:
    return R.INCOMING if list_name == INCOMING else R.OUTGOING


def _years(office) -> list[int]:
    """The years a filter offers: from the oldest register entry to this year."""
    this_year = now().astimezone(TIMEZONE).year
    oldest = this_year
    if len(office.incoming_register):
        oldest = min(oldest, office.incoming_register.minKey()[0])
    if len(office.outgoing_register):
        oldest = min(oldest, int(office.outgoing_register.minKey()[0][:4]))
    return list(range(this_year, max(oldest, EARLIEST_YEAR) - 1, -1))


def _actions(request, ui, office) -> dict:
    code = office.unit_code
    return {
        "register_url": ui.url(office, "@@" + INCOMING_VIEW)
        if has_role(request, code, "Clerk")
        else "",
        "draft_url": ui.url(office, "@@" + OUTGOING_VIEW)
        if has_role(request, code, "Clerk", "Specialist", "Leader")
        else "",
        "settings_url": ui.url(office, "@@" + SETTINGS_VIEW)
        if has_role(request, code, "SiteAdmin")
        else "",
    }


def other_pages(request, ui, office) -> list[dict]:
    """The office's other pages its staff open: the dashboard, the registers to
    print, the work files, the outbox (its Clerks and Leaders)."""
    translate = request.localizer.translate
    pages = [
        (UNIT_PAGE, _("Bảng theo dõi hạn xử lý")),
        (REGISTER_FORMS["incoming"][1], _("In sổ văn bản đến")),
        (REGISTER_FORMS["outgoing"][1], _("In sổ văn bản đi")),
        (REGISTER_FORMS["follow-up"][1], _("In sổ theo dõi văn bản đến")),
        (WORK_FILES_VIEW, _("Hồ sơ công việc")),
    ]
    if may_see_outbox(request, office):
        pages.append((OUTBOX_VIEW, _("Hộp thư đi liên thông")))
    return [
        {"title": translate(title), "url": ui.url(office, "@@" + name)} for name, title in pages
    ]


def register_values(request, office) -> dict:
    """What ``office_registers.pt`` shows of the list the request asks for."""
    ui = get_ui(request)
    translate = request.localizer.translate
    which = _choice(request, "so", LISTS) or "den"
    list_name, _title, statuses = LISTS[which]
    year = params.integer(request, "nam", 0, EARLIEST_YEAR, 2100) or None
    status = _choice(request, "trang-thai", statuses)
    urgency = _choice(request, "do-khan", (*R.URGENCIES, NORMAL)) if which == "den" else ""
    size = params.integer(request, "b_size", PAGE_SIZE, 1, 200, clamp=True)
    after = _after(request, office, list_name)
    found = listing(office, list_name, size, year=year, after=after, test=_test(status, urgency))
    query = {"so": which, "nam": year or "", "trang-thai": status, "do-khan": urgency}
    query["b_size"] = size if size != PAGE_SIZE else ""
    query = {k: v for k, v in query.items() if v}
    return {
        "which": which,
        "tabs": [
            {
                "id": key,
                "title": translate(title),
                "url": ui.url(office, so=key),
                "current": key == which,
            }
            for key, (_name, title, _statuses) in LISTS.items()
        ],
        "years": [{"value": y, "selected": y == year} for y in _years(office)],
        "statuses": [
            {"value": s, "label": status_title(request, _kind_of(list_name), s),
             "selected": s == status}
            for s in statuses
        ],
        "urgencies": [
            {"value": v, "label": translate(t), "selected": v == urgency}
            for v, t in ((NORMAL, _("Thường")), *R.URGENCIES.items())
        ]
        if which == "den"
        else [],
        "rows": [_row(request, ui, d) for d in found.documents],
        "total": found.total,
        "stopped": found.stopped,
        "first_url": ui.url(office, **query) if after is not None else "",
        "next_url": ui.url(office, **query, sau=found.after) if found.after else "",
    }  # fmt: skip


@view_config(context=IOffice, renderer="office_registers.pt", request_method=("GET", "HEAD"))
def office_view(context, request):
    """The registers for their staff; the way to the settings for a SiteAdmin."""
    ui = get_ui(request)
    values = page_values(
        request, unit=context.__parent__, limited=False, **_actions(request, ui, context)
    )
    if not can_see_registers(request, context.unit_code) and values["settings_url"]:
        no_store(request)
        values["limited"] = True
        return values
    require_registers(request, context)
    values.update(register_values(request, context), pages=other_pages(request, ui, context))
    return values
