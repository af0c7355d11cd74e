"""The JSON API, following plone.restapi conventions.

Every content URL answers JSON when the request says ``Accept: application/json``
(the :func:`json_api` view predicate); ``@login``, ``@workflow``, ``@breadcrumbs``
and ``@navigation`` are views of their own.
"""

from core.errors import wants_json


class JsonApiPredicate:
    """View predicate ``json_api=True``: the request asks for JSON."""

    def __init__(self, value, config):
        self.value = bool(value)

    def text(self) -> str:
        return f"json_api = {self.value}"

    phash = text

    def __call__(self, context, request) -> bool:
        return wants_json(request) == self.value


def includeme(config) -> None:
    config.add_view_predicate("json_api", JsonApiPredicate)
    config.scan("core.api")
