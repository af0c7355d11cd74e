"""The pages of a unit's work files, to its staff (others: the login page, or 403):

- ``<unit>/van-thu/@@ho-so-cong-viec?year=``: the year's list with each file's
  state and documents; forms to add a file and to approve the list;
- ``<unit>/van-thu/@@ho-so-cong-viec/<id>``: a file, its documents, and the forms
  to open it, file a document, close it and hand it to the archive; every form
  posts to ``@@ho-so-cong-viec`` (``action``, ``file``), answered by a redirect,
  or by the page again with the reason and a 4xx;
- ``<unit>/van-thu/@@muc-luc-van-ban/<id>`` and ``@@danh-muc-ho-so?year=``: the
  printed index and list (``?format=pdf``: as PDF);
- ``<unit>/van-thu/<document>/@@luu-ho-so`` (POST ``file``, ``pages``, ``note``):
  files a document from its page, whose box :func:`filing_box` renders.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from core.errors import error_response
from core.i18n import _
from core.params import BadParameter, text
from core.printing import print_response
from core.theme import render_template
from core.ui import get_ui
from core.views.forms import flash
from plugins.documents import workfiles as W
from plugins.documents import workfiles_actions as A
from plugins.documents.access import (
    STAFF_ROLES,
    can_see_registers,
    can_view,
    has_role,
    login_of,
)
from plugins.documents.interfaces import IOffice, IRegisteredDocument
from plugins.documents.workfiles_index import (
    INDEX_FORM,
    LIST_FORM,
    index_rows,
    index_values,
    list_values,
    person_title,
)

LIST_VIEW = "ho-so-cong-viec"
INDEX_VIEW = "muc-luc-van-ban"
LIST_PRINT_VIEW = "danh-muc-ho-so"
FILING_VIEW = "luu-ho-so"
#: The retentions the form offers (the API takes any number of years).
RETENTIONS = (W.PERMANENT, 70, 50, 20, 10, 5, 2)
#: The names of the fields a refusal may name.
LABELS = {
    **{field.name: field.label for field in A.FIELDS},
    "year": _("Năm"),
    "retention": _("Thời hạn bảo quản"),
    "document": _("Văn bản"),
    "pages": _("Số tờ"),
    "closed": _("Ngày kết thúc"),
    "sheets": _("Tổng số tờ"),
    "date": _("Ngày nộp lưu"),
    "received_by": A.RECEIVER.label,
}
#: What each posted action does, and what it says when done.
DONE = {
    "add": _("Đã thêm hồ sơ ${code} vào danh mục năm ${year}."),
    "approve": _("Đã duyệt danh mục hồ sơ năm ${year}."),
    "open": _("Đã mở hồ sơ ${code}."),
    "file": _("Đã lưu văn bản vào hồ sơ ${code}."),
    "unfile": _("Đã bỏ văn bản khỏi hồ sơ ${code}."),
    "close": _("Đã kết thúc hồ sơ ${code}."),
    "archive": _("Đã ghi nhận nộp lưu hồ sơ ${code}."),
}


def staff_only(request, office) -> None:
    """The unit's staff go on; others are sent to log in, or refused (403)."""
    if not can_see_registers(request, office.unit_code):
        raise HTTPForbidden()


def _private(request, body: str, status: int = 200) -> Response:
    response = Response(body, status=status, content_type="text/html", charset="utf-8")
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def _year(request) -> int:
    """The year the query asks for (this year by default); 400 when it is none."""
    try:
        return A.year_of(text(request, "year"))
    except W.WorkFileError as error:
        raise BadParameter(error.message) from None


def _staff_choices(request, office) -> list[tuple[str, str]]:
    """``(login, name)`` of the unit's staff (local roles on its subsite)."""
    users = request.root.principals.users
    found = [
        (login, person_title(request, login))
        for login, roles in getattr(office.__parent__, "local_roles", {}).items()
        if login in users and set(roles) & STAFF_ROLES
    ]
    return sorted(found, key=lambda pair: pair[1])


def _retention_choices(request) -> list[tuple[str, str]]:
    translate = request.localizer.translate
    return [(str(r), translate(W.retention_label(r))) for r in RETENTIONS]


