"""The news plugin's sections of a new subsite: "Tin tức", "Thông báo", "Sự kiện".

Plain folders named ``tin-tuc``, ``thong-bao`` and ``su-kien``, like the portal's own, so the
"latest news" portlet finds a subsite's news where it finds the portal's. A folder
already there is left as it is (the hook may run again on an existing subsite).
"""

from __future__ import annotations

from zope.interface import alsoProvides

from core.hookspecs import hookimpl
from plugins.news.interfaces import INewsSection
from subsites.structure import ensure_child

#: ``(name, title, description)`` of each section, in the order they are added.
SECTIONS = (
    ("tin-tuc", "Tin tức", "Tin tức, sự kiện của đơn vị."),
    ("thong-bao", "Thông báo", "Thông báo chính thức của đơn vị."),
    ("su-kien", "Sự kiện", "Các sự kiện sắp diễn ra và đã diễn ra của đơn vị."),
)


@hookimpl
def cong_subsite_created(request, subsite):
    """Give a new subsite its news, announcements and events folders."""
    for name, title, description in SECTIONS:
        values = {"title": title, "description": description}
        folder, _created = ensure_child(request, subsite, name, "Folder", values)
        alsoProvides(folder, INewsSection)  # listed newest first (plugins.news.views)
