"""What the news pages list, asked of the catalog (records only: no article is
loaded to list it): a folder's publications newest first, a category, a month,
the months that have publications (the archive), other news beside an article,
upcoming and past events. On the portal, each lists what the province lists
(:func:`scope`): not the items a unit keeps out of the province's lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pyramid.traversal import resource_path

import catalog
from catalog import Record, Results
from core.clock import now
from core.interfaces import ISite
from core.ui import get_ui
from plugins.news.catalog_fields import MONTH
from subsites.catalog_fields import EXCLUDE_FROM_PROVINCE

#: The types the news listings show.
PUBLICATIONS = ("News", "Announcement", "Event")
#: How many other articles an article page shows.
OTHER_NEWS = 5


def scope(root, fields: dict | None = None) -> dict:
    """The query of what ``root`` (a folder, a subsite or the portal) lists: what is
    below it and, on the portal, only what the units let the province list
    (:data:`subsites.catalog_fields.EXCLUDE_FROM_PROVINCE`), as on the portal's home page."""
    fields = dict(fields or {})
    if ISite.providedBy(root):
        fields[EXCLUDE_FROM_PROVINCE] = False
    return {"path": resource_path(root), "fields": fields}


def publications(request, folder, start: int = 0, size: int = 20, types=PUBLICATIONS) -> Results:
    """The publications below ``folder`` the requester may see, newest first."""
    return catalog.search(
        request, types=types, sort_on="effective", start=start, size=size, **scope(folder)
    )


def in_category(request, root, slug: str, start: int = 0, size: int = 20) -> Results:
    """The news of category ``slug`` below ``root`` (a news folder or a portal), newest first."""
    return catalog.search(
        request, types=("News",), sort_on="effective", start=start, size=size,
        **scope(root, {"category": slug}),
    )  # fmt: skip


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month (ValueError if there is no such month)."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def in_month(request, folder, year: int, month: int, start: int = 0, size: int = 20) -> Results:
    """The publications below ``folder`` published in a month (Vietnam time), newest first."""
    return catalog.search(
        request, types=PUBLICATIONS, date_ranges={"effective": month_bounds(year, month)},
        sort_on="effective", start=start, size=size, **scope(folder),
    )  # fmt: skip


@dataclass(frozen=True)
class MonthCount:
    """A month of the archive and how many publications it has."""

    year: int
    month: int
    count: int


def archive_months(request, folder) -> list[MonthCount]:
    """The months (Vietnam time) in which something below ``folder`` the requester
    may see was published, newest first, with their counts: one count of the
    catalog's ``month`` index over the folder's publications, shared until the
    next commit (or minute) by requesters alike."""
    query = scope(folder)

    def compute() -> list[MonthCount]:
        found = catalog.search(request, types=PUBLICATIONS, size=0, facets=(MONTH,), **query)
        months = []
        for key, count in found.facets[MONTH].items():
            year, month = key.split("-")
            months.append(MonthCount(int(year), int(month), count))
        return sorted(months, key=lambda m: (m.year, m.month), reverse=True)

    return get_ui(request).cached("news.archive " + query["path"], compute)


def other_news(request, article, count: int = OTHER_NEWS) -> list[Record]:
    """The latest news of the article's category in its folder, else of its folder,
    without the article itself."""
    folder = resource_path(article.__parent__)
    query = dict(path=folder, depth=1, types=("News",), sort_on="effective", size=count + 1)
    found: list[Record] = []
    if article.category:
        found = catalog.search(request, fields={"category": article.category}, **query).records
    if len(found) <= 1:
        found = catalog.search(request, **query).records
    return [r for r in found if r.uid != article.uid][:count]


def upcoming_events(request, root, start: int = 0, size: int = 20, when=None) -> Results:
    """The events below ``root`` that have not ended, soonest first."""
    when = when or now()
    return catalog.search(
        request, types=("Event",), date_ranges={"event_end": (when, None)},
        sort_on="event_start", sort_order="ascending", start=start, size=size, **scope(root),
    )  # fmt: skip


def past_events(request, root, start: int = 0, size: int = 20, when=None) -> Results:
    """The events below ``root`` that have ended, latest first."""
    when = when or now()
    ended = (None, when - timedelta(microseconds=1))
    return catalog.search(
        request, types=("Event",), date_ranges={"event_end": ended},
        sort_on="event_start", start=start, size=size, **scope(root),
    )  # fmt: skip


def outside_window(record: Record, when: datetime | None = None) -> str:
    """``"scheduled"`` when a record's publication time is still to come,
    ``"expired"`` when its expiry has passed, else ``""`` (for editors' marks)."""
    when = when or now()
    if record.effective > when:
        return "scheduled"
    expires = record.metadata.get("expires")
    if expires is not None and expires <= when:
        return "expired"
    return ""