def _row(request, ui, office, work_file, today) -> dict:
    due = work_file.handover_due
    return {
        "id": work_file.id,
        "url": ui.url(office, "@@" + LIST_VIEW, work_file.id),
        "code": work_file.code,
        "title": work_file.title,
        "retention": request.localizer.translate(W.retention_label(work_file.retention)),
        "responsible": person_title(request, work_file.responsible),
        "state": request.localizer.translate(W.STATES[work_file.state]),
        "count": len(work_file.filings),
        "due": due if work_file.state == W.CLOSED else None,
        "late": work_file.state == W.CLOSED and due is not None and due < today,
    }


def _problems(request, error) -> dict:
    """What the page says of a refusal: its message and each field's problem."""
    if error is None:
        return {"error": "", "problems": []}
    translate = request.localizer.translate
    return {
        "error": translate(error.message),
        "problems": [
            f"{translate(LABELS.get(name, name))}: {translate(message)}"
            for name, message in error.errors.items()
        ],
    }


def list_page(request, office, year: int, error=None, form=None) -> Response:
    """The year's list page (with the refusal ``error`` and the posted ``form``)."""
    ui = get_ui(request)
    files = W.files_of(office, year)
    approved = any(f.state != W.PLANNED for f in files)
    leader = has_role(request, office.unit_code, "Leader")
    today = A.today()
    body = render_template(
        request,
        "workfiles/page_list.pt",
        context=office,
        office=office,
        year=year,
        years=[y for y in (year - 1, year + 1) if W.FIRST_YEAR <= y <= today.year + 1],
        list_url=lambda y: ui.url(office, "@@" + LIST_VIEW, year=y),
        rows=[_row(request, ui, office, f, today) for f in files],
        approved=approved,
        can_add=A.may_add(request, office) and (leader or not approved),
        can_approve=leader and bool(files) and not approved,
        staff=_staff_choices(request, office),
        retentions=_retention_choices(request),
        form=form or {"responsible": login_of(request), "retention": "10"},
        action=ui.url(office, "@@" + LIST_VIEW),
        print_url=ui.url(office, "@@" + LIST_PRINT_VIEW, year=year),
        **_problems(request, error),
    )
    return _private(request, body, error.status if error else 200)


def file_page(request, work_file, error=None) -> Response:
    """A file's page (with the refusal ``error`` of an action on it)."""
    ui = get_ui(request)
    office = work_file.__parent__
    manage = A.may_manage(request, work_file)
    files = (
        has_role(request, office.unit_code, "Clerk") or login_of(request) == work_file.responsible
    )
    rows = index_rows(request, work_file)
    for row in rows:
        row["url"] = ui.url(office, row["id"])
    body = render_template(
        request,
        "workfiles/page_file.pt",
        context=office,
        office=office,
        work_file=work_file,
        state=request.localizer.translate(W.STATES[work_file.state]),
        retention=request.localizer.translate(W.retention_label(work_file.retention)),
        responsible=person_title(request, work_file.responsible),
        rows=rows,
        can_open=manage and work_file.state == W.APPROVED,
        can_file=files and work_file.state == W.OPEN,
        can_close=manage and work_file.state == W.OPEN and bool(rows),
        can_archive=manage and work_file.state == W.CLOSED,
        today=A.today().isoformat(),
        action=ui.url(office, "@@" + LIST_VIEW),
        list_url=ui.url(office, "@@" + LIST_VIEW, year=work_file.year),
        print_url=ui.url(office, "@@" + INDEX_VIEW, work_file.id),
        **_problems(request, error),
    )
    return _private(request, body, error.status if error else 200)


def _file_of(request, office, raw) -> W.WorkFile:
    try:
        return W.find_file(office, raw)
    except W.WorkFileError:
        raise HTTPNotFound() from None


@view_config(context=IOffice, name=LIST_VIEW, request_method="GET")
def work_files_view(context, request):
    """The year's list, or one file (``@@ho-so-cong-viec/<id>``)."""
    staff_only(request, context)
    if not request.subpath:
        return list_page(request, context, _year(request))
    if len(request.subpath) != 1:
        raise HTTPNotFound()
    return file_page(request, _file_of(request, context, request.subpath[0]))


def _perform(request, office, action: str):
    """Do the posted ``action``; the file concerned (None for the list's) and the
    values of the message saying it is done."""
    post = request.POST
    if action == "add":
        work_file = A.create_file(request, office, {k: post.get(k, "") for k in A.RAW_FIELDS})
        return None, {"code": work_file.code, "year": work_file.year}
    if action == "approve":
        year = A.year_of(post.get("year", ""))
        A.approve_list(request, office, year)
        return None, {"year": year}
    work_file = W.find_file(office, post.get("file", ""))
    if action == "open":
        A.open_file(request, work_file)
    elif action == "file":
        document = A.find_document(request, office, post.get("document", ""))
        A.file_document(request, work_file, document, post.get("pages"), post.get("note", ""))
    elif action == "unfile":
        A.unfile(request, work_file, post.get("document", ""))
    elif action == "close":
        A.close_file(request, work_file, dict(post))
    else:
        A.archive_file(request, work_file, dict(post))
    return work_file, {"code": work_file.code}


