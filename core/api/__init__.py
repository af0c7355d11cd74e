"""The JSON API, following plone.restapi conventions.

Every content URL answers JSON when the request says ``Accept: application/json``
or has a ``++api++`` segment in its path (:mod:`core.api.prefix`); see the
:func:`json_api` view predicate. ``@login``, ``@workflow``, ``@breadcrumbs``,
``@navigation``, ``@navroot``, ``@actions``, ``@contextnavigation``, ``@site`` and
``@vocabularies`` are views of their own, one module each; the JSON form of an
object carries ``@components`` (:mod:`core.api.components`, ``?expand=``).

Directives for plugins: ``config.add_api_component`` (a component of every object),
``config.add_vocabulary`` (:mod:`core.api.vocabularies`) and
``config.add_type_alias`` (a Plone type name, :mod:`core.api.typealiases`).

Pyramid looks views up context by context, most specific first, so an HTML view
registered for ``IPage`` would answer a JSON GET on a page before the API's view for
``IContent`` is tried. The :func:`html_default_views` view deriver prevents that: a
default view (no name, no route) registered without a ``json_api`` predicate is an
HTML page and stands aside for JSON requests, letting the API's views answer.
"""

from pyramid.exceptions import PredicateMismatch
from pyramid.tweens import INGRESS as TWEENS_INGRESS
from pyramid.view import view_config
from pyramid.viewderivers import INGRESS

from core.negotiation import wants_json


class JsonApiPredicate:
    """View predicate ``json_api=True``: the request asks for JSON."""

    def __init__(self, value, config):
        self.value = bool(value)

    def text(self) -> str:
        return f"json_api = {self.value}"

    phash = text

    def __call__(self, context, request) -> bool:
        return wants_json(request) == self.value


class api_view(view_config):
    """``view_config`` for the JSON API: JSON requests only, rendered as JSON.

    Plugins register the JSON form of their own types with it, e.g.
    ``@api_view(context=IDossier, request_method="GET", permission=VIEW)``.
    """

    def __init__(self, **settings):
        settings.setdefault("json_api", True)
        settings.setdefault("renderer", "json")
        super().__init__(**settings)


def html_default_views(view, info):
    """View deriver: default views that do not say ``json_api`` do not match JSON
    requests (they raise PredicateMismatch, so Pyramid tries the next view)."""
    options = info.options
    if (
        info.exception_only
        or options.get("name")
        or options.get("route_name")
        or options.get("json_api") is not None
    ):
        return view

    def html_only(context, request):
        if wants_json(request):
            raise PredicateMismatch("an HTML view, not for a JSON request")
        return view(context, request)

    return html_only


def includeme(config) -> None:
    config.add_view_predicate("json_api", JsonApiPredicate)
    config.add_view_deriver(html_default_views, under=INGRESS, over="secured_view")
    config.add_tween("core.api.prefix.api_prefix_tween_factory", under=TWEENS_INGRESS)
    config.include("core.api.components")
    config.include("core.api.typealiases")
    config.include("core.api.vocabularies")
    config.scan("core.api")
    add_kernel_components(config)


def add_kernel_components(config) -> None:
    """The kernel's ``@components``, in plone.restapi's (alphabetical) order (named by
    dotted names: their modules use this package's :class:`api_view`)."""
    config.add_api_component("actions", "core.api.actions.actions")
    config.add_api_component("breadcrumbs", "core.api.navigation.breadcrumbs")
    config.add_api_component("contextnavigation", "core.api.contextnavigation.context_navigation")
    config.add_api_component("navigation", "core.api.navigation.navigation")
    config.add_api_component("navroot", "core.api.navroot.navroot")
    config.add_api_component("types", "core.api.types.types_component")
    config.add_api_component("workflow", "core.api.workflow.workflow_info")
