"""Errors of the JSON API: ``{"type": ..., "message": ...}`` with the right status.

API views raise, never return, an error: the exception views below render it, and
pyramid_tm aborts the transaction of any request that ended in an exception view,
so a refused request stores nothing, even when it failed half-way.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPMethodNotAllowed
from pyramid.i18n import TranslationString
from pyramid.view import exception_view_config

from core import sessions
from core.errors import error_response, http_exception_view
from core.operations import ValidationFailed


class ApiError(Exception):
    """An error answered as ``{"type", "message", **extra}`` with ``status``."""

    def __init__(
        self,
        status: int,
        message: TranslationString | str,
        type_: str | None = None,
        headers: dict[str, str] | None = None,
        **extra,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.headers = headers or {}
        self.extra = extra


def not_allowed(*methods: str) -> HTTPMethodNotAllowed:
    """A 405 whose ``Allow`` header lists ``methods``."""
    return HTTPMethodNotAllowed(headers={"Allow": ", ".join(methods)})


def field_errors(request, errors: dict) -> list[dict]:
    """``[{"field", "message"}]`` from a field -> message mapping, translated."""
    translate = request.localizer.translate
    return [{"field": name, "message": translate(message)} for name, message in errors.items()]


@exception_view_config(ApiError, json_api=True)
def api_error_view(exc: ApiError, request):
    message = request.localizer.translate(exc.message)
    response = error_response(request, exc.status, exc.type, message, **exc.extra)
    response.headers.update(exc.headers)
    return response


@exception_view_config(ValidationFailed, json_api=True)
def validation_failed_view(exc: ValidationFailed, request):
    """400 naming every refused field: ``errors: [{"field", "message"}]``."""
    errors = field_errors(request, exc.errors)
    message = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return error_response(request, 400, "BadRequest", message, errors=errors)


@exception_view_config(HTTPForbidden, json_api=True)
def forbidden_view(exc: HTTPForbidden, request):
    """As plone.restapi: 401 for anonymous requests (``SessionExpired`` when their
    login session has expired), 403 for logged-in ones."""
    if request.identity is None:
        if sessions.expired(request):
            message = request.localizer.translate(sessions.SESSION_EXPIRED)
            return error_response(request, 401, "SessionExpired", message)
        return error_response(request, 401)
    return http_exception_view(exc, request)
