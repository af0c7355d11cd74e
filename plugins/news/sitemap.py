"""``sitemap.xml`` and ``robots.txt`` of the portal and of each subsite.

A navigation root's sitemap lists what anyone may read there: the root and the
items whose nearest navigation root it is (a subsite's items are in the subsite's
own sitemap, reached on its own host when it has one), with their last change as
``lastmod``. The lists come from the catalog, asked as a visitor would ask it
(:func:`as_visitor`), so a private or scheduled item never shows, whoever asks.
The portal's ``sitemap.xml`` is a sitemap index: its own pages
(``sitemap.xml?trang=1``...) and every public subsite's sitemap, at the subsite's
canonical address (made from its catalog record: no subsite is loaded). A subsite's is
the list itself, or an index of its pages when it holds more than
:data:`PAGE_SIZE` items.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from xml.sax.saxutils import escape

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.traversal import resource_path
from pyramid.view import view_config

from catalog import Record, search
from core.cache import cached
from core.interfaces import INavigationRoot, ISite
from core.permissions import VIEW
from subsites.catalog_fields import HOSTS
from subsites.hosting import subsite_url

#: URLs per sitemap file (the protocol allows 50,000; smaller files are built faster).
PAGE_SIZE = 5000
#: Subsites listed in the portal's sitemap index at most.
MAX_SUBSITES = 10000
SUBSITE_TYPE = "Subsite"
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: Where robots are asked not to go: forms, pages only editors use, health and metrics.
DISALLOWED = ("/@@login", "/@@search", "/@@add", "/@@edit", "/@@health", "/@@metrics")


@contextmanager
def as_visitor(request) -> Iterator[None]:
    """Within the block, ``request`` is a visitor's (nobody logged in): what the
    catalog returns and what permissions allow is what anyone may read."""
    environ = request.environ
    saved = {
        key: environ.pop(key) for key in ("cong.identity", "cong.principals") if key in environ
    }
    environ["cong.identity"] = None
    try:
        yield
    finally:
        environ.pop("cong.identity", None)
        environ.pop("cong.principals", None)
        environ.update(saved)


def own_items(request, root, start: int = 0, size: int = PAGE_SIZE):
    """A page of the public items whose nearest navigation root is ``root``
    (``root`` itself included), oldest first so that pages keep their items."""
    path = resource_path(root)
    with as_visitor(request):
        return search(
            request,
            path=path,
            subsite="" if ISite.providedBy(root) else path,
            sort_on="created",
            sort_order="ascending",
            start=start,
            size=size,
        )


def lastmod(record) -> str:
    """The W3C date and time of ``record``'s (or an object's) last change."""
    return record.modified.replace(microsecond=0).isoformat()


def urlset(request, records: list[Record], first=None) -> str:
    """A sitemap of ``records`` (after the object ``first``, when given: the portal,
    which is not in its catalog)."""
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{XMLNS}">']
    urls = [(request.resource_url(first), lastmod(first))] if first is not None else []
    urls += [(record.url(request), lastmod(record)) for record in records]
    for url, modified in urls:
        lines.append(f"<url><loc>{escape(url)}</loc><lastmod>{modified}</lastmod></url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)


def sitemap_index(entries: list[tuple[str, str | None]]) -> str:
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{XMLNS}">']
    for url, modified in entries:
        when = f"<lastmod>{modified}</lastmod>" if modified else ""
        lines.append(f"<sitemap><loc>{escape(url)}</loc>{when}</sitemap>")
    lines.append("</sitemapindex>\n")
    return "\n".join(lines)


def public_subsites(request) -> list[Record]:
    """The subsites anyone may visit, by title."""
    with as_visitor(request):
        found = search(
            request,
            types=(SUBSITE_TYPE,),
            sort_on="sortable_title",
            sort_order="ascending",
            size=MAX_SUBSITES,
        )
    return found.records


def sitemap_body(request, root, page: int | None) -> str | None:
    """The XML of ``root``'s sitemap (``page``: one page of its items), or None
    for a page it does not have."""
    base = request.resource_url(root, "sitemap.xml")
    first = own_items(request, root, size=PAGE_SIZE if page is None else 0)
    pages = max(1, -(-first.total // PAGE_SIZE))
    if page is not None:
        if not 1 <= page <= pages:
            return None
        records = own_items(request, root, (page - 1) * PAGE_SIZE).records
        return urlset(request, records, root if page == 1 and ISite.providedBy(root) else None)
    if ISite.providedBy(root):
        entries = [(f"{base}?trang={n}", None) for n in range(1, pages + 1)]
        for record in public_subsites(request):
            home = subsite_url(request, record.path, record.metadata.get(HOSTS))
            entries.append((home + "sitemap.xml", lastmod(record)))
        return sitemap_index(entries)
    if pages == 1:
        return urlset(request, first.records)
    return sitemap_index([(f"{base}?trang={n}", None) for n in range(1, pages + 1)])


@view_config(context=INavigationRoot, name="sitemap.xml", permission=VIEW)
def sitemap(context, request):
    """``sitemap.xml`` (``?trang=n``: page n of the root's own items)."""
    page = None
    if "trang" in request.GET:
        try:
            page = int(request.GET["trang"])
        except ValueError:
            raise HTTPNotFound() from None
    key = ("news.sitemap", request.application_url, resource_path(context), page)
    body = cached(request, key, lambda: sitemap_body(request, context, page))
    if body is None:
        raise HTTPNotFound()
    return Response(body, content_type="application/xml", charset="utf-8")


@view_config(context=INavigationRoot, name="robots.txt", permission=VIEW)
def robots(context, request):
    """``robots.txt``: everything may be read but forms; where the sitemap is."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines.append(f"Sitemap: {request.resource_url(context, 'sitemap.xml')}")
    return Response("\n".join(lines) + "\n", content_type="text/plain", charset="utf-8")
