"""The news plugin's portlets: featured news, latest news, important announcements
still valid, and upcoming events of the navigation root (a subsite or the portal).

Each is a :class:`core.portlets.Portlet` (the ``cong_portlets`` hook): the portlet
column shows them, and home pages (:mod:`plugins.news.home`) order them and switch
them off. Each reads catalog records only, and is shared until the next commit (or
the next minute: scheduled items come and go) by requesters alike
(:meth:`core.ui.UI.cached`).
"""

from __future__ import annotations

from collections.abc import Callable

import catalog
from core.clock import now
from core.hookspecs import hookimpl
from core.i18n import _
from core.portlets import Portlet
from plugins.news.content import IMPORTANT
from plugins.news.listings import scope

#: How many items each portlet lists.
COUNT = 5
#: How many featured news.
FEATURED_COUNT = 3
#: ``(name, title, order)`` of each portlet (names are how home pages keep their choice).
FEATURED, LATEST, IMPORTANT_NOTICES, UPCOMING = (
    "featured-news", "latest-news", "important-announcements", "upcoming-events",
)  # fmt: skip


def _news_search(types: tuple, fields: dict | None = None, size: int = COUNT) -> Callable:
    """A function finding records of ``types`` below the navigation root."""

    def find(request, root):
        query = scope(root, fields)
        return catalog.search(request, types=types, sort_on="effective", size=size, **query)

    return find


def _upcoming(request, root):
    return catalog.search(
        request, types=("Event",), date_ranges={"event_end": (now(), None)},
        sort_on="event_start", sort_order="ascending", size=COUNT, **scope(root),
    )  # fmt: skip


def _box(name: str, find: Callable, more: str, thumbnails: bool = False, events=False):
    """A portlet's ``render``: the records ``find(request, nav_root)`` gives, with a
    link to the section ``more`` of the navigation root when it has one."""

    def render(request, context) -> str:
        from core.theme import render_template
        from core.ui import get_ui

        ui = get_ui(request)

        def compute() -> str:
            records = find(request, ui.nav_root).records
            if not records:
                return ""
            section = ui.nav_root.get(more)
            more_url = ui.url(section) if section is not None else ""
            if events and section is not None:
                more_url = ui.url(section, "@@sap-dien-ra")
            return render_template(
                request, "news_portlet.pt", records=records, more_url=more_url,
                thumbnails=thumbnails, events=events,
            )  # fmt: skip

        return ui.cached("news.portlet." + name, compute)

    return render


featured_news = _box(
    FEATURED,
    _news_search(types=("News",), fields={"featured": True}, size=FEATURED_COUNT),
    "tin-tuc",
    thumbnails=True,
)
latest_news = _box(LATEST, _news_search(types=("News",), size=COUNT), "tin-tuc")
important_announcements = _box(
    IMPORTANT_NOTICES,
    _news_search(types=("Announcement",), fields={"priority": IMPORTANT}, size=COUNT),
    "thong-bao",
)
upcoming = _box(UPCOMING, _upcoming, "su-kien", events=True)

PORTLETS = (
    Portlet(FEATURED, _("Tin nổi bật"), featured_news, order=5),
    Portlet(LATEST, _("Tin mới"), latest_news, order=10),
    Portlet(IMPORTANT_NOTICES, _("Thông báo quan trọng"), important_announcements, order=15),
    Portlet(UPCOMING, _("Sự kiện sắp diễn ra"), upcoming, order=20),
)


@hookimpl
def cong_portlets(request, context):
    """Featured news, latest news, important announcements and upcoming events."""
    return list(PORTLETS)