@view_config(context=IOffice, name=LIST_VIEW, request_method="POST")
def work_files_post(context, request):
    """Do what a form of the pages posted; back to the page it came from."""
    staff_only(request, context)
    action = request.POST.get("action", "")
    if action not in DONE:
        raise BadParameter(_("Không có thao tác này."))
    try:
        work_file, mapping = _perform(request, context, action)
    except W.WorkFileError as error:
        request.tm.doom()
        found = context.work_files.get(request.POST.get("file", ""))
        if found is not None and action != "add":
            return file_page(request, found, error)
        year = A.parse_year(request.POST.get("year", ""), {}) or A.today().year
        return list_page(
            request, context, year, error, dict(request.POST) if action == "add" else None
        )
    flash(request, _(DONE[action], mapping=mapping))
    ui = get_ui(request)
    if work_file is None:
        return HTTPFound(ui.url(context, "@@" + LIST_VIEW, year=mapping["year"]))
    return HTTPFound(ui.url(context, "@@" + LIST_VIEW, work_file.id))


@view_config(context=IOffice, name=INDEX_VIEW, request_method="GET")
def index_print(context, request):
    """A file's index of documents, printed (``?format=pdf``: a PDF)."""
    staff_only(request, context)
    if len(request.subpath) != 1:
        raise HTTPNotFound()
    work_file = _file_of(request, context, request.subpath[0])
    filename = f"muc-luc-van-ban-{work_file.code}-{work_file.year}"
    return print_response(request, INDEX_FORM, index_values(request, work_file), filename)


@view_config(context=IOffice, name=LIST_PRINT_VIEW, request_method="GET")
def list_print(context, request):
    """The year's list of files, printed (``?format=pdf``: a PDF)."""
    staff_only(request, context)
    year = _year(request)
    filename = f"danh-muc-ho-so-{context.unit_code}-{year}"
    return print_response(request, LIST_FORM, list_values(request, context, year), filename)


# filing a document from its page ------------------------------------------------------
#: The years back a document's page looks for open files.
OPEN_YEARS = 3


def open_files(office) -> list[W.WorkFile]:
    """The office's open files of the last years, the latest year first."""
    last = A.today().year + 1
    years = range(last, last - OPEN_YEARS - 1, -1)
    return [f for year in years for f in W.files_of(office, year) if f.state == W.OPEN]


def filing_box(request, document) -> str:
    """The box a document's page shows (to those who see the document): the file
    it is in, or a form filing it into one of the open files for those who may;
    '' when there is neither."""
    office = document.__parent__
    current = office.work_files.get(document.work_file) if document.work_file else None
    choices = [] if current is not None else open_files(office)
    choices = [f for f in choices if A.may_file(request, f, document)]
    if current is None and not choices:
        return ""
    ui = get_ui(request)
    staff = can_see_registers(request, office.unit_code)
    return render_template(
        request,
        "workfiles/filing.pt",
        context=document,
        current=current,
        current_url=ui.url(office, "@@" + LIST_VIEW, current.id) if current and staff else "",
        choices=[(f.id, f"{f.code} – {f.title} ({f.year})") for f in choices],
        action=ui.url(document, "@@" + FILING_VIEW),
    )


@view_config(context=IRegisteredDocument, name=FILING_VIEW, request_method="POST")
def filing_post(context, request):
    """File the document into the posted file; back to its page, or the reason
    with a 4xx."""
    office = context.__parent__
    if request.identity is None:
        raise HTTPForbidden()
    if not can_view(request, context):
        raise HTTPNotFound()
    try:
        work_file = W.find_file(office, request.POST.get("file", ""))
        A.file_document(
            request, work_file, context, request.POST.get("pages"), request.POST.get("note", "")
        )
    except W.WorkFileError as error:
        request.tm.doom()
        request.context = office  # a document has no title for the page's breadcrumbs
        message = request.localizer.translate(error.message)
        return error_response(request, error.status, message=message)
    flash(request, _(DONE["file"], mapping={"code": work_file.code}))
    return HTTPFound(get_ui(request).url(context))
