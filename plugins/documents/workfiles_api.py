"""The JSON API of a unit's work files, to its staff (401/403 to others):

- ``GET <unit>/van-thu/@work-files?year=``: the year's list (this year by
  default): ``{"year", "approved", "items": [...]}``;
- ``POST <unit>/van-thu/@work-files`` with ``{"code", "title", "year",
  "retention" (years or "vinh-vien"), "responsible" (a login), "note"}``: a file
  added to the year's list, 201;
- ``POST <unit>/van-thu/@work-files/approve`` with ``{"year"}``: the list approved;
- ``GET <unit>/van-thu/@work-files/<id>``: a file with its index (``documents``);
- ``POST <unit>/van-thu/@work-files/<id>/<action>``: ``open``; ``file`` with
  ``{"document", "unit", "pages", "note"}``; ``unfile`` with ``{"document"}``;
  ``close`` with ``{"closed", "sheets", "note"}``; ``archive`` with ``{"date",
  "received_by", "note"}``: the file as it is now.

Refusals are plone.restapi's errors ``{"type", "message", "errors"}`` with the
status of :class:`~plugins.documents.workfiles.WorkFileError`.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden

from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import ApiError, field_errors
from core.api.params import Param, api_body, api_params
from core.api.serialize import iso, url_of
from core.i18n import _
from core.params import text
from plugins.documents import workfiles as W
from plugins.documents import workfiles_actions as A
from plugins.documents.access import can_see_registers
from plugins.documents.interfaces import IOffice
from plugins.documents.workfiles_index import index_rows, person_title

NAME = "@work-files"
APPROVE = "approve"
TYPES = {400: "BadRequest", 403: "Forbidden", 404: "NotFound", 409: "Conflict"}
TEXT = {"type": "string"}
#: The body of each POST: a new file's fields, the year of an approval, or what an
#: action on a file takes.
BODY_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "maxLength": 30, "example": "01.VP"},
        "title": {"type": "string", "maxLength": 500},
        "year": {"type": "integer", "minimum": W.FIRST_YEAR},
        "retention": {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": W.MAX_RETENTION_YEARS},
                {"type": "string", "enum": [W.PERMANENT]},
            ]
        },
        "responsible": TEXT,
        "note": {"type": "string", "maxLength": 1000},
        "document": TEXT,
        "unit": TEXT,
        "pages": {"type": "integer", "minimum": 1},
        "closed": {"type": "string", "format": "date"},
        "sheets": {"type": "integer", "minimum": 1},
        "date": {"type": "string", "format": "date"},
        "received_by": {"type": "string", "maxLength": 200},
    },
}
YEAR = Param("year", "query", _("Năm của danh mục"), {"type": "integer"})
FILE_ID = Param("id", "path", _("Mã hồ sơ"), required=False, example="hs-2026-001")
ACTION = Param(
    "action",
    "path",
    _("Thao tác"),
    {"type": "string", "enum": ["open", "file", "unfile", "close", "archive"]},
    required=False,
    example="open",
)


def refusal(request, exc: W.WorkFileError) -> ApiError:
    errors = field_errors(request, exc.errors)
    return ApiError(exc.status, exc.message, TYPES.get(exc.status, "BadRequest"), errors=errors)


def staff_only(request, office) -> None:
    if not can_see_registers(request, office.unit_code):
        raise HTTPForbidden()


def file_json(request, work_file, with_index: bool = False) -> dict:
    """A file as the API shows it (with its index when asked)."""
    office = work_file.__parent__
    closing, handover = work_file.closing, work_file.handover
    found = {
        "@id": f"{url_of(request, office)}/{NAME}/{work_file.id}",
        "id": work_file.id,
        "code": work_file.code,
        "title": work_file.title,
        "year": work_file.year,
        "retention": work_file.retention,
        "responsible": work_file.responsible,
        "responsible_title": person_title(request, work_file.responsible),
        "note": work_file.note,
        "state": work_file.state,
        "state_title": request.localizer.translate(W.STATES[work_file.state]),
        "approved": iso(work_file.approved),
        "opened": iso(work_file.opened),
        "documents_count": len(work_file.filings),
        "closing": {
            "closed": iso(closing.day),
            "sheets": closing.sheets,
            "note": closing.note,
            "by": closing.by,
        }
        if closing
        else None,
        "handover_due": iso(work_file.handover_due),
        "handover": {
            "date": iso(handover.day),
            "received_by": handover.received_by,
            "note": handover.note,
            "by": handover.by,
        }
        if handover
        else None,
    }
    if with_index:
        found["documents"] = [
            {**row, "filed": iso(row["filed"]), "@id": f"{url_of(request, office)}/{row['id']}"}
            for row in index_rows(request, work_file)
        ]
    return found


def _year(request) -> int:
    try:
        return A.year_of(text(request, "year"))
    except W.WorkFileError as exc:
        raise refusal(request, exc) from None


def _file(request, office) -> W.WorkFile:
    try:
        return W.find_file(office, request.subpath[0])
    except W.WorkFileError as exc:
        raise refusal(request, exc) from None


@api_view(context=IOffice, name=NAME, request_method="GET")
@api_params(FILE_ID, YEAR)
def work_files_get(context, request):
    """The year's list of files (or one file with its index), to the unit's staff."""
    staff_only(request, context)
    if len(request.subpath) > 1:
        raise ApiError(404, _("Không có hồ sơ này."), "NotFound")
    if request.subpath:
        return file_json(request, _file(request, context), with_index=True)
    year = _year(request)
    files = W.files_of(context, year)
    return {
        "@id": f"{url_of(request, context)}/{NAME}?year={year}",
        "year": year,
        "approved": any(f.state != W.PLANNED for f in files),
        "items": [file_json(request, f) for f in files],
        "items_total": len(files),
    }


def _act(request, office, work_file, action: str, body: dict) -> None:
    if action == "open":
        A.open_file(request, work_file)
    elif action == "file":
        document = A.find_document(request, office, body.get("document"), body.get("unit"))
        A.file_document(request, work_file, document, body.get("pages"), body.get("note", ""))
    elif action == "unfile":
        A.unfile(request, work_file, body.get("document"))
    elif action == "close":
        A.close_file(request, work_file, body)
    elif action == "archive":
        A.archive_file(request, work_file, body)
    else:
        raise W.WorkFileError(_("Không có thao tác này."), 404)


@api_view(context=IOffice, name=NAME, request_method="POST")
@api_params(FILE_ID, ACTION)
@api_body(BODY_SCHEMA)
def work_files_post(context, request):
    """Add a file to the year's list (201), approve the list, or act on a file."""
    staff_only(request, context)
    body = read_json(request, required=not request.subpath)
    path = request.subpath
    try:
        if not path:
            work_file = A.create_file(request, context, body)
            request.response.status = 201
            request.response.headers["Location"] = file_json(request, work_file)["@id"]
            return file_json(request, work_file)
        if tuple(path) == (APPROVE,):
            approved = A.approve_list(request, context, body.get("year"))
            return {"year": approved[0].year, "approved": len(approved)}
        if len(path) != 2:
            raise W.WorkFileError(_("Cần một thao tác: @work-files/<mã hồ sơ>/<thao tác>."), 404)
        work_file = W.find_file(context, path[0])
        _act(request, context, work_file, path[1], body)
    except W.WorkFileError as exc:
        raise refusal(request, exc) from None
    return file_json(request, work_file, with_index=True)
