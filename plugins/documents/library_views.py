"""The library's pages: browsing a library (its default view), a document's page,
and a document's files (``@@tai-ve/<name>`` downloads one, ``@@xem/<name>``
shows a PDF in the browser).

A library at the portal's root browses the documents of the whole province,
with the unit as one more filter; a unit's library its own. A browse without
text (filters only) is shared until the next commit by requesters alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from core.batching import Batch
from core.blobs import blob_response
from core.formatting import human_size
from core.i18n import _
from core.interfaces import ISite
from core.permissions import ADD, VIEW
from core.ui import get_ui
from core.uids import resolve
from plugins.documents.doctypes import BY_CODE
from plugins.documents.legal import (
    STATUS_LABELS,
    ILegalDocument,
    ILegalLibrary,
    today,
)
from plugins.documents.library_browse import LibraryQuery
from plugins.documents.library_fields import FIELD_LABELS, PDF
from plugins.documents.library_listing import (
    FILTER_LABELS,
    ordered_options,
    rows,
    scope_of,
    value_label,
)
from plugins.documents.library_types import unit_title

#: The views of a document's files.
DOWNLOAD, VIEW_PDF = "tai-ve", "xem"
STYLESHEET = "plugins.documents:static/library.css"
#: The links a document's page shows, with their headings.
LINK_LABELS = (
    ("replaces", _("Văn bản này thay thế")),
    ("replaced_by", _("Bị thay thế bởi")),
    ("amends", _("Văn bản này sửa đổi, bổ sung")),
    ("amended_by", _("Được sửa đổi, bổ sung bởi")),
)


def query_string(browse: LibraryQuery) -> dict:
    """The query string of ``browse`` (its first page)."""
    query = {"q": browse.text} if browse.text else {}
    query.update({name: str(value) for name, value in browse.filters().items()})
    return query


def with_query(url: str, query: dict) -> str:
    return url + "?" + urlencode(query) if query else url


@dataclass(frozen=True)
class FilterGroup:
    """A filter (its ``<select>``) and its options' HTML, written here once per
    commit (the page's values are cached until then): the province's unit filter
    has an option per unit, which a template would render item by item on every
    request."""

    name: str
    id: str
    label: str
    options_html: str


def options_html(options, chosen: str | None) -> str:
    """The ``<option>`` elements of ``(value, label, count)`` options, escaped."""
    return "".join(
        f'<option value="{escape(value)}"{" selected" if chosen == value else ""}>'
        f"{escape(text)} ({n})</option>"
        for value, text, n in options
    )


def filter_groups(request, browse: LibraryQuery, counts: dict) -> list[FilterGroup]:
    """Each filter offered, with its values, their counts and the chosen one."""
    translate = request.localizer.translate
    chosen = {name: str(value) for name, value in browse.filters().items()}
    groups = []
    for name, label in FILTER_LABELS.items():
        if name not in counts:
            continue
        values = dict(counts[name])
        if name in chosen:
            values.setdefault(chosen[name], 0)
        html = options_html(ordered_options(request, name, values), chosen.get(name))
        groups.append(FilterGroup(name, "loc-" + name, translate(label), html))
    return groups


def browse_page(request, library) -> dict:
    """The namespace of ``legal_library.pt`` for the request's browse."""
    browse = LibraryQuery.from_request(request)
    scope = scope_of(library)
    ui = get_ui(request)
    base = ui.url(library)

    def compute():
        page = browse.run(request, scope)
        return page.total, rows(request, page.records), filter_groups(request, browse, page.counts)

    if browse.text:
        total, found, groups = compute()
    else:
        total, found, groups = ui.cached(f"legal.browse {base} {today()} {browse.key()}", compute)
    translate = request.localizer.translate
    chosen = [
        {
            "label": translate(FILTER_LABELS[name]),
            "value": value_label(request, name, str(value)),
            "remove_url": with_query(base, query_string(browse.without(name))),
        }
        for name, value in browse.filters().items()
    ]
    query = query_string(browse)
    return {
        "browse": browse,
        "rows": found,
        "batch": Batch(found, total, browse.start, browse.size, request),
        "groups": groups,
        "chosen": chosen,
        "province": ISite.providedBy(scope),
        "action": base,
        "clear_url": base if query else "",
        "json_url": with_query(ui.url(library, "++api++", "@legal-documents"), query),
        "add_url": (
            ui.url(library, "@@add", type="LegalDocument")
            if request.has_permission(ADD, library)
            else ""
        ),
        "stylesheet": request.static_url(STYLESHEET),
    }


@view_config(context=ILegalLibrary, renderer="legal_library.pt", permission=VIEW)
def library_view(context, request):
    """A library: its documents (the province's at the portal), with text search
    and filters (a filter that cannot be read: 400)."""
    return browse_page(request, context)


# a document's page ------------------------------------------------------------------
def visible_documents(request, uids) -> list:
    """The legal documents of ``uids`` the requester may view."""
    found = (resolve(request.root, uid) for uid in uids)
    return [d for d in found if ILegalDocument.providedBy(d) and request.has_permission(VIEW, d)]


def file_urls(request, document, attachment) -> tuple[str, str]:
    """The addresses to download a file of ``document`` and to read it in the
    browser ('' but for a PDF)."""
    download = request.resource_url(document, "@@" + DOWNLOAD, attachment.name)
    if attachment.content_type != PDF:
        return download, ""
    return download, request.resource_url(document, "@@" + VIEW_PDF, attachment.name)


def files_of(request, document) -> list[dict]:
    """The document's files: name, size, kind, and their addresses."""
    files = []
    for attachment in document.attachments:
        download, view = file_urls(request, document, attachment)
        pdf = attachment.content_type == PDF
        files.append(
            {
                "filename": attachment.filename,
                "size": human_size(attachment.size, request),
                "kind": "PDF" if pdf else "Word",
                "download": download,
                "view": view,
            }
        )
    return files


def library_url(request, document, **query) -> str:
    """The address of the document's library, filtered by ``query``."""
    library = document.__parent__
    return with_query(request.resource_url(library), query)


@view_config(context=ILegalDocument, renderer="legal_document.pt", permission=VIEW)
def document_view(context, request):
    """A document: every field, its status with its links, its files."""
    translate = request.localizer.translate
    kind = BY_CODE.get(context.kind)
    status = context.status_at(today())
    return {
        "kind": translate(kind.title) if kind else "",
        "abbreviation": kind.abbreviation if kind else "",
        "kind_url": library_url(request, context, kind=context.kind),
        "field": translate(FIELD_LABELS[context.field]) if context.field in FIELD_LABELS else "",
        "field_url": library_url(request, context, field=context.field),
        "status": status,
        "status_label": translate(STATUS_LABELS[status]),
        "unit": unit_title(request, context),
        "links": [
            {
                "label": translate(label),
                "documents": visible_documents(request, getattr(context, name)),
            }
            for name, label in LINK_LABELS
            if getattr(context, name)
        ],
        "files": files_of(request, context),
        "library_url": library_url(request, context),
        "stylesheet": request.static_url(STYLESHEET),
    }


def attachment_named(document, request):
    """The file of ``document`` named by the request's subpath (404 for none)."""
    if len(request.subpath) != 1:
        raise HTTPNotFound()
    found = next((a for a in document.attachments if a.name == request.subpath[0]), None)
    if found is None or not found.has_data():
        raise HTTPNotFound()
    return found


@view_config(context=ILegalDocument, name=DOWNLOAD, permission=VIEW)
def download(context, request):
    """``@@tai-ve/<name>``: a file of the document, to save."""
    attachment = attachment_named(context, request)
    response = blob_response(request, attachment.blob, attachment.content_type, attachment.filename)
    disposition = response.headers["Content-Disposition"]
    response.headers["Content-Disposition"] = "attachment;" + disposition.split(";", 1)[1]
    return response


@view_config(context=ILegalDocument, name=VIEW_PDF, permission=VIEW)
def view_pdf(context, request):
    """``@@xem/<name>``: a PDF file of the document, shown by the browser."""
    attachment = attachment_named(context, request)
    if attachment.content_type != PDF:
        raise HTTPNotFound()
    return blob_response(request, attachment.blob, PDF, attachment.filename)
