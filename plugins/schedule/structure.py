"""The schedule's section of a new subsite: "Lịch công tác" (``lich-cong-tac``)."""

from __future__ import annotations

from core import operations
from core.hookspecs import hookimpl
from plugins.schedule.content import TYPE_NAME
from subsites.plugins import enabled_at
from subsites.structure import CONTACT, ensure_child

#: The section's name (URL segment), title and description.
SECTION = ("lich-cong-tac", "Lịch công tác", "Lịch công tác tuần của lãnh đạo đơn vị.")


@hookimpl(trylast=True)
def cong_subsite_created(request, subsite):
    """Give a new subsite its weekly schedule, after the other plugins' sections and
    before "Liên hệ" (left as it is when already there; none where the subsite was
    created with the plugin disabled)."""
    if not enabled_at(subsite, "schedule"):
        return
    name, title, description = SECTION
    _schedule, created = ensure_child(
        request, subsite, name, TYPE_NAME, {"title": title, "description": description}
    )
    contact = CONTACT[0]
    if created and contact in subsite:
        operations.reorder(request, subsite, name, subsite.position(contact))
