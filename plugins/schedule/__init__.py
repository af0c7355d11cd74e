"""Lịch công tác tuần: the leaders' weekly work schedule of each unit.

Adds the ``WeeklySchedule`` type (a section named ``lich-cong-tac`` on every new
subsite), its week page, JSON and form, a "this week's schedule" portlet for
home pages, and the loading of a schedule's weeks from ``cong demo``
(:mod:`plugins.schedule.demo`).
"""

from __future__ import annotations

from core.contenttypes import DESCRIPTION, TITLE
from core.hookspecs import hookimpl
from core.i18n import _
from core.types import ContentType
from plugins.schedule.content import TYPE_NAME, WeeklySchedule
from plugins.schedule.demo import cong_demo_item as cong_demo_item
from plugins.schedule.portlets import cong_portlets as cong_portlets
from plugins.schedule.structure import cong_subsite_created as cong_subsite_created

title = _("Lịch công tác")

TYPES = [
    ContentType(
        TYPE_NAME,
        WeeklySchedule,
        _("Lịch công tác tuần"),
        fields=(TITLE, DESCRIPTION),
        allowed_children=(),
        description=_("Lịch công tác của lãnh đạo đơn vị, theo từng tuần."),
    ),
]


@hookimpl
def cong_content_types():
    return TYPES


@hookimpl
def cong_configure(config):
    config.add_template_dir("plugins.schedule:templates")
    config.add_static_view("schedule-static", "plugins.schedule:static/", cache_max_age=86400)
    config.scan("plugins.schedule.views")
