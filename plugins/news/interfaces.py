"""The news plugin's contracts: what its views and portlets are registered on."""

from zope.interface import Attribute

from core.interfaces import IFolder, IRichText


class IPublication(IRichText):
    """Rich text published for a time: news, announcements and events.

    A published item is shown to visitors from ``effective`` until ``expires``
    (see :func:`core.security.is_active`); people who may edit it always see it.
    """

    effective = Attribute("Publication time (aware datetime); None: when it was published.")
    expires = Attribute("End of publication (aware datetime); None: never.")
    exclude_from_province = Attribute("True keeps the item out of the province's lists.")


class INews(IPublication):
    """A news article (tin tức) with an optional lead image."""

    image_caption = Attribute("The caption of the lead image.")
    category = Attribute("The slug of its category (see cong.news_categories), or ''.")
    tags = Attribute("Tuple of keywords.")
    featured = Attribute("True for news shown first on home pages.")
    source = Attribute("Author or source.")


class IAnnouncement(IPublication, IFolder):
    """An official announcement (thông báo): valid from ``effective`` to ``expires``;
    its attachments are the File objects inside it."""

    priority = Attribute("'normal' or 'important' (important ones lead home pages).")


class IEvent(IPublication):
    """An event (sự kiện): when and where."""

    start = Attribute("Start (aware datetime).")
    end = Attribute("End (aware datetime), or None.")
    all_day = Attribute("True when it lasts whole days (times are not shown).")
    location = Attribute("Where it takes place.")


class INewsSection(IFolder):
    """A folder of news, announcements or events (``tin-tuc``, ``thong-bao``,
    ``su-kien``): its default view lists them newest first."""
