"""``@subsites``: the units' sites through the JSON API.

``GET /@subsites`` on the portal lists every subsite in title order, batched with ``b_start`` and ``b_size`` like folder
items and filtered with ``unit_kind`` and ``parent_code``::

    {"@id": ..., "items_total": 2, "items": [{"@id", "title", "unit_kind",
     "parent_code", "code", "hostnames"}], "batching": {...}}

It is answered from the catalog (the kind, codes and hosts are catalog fields
stored as metadata, see :mod:`subsites.catalog_fields`): no subsite is loaded. Each
subsite is also content: ``GET``, ``PATCH`` and ``DELETE`` on its URL and ``POST``
of ``{"@type": "Subsite", ...}`` to the portal work as for any content.
"""

from __future__ import annotations

import catalog
from core.api import api_view
from core.api.errors import not_allowed
from core.batching import Batch, batch_params
from core.interfaces import ISite
from core.permissions import VIEW
from subsites.catalog_fields import CODE, HOSTS, KIND, PARENT
from subsites.content import TYPE_NAME

#: Subsites listed per page unless ``b_size`` says otherwise.
PAGE_SIZE = 50
#: Longest filter value kept.
MAX_FILTER = 40


def subsite_item(request, record) -> dict:
    """One subsite of the listing, from its catalog record."""
    meta = record.metadata
    return {
        "@id": record.url(request).rstrip("/"),
        "@type": record.type_name,
        "title": record.title,
        "unit_kind": meta.get(KIND, ""),
        "parent_code": meta.get(PARENT, ""),
        "code": meta.get(CODE, ""),
        "hostnames": list(meta.get(HOSTS) or ()),
    }


def filters(request) -> dict:
    """The ``unit_kind`` and ``parent_code`` filters asked for (``parent_code=``
    empty: the units directly under the province)."""
    found = {}
    for param in ("unit_kind", "parent_code"):
        values = request.GET.getall(param)
        if values and isinstance(values[0], str):
            found[param] = values[0].strip()[:MAX_FILTER]
    return found


@api_view(context=ISite, name="@subsites", request_method="GET", permission=VIEW)
def subsites_view(context, request):
    """The subsites the requester may view, a page of them."""
    start, size = batch_params(request, PAGE_SIZE)
    results = catalog.search(
        request,
        types=(TYPE_NAME,),
        fields=filters(request) or None,
        sort_on="sortable_title",
        sort_order="ascending",
        start=start,
        size=size,
    )
    batch = Batch(results.records, results.total, start, size, request)
    items = [subsite_item(request, record) for record in results.records]
    return {"@id": request.url, **batch.as_json(items)}


@api_view(context=ISite, name="@subsites", require_csrf=False)
def subsites_other_methods(context, request):
    raise not_allowed("GET")
