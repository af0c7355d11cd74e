"""HTTP methods of views: a view that names none answers 405 to the others.

A Pyramid view registered without ``request_method`` matches every method, so
``DELETE /@@rss`` or ``PUT /@@search`` ran the page as if it were a ``GET``. The
:func:`methods_of_pages` view deriver gives such a view the methods of a page,
:data:`PAGE_METHODS` (a form posts to the page that shows it): any other method
makes it step aside like a view whose predicate does not match, so a view that
does take that method (the JSON API's ``PATCH`` and ``DELETE``) still answers.
When none does, :func:`core.errors.http_exception_view` answers 405 with an
``Allow`` header listing the methods of the views that stood aside, and of the
views of that name that do name their methods (``PUT /@@login``: ``GET, POST``).

Views of the JSON API (:class:`core.api.api_view`) are left alone: they name their
methods, and each endpoint has its own catch-all answering 405 with its ``Allow``.
"""

from __future__ import annotations

from pyramid.exceptions import PredicateMismatch
from pyramid.viewderivers import INGRESS
from zope.interface.interfaces import IInterface

from core.negotiation import wants_json

#: The methods of a view that names none.
PAGE_METHODS = ("GET", "HEAD", "POST")
#: Where the methods of the views that stood aside for a request are gathered.
ALLOWED_KEY = "cong.allowed_methods"


def methods_of_pages(view, info):
    """View deriver: a view without ``request_method`` (nor ``json_api``) steps
    aside for a method outside :data:`PAGE_METHODS`, noting them for the 405."""
    options = info.options
    if info.exception_only:
        return view
    if options.get("request_method"):
        if not options.get("route_name"):
            methods = options["request_method"]
            methods = (methods,) if isinstance(methods, str) else tuple(methods)
            named = info.registry.__dict__.setdefault("cong_view_methods", {})
            entry = (options.get("context"), options.get("json_api"), methods)
            named.setdefault(options.get("name") or "", []).append(entry)
        return view
    if options.get("json_api"):
        return view

    def page_methods_only(context, request):
        if request.method not in PAGE_METHODS:
            allowed = request.environ.setdefault(ALLOWED_KEY, [])
            allowed.extend(m for m in PAGE_METHODS if m not in allowed)
            raise PredicateMismatch(f"a page does not take {request.method}")
        return view(context, request)

    return page_methods_only


def _fits(context, wanted) -> bool:
    if wanted is None:
        return True
    if IInterface.providedBy(wanted):
        return wanted.providedBy(context)
    return isinstance(wanted, type) and isinstance(context, wanted)


def allowed_methods(request) -> list[str]:
    """The methods the views at the request's context and view name take, when
    none takes the request's method (else an empty list)."""
    allowed = list(request.environ.get(ALLOWED_KEY, []))
    context = getattr(request, "context", None)
    json = wants_json(request)
    named = getattr(request.registry, "cong_view_methods", {})
    if getattr(request, "matched_route", None) is not None:
        named = {}  # the views of a route are not looked up by name
    for wanted, json_api, methods in named.get(getattr(request, "view_name", None), ()):
        if json_api in (None, json) and _fits(context, wanted):
            if "GET" in methods:
                methods = (*methods, "HEAD")
            allowed.extend(m for m in methods if m not in allowed)
    return [] if request.method in allowed else allowed


def includeme(config) -> None:
    config.add_view_deriver(methods_of_pages, under=INGRESS, over="secured_view")
