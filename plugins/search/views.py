"""The results page, ``@@search`` on the portal and on every subsite."""

from __future__ import annotations

from functools import cached_property
from urllib.parse import quote, urlencode

from pyramid.traversal import find_resource
from pyramid.view import view_config

from catalog.fields import get_catalog_fields
from core.batching import Batch
from core.i18n import _
from core.interfaces import INavigationRoot
from core.permissions import VIEW
from core.types import get_types
from core.workflow import get_workflows
from plugins.search.query import SearchQuery, facet_fields, page_query

#: Values shown per facet (the most frequent).
FACET_VALUES = 10
#: Query parameters that name a filter the facets set, by facet name.
FILTER_PARAMS = {"type_name": "portal_type", "subsite": "subsite", "year": "year"}
#: Titles of the kernel's facets.
FACET_TITLES = {
    "type_name": _("Loại nội dung"),
    "subsite": _("Đơn vị"),
    "year": _("Năm"),
}


def schema_field(registry, name: str):
    """The content-type field named like a plugin catalog field (for its label and
    vocabulary), or None."""
    for ct in get_types(registry).all():
        found = ct.field(name)
        if found is not None:
            return found
    return None


def field_title(registry, name: str):
    """What people read for a plugin catalog field: its title, else the label of the
    content-type field of the same name, else its name."""
    declared = get_catalog_fields(registry).get(name)
    if declared is not None and declared.title:
        return declared.title
    found = schema_field(registry, name)
    return found.label if found is not None else name


