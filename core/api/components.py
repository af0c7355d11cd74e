"""``@components`` of an object and ``?expand=``, as plone.restapi gives them.

Every object's JSON form has ``@components``: one entry per component, each a link
``{"@id": ".../@<name>"}``, or the whole component when the request names it in
``expand`` (``?expand=breadcrumbs,navigation`` or
``?expand:list=breadcrumbs&expand:list=navigation``; unknown names are ignored).

A component is registered with the ``config.add_api_component(name, build)``
directive, where ``build(request, context) -> dict`` (or its dotted name) is what
the endpoint ``@<name>`` answers; plugins add theirs the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from pyramid.config import Configurator

from core.api.params import BATCH_PARAMS, Param
from core.api.serialize import serialize, url_of
from core.i18n import _

#: The query parameters naming the components to expand.
EXPAND_PARAMS = ("expand", "expand:list")
#: Components named at most in one request (more are ignored).
MAX_EXPAND = 20
#: The query parameters of an object's JSON form (declared on its GET view).
CONTENT_PARAMS = (
    Param(
        "expand",
        "query",
        _("Các thành phần lấy trọn, cách nhau bởi dấu phẩy (cũng nhận expand:list)"),
        example="breadcrumbs",
    ),
    *BATCH_PARAMS,
)

Builder = Callable[[object, object], dict]


def get_components(registry) -> dict[str, Builder]:
    """The registered components, by name, in the order they were registered."""
    return registry.cong_api_components


def add_api_component(config: Configurator, name: str, build: Builder | str) -> None:
    """Directive: make ``build(request, context)`` (or the function of that dotted
    name) the component ``name``; two components with one name are a start-up
    conflict."""
    build = config.maybe_dotted(build)

    def register():
        get_components(config.registry)[name] = build

    config.action(("cong.api_component", name), register)


def expanded(request) -> set[str]:
    """The component names the request asks to expand (both of plone.restapi's forms)."""
    names: set[str] = set()
    for param in EXPAND_PARAMS:
        for value in request.GET.getall(param)[:MAX_EXPAND]:
            names.update(n.strip() for n in value.split(",")[:MAX_EXPAND] if n.strip())
    return names


def components(request, context) -> dict:
    """``@components`` of ``context``: a link per component, expanded when asked."""
    base = url_of(request, context)
    expand = expanded(request)
    return {
        name: build(request, context) if name in expand else {"@id": f"{base}/@{name}"}
        for name, build in get_components(request.registry).items()
    }


def full_json(request, obj) -> dict:
    """The JSON form of ``obj`` with its ``@components`` (what GET on its URL answers,
    and each item of a search with ``fullobjects``)."""
    data = serialize(request, obj)
    data["@components"] = components(request, obj)
    return data


def includeme(config: Configurator) -> None:
    config.registry.cong_api_components = {}
    config.add_directive("add_api_component", add_api_component)
