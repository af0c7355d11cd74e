"""RSS 2.0 and Atom feeds (made with ``feedgen``) of the latest news and
announcements: ``@@rss`` and ``@@atom`` on the portal or a subsite, and on one news
category with ``?chuyen-muc=<slug>``.

A subsite's feed holds its own items; the portal's, the whole province's, as its
home page aggregates them (:mod:`subsites.aggregation`). Entries come from catalog
records asked as a visitor (:func:`plugins.news.sitemap.as_visitor`): only what
anyone may read, published and within its publication window. :func:`cong_head_links`
gives the layout its ``<link rel="alternate">`` tags.

Every text put in a feed is scrubbed of the characters XML cannot hold
(:func:`core.cleantext.scrub`): text stored before such characters were refused
must not make the feed fail for everyone.
"""

from __future__ import annotations

from feedgen.feed import FeedGenerator
from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.traversal import find_interface, resource_path
from pyramid.view import view_config

from catalog import search
from core.cache import cached
from core.cleantext import scrub
from core.hookspecs import hookimpl
from core.i18n import _
from core.interfaces import INavigationRoot, ISite
from core.permissions import VIEW
from core.slots import HeadLink
from plugins.news.content import categories, category_label
from plugins.news.sitemap import as_visitor
from subsites.catalog_fields import EXCLUDE_FROM_PROVINCE

#: What the feeds hold.
FEED_TYPES = ("News", "Announcement")
PUBLISHED = "published"
#: Entries per feed.
FEED_SIZE = 20
#: The query parameter naming a category.
CATEGORY_PARAM = "chuyen-muc"
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def feed_records(request, root, category: str = ""):
    """The latest public news and announcements of ``root`` (a subsite: its own;
    the portal: the province's), of ``category`` only when one is named."""
    query: dict = {"fields": {}}
    if ISite.providedBy(root):
        query["fields"][EXCLUDE_FROM_PROVINCE] = False
    else:
        query["subsite"] = resource_path(root)
    if category:
        query["fields"]["category"] = category
    with as_visitor(request):
        return search(
            request,
            path=resource_path(root),
            types=FEED_TYPES,
            states=(PUBLISHED,),
            sort_on="effective",
            sort_order="descending",
            size=FEED_SIZE,
            **query,
        ).records


def feed_title(request, root, category: str) -> str:
    if not category:
        return root.title
    return f"{root.title} – {category_label(request, category)}"


def feed_url(request, root, kind: str, category: str = "") -> str:
    query = {CATEGORY_PARAM: category} if category else {}
    return request.resource_url(root, "@@" + kind, query=query)


def build_feed(request, root, kind: str, category: str) -> bytes:
    """The feed document (``kind``: ``rss`` or ``atom``)."""
    records = feed_records(request, root, category)
    home = request.resource_url(root)
    fg = FeedGenerator()
    fg.id(feed_url(request, root, "atom", category))
    fg.title(scrub(feed_title(request, root, category)))
    fg.subtitle(scrub(root.description or root.title))
    fg.link(href=feed_url(request, root, kind, category), rel="self")
    fg.link(href=home, rel="alternate")  # after "self": RSS takes the last link
    fg.author(name=scrub(root.title))
    fg.language("vi")
    fg.generator("cong")
    fg.updated(max((r.modified for r in records), default=root.modified))
    labels = dict(categories(request.registry))
    for record in reversed(records):  # feedgen puts each new entry first
        url = record.url(request)
        entry = fg.add_entry()
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(scrub(record.title or url))
        entry.link(href=url)
        entry.description(scrub(record.description or record.title or url))
        entry.published(record.effective)
        entry.updated(record.modified)
        slug = record.metadata.get("category")
        if slug in labels:
            entry.category(term=slug, label=scrub(request.localizer.translate(labels[slug])))
    return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)


@view_config(context=INavigationRoot, name="rss", permission=VIEW)
@view_config(context=INavigationRoot, name="atom", permission=VIEW)
def feed(context, request):
    """``@@rss`` / ``@@atom`` (``?chuyen-muc=<slug>``: that category's news only)."""
    kind = request.view_name
    category = request.GET.get(CATEGORY_PARAM, "")
    if category and category not in dict(categories(request.registry)):
        raise HTTPNotFound()
    key = ("news.feed", request.application_url, resource_path(context), kind, category)
    body = cached(request, key, lambda: build_feed(request, context, kind, category))
    return Response(body, content_type=MEDIA_TYPES[kind], charset="utf-8")


@hookimpl
def cong_head_links(request, context) -> list[HeadLink]:
    """The feeds a page's head links to: those of its navigation root, and those
    of the category a category listing shows."""
    root = find_interface(context, INavigationRoot) or request.root
    category = ""
    subpath = getattr(request, "subpath", ())
    if getattr(request, "view_name", "") == "chuyen-muc" and subpath:
        category = subpath[0]
    elif request.GET.get(CATEGORY_PARAM):
        category = request.GET[CATEGORY_PARAM]
    if category not in dict(categories(request.registry)):
        category = ""
    translate = request.localizer.translate
    links = []
    for kind, label in (("rss", "RSS"), ("atom", "Atom")):
        title = translate(_("Tin mới (${format})", mapping={"format": label}))
        links.append(
            HeadLink(MEDIA_TYPES[kind], f"{root.title}: {title}", feed_url(request, root, kind))
        )
        if category:
            links.append(
                HeadLink(
                    MEDIA_TYPES[kind],
                    f"{feed_title(request, root, category)} ({label})",
                    feed_url(request, root, kind, category),
                )
            )
    return links
