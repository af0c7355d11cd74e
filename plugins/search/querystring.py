"""``@querystring`` and ``@querystring-search``: searches written as
plone.app.querystring rows, as Volto's listing and search blocks send them.

``GET /@querystring`` describes the indexes a query may use, with their operators
(``{"@id", "indexes", "sortable_indexes"}``); ``POST /path/@querystring-search``
with ``{"query": [{"i": index, "o": operator, "v": value}], "sort_on",
"sort_order", "b_start", "b_size", "limit", "fullobjects", "metadata_fields"}``
(or ``GET`` with that object as JSON in ``?query=``) answers like ``@search``. The
rows become one :class:`plugins.search.query.SearchQuery`, so the same catalog
search, security filter and result forms answer both; without a ``path`` row the
search covers the context's navigation root, as in Plone. An index or operator
that is not offered, or a value that does not fit it, is a 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import unquote

from pyramid.traversal import find_interface, find_resource, resource_path

from catalog.fields import get_catalog_fields
from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import not_allowed
from core.api.params import Param, api_body, api_params
from core.api.serialize import url_of
from core.api.typealiases import resolve_type
from core.api.vocabularies import get_vocabularies
from core.batching import MAX_SIZE, Batch
from core.clock import TIMEZONE, now
from core.i18n import _
from core.interfaces import IContent, INavigationRoot
from core.permissions import VIEW
from core.uids import resolve
from plugins.search.api import result_items, run
from plugins.search.apiparams import bad, later, parse_when, read_metadata_fields, read_sort
from plugins.search.query import (
    API_PAGE_SIZE,
    MAX_TEXT_LENGTH,
    SearchQuery,
    clean_text,
    site_path,
)

OP = "plone.app.querystring.operation."
#: Rows of one query kept at most.
MAX_ROWS = 30
#: Values of one row kept at most.
MAX_VALUES = 50
#: Characters of one value.
MAX_VALUE_LENGTH = 200
#: Days a relative date may reach.
MAX_DAYS = 100 * 366
#: The body of ``@querystring-search`` (a GET sends it as JSON in ``?query=``).
BODY_SCHEMA = {
    "type": "object",
    "required": ["query"],
    "properties": {
        "query": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["i", "o"],
                "properties": {
                    "i": {"type": "string"},
                    "o": {"type": "string"},
                    "v": {},
                },
            },
        },
        "sort_on": {"type": "string"},
        "sort_order": {"type": "string"},
        "b_start": {"type": "integer", "minimum": 0},
        "b_size": {"type": "integer", "minimum": 0},
        "limit": {"type": "integer", "minimum": 0},
        "fullobjects": {"type": "boolean"},
        "metadata_fields": {"type": "array", "items": {"type": "string"}},
    },
}


@dataclass(frozen=True)
class Operator:
    """An operator: its title and widget for clients, and ``apply(build, index,
    value)`` putting the row into the :class:`QueryBuild`."""

    title: str
    widget: str | None
    apply: Callable


class QueryBuild:
    """What the rows of one query ask, gathered for a :class:`SearchQuery`."""

    def __init__(self, request, context):
        self.request = request
        self.context = context
        self.text = ""
        self.types: tuple[str, ...] = ()
        self.states: tuple[str, ...] = ()
        self.path: str | None = None
        self.depth: int | None = None
        self.date_ranges: dict = {}
        self.fields: dict = {}

    def select(self, index: str, values: tuple[str, ...]) -> None:
        if index == "portal_type":
            self.types = tuple(
                dict.fromkeys(resolve_type(self.request.registry, v) for v in values)
            )
        elif index == "review_state":
            self.states = values
        else:
            self.fields[index] = list(values)


def values_of(value) -> tuple[str, ...]:
    """A row's value as a tuple of texts (a lone text is one value); 400 otherwise."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str | int | float) for v in items):
        raise bad(_("Giá trị của điều kiện phải là chuỗi hoặc danh sách chuỗi."))
    found = [clean_text(str(v))[:MAX_VALUE_LENGTH] for v in items[:MAX_VALUES]]
    return tuple(v for v in dict.fromkeys(found) if v)


def one_value(value) -> str:
    values = values_of(value)
    if len(values) != 1:
        raise bad(_("Điều kiện này cần đúng một giá trị."))
    return values[0]


def a_date(value: str) -> date:
    try:
        return parse_when(value)
    except ValueError:
        raise bad(
            _("Không phải ngày hợp lệ (YYYY-MM-DD): ${value}.", mapping={"value": value[:50]})
        ) from None


