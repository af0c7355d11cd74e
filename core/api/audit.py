"""The audit log through the API, for Managers (:mod:`core.audit`).

``GET /@audit?user=&action=&target=&from=&to=&b_start=&b_size=``: the records the
search finds, newest first, as a plone.restapi listing; ``truncated`` tells that
the search stopped reading after :data:`core.audit.search.SCAN_LIMIT` records.
"""

from __future__ import annotations

from core import audit
from core.api import api_view
from core.api.errors import not_allowed
from core.api.params import BATCH_PARAMS, Param, api_params
from core.audit.search import Search, read_query
from core.batching import Batch
from core.i18n import _
from core.interfaces import ISite
from core.permissions import VIEW_AUDIT

#: Records a page holds unless ``b_size`` says.
PAGE_SIZE = 50
TEXT = {"type": "string", "maxLength": 200}
DAY = {"type": "string", "format": "date"}


@api_view(context=ISite, name="@audit", request_method="GET", permission=VIEW_AUDIT)
@api_params(
    Param("user", "query", _("Tên đăng nhập của người thực hiện"), TEXT),
    Param("action", "query", _("Hành động (cả nhóm: login gồm login.failed)"), TEXT),
    Param("target", "query", _("Một phần của đối tượng"), TEXT),
    Param("from", "query", _("Từ ngày (YYYY-MM-DD)"), DAY),
    Param("to", "query", _("Đến ngày (YYYY-MM-DD)"), DAY),
    *BATCH_PARAMS,
)
def audit_search(context, request):
    """The audit records found, newest first."""
    search = Search(audit.audit_log(request.registry), read_query(request))
    batch = Batch.from_iterable(search, request, PAGE_SIZE)
    return dict(batch.as_json(batch.items), truncated=search.truncated)


@api_view(context=ISite, name="@audit", require_csrf=False)
def audit_other_methods(context, request):
    """405: ``@audit`` only answers GET."""
    raise not_allowed("GET")
