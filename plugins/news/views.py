"""The pages of news, announcements and events; the listings per folder, category,
month and of events; the iCalendar export; the lead image's scales."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid.view import view_config

import catalog
from core.batching import Batch, batch_params
from core.blobs import SCALES, blob_response
from core.clock import now
from core.formatting import human_size
from core.i18n import _
from core.interfaces import IFile, IFolder
from core.permissions import VIEW
from core.security import is_active
from core.ui import get_ui
from plugins.news import listings
from plugins.news.calendar import calendar_of_event, calendar_of_records
from plugins.news.content import IMPORTANT, categories, category_label
from plugins.news.interfaces import IAnnouncement, IEvent, INews, INewsSection

#: Items per page of a listing.
PAGE_SIZE = 20
#: Events in a folder's iCalendar file, at most (the latest by start).
ICS_EVENTS = 500
#: Months in the "Lưu trữ" block of a listing (the latest that have publications).
ARCHIVE_MONTHS = 12


def window_of(obj) -> str:
    """``"scheduled"``, ``"expired"`` or ``""``: how an editor's view marks an item
    visitors do not see now."""
    when = now()
    if is_active(obj, when):
        return ""
    return "scheduled" if obj.effective is not None and obj.effective > when else "expired"


def category_url(request, slug: str) -> str:
    """The listing of category ``slug`` on the navigation root."""
    return get_ui(request).url(get_ui(request).nav_root, "@@chuyen-muc", slug)


# pages of one item ----------------------------------------------------------------------
@view_config(context=INews, renderer="news.pt", permission=VIEW)
def news_view(context, request):
    """An article: lead image and caption, date, source, category, tags, other news."""
    return {
        "window": window_of(context),
        "category": category_label(request, context.category),
        "category_url": category_url(request, context.category) if context.category else "",
        "others": listings.other_news(request, context),
    }


@view_config(context=INews, name="images", permission=VIEW)
@view_config(context=INews, name="image", permission=VIEW)
def lead_image(context, request):
    """The lead image: ``@@images/<scale>`` (thumb, preview, large) or ``@@image``
    (the original)."""
    image = context.image
    if image is None or not image.has_data():
        raise HTTPNotFound()
    scale = request.subpath[0] if request.subpath else ""
    if request.view_name == "images" and not scale:
        scale = "preview"
    if not scale:
        return blob_response(request, image.blob, image.content_type, None)
    if scale not in SCALES:
        raise HTTPNotFound()
    blob, _size, _length = image.scale(scale)
    media = image.content_type if blob is image.blob else "image/jpeg"
    return blob_response(request, blob, media, None)


@view_config(context=IAnnouncement, renderer="announcement.pt", permission=VIEW)
def announcement_view(context, request):
    """An announcement: its validity window, priority and attachments."""
    attachments = [
        {
            "title": f.title or f.filename,
            "url": get_ui(request).url(f, "@@download"),
            "size": human_size(f.size, request),
            "filename": f.filename,
        }
        for f in context.values()
        if IFile.providedBy(f) and f.has_data() and request.has_permission(VIEW, f)
    ]
    return {
        "window": window_of(context),
        "important": context.priority == IMPORTANT,
        "attachments": attachments,
    }


@view_config(context=IEvent, renderer="event.pt", permission=VIEW)
def event_view(context, request):
    """An event: when, where, and its iCalendar file."""
    return {"window": window_of(context)}


# listings --------------------------------------------------------------------------------
def listing_page(request, context, results, start, size, heading, **extra) -> dict:
    """The namespace of ``news_listing.pt``."""
    return {
        "heading": heading,
        "batch": Batch(results.records, results.total, start, size, request),
        "mark": listings.outside_window,
        "categories": [],
        "archive": None,
        **extra,
    }


def archive_links(request, folder, current: tuple[int, int] | None = None) -> list[dict]:
    """The months of ``folder``'s archive, newest first, as links: ``label``
    ("Tháng 03/2025"), ``url`` (``@@luu-tru/2025/03``), ``count``, ``current``,
    ``year``."""
    ui = get_ui(request)
    return [
        {
            "label": request.localizer.translate(
                _("Tháng ${month}/${year}", mapping={"month": f"{m.month:02d}", "year": m.year})
            ),
            "url": ui.url(folder, "@@luu-tru", str(m.year), f"{m.month:02d}"),
            "count": m.count,
            "current": (m.year, m.month) == current,
            "year": m.year,
        }
        for m in listings.archive_months(request, folder)
    ]


def archive_box(request, folder, current: tuple[int, int] | None = None) -> dict:
    """The "Lưu trữ" block of a listing: the latest :data:`ARCHIVE_MONTHS` months
    that have publications, and the address of the whole archive."""
    return {
        "months": archive_links(request, folder, current)[:ARCHIVE_MONTHS],
        "url": get_ui(request).url(folder, "@@luu-tru"),
    }


@view_config(context=INewsSection, renderer="news_listing.pt", permission=VIEW)
@view_config(context=IFolder, name="danh-sach", renderer="news_listing.pt", permission=VIEW)
def folder_listing(context, request):
    """A folder's news, announcements and events, newest first."""
    start, size = batch_params(request, PAGE_SIZE)
    results = listings.publications(request, context, start, size)
    return listing_page(
        request, context, results, start, size, context.title,
        archive=archive_box(request, context),
    )  # fmt: skip