def days(value) -> int:
    text = one_value(value)
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or abs(number) > MAX_DAYS:
        raise bad(_("Số ngày không hợp lệ: ${value}.", mapping={"value": text[:50]}))
    return number


def today() -> date:
    return now().astimezone(TIMEZONE).date()


# operators -------------------------------------------------------------------------
def select_any(build: QueryBuild, index: str, value) -> None:
    build.select(index, values_of(value))


def select_one(build: QueryBuild, index: str, value) -> None:
    build.select(index, (one_value(value),))


def contains(build: QueryBuild, index: str, value) -> None:
    build.text = " ".join(values_of(value))[:MAX_TEXT_LENGTH]


def date_range(start, end):
    def apply(build: QueryBuild, index: str, value) -> None:
        build.date_ranges[index] = (start(value), end(value))

    return apply


def between(build: QueryBuild, index: str, value) -> None:
    values = values_of(value)
    if len(values) != 2:
        raise bad(_("Điều kiện 'trong khoảng' cần hai ngày."))
    first, last = (a_date(v) for v in values)
    build.date_ranges[index] = (last, first) if later(first, last) else (first, last)


def read_depth(depth: str) -> int | None:
    """The depth after ``::`` in a path value (None when there is none)."""
    if not depth:
        return None
    if not (re.fullmatch(r"[0-9]{1,3}", depth) and int(depth) <= 100):
        raise bad(_("Độ sâu không hợp lệ: ${value}.", mapping={"value": depth[:20]}))
    return int(depth)


def path_of(build: QueryBuild, value: str) -> tuple[str, int | None]:
    """``(path, depth)`` of a path value: ``/a/b``, ``/a/b::1`` (from the site the
    host shows) or a uid."""
    where, _sep, depth = value.partition("::")
    if where and "/" not in where:
        obj = resolve(build.request.root, where)
        if obj is None:
            raise bad(_("Không có nội dung mang mã ${uid}.", mapping={"uid": where[:50]}))
        path = resource_path(obj)
    else:
        path = site_path(
            build.request, "/" + "/".join(s for s in where.split("/") if s and s != ".")
        )
    return path, read_depth(depth)


def absolute_path(build: QueryBuild, index: str, value) -> None:
    build.path, build.depth = path_of(build, one_value(value))


def relative_path(build: QueryBuild, index: str, value) -> None:
    where, _sep, depth = one_value(value).partition("::")
    obj = build.context
    for step in (s for s in where.split("/") if s and s != "."):
        try:
            obj = obj.__parent__ if step == ".." else find_resource(obj, (step,))
        except KeyError:
            obj = None
        if obj is None:
            raise bad(
                _("Đường dẫn tương đối không dẫn tới đâu: ${value}.", mapping={"value": where[:50]})
            )
    build.path, build.depth = resource_path(obj), read_depth(depth)


SELECTION = {
    OP + "selection.any": Operator(_("Là một trong"), "MultipleSelectionWidget", select_any),
    OP + "selection.is": Operator(_("Là một trong"), "MultipleSelectionWidget", select_any),
}
STRING_IS = {OP + "string.is": Operator(_("Bằng"), "StringWidget", select_one)}
TEXT = {OP + "string.contains": Operator(_("Chứa"), "StringWidget", contains)}
PATHS = {
    OP + "string.absolutePath": Operator(_("Đường dẫn"), "ReferenceWidget", absolute_path),
    OP + "string.path": Operator(_("Đường dẫn"), "ReferenceWidget", absolute_path),
    OP + "string.relativePath": Operator(
        _("Đường dẫn tương đối"), "RelativePathWidget", relative_path
    ),
}
DATES = {
    OP + "date.lessThan": Operator(
        _("Trước ngày"), "DateWidget", date_range(lambda v: None, lambda v: a_date(one_value(v)))
    ),
    OP + "date.largerThan": Operator(
        _("Sau ngày"), "DateWidget", date_range(lambda v: a_date(one_value(v)), lambda v: None)
    ),
    OP + "date.between": Operator(_("Trong khoảng"), "DateRangeWidget", between),
    OP + "date.today": Operator(
        _("Hôm nay"), None, date_range(lambda v: today(), lambda v: today())
    ),
    OP + "date.beforeToday": Operator(
        _("Trước hôm nay"), None, date_range(lambda v: None, lambda v: today() - timedelta(1))
    ),
    OP + "date.afterToday": Operator(
        _("Sau hôm nay"), None, date_range(lambda v: today() + timedelta(1), lambda v: None)
    ),
    OP + "date.lessThanRelativeDate": Operator(
        _("Trong số ngày tới"),
        "RelativeDateWidget",
        date_range(lambda v: today(), lambda v: today() + timedelta(days(v))),
    ),
    OP + "date.largerThanRelativeDate": Operator(
        _("Trong số ngày qua"),
        "RelativeDateWidget",
        date_range(lambda v: today() - timedelta(days(v)), lambda v: today()),
    ),
}


