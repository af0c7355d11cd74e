"""``@services``: the procedures a portal or a unit shows, in plone.restapi's form.

``GET <portal or subsite>/@services`` takes the browse filters of
:class:`plugins.services.browse.Browse` (``q``, ``field``, ``tier``, ``level``,
``online``, ``agency``, ``b_start``, ``b_size``) and answers ``{"@id",
"items_total", "items", "batching", "facets"}`` from catalog records only; a filter
that cannot be read answers 400 ``{"type": "BadRequest", "message"}``.
"""

from __future__ import annotations

from core.api import api_view
from core.api.errors import ApiError, not_allowed
from core.batching import Batch
from core.interfaces import INavigationRoot
from core.permissions import VIEW
from core.ui import get_ui
from plugins.services.browse import FILTERS, Browse, BrowseError, browse_key, value_label
from plugins.services.catalog_fields import AGENCY, DAYS, FIELD, LEVEL, ONLINE, TIER
from plugins.services.content import SERVICE
from plugins.services.fields import folded
from plugins.services.units import CODE_FIELD
from plugins.services.vocabulary import field_label
from subsites.interfaces import ISubsite


def service_item(request, record) -> dict:
    """A procedure of a listing, from its catalog record."""
    meta = record.metadata
    field = meta.get(FIELD) or ""
    return {
        "@id": record.url(request).rstrip("/"),
        "@type": SERVICE,
        "title": record.title,
        "code": meta.get(CODE_FIELD) or "",
        "field": {"token": field, "title": field_label(request.root, field) or field},
        "level": meta.get(LEVEL),
        "online": meta.get(ONLINE) or "",
        "tier": meta.get(TIER) or "",
        "agency": meta.get(AGENCY) or "",
        "days": meta.get(DAYS),
        "review_state": record.state,
    }


def facet_items(request, name: str, counts: dict) -> list[dict]:
    """A filter's values with their labels and counts (fields by label, others by value)."""
    items = [
        {"token": str(value), "title": value_label(request, name, str(value)), "count": count}
        for value, count in counts.items()
    ]
    key = (lambda item: folded(item["title"])) if name in ("field", "agency") else None
    return sorted(items, key=key or (lambda item: item["token"]))


def services_json(request, context) -> dict:
    """The answer of ``@services`` for the request's parameters."""
    try:
        browse = Browse.from_params(request.GET)
    except BrowseError as exc:
        raise ApiError(400, exc.message, "BadRequest") from None
    subsite = context if ISubsite.providedBy(context) else None

    def compute() -> tuple[int, list[dict], dict]:
        results = browse.run(request, subsite)
        items = [service_item(request, record) for record in results.records]
        facets = {
            name: facet_items(request, name, results.facets.get(field, {}))
            for name, field in FILTERS.items()
        }
        return results.total, items, facets

    if browse.text:
        total, items, facets = compute()
    else:  # filters only: shared until the next commit, as the browse page's results
        key = f"services.api {browse_key(browse)}"
        total, items, facets = get_ui(request).cached(key, compute)
    batch = Batch(items, total, browse.start, browse.size, request)
    return {"@id": request.url, **batch.as_json(items), "facets": facets}


@api_view(context=INavigationRoot, name="@services", request_method="GET", permission=VIEW)
def services_view(context, request):
    return services_json(request, context)


@api_view(context=INavigationRoot, name="@services", require_csrf=False)
def other_methods(context, request):
    raise not_allowed("GET")
