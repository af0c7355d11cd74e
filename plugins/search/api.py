"""``@search`` and ``@suggest``: the search API in plone.restapi's form.

``GET /path/@search?SearchableText=...`` answers ``{"@id", "items_total", "items",
"batching", "facets"}`` (``batching`` only when there is more than one page, as for
folders); it searches the context's subtree unless ``path.query`` names another
path. ``GET /path/@suggest?q=...`` answers ``{"items": [{"title", "@id"}]}``: the
items whose titles complete what was typed, each with its own address (choosing a
suggestion opens the item).
"""

from __future__ import annotations

import catalog
from core.api import api_view
from core.api.errors import not_allowed
from core.api.serialize import record_summary
from core.batching import Batch
from core.interfaces import INavigationRoot
from core.permissions import VIEW
from plugins.search.query import api_facets, api_query, clean_text, first

#: Characters of ``q`` kept for suggestions.
MAX_PREFIX_LENGTH = 100
#: Shortest ``q`` that gets suggestions.
MIN_PREFIX_LENGTH = 2
#: Suggestions given at most.
SUGGESTIONS = 8


def search_json(request, context) -> dict:
    """The answer of ``@search`` for the request's parameters."""
    query = api_query(request, context)
    results = query.run(request)
    batch = Batch(results.records, results.total, query.start, query.size, request)
    items = [record_summary(request, record) for record in results.records]
    data = {"@id": request.url, **batch.as_json(items)}
    data["facets"] = {
        name: {str(value): count for value, count in results.facets.get(facet, {}).items()}
        for name, facet in api_facets(request.GET, request.registry).items()
    }
    return data


def suggest_json(request, context) -> dict:
    """The answer of ``@suggest``: titles completing ``q``, for the requester."""
    prefix = clean_text(first(request.GET, "q"))[:MAX_PREFIX_LENGTH]
    records = []
    if len(prefix) >= MIN_PREFIX_LENGTH:
        records = catalog.suggest_records(request, prefix, limit=SUGGESTIONS)
    return {"items": [{"title": r.title, "@id": r.url(request)} for r in records]}


@api_view(context=INavigationRoot, name="@search", request_method="GET", permission=VIEW)
def search_view(context, request):
    return search_json(request, context)


@api_view(context=INavigationRoot, name="@suggest", request_method="GET", permission=VIEW)
def suggest_view(context, request):
    return suggest_json(request, context)


@api_view(context=INavigationRoot, name="@search", require_csrf=False)
@api_view(context=INavigationRoot, name="@suggest", require_csrf=False)
def other_methods(context, request):
    raise not_allowed("GET")
