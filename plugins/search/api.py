"""``@search`` and ``@suggest``: the search API in plone.restapi's form.

``GET /path/@search?SearchableText=...`` answers ``{"@id", "items_total", "items",
"batching", "facets"}`` (``batching`` only when there is more than one page, as for
folders); it searches the subtree of any object it is asked of unless
``path.query`` names another path. ``fullobjects`` gives each item's whole JSON
form, ``metadata_fields`` (``_all``: every one) adds catalog values to the
summaries; ``sort_on``, ``sort_order`` and ``<date>.query``/``<date>.range`` are
refused with a 400 when wrong. ``GET /path/@suggest?q=...`` answers
``{"items": [{"title", "@id"}]}``: the titles completing what was typed, each
linking to the search for it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from pyramid.traversal import find_resource

import catalog
from core.api import api_view
from core.api.components import full_json
from core.api.errors import ApiError, not_allowed
from core.api.prefix import client_url
from core.api.serialize import record_summary
from core.batching import Batch
from core.i18n import _
from core.interfaces import IContent, INavigationRoot
from core.permissions import VIEW
from plugins.search.apiparams import read_metadata_fields, wants_full_objects
from plugins.search.metadata import record_metadata
from plugins.search.query import SearchQuery, api_facets, api_query, clean_text, first

#: Characters of ``q`` kept for suggestions.
MAX_PREFIX_LENGTH = 100
#: Shortest ``q`` that gets suggestions.
MIN_PREFIX_LENGTH = 2
#: Suggestions given at most.
SUGGESTIONS = 8
#: The query parameters, by view name, for the API's description.
PARAMETERS = {
    "@search": {
        "SearchableText": "words to find",
        "portal_type": "content types, repeatable (Plone's names too: Document)",
        "review_state": "workflow states, repeatable",
        "Subject": "tags, repeatable",
        "path.query": "the folder searched (default: this object)",
        "path.depth": "levels below path.query",
        "sort_on": "an index: relevance, modified, created, effective, sortable_title...",
        "sort_order": "ascending (default), descending or reverse",
        "created.query": "a date (YYYY-MM-DD), two with range minmax; also modified, effective",
        "created.range": "min, max or minmax; also modified, effective",
        "metadata_fields": "catalog values added to each item, _all for every one",
        "fullobjects": "each item's whole JSON form",
        "facets": "facets counted: portal_type, review_state, year, subsite...",
        "b_start": "first result listed",
        "b_size": "results per page",
    },
    "@suggest": {"q": "the start of a title"},
}


def run(request, query: SearchQuery) -> catalog.Results:
    """The results of ``query``; 400 for what the catalog cannot do (a text search
    sorted on the folder order...)."""
    try:
        return query.run(request)
    except catalog.QueryError as exc:
        raise ApiError(
            400,
            _("Không tìm được như yêu cầu: ${reason}.", mapping={"reason": str(exc)}),
            "BadRequest",
        ) from None


def result_objects(request, records) -> list:
    """The objects of ``records`` (one removed since it was found is left out)."""
    found = []
    for record in records:
        try:
            found.append(find_resource(request.root, record.path))
        except KeyError:
            continue
    return found


def result_items(request, records, full: bool, names: tuple[str, ...]) -> list[dict]:
    """The items of a page of results: the whole objects when ``full``, else
    summaries with the metadata ``names``."""
    if full:
        return [full_json(request, obj) for obj in result_objects(request, records)]
    return [
        {**record_summary(request, record), **record_metadata(request, record, names)}
        for record in records
    ]


def search_json(request, context) -> dict:
    """The answer of ``@search`` for the request's parameters."""
    query = api_query(request, context)
    results = run(request, query)
    batch = Batch(results.records, results.total, query.start, query.size, request)
    full, names = wants_full_objects(request.GET), read_metadata_fields(request.GET)
    items = result_items(request, results.records, full, names)
    data = {"@id": client_url(request), **batch.as_json(items)}
    data["facets"] = {
        name: {str(value): count for value, count in results.facets.get(facet, {}).items()}
        for name, facet in api_facets(request.GET, request.registry).items()
    }
    return data


def suggest_json(request, context) -> dict:
    """The answer of ``@suggest``: titles completing ``q``, for the requester."""
    prefix = clean_text(first(request.GET, "q"))[:MAX_PREFIX_LENGTH]
    titles = []
    if len(prefix) >= MIN_PREFIX_LENGTH:
        titles = catalog.suggest(request, prefix, limit=SUGGESTIONS)
    action = request.resource_url(context, "@@search")
    return {
        "items": [
            {"title": title, "@id": action + "?" + urlencode({"SearchableText": title})}
            for title in titles
        ]
    }


@api_view(context=IContent, name="@search", request_method="GET", permission=VIEW)
def search_view(context, request):
    """Search the context and everything below it (plone.restapi's parameters)."""
    return search_json(request, context)


@api_view(context=INavigationRoot, name="@suggest", request_method="GET", permission=VIEW)
def suggest_view(context, request):
    """Titles completing ``q``, each linking to its search."""
    return suggest_json(request, context)


@api_view(context=IContent, name="@search", require_csrf=False)
@api_view(context=INavigationRoot, name="@suggest", require_csrf=False)
def other_methods(context, request):
    """405: ``@search`` and ``@suggest`` are read-only."""
    raise not_allowed("GET")