@dataclass(frozen=True)
class Index:
    """An index offered to queries."""

    name: str
    title: str
    group: str
    operators: dict
    sortable: bool = False
    vocabulary: str | None = None


def indexes(registry) -> dict[str, Index]:
    """The indexes a query may use, by the name clients send."""
    found = {
        "SearchableText": Index("SearchableText", _("Nội dung"), "Text", TEXT),
        "portal_type": Index(
            "portal_type",
            _("Loại nội dung"),
            "Metadata",
            SELECTION,
            vocabulary="plone.app.vocabularies.ReallyUserFriendlyTypes",
        ),
        "review_state": Index(
            "review_state",
            _("Trạng thái"),
            "Metadata",
            SELECTION,
            vocabulary="plone.app.vocabularies.WorkflowStates",
        ),
        "path": Index("path", _("Vị trí"), "Metadata", PATHS),
        "created": Index("created", _("Ngày tạo"), "Dates", DATES, sortable=True),
        "modified": Index("modified", _("Ngày sửa"), "Dates", DATES, sortable=True),
        "effective": Index("effective", _("Ngày đăng"), "Dates", DATES, sortable=True),
        "sortable_title": Index("sortable_title", _("Tiêu đề"), "Text", {}, sortable=True),
        "getObjPositionInParent": Index(
            "getObjPositionInParent", _("Thứ tự trong thư mục"), "Metadata", {}, sortable=True
        ),
    }
    for name, f in get_catalog_fields(registry).items():
        title = f.title or name
        if f.kind == "date":
            index = Index(name, title, "Dates", DATES, sortable=True)
        elif f.kind == "keyword":
            vocabulary = "plone.app.vocabularies.Keywords" if "Subject" in f.aliases else None
            index = Index(name, title, "Metadata", SELECTION, vocabulary=vocabulary)
        else:
            index = Index(name, title, "Metadata", {**SELECTION, **STRING_IS}, sortable=True)
        for alias in (name, *f.aliases):
            found[alias] = index
    return found


def index_json(request, context, index: Index) -> dict:
    """One index as plone.restapi's ``@querystring`` describes it."""
    translate = request.localizer.translate
    values = {}
    if index.vocabulary in get_vocabularies(request.registry) and index.name != "Subject":
        items = get_vocabularies(request.registry)[index.vocabulary](request, context)
        values = {str(token): {"title": translate(title)} for token, title in items}
    return {
        "title": translate(index.title),
        "description": "",
        "enabled": True,
        "sortable": index.sortable,
        "group": index.group,
        "vocabulary": index.vocabulary,
        "fetch_vocabulary": index.vocabulary is not None,
        "values": values,
        "operations": list(index.operators),
        "operators": {
            name: {
                "title": translate(op.title),
                "description": "",
                "widget": op.widget,
                "operation": name,
            }
            for name, op in index.operators.items()
        },
    }


def querystring_json(request, context) -> dict:
    """``@querystring``'s answer."""
    described = {
        name: index_json(request, context, index)
        for name, index in indexes(request.registry).items()
    }
    return {
        "@id": url_of(request, context) + "/@querystring",
        "indexes": {name: data for name, data in described.items() if data["operations"]},
        "sortable_indexes": {name: data for name, data in described.items() if data["sortable"]},
    }


# the search --------------------------------------------------------------------------
def whole_number(body: dict, name: str, default: int | None, high: int) -> int | None:
    """A whole number of the body between 0 and ``high``; 400 for anything else."""
    value = body.get(name, default)
    if value is None or value == default:
        return default
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,7}", value.strip()):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= high:
        raise bad(
            _("${name} phải là một số nguyên từ 0 đến ${max}.", mapping={"name": name, "max": high})
        )
    return value


