"""The schedule's pages: the week (default view), its JSON (``@@tuan.json``) and
the week's form (``@@sua-tuan``). Each takes the week as ``?tuan=2025-W12``; the
current week (:func:`plugins.schedule.weeks.current_week`) when it is left out."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.response import Response
from pyramid.view import view_config

from core.errors import error_response
from core.i18n import _
from core.permissions import EDIT, VIEW
from core.views.forms import flash
from plugins.schedule.content import MAX_ROWS, ROW_FIELDS, RowErrors, save_week
from plugins.schedule.interfaces import IWeeklySchedule
from plugins.schedule.weeks import Week, current_week, parse_week

#: Vietnamese names of the days of the week, Monday first.
WEEKDAYS = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)
#: Empty rows the form offers below a week's entries.
BLANK_ROWS = 3


class BadWeek(ValueError):
    """The ``tuan`` parameter names no week."""


def requested_week(request) -> Week:
    """The week of ``?tuan=``, else the current one; :class:`BadWeek` if malformed."""
    text = request.params.get("tuan", "")
    if not text:
        return current_week()
    try:
        return parse_week(text)
    except ValueError:
        raise BadWeek(text) from None


def bad_week(request, exc: BadWeek, json: bool = False):
    """The 400 answer to a malformed ``tuan`` (JSON for ``json``, else as asked)."""
    message = _(
        "Tuần “${week}” không hợp lệ: hãy ghi năm và số tuần, ví dụ 2025-W12.",
        mapping={"week": str(exc)[:20]},
    )
    message = request.localizer.translate(message)
    if json:
        return Response(json_body={"type": "BadRequest", "message": message}, status=400)
    return error_response(request, 400, message=message)


def day_label(request, day) -> str:
    """``Thứ Hai, 17/03/2025``."""
    name = request.localizer.translate(WEEKDAYS[day.weekday()])
    return f"{name}, {day.strftime('%d/%m/%Y')}"


def week_heading(request, week: Week) -> str:
    """``Tuần 12/2025 (17/03/2025 – 23/03/2025)``."""
    message = _(
        "Tuần ${number}/${year} (${start} – ${end})",
        mapping={
            "number": week.number,
            "year": week.year,
            "start": week.monday.strftime("%d/%m/%Y"),
            "end": week.sunday.strftime("%d/%m/%Y"),
        },
    )
    return request.localizer.translate(message)


def week_days(request, schedule, week: Week) -> list[dict]:
    """The days of ``week`` that have entries, each with its entries in order."""
    days: dict = {}
    for entry in schedule.entries(week):
        days.setdefault(entry.day, []).append(entry)
    return [
        {"date": day, "label": day_label(request, day), "entries": entries}
        for day, entries in days.items()
    ]


def week_url(request, schedule, week: Week, view: str = "") -> str:
    elements = (view,) if view else ()
    return request.resource_url(schedule, *elements, query={"tuan": week.key})


@view_config(context=IWeeklySchedule, renderer="schedule.pt", permission=VIEW)
def schedule_view(context, request):
    """The week's table grouped by day, with links to the weeks before and after."""
    try:
        week = requested_week(request)
    except BadWeek as exc:
        return bad_week(request, exc)
    this_week = current_week()
    return {
        "week": week,
        "heading": week_heading(request, week),
        "days": week_days(request, context, week),
        "previous_url": week_url(request, context, week.previous()),
        "next_url": week_url(request, context, week.next()),
        "current_url": request.resource_url(context) if week != this_week else "",
        "json_url": week_url(request, context, week, "@@tuan.json"),
        "edit_url": (
            week_url(request, context, week, "@@sua-tuan")
            if request.has_permission(EDIT, context)
            else ""
        ),
    }


def week_json(request, schedule, week: Week) -> dict:
    """The week as JSON: its key, dates, neighbours and entries."""
    return {
        "@id": week_url(request, schedule, week, "@@tuan.json"),
        "schedule": request.resource_url(schedule).rstrip("/"),
        "title": schedule.title,
        "week": week.key,
        "start": week.monday.isoformat(),
        "end": week.sunday.isoformat(),
        "previous": week.previous().key,
        "next": week.next().key,
        "items": [entry.as_json() for entry in schedule.entries(week)],
    }


