"""The library in plone.restapi's form.

- ``GET <document>`` (JSON): the kernel's form of the object with every field, its
  kind ``{"token", "title", "abbreviation"}``, its status ``{"token", "title"}``
  (today's: "chưa có hiệu lực" while its effective date is to come), the
  documents it links to and from as ``{"@id", "UID", "number", "title"}`` and its
  files with their ``download`` (and, a PDF, ``view``) addresses;
- ``GET <portal, subsite or library>/@legal-documents``: the documents the
  library there browses, with the filters of its page
  (:class:`plugins.documents.library_browse.LibraryQuery`), answering ``{"@id",
  "items_total", "items", "batching", "facets"}`` from catalog records only; a
  filter that cannot be read answers 400 ``{"type": "BadRequest", "message"}``.
"""

from __future__ import annotations

from core.api import api_view
from core.api.components import CONTENT_PARAMS, full_json
from core.api.errors import not_allowed
from core.api.params import BATCH_PARAMS, Param, api_params
from core.api.serialize import iso, url_of
from core.batching import Batch
from core.i18n import _
from core.interfaces import INavigationRoot
from core.permissions import VIEW
from core.ui import get_ui
from plugins.documents.doctypes import BY_CODE
from plugins.documents.legal import DOCUMENT, STATUS_LABELS, ILegalDocument, ILegalLibrary, today
from plugins.documents.library_browse import FIRST_YEAR, LAST_YEAR, LibraryQuery
from plugins.documents.library_listing import ordered_options, rows, scope_of
from plugins.documents.library_types import unit_of, unit_title
from plugins.documents.library_views import LINK_LABELS, file_urls, visible_documents


def choice(request, token: str, labels: dict) -> dict | None:
    """``{"token", "title"}`` of a value of a vocabulary, None for none."""
    if not token:
        return None
    label = labels.get(token)
    return {"token": token, "title": request.localizer.translate(label) if label else token}


def kind_json(request, code: str) -> dict | None:
    kind = BY_CODE.get(code)
    if kind is None:
        return None
    title = request.localizer.translate(kind.title)
    return {"token": kind.code, "title": title, "abbreviation": kind.abbreviation}


def linked_json(request, uids) -> list[dict]:
    """The documents of ``uids`` the requester may view, as short objects."""
    return [
        {"@id": url_of(request, d), "UID": d.uid, "number": d.number, "title": d.title}
        for d in visible_documents(request, uids)
    ]


def files_json(request, document) -> list[dict]:
    files = []
    for attachment in document.attachments:
        download, view = file_urls(request, document, attachment)
        files.append(
            {**attachment.file_info(), "download": download, **({"view": view} if view else {})}
        )
    return files


def document_json(request, document) -> dict:
    """The full JSON form of a legal document (see the module's docstring)."""
    data = full_json(request, document)
    status = document.status_at(today())
    unit = unit_of(request, document)
    data.update(
        kind=kind_json(request, document.kind),
        status=choice(request, status, STATUS_LABELS),
        stored_status=document.status,
        in_force_from=iso(document.in_force_from),
        unit={"@id": url_of(request, unit), "title": unit_title(request, document)},
        attachments=files_json(request, document),
        **{name: linked_json(request, getattr(document, name)) for name, _label in LINK_LABELS},
    )
    return data


@api_view(context=ILegalDocument, request_method="GET", permission=VIEW)
@api_params(*CONTENT_PARAMS)
def get_document(context, request):
    return document_json(request, context)


def item_json(request, row) -> dict:
    """A document of a listing, from its row (its catalog record)."""
    return {
        "@id": row.url.rstrip("/"),
        "@type": DOCUMENT,
        "UID": row.uid,
        "title": row.title,
        "number": row.number,
        "kind": kind_json(request, row.kind_code),
        "issuing_body": row.body,
        "field": {"token": row.field, "title": row.field_label} if row.field else None,
        "issue_date": iso(row.issued),
        "in_force_from": iso(row.in_force_from),
        "status": {"token": row.status, "title": row.status_label},
        "unit": {"path": row.unit_path, "title": row.unit},
        "review_state": row.state,
    }


def documents_json(request, context) -> dict:
    """The answer of ``@legal-documents`` for the request's parameters."""
    browse = LibraryQuery.from_request(request)
    scope = scope_of(context)

    def compute():
        page = browse.run(request, scope)
        items = [item_json(request, row) for row in rows(request, page.records)]
        facets = {
            name: [
                {"token": value, "title": label, "count": n}
                for value, label, n in ordered_options(request, name, counts)
            ]
            for name, counts in page.counts.items()
        }
        return page.total, items, facets

    if browse.text:
        total, items, facets = compute()
    else:
        key = f"legal.api {url_of(request, context)} {today()} {browse.key()}"
        total, items, facets = get_ui(request).cached(key, compute)
    batch = Batch(items, total, browse.start, browse.size, request)
    return {"@id": request.url, **batch.as_json(items), "facets": facets}


BROWSE_PARAMS = (
    Param("q", "query", _("Tìm theo số, ký hiệu, trích yếu, nội dung (không cần dấu)")),
    Param("kind", "query", _("Loại văn bản (mã, ví dụ quyet-dinh)"), example="quyet-dinh"),
    Param("body", "query", _("Cơ quan ban hành")),
    Param("field", "query", _("Lĩnh vực (mã)")),
    Param(
        "year",
        "query",
        _("Năm ban hành"),
        schema={"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
    ),
    Param("status", "query", _("Tình trạng hiệu lực (mã)"), example="con-hieu-luc"),
    Param("unit", "query", _("Đơn vị (ở cổng tỉnh): đường dẫn trang của đơn vị, / cho tỉnh")),
    *BATCH_PARAMS,
)


@api_view(context=INavigationRoot, name="@legal-documents", request_method="GET", permission=VIEW)
@api_view(context=ILegalLibrary, name="@legal-documents", request_method="GET", permission=VIEW)
@api_params(*BROWSE_PARAMS)
def legal_documents(context, request):
    return documents_json(request, context)


@api_view(context=INavigationRoot, name="@legal-documents", require_csrf=False)
@api_view(context=ILegalLibrary, name="@legal-documents", require_csrf=False)
def other_methods(context, request):
    raise not_allowed("GET")