def build_query(request, context, rows) -> QueryBuild:
    """The rows of a query gathered; 400 for an index or operator not offered."""
    if not isinstance(rows, list) or not rows:
        raise bad(_('Cần một truy vấn: "query": [{"i", "o", "v"}, ...].'))
    known = indexes(request.registry)
    build = QueryBuild(request, context)
    for row in rows[:MAX_ROWS]:
        if not isinstance(row, dict) or not isinstance(row.get("i"), str):
            raise bad(_('Mỗi điều kiện phải là {"i": chỉ mục, "o": phép toán, "v": giá trị}.'))
        index = known.get(row["i"])
        if index is None or not index.operators:
            raise bad(_("Không tìm theo được chỉ mục ${name}.", mapping={"name": row["i"][:50]}))
        operator = index.operators.get(row.get("o"))
        if operator is None:
            raise bad(
                _(
                    "Chỉ mục ${name} không dùng được phép toán ${op}.",
                    mapping={"name": row["i"][:50], "op": str(row.get("o"))[:100]},
                )
            )
        operator.apply(build, index.name, row.get("v", ""))
    if build.path is None:
        build.path = resource_path(find_interface(context, INavigationRoot))
    return build


def search_body(request, context, body: dict) -> dict:
    """The answer of ``@querystring-search`` for ``body``."""
    build = build_query(request, context, body.get("query"))
    registry = request.registry
    sort_on, sort_order = body.get("sort_on") or "", body.get("sort_order") or ""
    if not isinstance(sort_on, str) or not isinstance(sort_order, str):
        raise bad(_("sort_on và sort_order phải là chuỗi."))
    sort_on, sort_order = read_sort(registry, sort_on, sort_order, build.text)
    start = whole_number(body, "b_start", 0, 10**6)
    size = whole_number(body, "b_size", API_PAGE_SIZE, MAX_SIZE) or API_PAGE_SIZE
    limit = whole_number(body, "limit", None, 10**6)
    if limit is not None:
        size = max(min(size, limit - start), 0)
    query = SearchQuery(
        text=build.text,
        types=build.types,
        states=build.states,
        path=build.path,
        depth=build.depth,
        date_ranges=build.date_ranges,
        fields=build.fields,
        sort_on=sort_on,
        sort_order=sort_order,
        start=start,
        size=size,
    )
    results = run(request, query)
    total = results.total if limit is None else min(results.total, limit)
    full = body.get("fullobjects") in (True, 1, "1", "true", "True")
    names = read_metadata_fields(request.GET)
    if not names and isinstance(body.get("metadata_fields"), list | str):
        fields = body["metadata_fields"]
        names = tuple(str(n) for n in ([fields] if isinstance(fields, str) else fields))[:50]
    batch = Batch(results.records, total, start, size or API_PAGE_SIZE, request)
    items = result_items(request, results.records, full, names)
    return {"@id": batch.url, **batch.as_json(items)}


def query_from_url(request) -> dict:
    """The body of a GET ``@querystring-search``: JSON in ``?query=``."""
    raw = request.GET.get("query", "")
    for text in (raw, unquote(raw)):
        try:
            body = json.loads(text)
        except ValueError:
            continue
        if isinstance(body, dict):
            return body
    raise bad(_("Tham số query phải là một đối tượng JSON."))


@api_view(context=IContent, name="@querystring", request_method="GET", permission=VIEW)
def querystring_view(context, request):
    """The indexes and operators a ``@querystring-search`` query may use."""
    return querystring_json(request, context)


@api_view(context=IContent, name="@querystring-search", request_method="POST", permission=VIEW)
@api_body(BODY_SCHEMA)
def querystring_search_post(context, request):
    """Search with a query in plone.app.querystring's form (in the body)."""
    return search_body(request, context, read_json(request, required=True))


@api_view(context=IContent, name="@querystring-search", request_method="GET", permission=VIEW)
@api_params(
    Param(
        "query",
        "query",
        _("Truy vấn dạng JSON, như thân của POST @querystring-search"),
        required=True,
        example=json.dumps(
            {"query": [{"i": "portal_type", "o": OP + "selection.any", "v": ["Page"]}]}
        ),
    )
)
def querystring_search_get(context, request):
    """Search with a query in plone.app.querystring's form (JSON in ``?query=``)."""
    return search_body(request, context, query_from_url(request))


@api_view(context=IContent, name="@querystring", require_csrf=False)
def querystring_other_methods(context, request):
    """405: ``@querystring`` is read-only."""
    raise not_allowed("GET")


@api_view(context=IContent, name="@querystring-search", require_csrf=False)
def querystring_search_other_methods(context, request):
    """405 for methods other than GET and POST."""
    raise not_allowed("GET", "POST")
