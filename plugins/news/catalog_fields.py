"""The news plugin's catalog fields: what listings, portlets and feeds read from
catalog records (never from the objects): category, tags, featured, priority,
expiry, event times, whether there is a lead image, and the month of publication
(which the archive counts)."""

from __future__ import annotations

from datetime import datetime

from catalog import as_datetime
from catalog.fields import CatalogField
from core.clock import TIMEZONE
from core.hookspecs import hookimpl
from core.i18n import _
from plugins.news.interfaces import IAnnouncement, IEvent, INews, IPublication

#: The field of the month of publication (``"2025-03"``), counted by the archive.
MONTH = "month"


def _attribute(interface, name: str, empty_is_none: bool = True):
    def get(obj):
        if not interface.providedBy(obj):
            return None
        value = getattr(obj, name, None)
        return (value or None) if empty_is_none else value

    return get


def event_end(obj):
    """When an event ends: its end, else its start (so that "upcoming" and "past"
    are one range each)."""
    if not IEvent.providedBy(obj):
        return None
    return obj.end or obj.start


def has_image(obj) -> bool | None:
    """True when ``obj`` is a news article with a lead image (else not indexed)."""
    image = getattr(obj, "image", None) if INews.providedBy(obj) else None
    return True if image is not None and image.has_data() else None


def month_key(moment: datetime) -> str:
    """``"YYYY-MM"``: the month of an aware ``moment`` in Vietnam time."""
    return moment.astimezone(TIMEZONE).strftime("%Y-%m")


def publication_month(obj) -> str | None:
    """The month (Vietnam time) of a publication's ``effective`` time, else of its
    creation (as the catalog's ``effective`` index takes it); None for other objects."""
    if not IPublication.providedBy(obj):
        return None
    return month_key(as_datetime(obj.effective or obj.created))


#: The month of publication (not offered on the search page, where the year is).
MONTH_FIELD = CatalogField(MONTH, publication_month, title=_("Tháng"), facet=False)


@hookimpl
def cong_catalog_fields():
    """Category (a facet), tags, featured, priority, expiry, event start, end,
    location and all-day, whether there is a lead image, and the month of
    publication (not offered on the search page, where the year is)."""
    return [
        CatalogField(
            "category", _attribute(INews, "category"), metadata=True, title=_("Chuyên mục")
        ),
        CatalogField(
            "tags",
            _attribute(INews, "tags"),
            kind="keyword",
            title=_("Từ khóa"),
            aliases=("Subject",),
        ),
        CatalogField("featured", _attribute(INews, "featured", False), metadata=True, facet=False),
        CatalogField("priority", _attribute(IAnnouncement, "priority"), metadata=True, facet=False),
        CatalogField("expires", _attribute(IPublication, "expires"), kind="date", metadata=True),
        CatalogField("event_start", _attribute(IEvent, "start"), kind="date", metadata=True),
        CatalogField("event_end", event_end, kind="date", metadata=True),
        CatalogField("event_location", _attribute(IEvent, "location"), metadata=True, facet=False),
        CatalogField("all_day", _attribute(IEvent, "all_day", False), metadata=True, facet=False),
        CatalogField("image", has_image, metadata=True, facet=False),
        MONTH_FIELD,
    ]
