"""The deadlines dashboard (:mod:`plugins.documents.dashboard`) as pages and JSON:

- ``<unit>/van-thu/@@bang-dieu-khien``: the unit's figures, each handler's, and the
  documents behind one figure (``?list=overdue|due_soon|in_progress|done|arrived``,
  ``&handler=user:<login>``), a batch at a time (``b_start``, ``b_size``), for the
  unit's staff and Managers; ``<unit>/van-thu/@documents-dashboard`` in JSON;
- ``/@@van-ban-cua-toi``: a signed-in person's own documents across units, overdue
  first; ``/@my-documents`` in JSON.

A secret document is listed only to its readers (the counts include it; a page
says how many it leaves out). Anonymous requests are refused (401 in JSON, the
login page otherwise), other people's with 403.
"""

from __future__ import annotations

from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from pyramid.view import view_config

from core.api import api_view
from core.api.params import Param, api_params
from core.batching import Batch, batch_params
from core.formatting import machine_time
from core.i18n import _
from core.interfaces import ISite
from core.params import BadParameter, text
from core.permissions import VIEW
from core.theme import get_templates, render_template
from core.ui import get_ui
from plugins.documents import registered as R
from plugins.documents.access import can_see_registers, can_view, login_of
from plugins.documents.dashboard import (
    BUCKETS,
    PERSONAL,
    SOON_DAYS,
    Dashboard,
    Figures,
    load,
    person_dashboard,
    unit_dashboard,
)
from plugins.documents.doctypes import BY_CODE
from plugins.documents.interfaces import IOffice
from plugins.documents.transitions import handler_title
from plugins.documents.units import unit_title

UNIT_PAGE = "bang-dieu-khien"
MINE_PAGE = "van-ban-cua-toi"
#: The documents a page of a list shows unless ``b_size`` says otherwise.
SHOWN = 20
TITLES = {
    "overdue": _("Quá hạn"),
    "due_soon": _("Sắp đến hạn"),
    "in_progress": _("Đang xử lý"),
    "done": _("Hoàn thành trong tháng"),
    "arrived": _("Chờ tiếp nhận"),
}
LIST_PARAMS = (
    Param("list", "query", _("Danh sách: overdue, due_soon, in_progress, done, arrived")),
    Param("b_start", "query", _("Vị trí bắt đầu của trang"), {"type": "integer"}),
    Param("b_size", "query", _("Số văn bản một trang"), {"type": "integer"}),
)


def no_store(request) -> None:
    """Keep the answer out of every cache: it lists internal documents."""

    def callback(request, response):
        response.cache_control.private = True
        response.cache_control.no_store = True

    request.add_response_callback(callback)


def chosen_list(request, default: str, buckets=BUCKETS) -> str:
    """The list asked for (``?list=``); 400 for one that is not."""
    name = text(request, "list", default)
    if name not in buckets:
        raise BadParameter(
            _("Không có danh sách \u201c${name}\u201d.", mapping={"name": name[:30]})
        )
    return name


def document_row(request, ui, document, dashboard: Dashboard) -> dict:
    """What a list shows of ``document``."""
    translate = request.localizer.translate
    kind = BY_CODE.get(document.type_code)
    deadline = document.deadline
    direction = document.direction
    return {
        "@id": ui.url(document),
        "id": document.id,
        "unit": document.unit_code,
        "unit_title": unit_title(request.root, document.unit_code),
        "arrival_number": document.arrival_number,
        "arrival": document.arrival,
        "notation": document.notation,
        "sender": document.sender,
        "type": document.type_code,
        "type_title": translate(kind.title) if kind is not None else document.type_code,
        "summary": document.summary,
        "urgency": document.urgency,
        "urgency_title": translate(R.URGENCIES[document.urgency]) if document.urgency else "",
        "secrecy": document.secrecy,
        "status": document.status,
        "status_title": translate(R.INCOMING_STATUSES[document.status]),
        "lead": direction.lead_title if direction is not None else "",
        "deadline": deadline,
        "overdue": deadline is not None
        and document.status in R.OPEN
        and deadline < dashboard.moment,
        "finished": document.finished,
    }


def row_json(row: dict) -> dict:
    return {
        k: machine_time(v) if k in ("arrival", "deadline", "finished") else v
        for k, v in row.items()
    }


def listing(request, dashboard: Dashboard, figures: Figures, name: str) -> tuple[Batch, list, int]:
    """A batch of list ``name`` of ``figures``: the batch, the rows the requester
    may see, and how many of the batch were left out (secret)."""
    keys = getattr(figures, name)
    start, size = batch_params(request, SHOWN)
    batch = Batch(list(keys[start : start + size]), len(keys), start, size, request)
    ui = get_ui(request)
    documents = load(request.root, batch.items)
    shown = [d for d in documents if can_view(request, d)]
    rows = [document_row(request, ui, d, dashboard) for d in shown]
    return batch, rows, len(batch.items) - len(shown)


def list_json(
    request, dashboard: Dashboard, figures: Figures, name: str, handler: str = ""
) -> dict:
    batch, rows, hidden = listing(request, dashboard, figures, name)
    found = batch.as_json([row_json(r) for r in rows])
    return {"name": name, "handler": handler, "hidden": hidden, **found}


def figures_of(request, dashboard: Dashboard) -> tuple[str, Figures]:
    """The handler asked for (``?handler=``, '' for the unit) and their figures."""
    handler = text(request, "handler", "")
    if not handler:
        return "", dashboard.total
    return handler, dashboard.people.get(handler, Figures())


def _checked_unit(context, request) -> Dashboard:
    if not can_see_registers(request, context.unit_code):
        raise HTTPForbidden()
    no_store(request)
    return unit_dashboard(request, context)


