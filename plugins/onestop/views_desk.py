"""A unit's desk page (``<unit>/mot-cua``): the unit's staff see their work
queue, in sections (new, due within two working days, overdue, waiting for the
citizen, in progress, result ready); everybody else sees how to look a dossier
up and how to hand one in."""

from __future__ import annotations

from pyramid.view import view_config

from core.clock import now
from core.i18n import _
from core.ui import get_ui
from core.workdays import add_working_days, working_calendar
from plugins.onestop import statuses as S
from plugins.onestop.access import can_staff
from plugins.onestop.interfaces import IDesk
from plugins.onestop.units import desk_of
from plugins.onestop.views_submit import COUNTER_VIEW, may_receive
from plugins.onestop.views_support import keep_private, page_values, status_label

#: How many working days ahead "due soon" looks.
SOON_DAYS = 2
#: The rows a section shows at most.
SHOWN = 200
#: A unit's page of the procedures it shows (the services plugin's).
PROCEDURES_PATH = "@@thu-tuc"


def _sections(soon, moment):
    """``(id, title, test)`` of each section of the queue."""
    return (
        ("moi", _("Mới đăng ký"), lambda e: e.status == S.SUBMITTED),
        (
            "sap-het-han",
            _("Sắp đến hạn (trong ${n} ngày làm việc)", mapping={"n": SOON_DAYS}),
            lambda e: e.status in S.RUNNING and e.due is not None and moment <= e.due <= soon,
        ),
        (
            "qua-han",
            _("Quá hạn"),
            lambda e: e.status in S.RUNNING and e.due is not None and e.due < moment,
        ),
        ("cho-cong-dan", _("Chờ bổ sung, nộp phí"), lambda e: e.status in S.WAITING),
        ("dang-xu-ly", _("Đang giải quyết"), lambda e: e.status in (S.RECEIVED, S.PROCESSING)),
        ("co-ket-qua", _("Đã có kết quả"), lambda e: e.status == S.RESULT_READY),
    )


def queue_sections(request, desk) -> list[dict]:
    """The desk's open dossiers by section, each oldest-due first (a dossier
    may be in two: overdue and in progress)."""
    moment = now()
    soon = add_working_days(working_calendar(request), moment, SOON_DAYS)
    entries = list(desk.queue.values())
    translate = request.localizer.translate
    ui = get_ui(request)
    sections = []
    for name, title, test in _sections(soon, moment):
        found = sorted(
            (e for e in entries if test(e)),
            key=lambda e: (e.due is None, e.due or e.submitted, e.code),
        )
        sections.append(
            {
                "id": name,
                "title": translate(title),
                "count": len(found),
                "rows": [_row(request, ui, desk, e) for e in found[:SHOWN]],
            }
        )
    return sections


def _row(request, ui, desk, entry) -> dict:
    home = desk if entry.home == desk.unit_code else desk_of(request.root, entry.home)
    return {
        "code": entry.code,
        "url": ui.url(home, entry.code) if home is not None else "",
        "procedure": entry.procedure_title,
        "applicant": entry.applicant,
        "received": entry.received,
        "due": entry.due,
        "step": entry.step,
        "status": status_label(request, entry.status),
    }


@view_config(context=IDesk, renderer="onestop_desk.pt")
def desk_view(context, request):
    """The queue for the unit's staff; the public desk page for others."""
    ui = get_ui(request)
    unit = context.__parent__
    values = page_values(
        request,
        unit=unit,
        lookup_action=ui.url(unit, "@@tra-cuu"),
        procedures_url=ui.url(unit, PROCEDURES_PATH),
        staff=False,
        sections=[],
        counter_url="",
        stats_url="",
        register_url="",
        code="",
    )
    if can_staff(request, context.unit_code):
        keep_private(request)
        values["staff"] = True
        values["sections"] = queue_sections(request, context)
        values["stats_url"] = ui.url(context, "@@thong-ke")
        values["register_url"] = ui.url(context, "@@so-theo-doi")
        if may_receive(request, context.unit_code):
            values["counter_url"] = ui.url(context, "@@" + COUNTER_VIEW)
    return values
