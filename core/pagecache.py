"""The page cache: anonymous pages served from memory until the next commit.

Most of a portal's traffic is visitors reading published pages. A visitor's
``GET`` (no login cookie, no session, no bearer token) whose response is a ``200``
that sets no cookie is kept in memory under the database's last transaction id,
the URL, the negotiated language and whether JSON was asked for. Any commit, by any
process sharing the database, changes that transaction id, so a cached page is
never older than the content: there is nothing to invalidate. The key also holds
the minute of :func:`core.clock.now`, so what depends on the time without any
commit (an item whose publication date comes, the current week) is at most a
minute late.

A hit skips the transaction, the database connection, traversal, security and the
theme. Pages for logged-in people are always rendered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from pyramid.config import Configurator
from pyramid.response import Response

from core.clock import now
from core.errors import wants_json
from core.i18n import negotiate_locale
from core.security import AUTH_COOKIE, SESSION_COOKIE

CACHEABLE_TYPES = ("text/html", "application/json")
MAX_BODY = 1024 * 1024


class PageCache:
    """A bounded, thread-safe LRU of rendered responses."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def is_visitor(request) -> bool:
    """A request nobody is logged in for, carrying no session nor credentials
    (a bearer token, HTTP Basic)."""
    cookies = request.cookies
    return (
        request.method in ("GET", "HEAD")
        and AUTH_COOKIE not in cookies
        and SESSION_COOKIE not in cookies
        and "Authorization" not in request.headers
    )


def storable(request, response) -> bool:
    """A response anyone may be given: no cookie set now or by a response callback
    (the session's cookie is set by one, after this tween returns)."""
    return (
        not getattr(request, "response_callbacks", None)
        and response.status_code == 200
        and "Set-Cookie" not in response.headers
        and response.content_type in CACHEABLE_TYPES
        and response.content_length is not None
        and response.content_length <= MAX_BODY
    )


def page_cache_tween_factory(handler, registry):
    """Serve visitors' pages from the :class:`PageCache` (see the module docstring)."""
    cache: PageCache = registry.cong_page_cache
    db = registry._zodb_databases[""]

    def page_cache_tween(request):
        if not is_visitor(request):
            return handler(request)
        minute = now().replace(second=0, microsecond=0)
        page = (minute, request.host_url, request.path_qs, negotiate_locale(request))
        page += (wants_json(request),)
        key = (db.lastTransaction(), page)
        found = cache.get(key)
        if found is not None:
            status, headers, body = found
            response = Response(status=status, headerlist=list(headers))
            if request.method == "GET":
                response.body = body
            return response
        response = handler(request)
        tid = request.environ.get("cong.tid")
        if tid is not None and request.method == "GET" and storable(request, response):
            cache.put((tid, page), (response.status, tuple(response.headerlist), response.body))
        return response

    return page_cache_tween


def includeme(config: Configurator) -> None:
    entries = config.registry.settings["cong"].page_cache_entries
    config.registry.cong_page_cache = PageCache(entries)
    if entries:
        config.add_tween(
            "core.pagecache.page_cache_tween_factory", over="pyramid_tm.tm_tween_factory"
        )