def _checked_person(request) -> tuple[str, Dashboard]:
    login = login_of(request)
    if not login:
        raise HTTPForbidden()
    no_store(request)
    return login, person_dashboard(request, login)


def window_json(dashboard: Dashboard) -> dict:
    return {
        "moment": machine_time(dashboard.moment),
        "due_soon_until": machine_time(dashboard.soon),
        "due_soon_days": SOON_DAYS,
        "month": dashboard.month,
    }


def people_rows(request, dashboard: Dashboard) -> list[dict]:
    """Each handler of the unit with their counts, by name."""
    rows = [
        {"handler": h, "title": handler_title(request, h), "counts": f.counts(PERSONAL)}
        for h, f in dashboard.people.items()
    ]
    return sorted(rows, key=lambda r: (not r["handler"].startswith("user:"), r["title"]))


@api_view(context=IOffice, name="@documents-dashboard", request_method="GET", permission=VIEW)
@api_params(
    *LIST_PARAMS, Param("handler", "query", _("Người hoặc đơn vị xử lý: user:<tên>, unit:<mã>"))
)
def unit_dashboard_json(context, request):
    """The unit's deadlines dashboard: counts, each handler's, and one list."""
    dashboard = _checked_unit(context, request)
    name = chosen_list(request, "overdue")
    handler, figures = figures_of(request, dashboard)
    unit = context.__parent__
    return {
        "@id": get_ui(request).url(context, "@documents-dashboard"),
        "unit": {"code": context.unit_code, "title": unit.title},
        **window_json(dashboard),
        "counts": dashboard.total.counts(),
        "statuses": dashboard.statuses,
        "people": people_rows(request, dashboard),
        "list": list_json(request, dashboard, figures, name, handler),
    }


@api_view(context=ISite, name="@my-documents", request_method="GET", permission=VIEW)
@api_params(*LIST_PARAMS)
def my_documents_json(context, request):
    """The requester's documents across units: counts and one list (in progress,
    overdue first, by default)."""
    login, dashboard = _checked_person(request)
    name = chosen_list(request, "in_progress", PERSONAL)
    return {
        "@id": get_ui(request).url(context, "@my-documents"),
        "login": login,
        **window_json(dashboard),
        "counts": dashboard.total.counts(PERSONAL),
        "list": list_json(request, dashboard, dashboard.total, name),
    }


def page(request, context, template: str, **values) -> Response:
    """The page of ``templates/registers/<template>``, with the shared macros
    (``parts``)."""
    parts = get_templates(request.registry)["registers/parts.pt"]
    body = render_template(request, f"registers/{template}", context=context, parts=parts, **values)
    return Response(body, content_type="text/html", charset="utf-8")


def _link(url: str, name: str, handler: str = "") -> str:
    """The page at ``url`` showing list ``name`` (of ``handler``)."""
    query = {"list": name, **({"handler": handler} if handler else {})}
    return f"{url}?{urlencode(query)}#danh-sach"


def _list_values(request, dashboard, figures, name, handler, who) -> dict:
    batch, rows, hidden = listing(request, dashboard, figures, name)
    translate = request.localizer.translate
    title = translate(TITLES[name])
    if who:
        title = f"{title}: {who}"
    return {"list_title": title, "batch": batch, "rows": rows, "hidden": hidden}


@view_config(context=IOffice, name=UNIT_PAGE, permission=VIEW)
def unit_dashboard_page(context, request):
    """The unit's dashboard page."""
    dashboard = _checked_unit(context, request)
    name = chosen_list(request, "overdue")
    handler, figures = figures_of(request, dashboard)
    ui = get_ui(request)
    url = ui.url(context, "@@" + UNIT_PAGE)
    translate = request.localizer.translate
    unit = context.__parent__
    people = people_rows(request, dashboard)
    for person in people:
        person["links"] = {n: _link(url, n, person["handler"]) for n in PERSONAL}
    who = handler_title(request, handler) if handler else ""
    return page(
        request,
        context,
        "dashboard.pt",
        title=translate(_("Bảng điều khiển văn bản: ${unit}", mapping={"unit": unit.title})),
        dashboard=dashboard,
        soon_days=SOON_DAYS,
        summary=[
            {"name": n, "title": translate(TITLES[n]), "count": c, "url": _link(url, n)}
            for n, c in dashboard.total.counts().items()
        ],
        people=people,
        columns=[translate(TITLES[n]) for n in PERSONAL],
        buckets=PERSONAL,
        show_unit=False,
        registers_url=ui.url(context, "@@so-van-ban-den"),
        json_url=ui.url(context, "@documents-dashboard"),
        **_list_values(request, dashboard, figures, name, handler, who),
    )


@view_config(context=ISite, name=MINE_PAGE, permission=VIEW)
def my_documents_page(context, request):
    """The requester's documents page."""
    login, dashboard = _checked_person(request)
    name = chosen_list(request, "in_progress", PERSONAL)
    ui = get_ui(request)
    url = ui.url(context, "@@" + MINE_PAGE)
    translate = request.localizer.translate
    return page(
        request,
        context,
        "mine.pt",
        title=translate(_("Văn bản của tôi")),
        dashboard=dashboard,
        soon_days=SOON_DAYS,
        summary=[
            {"name": n, "title": translate(TITLES[n]), "count": c, "url": _link(url, n)}
            for n, c in dashboard.total.counts(PERSONAL).items()
        ],
        json_url=ui.url(context, "@my-documents"),
        show_unit=True,
        **_list_values(request, dashboard, dashboard.total, name, "", ""),
    )
