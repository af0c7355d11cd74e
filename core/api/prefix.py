"""``++api++``: a path segment that makes the request an API request.

plone.restapi clients (Volto and others) call ``/++api++/a/b/@search`` or
``/a/++api++/b`` instead of sending ``Accept: application/json``. The tween below
takes the segment out of the path before traversal and marks the request as asking
for JSON, so every view, error page and cache key sees an ordinary API request.

As in plone.rest, the segment stays out of the ``@id`` of objects (they are made
from the object's place, like every URL of the portal), while URLs that repeat the
request itself (``batching`` links, the ``@id`` of a search) keep it, so a client
following them still gets JSON: see :func:`client_url`. A doubled segment
(``/++api++/++api++/a``) redirects to the URL with one; two apart
(``/++api++/a/++api++``) are not found.
"""

from __future__ import annotations

from urllib.parse import quote

from pyramid.httpexceptions import HTTPFound, HTTPNotFound

#: The path segment.
SEGMENT = "++api++"
#: The environ key holding the request's path as the client sent it.
CLIENT_PATH_KEY = "cong.api_path"


def strip_api_segment(path: str) -> tuple[str, bool]:
    """``path`` without its ``++api++`` segment and whether it had one.

    Raise :class:`HTTPFound` (to the path with a single segment) for doubled
    segments and :class:`HTTPNotFound` for segments apart.
    """
    segments = path.split("/")
    found = [i for i, s in enumerate(segments) if s == SEGMENT]
    if not found:
        return path, False
    if len(found) > 1:
        if found[-1] - found[0] == len(found) - 1:  # side by side: one is enough
            kept = segments[: found[0] + 1] + segments[found[-1] + 1 :]
            raise HTTPFound(location="/".join(kept))
        raise HTTPNotFound()
    del segments[found[0]]
    return "/".join(segments) or "/", True


def api_prefix_tween_factory(handler, registry):
    """Take ``++api++`` out of the path and make the request a JSON request."""

    def api_prefix_tween(request):
        environ = request.environ
        path = environ.get("PATH_INFO", "")  # undecoded (bytes as latin-1): any is fine
        if SEGMENT not in path:
            return handler(request)
        try:
            stripped, found = strip_api_segment(path)
        except HTTPFound as redirect:
            location = request.application_url + quote_raw(redirect.location)
            if request.query_string:
                location += "?" + request.query_string
            return HTTPFound(location=location)
        except HTTPNotFound:
            request.environ["HTTP_ACCEPT"] = "application/json"
            from core.errors import error_response

            return error_response(request, 404)
        if found:
            environ[CLIENT_PATH_KEY] = path
            environ["HTTP_ACCEPT"] = "application/json"
            environ["PATH_INFO"] = stripped
        return handler(request)

    return api_prefix_tween


def quote_raw(path: str) -> str:
    """A WSGI ``PATH_INFO`` (bytes decoded as latin-1) quoted for a URL."""
    return quote(path.encode("latin-1"), safe="/@:+,;=-_.~!$&'()*")


def client_path_url(request) -> str:
    """The request's URL without its query, as the client sent it (``++api++``
    included)."""
    path = request.environ.get(CLIENT_PATH_KEY)
    if path is None:
        return request.path_url
    return request.application_url + quote_raw(path)


def client_url(request) -> str:
    """The request's URL with its query, as the client sent it."""
    url = client_path_url(request)
    return url + "?" + request.query_string if request.query_string else url