#: Where the plugin is disabled, a news section is shown as the plain folder it is.
folder_listing.stands_aside = True


@view_config(context=IFolder, name="chuyen-muc", renderer="news_listing.pt", permission=VIEW)
def category_listing(context, request):
    """``@@chuyen-muc/<slug>``: the news of a category below this folder or portal;
    without a slug, the list of categories."""
    known = dict(categories(request.registry))
    slug = request.subpath[0] if request.subpath else ""
    links = [
        {"label": request.localizer.translate(label), "url": get_ui(request).url(
            context, "@@chuyen-muc", value), "current": value == slug}
        for value, label in known.items()
    ]  # fmt: skip
    if not slug:
        empty = catalog.Results(0, [])
        return listing_page(
            request, context, empty, 0, PAGE_SIZE, _("Chuyên mục"), categories=links
        )
    if slug not in known or len(request.subpath) > 1:
        raise HTTPNotFound()
    start, size = batch_params(request, PAGE_SIZE)
    results = listings.in_category(request, context, slug, start, size)
    return listing_page(
        request, context, results, start, size, category_label(request, slug), categories=links
    )


@view_config(context=IFolder, name="luu-tru", renderer="news_listing.pt", permission=VIEW)
def archive(context, request):
    """``@@luu-tru/<year>/<month>``: what was published below this folder in a month;
    ``@@luu-tru``: the archive's index."""
    if not request.subpath:
        return render_to_response("news_archive.pt", archive_index(context, request), request)
    try:
        year, month = (int(part) for part in request.subpath)
        listings.month_bounds(year, month)
        if not 1900 < year < 3000:
            raise ValueError(year)
    except ValueError:
        raise HTTPNotFound() from None
    start, size = batch_params(request, PAGE_SIZE)
    results = listings.in_month(request, context, year, month, start, size)
    heading = _("Lưu trữ tháng ${month}/${year}", mapping={"month": f"{month:02d}", "year": year})
    return listing_page(
        request, context, results, start, size, heading,
        archive=archive_box(request, context, (year, month)),
    )  # fmt: skip


def archive_index(context, request) -> dict:
    """The namespace of ``news_archive.pt``: the years that have publications below
    ``context``, newest first, each with its total and its months (newest first)."""
    years: list[dict] = []
    for link in archive_links(request, context):
        if not years or years[-1]["year"] != link["year"]:
            years.append({"year": link["year"], "count": 0, "months": []})
        years[-1]["count"] += link["count"]
        years[-1]["months"].append(link)
    return {"years": years}


@view_config(context=IFolder, name="sap-dien-ra", renderer="news_listing.pt", permission=VIEW)
def upcoming(context, request):
    """The events below this folder that have not ended, soonest first."""
    start, size = batch_params(request, PAGE_SIZE)
    results = listings.upcoming_events(request, context, start, size)
    return listing_page(request, context, results, start, size, _("Sự kiện sắp diễn ra"))


@view_config(context=IFolder, name="da-dien-ra", renderer="news_listing.pt", permission=VIEW)
def past(context, request):
    """The events below this folder that have ended, latest first."""
    start, size = batch_params(request, PAGE_SIZE)
    results = listings.past_events(request, context, start, size)
    return listing_page(request, context, results, start, size, _("Sự kiện đã diễn ra"))


# iCalendar -------------------------------------------------------------------------------
def ics_response(body: bytes, name: str) -> Response:
    response = Response(body=body, content_type="text/calendar", charset="utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@view_config(context=IEvent, name="ics", permission=VIEW)
def event_ics(context, request):
    """The event as an iCalendar file."""
    return ics_response(calendar_of_event(request, context), context.__name__)


@view_config(context=IFolder, name="ics", permission=VIEW)
def folder_ics(context, request):
    """The events below this folder (the latest :data:`ICS_EVENTS` by start) as
    one iCalendar file, from catalog records."""
    found = catalog.search(
        request, types=("Event",), sort_on="event_start", **listings.scope(context),
        size=ICS_EVENTS,
    )  # fmt: skip
    name = context.__name__ or "lich"
    return ics_response(calendar_of_records(request, context, found.records), name)
