"""``@search`` and ``@suggest``: the search API in plone.restapi's form.

``GET /path/@search?SearchableText=...`` answers ``{"@id", "items_total", "items",
"batching", "facets"}`` (``batching`` only when there is more than one page, as for
folders); it searches the subtree of any object it is asked of unless
``path.query`` names another path. ``fullobjects`` gives each item's whole JSON
form, ``metadata_fields`` (``_all``: every one) adds catalog values to the
summaries; ``sort_on``, ``sort_order`` and ``<date>.query``/``<date>.range`` are
refused with a 400 when wrong. ``GET /path/@suggest?q=...`` answers
``{"items": [{"title", "@id"}]}``: the items whose titles complete what was typed,
each with its own address (choosing a suggestion opens the item).
"""

from __future__ import annotations

from pyramid.traversal import find_resource

import catalog
from core.api import api_view
from core.api.components import full_json
from core.api.errors import ApiError, not_allowed
from core.api.params import BATCH_PARAMS, Param, api_params
from core.api.serialize import record_summary
from core.batching import Batch
from core.i18n import _
from core.interfaces import IContent, INavigationRoot
from core.permissions import VIEW
from plugins.search.apiparams import (
    DATE_RANGES,
    KERNEL_DATES,
    SORT_ORDERS,
    read_metadata_fields,
    wants_full_objects,
)
from plugins.search.metadata import record_metadata
from plugins.search.query import SearchQuery, api_facets, api_query, clean_text, first

#: Characters of ``q`` kept for suggestions.
MAX_PREFIX_LENGTH = 100
#: Shortest ``q`` that gets suggestions.
MIN_PREFIX_LENGTH = 2
#: Suggestions given at most.
SUGGESTIONS = 8
STRINGS = {"type": "array", "items": {"type": "string"}}
#: The parameters of ``@search``.
SEARCH_PARAMS = (
    Param("SearchableText", "query", _("Những từ cần tìm")),
    Param(
        "portal_type",
        "query",
        _("Loại nội dung, lặp lại được (nhận cả tên của Plone: Document)"),
        STRINGS,
    ),
    Param("review_state", "query", _("Trạng thái, lặp lại được"), STRINGS),
    Param("Subject", "query", _("Từ khóa, lặp lại được"), STRINGS),
    Param("path.query", "query", _("Thư mục tìm trong đó (mặc định: nội dung này)")),
    Param("path.depth", "query", _("Số tầng dưới path.query"), {"type": "integer", "minimum": 0}),
    Param(
        "sort_on",
        "query",
        _("Sắp xếp theo: relevance, modified, created, effective, sortable_title..."),
    ),
    Param(
        "sort_order",
        "query",
        _("Thứ tự: ascending (mặc định), descending hoặc reverse"),
        {"type": "string", "enum": list(SORT_ORDERS)},
    ),
    *(
        param
        for name in KERNEL_DATES
        for param in (
            Param(
                name + ".query",
                "query",
                _("Ngày (YYYY-MM-DD); hai ngày với range minmax"),
                {"type": "array", "items": {"type": "string", "format": "date"}},
            ),
            Param(
                name + ".range",
                "query",
                _("Khoảng ngày: min, max hoặc minmax"),
                {"type": "string", "enum": list(DATE_RANGES)},
            ),
        )
    ),
    Param(
        "metadata_fields",
        "query",
        _("Các giá trị trong danh mục thêm vào mỗi mục, _all: tất cả"),
        STRINGS,
    ),
    Param("fullobjects", "query", _("Trả về mỗi mục đầy đủ như khi lấy chính nó")),
    Param(
        "facets",
        "query",
        _("Các nhóm cần đếm: portal_type, review_state, year, subsite..."),
        STRINGS,
    ),
    *BATCH_PARAMS,
)


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
    data = {"@id": batch.url, **batch.as_json(items)}
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


@api_view(context=IContent, name="@search", request_method="GET", permission=VIEW)
@api_params(*SEARCH_PARAMS)
def search_view(context, request):
    """Search the context and everything below it (plone.restapi's parameters)."""
    return search_json(request, context)


@api_view(context=INavigationRoot, name="@suggest", request_method="GET", permission=VIEW)
@api_params(Param("q", "query", _("Phần đầu của một tiêu đề")))
def suggest_view(context, request):
    """Titles completing ``q``, each linking to its search."""
    return suggest_json(request, context)


@api_view(context=IContent, name="@search", require_csrf=False)
@api_view(context=INavigationRoot, name="@suggest", require_csrf=False)
def other_methods(context, request):
    """405: ``@search`` and ``@suggest`` are read-only."""
    raise not_allowed("GET")
