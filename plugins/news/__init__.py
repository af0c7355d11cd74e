"""News (tin tức) and announcements (thông báo) for every portal.

Adds the ``News`` and ``Announcement`` types (rich text with a publication date and
an optional lead image), a news-folder view, and a "latest news" portlet.
"""

from __future__ import annotations

from datetime import date

from zope.interface import implementer

from core.content import Item
from core.contenttypes import BODY, DESCRIPTION, TITLE
from core.fields import Bool, Date
from core.hookspecs import hookimpl
from core.i18n import _
from core.interfaces import IRichText
from core.portlets import Portlet
from core.types import ContentType
from plugins.news.structure import cong_subsite_created as cong_subsite_created

LATEST_COUNT = 5


class INews(IRichText):
    """A news article."""


class IAnnouncement(IRichText):
    """An official announcement."""


class NewsBase(Item):
    text = ""
    effective: date | None = None
    exclude_from_province = False

    @property
    def date(self) -> date:
        """The date shown and sorted on: the publication date, else creation."""
        return self.effective or self.created.date()


@implementer(INews)
class News(NewsBase):
    type_name = "News"


@implementer(IAnnouncement)
class Announcement(NewsBase):
    type_name = "Announcement"


EFFECTIVE = Date("effective", _("Ngày đăng"))
#: Keeps the item out of the province portal's lists (see subsites.aggregation).
EXCLUDE_FROM_PROVINCE = Bool("exclude_from_province", _("Không hiển thị ở cổng tỉnh"))

TYPES = [
    ContentType(
        "News",
        News,
        _("Tin tức"),
        fields=(TITLE, DESCRIPTION, EFFECTIVE, BODY, EXCLUDE_FROM_PROVINCE),
        description=_("Một bài tin tức."),
        searchable_text=("title", "description", "text"),
    ),
    ContentType(
        "Announcement",
        Announcement,
        _("Thông báo"),
        fields=(TITLE, DESCRIPTION, EFFECTIVE, BODY, EXCLUDE_FROM_PROVINCE),
        description=_("Một thông báo chính thức."),
        searchable_text=("title", "description", "text"),
    ),
]


@hookimpl
def cong_content_types():
    return TYPES


def latest_news(request, context) -> str:
    """The last news items added to the portal's ``tin-tuc`` folder."""
    from core.permissions import VIEW
    from core.theme import render_template
    from core.ui import get_ui

    ui = get_ui(request)

    def compute() -> str:
        folder = ui.nav_root.get("tin-tuc")
        if folder is None or not hasattr(folder, "slice"):
            return ""
        tail = folder.slice(max(len(folder) - 3 * LATEST_COUNT, 0), 3 * LATEST_COUNT)
        items = [
            obj
            for obj in reversed(tail)
            if INews.providedBy(obj) and request.has_permission(VIEW, obj)
        ]
        if not items:
            return ""
        return render_template(request, "latest_news.pt", items=items[:LATEST_COUNT], folder=folder)

    return ui.cached("news.latest", compute)


@hookimpl
def cong_portlets(request, context):
    return [Portlet("latest-news", _("Tin mới"), latest_news, order=10)]


@hookimpl
def cong_configure(config):
    config.add_template_dir("plugins.news:templates")
    config.scan("plugins.news.views")
