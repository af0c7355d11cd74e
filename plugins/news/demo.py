"""The news plugin's part of ``cong demo`` (:mod:`core.demo`): ``"news_section":
true`` on a folder of the demo file makes it a news section (:class:`INewsSection`,
listed newest first with its archive), as the sections of new subsites are."""

from __future__ import annotations

from zope.interface import alsoProvides

from core.hookspecs import hookimpl
from core.interfaces import IFolder
from plugins.news.interfaces import INewsSection

#: The key of a demo item naming it a news section.
KEY = "news_section"


@hookimpl
def cong_demo_item(request, obj, values, skip):
    """A folder's ``news_section``."""
    if not values.get(KEY):
        return
    if IFolder.providedBy(obj):
        alsoProvides(obj, INewsSection)
    else:
        skip(KEY, "only a folder can be a news section")