class SearchPage:
    """What the results page shows, read from the request."""

    def __init__(self, context, request):
        self.context = context
        self.request = request
        self.is_site = context.__parent__ is None
        scope = request.GET.get("scope")
        self.scope = "all" if self.is_site or scope == "all" else "local"
        self.query: SearchQuery = page_query(request, context, self.scope)
        self.translate = request.localizer.translate
        self._folders: dict[str, object] = {}

    # the search ------------------------------------------------------------------
    @property
    def searched(self) -> bool:
        """True when there is something to search for (text or a filter)."""
        q = self.query
        return bool(q.text or q.types or q.subsite is not None or q.year or q.fields)

    @cached_property
    def results(self):
        return self.query.run(self.request) if self.searched else None

    @cached_property
    def batch(self) -> Batch:
        results = self.results
        records = results.records if results else []
        total = results.total if results else 0
        return Batch(records, total, self.query.start, self.query.size, self.request)

    # links -------------------------------------------------------------------------
    @cached_property
    def action(self) -> str:
        return self.request.resource_url(self.context, "@@search")

    def url(self, **changes) -> str:
        """This page's URL with parameters changed (None removes one) and the page
        number reset."""
        params = [
            (k, v)
            for k, v in self.request.GET.items()
            if k not in changes and k not in ("b_start", "lang")
        ]
        params += [(k, v) for k, v in changes.items() if v is not None]
        return self.action + ("?" + urlencode(params) if params else "")

    def hidden_fields(self) -> list[tuple[str, str]]:
        """Filters and sort kept when the form is sent again with another text."""
        kept = ("sort_on", "b_size", *self.filter_params())
        return [(k, v) for k, v in self.request.GET.items() if k in kept]

    def sorts(self) -> list[dict]:
        """The sort choices: relevance (with a text) and newest first."""
        current = "relevance" if self.query.sort_on == "relevance" else "newest"
        choices = [("newest", _("Mới nhất"))]
        if self.query.text:
            choices.insert(0, ("relevance", _("Phù hợp nhất")))
        return [
            {
                "title": self.translate(title),
                "url": self.url(sort_on=name),
                "current": name == current,
            }
            for name, title in choices
        ]

    @property
    def suggestion(self) -> dict | None:
        """The "did you mean" link: the backend's spelling suggestion and its search link."""
        text = self.results.suggestion if self.results else None
        if not text or text == self.query.text:
            return None
        return {"text": text, "url": self.url(SearchableText=text)}

    @property
    def wider_url(self) -> str | None:
        """The same search over the whole province, from a subsite."""
        return None if self.scope == "all" else self.url(scope="all")

    # results -------------------------------------------------------------------------
    def items(self) -> list[dict]:
        """The records of this page, ready for the template."""
        results = self.results
        if not results:
            return []
        labels = self.type_labels
        show_state = self.request.identity is not None
        items = []
        for record in results.records:
            shown = record.effective or record.created
            items.append(
                {
                    "title": record.title or record.path.rsplit("/", 1)[-1],
                    "url": record.url(self.request),
                    "type": labels.get(record.type_name, record.type_name),
                    "type_name": record.type_name,
                    "date": shown,
                    "state": record.state if show_state and record.state != "published" else "",
                    "crumbs": self.crumbs(record.path),
                    "snippet": results.snippets.get(record.uid) or "",
                    "description": record.description,
                }
            )
        return items

    @cached_property
    def type_labels(self) -> dict[str, str]:
        return {ct.name: self.translate(ct.label) for ct in get_types(self.request.registry).all()}

    def _folder(self, path: str):
        """The folder at ``path`` if the requester may view it (memoised)."""
        if path not in self._folders:
            try:
                obj = find_resource(self.request.root, quote(path))
            except KeyError:
                obj = None
            if obj is not None and not self.request.has_permission(VIEW, obj):
                obj = None
            self._folders[path] = obj
        return self._folders[path]

    def crumbs(self, path: str) -> list[str]:
        """Titles of the folders holding the object at ``path`` (below the portal)."""
        segments = [s for s in path.split("/") if s][:-1]
        titles = []
        for depth in range(1, len(segments) + 1):
            folder = self._folder("/" + "/".join(segments[:depth]))
            if folder is not None:
                titles.append(folder.title or folder.__name__)
        return titles

    def state_title(self, state: str) -> str:
        """The title people see of a workflow state."""
        for workflow in get_workflows(self.request.registry).values():
            if state in workflow.states:
                return self.translate(workflow.state_title(state))
        return state

    # facets --------------------------------------------------------------------------
    @cached_property
    def applied(self) -> list[tuple[str, str, str]]:
        """The filters in force: ``(facet name, query parameter, value)``."""
        q = self.query
        found = []
        if q.types:
            found.append(("type_name", "portal_type", q.types[0]))
        if q.subsite is not None:
            found.append(("subsite", "subsite", q.subsite))
        if q.year is not None:
            found.append(("year", "year", str(q.year)))
        for name, value in q.fields.items():
            found.append((name, name, value if isinstance(value, str) else ", ".join(value)))
        return found

    def facets(self) -> list[dict]:
        """Facet boxes: ``{"name", "title", "values": [{"label", "count", "url",
        "selected"}]}``, links that add a filter or remove the one set."""
        results = self.results
        if not results or not results.total:
            return []
        selected = {name: value for name, _param, value in self.applied}
        boxes = []
        for name, counts in results.facets.items():
            param = FILTER_PARAMS.get(name, name)
            ranked = list(counts.items())  # most frequent first; years newest first
            if name == "year":
                ranked.sort(key=lambda kv: kv[0], reverse=True)
            values = []
            for value, count in ranked[:FACET_VALUES]:
                is_selected = selected.get(name) == value
                values.append(
                    {
                        "label": self.facet_label(name, value),
                        "count": count,
                        "selected": is_selected,
                        "url": self.url(**{param: None if is_selected else value}),
                    }
                )
            if len(values) > 1 or name in selected:
                boxes.append({"name": name, "title": self.facet_title(name), "values": values})
        return boxes

    def facet_title(self, name: str) -> str:
        title = FACET_TITLES.get(name) or field_title(self.request.registry, name)
        return self.translate(title)

    def facet_label(self, name: str, value: str) -> str:
        """What people read for a facet value: a type's label, a unit's title..."""
        if name == "type_name":
            return self.type_labels.get(value, value)
        if name == "subsite":
            folder = self.request.root if value == "" else self._folder(value)
            return (folder.title or folder.__name__) if folder is not None else value
        vocabulary = dict(getattr(schema_field(self.request.registry, name), "vocabulary", ()))
        return self.translate(vocabulary[value]) if value in vocabulary else value

    def filter_params(self) -> list[str]:
        """The query parameters that hold filters."""
        return [*FILTER_PARAMS.values(), *facet_fields(self.request.registry)]

    def clear_filters_url(self) -> str:
        return self.url(**dict.fromkeys(self.filter_params()))

    def active_filters(self) -> list[dict]:
        """The filters in force, each with a link that removes it."""
        return [
            {
                "title": self.facet_title(name),
                "label": self.facet_label(name, value),
                "url": self.url(**{param: None}),
            }
            for name, param, value in self.applied
        ]


@view_config(context=INavigationRoot, name="search", renderer="search.pt", permission=VIEW)
def search_view(context, request):
    """The results page: a query box, scope, results with highlights, facets, sort
    and pages. Any query string gives a page."""
    return {"search": SearchPage(context, request)}
