"""The catalog's import and export pages (the model: :mod:`plugins.services.exchange`).

- ``@@xuat-json``, ``@@xuat-csv``, ``@@xuat-excel``: the procedures the requester
  may view (anonymous visitors: the published ones), filtered by the browse page's
  parameters (``field``, ``tier``, ``level``, ``online``, ``agency``, ``q``),
  ordered by code, as a file to download;
- ``@@nhap``: the upload form (for those who may add to the catalog): with every
  row valid, the procedures are added or updated and the counts shown; otherwise
  the page lists each problem by line (status 400) and nothing is changed.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.response import Response
from pyramid.view import view_config

from core.errors import error_response
from core.i18n import _
from core.permissions import ADD, VIEW
from core.tabular import ImportFailed, limits_of, problem_text, read_limited
from core.views.forms import flash
from plugins.services.browse import BrowseError
from plugins.services.exchange.export import WRITERS, services_of
from plugins.services.exchange.importing import ImportSummary, import_services
from plugins.services.exchange.reading import read_file
from plugins.services.exchange.records import MEDIA_TYPES
from plugins.services.interfaces import IServiceCatalog

#: The name of downloaded files (with the format's extension).
FILENAME = "thu-tuc-hanh-chinh"
#: Problems an import page lists, at most (the rest are counted).
SHOWN_PROBLEMS = 300
#: The export views: view name -> format.
EXPORTS = {"xuat-json": "json", "xuat-csv": "csv", "xuat-excel": "xlsx"}


def export_response(context, request, kind: str):
    """The procedures as a ``kind`` file (``json``, ``csv``, ``xlsx``) to download."""
    try:
        services = services_of(request, context, request.GET)
    except BrowseError as exc:
        return error_response(request, 400, message=request.localizer.translate(exc.message))
    response = Response(body=WRITERS[kind](request, services), content_type=MEDIA_TYPES[kind])
    if kind != "xlsx":
        response.charset = "utf-8"
    response.content_disposition = f'attachment; filename="{FILENAME}.{kind}"'
    return response


@view_config(context=IServiceCatalog, name="xuat-json", permission=VIEW)
def export_json(context, request):
    """``@@xuat-json``: the procedure list in the JSON format."""
    return export_response(context, request, "json")


@view_config(context=IServiceCatalog, name="xuat-csv", permission=VIEW)
def export_csv(context, request):
    """``@@xuat-csv``: the procedure list as CSV (UTF-8, for Excel)."""
    return export_response(context, request, "csv")


@view_config(context=IServiceCatalog, name="xuat-excel", permission=VIEW)
def export_xlsx(context, request):
    """``@@xuat-excel``: the procedure list as an Excel workbook."""
    return export_response(context, request, "xlsx")


def summary_text(request, summary: ImportSummary) -> str:
    """The counts of an import (or of a dry run) in a sentence."""
    mapping = {
        "created": len(summary.created),
        "updated": len(summary.updated),
        "unchanged": len(summary.unchanged),
        "fields": len(summary.fields),
    }
    if summary.dry_run:
        message = _(
            "Kiểm tra xong, chưa lưu gì: sẽ thêm ${created} thủ tục, cập nhật ${updated}, "
            "${unchanged} không đổi; ${fields} lĩnh vực mới.",
            mapping=mapping,
        )
    else:
        message = _(
            "Đã nhập: thêm ${created} thủ tục, cập nhật ${updated}, ${unchanged} không đổi; "
            "${fields} lĩnh vực mới.",
            mapping=mapping,
        )
    return request.localizer.translate(message)


@view_config(context=IServiceCatalog, name="nhap", renderer="services_import.pt", permission=ADD)
def import_view(context, request):
    """``@@nhap``: the import form; a POST imports the uploaded file (see the
    module's docstring), ``dry_run`` only checks it."""
    translate = request.localizer.translate
    page = {
        "action": request.resource_url(context, "@@nhap"),
        "cancel_url": request.resource_url(context),
        "create_fields": False,
        "dry_run": False,
        "message": "",
        "problems": [],
        "more": 0,
        "result": "",
    }
    if request.method != "POST":
        return page
    upload = request.POST.get("file")
    page["create_fields"] = bool(request.POST.get("create_fields"))
    page["dry_run"] = bool(request.POST.get("dry_run"))
    if not hasattr(upload, "file"):
        request.response.status = 400
        page["message"] = translate(_("Hãy chọn một tệp JSON, CSV hoặc Excel (.xlsx)."))
        return page
    limits = limits_of(request.registry)
    try:
        summary = import_services(
            request,
            context,
            read_file(read_limited(upload.file, limits), upload.filename or "", limits),
            create_fields=page["create_fields"],
            dry_run=page["dry_run"],
        )
    except ImportFailed as exc:
        request.response.status = 400
        problems = exc.problems
        page["message"] = translate(
            _(
                "Chưa nhập gì: tệp có ${n} lỗi, hãy sửa rồi nhập lại.",
                mapping={"n": len(problems)},
            )
        )
        page["problems"] = [problem_text(request, p) for p in problems[:SHOWN_PROBLEMS]]
        page["more"] = max(len(problems) - SHOWN_PROBLEMS, 0)
        return page
    if summary.dry_run:
        page["result"] = summary_text(request, summary)
        return page
    flash(request, summary_text(request, summary))
    return HTTPFound(request.resource_url(context))
