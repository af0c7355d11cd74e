"""``@vocabularies``: the lists of choices clients fill their widgets with.

``GET /@vocabularies`` lists them (``[{"@id", "title"}]``);
``GET /@vocabularies/<name>`` answers ``{"@id", "items": [{"token", "title"}],
"items_total"}`` (``batching`` too when there is more than one page), filtered by
``title`` (words contained, case and accents ignored), ``token`` (exact) or
``tokens`` (any of them), as plone.restapi does. An unknown name is a 404.

A vocabulary is registered with ``config.add_vocabulary(name, items)`` where
``items(request, context)`` returns ``(token, title)`` pairs (a title may be a
message to translate); the kernel has Plone's names for the types, review states
and roles, plugins add theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPNotFound

from core.api import api_view
from core.api.errors import not_allowed
from core.api.params import BATCH_PARAMS, Param, api_params
from core.api.serialize import url_of
from core.batching import Batch
from core.i18n import _
from core.interfaces import IContent
from core.names import fold
from core.permissions import VIEW
from core.roles import get_roles
from core.types import get_types
from core.workflow import get_workflows

Items = Callable[[object, object], Iterable[tuple[str, object]]]
#: Terms per page (plone.restapi's default batch size).
PAGE_SIZE = 25
#: Tokens of ``tokens`` kept.
MAX_TOKENS = 100


def get_vocabularies(registry) -> dict[str, Items]:
    """The registered vocabularies by name."""
    return registry.cong_vocabularies


def add_vocabulary(config: Configurator, name: str, items: Items) -> None:
    """Directive: register the vocabulary ``name``; two with one name conflict."""

    def register():
        get_vocabularies(config.registry)[name] = items

    config.action(("cong.vocabulary", name), register)


def type_terms(request, context):
    """Every content type: its name and its label."""
    return [(ct.name, ct.label) for ct in get_types(request.registry).all()]


def state_terms(request, context):
    """Every workflow state, once, with its title."""
    terms = {}
    for workflow in get_workflows(request.registry).values():
        for state in workflow.states.values():
            terms.setdefault(state.name, state.title)
    return list(terms.items())


def role_terms(request, context):
    """The roles that can be granted."""
    return [(r.name, r.label) for r in get_roles(request.registry).values() if r.grantable]


KERNEL_VOCABULARIES = {
    "plone.app.vocabularies.PortalTypes": type_terms,
    "plone.app.vocabularies.ReallyUserFriendlyTypes": type_terms,
    "plone.app.vocabularies.UserFriendlyTypes": type_terms,
    "plone.app.vocabularies.WorkflowStates": state_terms,
    "plone.app.vocabularies.Roles": role_terms,
}


def terms(request, context, name: str) -> list[dict]:
    """The terms of the vocabulary ``name`` (translated), filtered as the query asks."""
    items = get_vocabularies(request.registry)[name]
    translate = request.localizer.translate
    found = [
        {"token": str(token), "title": translate(title)} for token, title in items(request, context)
    ]
    params = request.GET
    title = fold(params.get("title", "")).casefold().split()
    if title:
        found = [t for t in found if all(w in fold(t["title"]).casefold() for w in title)]
    if "token" in params:
        found = [t for t in found if t["token"] == params["token"]]
    tokens = params.getall("tokens") + params.getall("tokens:list")
    if tokens:
        wanted = set(tokens[:MAX_TOKENS])
        found = [t for t in found if t["token"] in wanted]
    return found


@api_view(context=IContent, name="@vocabularies", request_method="GET", permission=VIEW)
@api_params(
    Param(
        "name",
        "path",
        _("Tên danh mục (không có: liệt kê các danh mục)"),
        example="plone.app.vocabularies.PortalTypes",
    ),
    Param("title", "query", _("Những từ có trong tiêu đề các mục")),
    Param("token", "query", _("Mã của một mục")),
    Param(
        "tokens",
        "query",
        _("Các mã, mục nào có một trong số đó (cũng nhận tokens:list)"),
        {"type": "array", "items": {"type": "string"}},
    ),
    *BATCH_PARAMS,
)
def vocabularies_view(context, request):
    """The vocabularies (``@vocabularies``) or the terms of one (``@vocabularies/<name>``)."""
    base = url_of(request, context) + "/@vocabularies"
    names = get_vocabularies(request.registry)
    if not request.subpath:
        return [{"@id": f"{base}/{name}", "title": name} for name in names]
    name = request.subpath[0]
    if len(request.subpath) > 1 or name not in names:
        raise HTTPNotFound()
    found = terms(request, context, name)
    batch = Batch.from_iterable(found, request, PAGE_SIZE)
    return {"@id": f"{base}/{name}", **batch.as_json(batch.items)}


@api_view(context=IContent, name="@vocabularies", require_csrf=False)
def vocabularies_other_methods(context, request):
    """405: ``@vocabularies`` is read-only."""
    raise not_allowed("GET")


def includeme(config: Configurator) -> None:
    config.registry.cong_vocabularies = {}
    config.add_directive("add_vocabulary", add_vocabulary)
    for name, items in KERNEL_VOCABULARIES.items():
        config.add_vocabulary(name, items)
