"""The audit log's page, for Managers (:mod:`core.audit`).

``@@nhat-ky-he-thong`` on the site searches the log (``user``, ``action``,
``target``, ``from``, ``to``) newest first, a page at a time; ``format=csv`` or
``format=json`` downloads what the search finds (at most
:data:`core.audit.export.EXPORT_LIMIT` records), and the download is itself audited.
"""

from __future__ import annotations

from itertools import islice
from urllib.parse import urlencode

from pyramid.view import view_config

from core import audit, params
from core.audit.export import EXPORT_LIMIT, FORMATS, export_response
from core.audit.search import Search, read_query
from core.batching import Batch
from core.i18n import _
from core.interfaces import ISite
from core.permissions import VIEW_AUDIT

PAGE_NAME = "nhat-ky-he-thong"
#: Records a page shows unless ``b_size`` says.
PAGE_SIZE = 50


def export_format(request) -> str:
    """The download asked for (``csv``, ``json``), "" for the page; 400 otherwise."""
    fmt = params.text(request, "format")
    if fmt and fmt not in FORMATS:
        message = _("Định dạng phải là một trong: ${formats}.", mapping={"formats": "csv, json"})
        raise params.BadParameter(message)
    return fmt


@view_config(
    context=ISite,
    name=PAGE_NAME,
    renderer="audit.pt",
    permission=VIEW_AUDIT,
    request_method=("GET", "HEAD"),
)
def audit_page(context, request):
    """The search form and a page of the records found (or their download)."""
    query = read_query(request)
    fmt = export_format(request)
    search = Search(audit.audit_log(request.registry), query)
    if fmt:
        records = list(islice(search, EXPORT_LIMIT))
        search_text = urlencode({k: v for k, v in filters_of(request).items() if v})
        audit.record(request, "audit.export", format=fmt, rows=len(records), search=search_text)
        return export_response(records, fmt)
    batch = Batch.from_iterable(search, request, PAGE_SIZE)
    here = request.resource_url(context, "@@" + PAGE_NAME)
    shown = {k: v for k, v in filters_of(request).items() if v}
    return {
        "batch": batch,
        "filters": filters_of(request),
        "truncated": search.truncated,
        "export_urls": {
            f: request.resource_url(context, "@@" + PAGE_NAME, query=dict(shown, format=f))
            for f in FORMATS
        },
        "action_url": here,
    }


def filters_of(request) -> dict:
    """The search fields as typed (for the form and the export's record)."""
    return {
        name: params.text(request, name)[:200]
        for name in ("user", "action", "target", "from", "to")
    }
