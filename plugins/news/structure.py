"""The news plugin's sections of a new subsite: "Tin tức" and "Thông báo".

Plain folders named ``tin-tuc`` and ``thong-bao``, like the portal's own, so the
"latest news" portlet finds a subsite's news where it finds the portal's. A folder
already there is left as it is (the hook may run again on an existing subsite).
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from subsites.structure import ensure_child

#: ``(name, title, description)`` of each section, in the order they are added.
SECTIONS = (
    ("tin-tuc", "Tin tức", "Tin tức, sự kiện của đơn vị."),
    ("thong-bao", "Thông báo", "Thông báo chính thức của đơn vị."),
)


@hookimpl
def cong_subsite_created(request, subsite):
    """Give a new subsite its news and announcements folders."""
    for name, title, description in SECTIONS:
        ensure_child(request, subsite, name, "Folder", {"title": title, "description": description})
