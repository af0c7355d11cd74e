"""The "this week's schedule" portlet: the current week's entries of the
navigation root's schedule (``lich-cong-tac``), for home pages and the column."""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.i18n import _
from core.permissions import VIEW
from core.portlets import Portlet
from plugins.schedule.interfaces import IWeeklySchedule
from plugins.schedule.structure import SECTION
from plugins.schedule.weeks import current_week

#: The portlet's name (the home page settings name portlets by it).
NAME = "week-schedule"
#: Entries shown at most (the schedule's page has them all).
MAX_ENTRIES = 8


def week_schedule(request, context) -> str:
    """This week's entries of the navigation root's schedule, by day ('' when it
    has none, or the requester may not view it)."""
    from core.theme import render_template
    from core.ui import get_ui
    from plugins.schedule.views import week_days, week_heading

    ui = get_ui(request)
    week = current_week()

    def compute() -> str:
        schedule = ui.nav_root.get(SECTION[0])
        if not IWeeklySchedule.providedBy(schedule) or not request.has_permission(VIEW, schedule):
            return ""
        days = week_days(request, schedule, week)
        shown = 0
        for day in days:
            day["entries"] = day["entries"][: max(MAX_ENTRIES - shown, 0)]
            shown += len(day["entries"])
        return render_template(
            request,
            "schedule_portlet.pt",
            schedule=schedule,
            heading=week_heading(request, week),
            days=[day for day in days if day["entries"]],
        )

    return ui.cached("schedule.week." + week.key, compute)


@hookimpl
def cong_portlets(request, context):
    return [Portlet(NAME, _("Lịch công tác tuần"), week_schedule, order=40)]
