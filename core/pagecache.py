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

A kept page carries an ``ETag`` (a digest of its body) and a ``Last-Modified`` (when
this process first served that very body at that address), so a visitor's browser
asking again with ``If-None-Match`` or ``If-Modified-Since`` gets ``304 Not
Modified`` and no body. Its gzip form is made once, when a visitor first takes it,
and kept beside it (:mod:`core.compression`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from email.utils import format_datetime, parsedate_to_datetime

from pyramid.config import Configurator
from pyramid.response import Response

from core.clock import now
from core.compression import accepts_gzip, gzip_bytes, gzip_etag
from core.i18n import negotiate_locale
from core.negotiation import wants_json
from core.security import AUTH_COOKIE, SESSION_COOKIE

CACHEABLE_TYPES = (
    "text/html",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
)
MAX_BODY = 1024 * 1024
#: Headers of a rendered page not kept (each answer sets its own).
PER_ANSWER = frozenset({"content-length", "content-encoding", "etag", "last-modified", "vary"})


class Page:
    """A kept page: its status, headers and body, with its entity tag and the time
    it was first served; its gzip form is made on the first request that takes it."""

    __slots__ = ("status", "headers", "body", "etag", "last_modified", "_forms")

    def __init__(self, status: str, headers: tuple, body: bytes, last_modified: str):
        self.status = status
        self.body = body
        self.etag = etag_of(body)
        self.last_modified = last_modified
        kept = tuple(h for h in headers if h[0].lower() not in PER_ANSWER)
        self.headers = (*kept, ("Vary", "Accept-Encoding"), ("Last-Modified", last_modified))
        plain = (*self.headers, ("ETag", self.etag), ("Content-Length", str(len(body))))
        self._forms: dict[bool, tuple] = {False: (plain, body)}

    def form(self, gzip: bool) -> tuple[tuple, bytes]:
        """The headers and body of the plain or gzip form (the latter made once)."""
        found = self._forms.get(gzip)
        if found is None:
            body = gzip_bytes(self.body)
            headers = (*self.headers, ("ETag", gzip_etag(self.etag)))
            headers += (("Content-Length", str(len(body))), ("Content-Encoding", "gzip"))
            found = self._forms[gzip] = (headers, body)
        return found

    def gzipped(self) -> bytes:
        """The body in gzip form (made once)."""
        return self.form(True)[1]

    def not_modified(self, environ: dict) -> bool:
        """Whether the request's validators match this page (a 304 answers it)."""
        tags = environ.get("HTTP_IF_NONE_MATCH")
        if tags is not None:
            wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
            mine = self.etag.removeprefix("W/")
            return "*" in wanted or mine in wanted or gzip_etag(mine) in wanted
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if since is None:
            return False
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(self.last_modified)
        except (TypeError, ValueError, IndexError):
            return False

    def respond(self, request) -> Response:
        """This page as the answer to ``request``: 304, gzip or as it is."""
        environ = request.environ
        headers, body = self.form(accepts_gzip(environ))
        if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
            if self.not_modified(environ):
                kept = ("content-type", "content-length", "content-encoding")
                headers = [(k, v) for k, v in headers if k.lower() not in kept]
                return Response(status=304, headerlist=headers)
        app_iter = [body] if request.method == "GET" else [b""]
        return Response(status=self.status, headerlist=list(headers), app_iter=app_iter)


def etag_of(body: bytes) -> str:
    """A weak entity tag naming ``body``."""
    return 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def http_date(moment) -> str:
    """``moment`` as an HTTP date (``Wed, 02 Dec 2026 12:00:00 GMT``)."""
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


class PageCache:
    """A bounded, thread-safe LRU of rendered responses."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._first_served: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def first_served(self, address, body: bytes) -> str:
        """The HTTP date at which ``body`` was first kept for ``address`` (now, if
        that address last held another body): a page's ``Last-Modified``."""
        etag = etag_of(body)
        with self._lock:
            found = self._first_served.get(address)
            if found is None or found[0] != etag:
                found = (etag, http_date(now()))
                self._first_served[address] = found
            self._first_served.move_to_end(address)
            while len(self._first_served) > self.max_entries:
                self._first_served.popitem(last=False)
            return found[1]

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
        address = (request.host_url, request.path_qs, negotiate_locale(request))
        address += (wants_json(request),)
        key = (db.lastTransaction(), minute, address)
        found = cache.get(key)
        if found is not None:
            return found.respond(request)
        response = handler(request)
        tid = request.environ.get("cong.tid")
        if tid is None or request.method != "GET" or not storable(request, response):
            return response
        body = response.body
        page = Page(
            response.status, tuple(response.headerlist), body, cache.first_served(address, body)
        )
        cache.put((tid, minute, address), page)
        return page.respond(request)

    return page_cache_tween


def includeme(config: Configurator) -> None:
    entries = config.registry.settings["cong"].page_cache_entries
    config.registry.cong_page_cache = PageCache(entries)
    if entries:
        config.add_tween(
            "core.pagecache.page_cache_tween_factory", over="pyramid_tm.tm_tween_factory"
        )
