"""News (tin tức) and announcements (thông báo), with events (sự kiện), for every portal.

- :mod:`plugins.news.content`: the types and the portal's news categories;
- :mod:`plugins.news.catalog_fields`: what listings read from catalog records;
- :mod:`plugins.news.views`: the pages of an article, an announcement, an event,
  the listings per folder, category and month, and the iCalendar export;
- :mod:`plugins.news.portlets`: the boxes home pages are made of;
- :mod:`plugins.news.demo`: news sections in ``cong demo``'s file.

A published item is shown to visitors from its ``effective`` time until its
``expires`` time, checked at request time (see :func:`core.security.is_active` and
:func:`catalog.search`): no job has to run for scheduled news to appear.

``News`` and ``Announcement`` are imported here because objects stored before
:mod:`plugins.news.content` existed name this module as their class's home.
"""

from __future__ import annotations

from core.clock import now
from core.hookspecs import hookimpl
from core.i18n import _
from plugins.news.catalog_fields import cong_catalog_fields as cong_catalog_fields
from plugins.news.content import TYPES, Announcement, News, configure_categories
from plugins.news.demo import cong_demo_item as cong_demo_item
from plugins.news.feeds import cong_head_links as cong_head_links
from plugins.news.home import cong_front_page as cong_front_page
from plugins.news.interfaces import IAnnouncement, IEvent, INews, IPublication
from plugins.news.portlets import cong_portlets as cong_portlets
from plugins.news.structure import cong_subsite_created as cong_subsite_created

__all__ = ["Announcement", "IAnnouncement", "IEvent", "INews", "News"]

PUBLISHED = "published"


@hookimpl
def cong_content_types():
    return TYPES


@hookimpl
def cong_province_lists():
    return [
        (News.type_name, _("Tin tức từ các đơn vị")),
        (Announcement.type_name, _("Thông báo của các đơn vị")),
    ]


@hookimpl(tryfirst=True)
def cong_workflow_transition(request, obj, transition, old_state, new_state, comment):
    """An item published without a publication time gets the time of publishing
    (before the catalog indexes the transition)."""
    if new_state == PUBLISHED and IPublication.providedBy(obj) and obj.effective is None:
        obj.effective = now()


@hookimpl
def cong_configure(config):
    from plugins.news.evolve import MONTH_STEP, PUBLICATION_STEP, evolve_publications, index_months

    configure_categories(config)
    config.add_type_alias("News Item", "News")
    config.add_evolve_step(PUBLICATION_STEP, evolve_publications)
    config.add_evolve_step(MONTH_STEP, index_months)
    config.add_template_dir("plugins.news:templates")
    config.scan("plugins.news.views")
    config.scan("plugins.news.feeds")
    config.scan("plugins.news.sitemap")
    config.scan("plugins.news.home")