@view_config(context=IWeeklySchedule, name="tuan.json", renderer="json", permission=VIEW)
def schedule_json(context, request):
    """``@@tuan.json?tuan=2025-W12``: the week's entries as JSON."""
    try:
        week = requested_week(request)
    except BadWeek as exc:
        return bad_week(request, exc, json=True)
    return week_json(request, context, week)


def posted_rows(request) -> list[dict]:
    """The rows of the posted form, as text (``<field>-<index>`` for each row)."""
    try:
        count = int(request.POST.get("rows", "0"))
    except ValueError:
        count = 0
    rows = []
    for index in range(max(0, min(count, MAX_ROWS + 1))):
        row = {}
        for name in ROW_FIELDS:
            value = request.POST.get(f"{name}-{index}", "")
            row[name] = value if isinstance(value, str) else ""
        rows.append(row)
    return rows


def stored_rows(schedule, week: Week) -> list[dict]:
    """The week's entries as form rows."""
    return [entry.as_json() for entry in schedule.entries(week)]


def form_rows(request, week: Week, rows: list[dict], errors: dict) -> list[dict]:
    """What ``schedule_form.pt`` needs for each row: values, ids, day options, errors."""
    translate = request.localizer.translate
    days = [(day.isoformat(), day_label(request, day)) for day in week.days()]
    shown = []
    for index, row in enumerate(rows):
        problems = {name: translate(message) for name, message in errors.get(index, {}).items()}
        fields = {}
        for name in ROW_FIELDS:
            wid = f"{name}-{index}"
            fields[name] = {
                "id": wid,
                "name": wid,
                "value": row.get(name, ""),
                "error": problems.get(name, ""),
                "describedby": f"{wid}-error" if name in problems else None,
            }
        shown.append(
            {
                "index": index,
                "number": index + 1,
                "fields": fields,
                "days": [
                    {"value": value, "label": label, "selected": value == row.get("day")}
                    for value, label in days
                ],
                "errors": [
                    {"href": "#" + fields[name]["id"], "number": index + 1, "message": message}
                    for name, message in problems.items()
                ],
            }
        )
    return shown


@view_config(context=IWeeklySchedule, name="sua-tuan", renderer="schedule_form.pt", permission=EDIT)
def schedule_form(context, request):
    """``@@sua-tuan?tuan=2025-W12``: the week's entries on one form, a row each.

    ``Thêm dòng`` and ``Xoá dòng`` change the rows shown without storing anything;
    ``Lưu`` stores the week when every row is valid, and otherwise shows the form
    again (status 400) with each message next to its value, nothing stored."""
    try:
        week = requested_week(request)
    except BadWeek as exc:
        return bad_week(request, exc)
    errors: dict = {}
    message = None
    status = 200
    if request.method == "POST":
        rows = posted_rows(request)
        action = request.POST.get("action", "save")
        remove = request.POST.get("remove")
        if remove is not None:
            rows = [row for index, row in enumerate(rows) if str(index) != remove]
        elif action == "add":
            rows.append({"day": week.monday.isoformat()})
        else:
            try:
                save_week(request, context, week, rows)
            except RowErrors as exc:
                errors, message, status = exc.errors, exc.message, 400
            else:
                flash(request, _("Đã lưu lịch công tác tuần."))
                return HTTPFound(week_url(request, context, week))
    else:
        rows = stored_rows(context, week)
        rows += [{"day": week.monday.isoformat()} for _index in range(BLANK_ROWS)]
    request.response.status = status
    shown = form_rows(request, week, rows, errors)
    summary = [error for row in shown for error in row["errors"]]
    return {
        "week": week,
        "heading": week_heading(request, week),
        "rows": shown,
        "error_summary": summary,
        "message": request.localizer.translate(message) if message else "",
        "action": week_url(request, context, week, "@@sua-tuan"),
        "cancel_url": week_url(request, context, week),
        "previous_url": week_url(request, context, week.previous(), "@@sua-tuan"),
        "next_url": week_url(request, context, week.next(), "@@sua-tuan"),
    }
