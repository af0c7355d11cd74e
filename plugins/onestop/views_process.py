"""The procedures' processes (``@@quy-trinh-mot-cua`` at the portal, for
Managers): the procedures that have one, and per procedure code a form of its
steps (name, title, role, unit, time allotted), whether it is received anywhere
in the province ("phi địa giới") and its processing unit. Saving changed steps
makes a new version; dossiers already received keep the steps they had."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.view import view_config

from core.i18n import _
from core.interfaces import ISite
from core.params import text
from core.ui import get_ui
from core.views.forms import flash
from plugins.onestop.access import is_manager
from plugins.onestop.intake import IntakeError, find_procedure
from plugins.onestop.process import (
    DEFAULT_PROCESS,
    PROCESSING,
    RECEIVING,
    ProcessError,
    parse_steps,
    save_settings,
    settings_of,
)
from plugins.onestop.views_support import desk_units, page_values

PROCESS_VIEW = "quy-trinh-mot-cua"
#: Empty rows the form offers below the steps, for new ones.
SPARE_ROWS = 2
STEP_FIELDS = ("name", "title", "role", "unit", "amount", "unit_of_time")
ROLE_LABELS = {
    "Receptionist": _("Tiếp nhận"),
    "Specialist": _("Chuyên viên"),
    "Leader": _("Lãnh đạo"),
}


def _amount(value: str):
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return value  # refused by parse_steps, with its message
    return int(number) if number.is_integer() else number


def read_rows(request) -> tuple[list[dict], list[int]]:
    """The posted steps (rows left empty skipped) and each one's row number."""
    count = min(len(request.POST.getall("row")), 30 + SPARE_ROWS)
    rows, numbers = [], []
    for index in range(count):
        raw = {f: request.POST.get(f"{f}-{index}", "").strip() for f in STEP_FIELDS}
        if not any(raw[f] for f in ("name", "title", "amount")):
            continue
        raw["amount"] = _amount(raw["amount"])
        raw["unit_of_time"] = raw["unit_of_time"] or "days"
        rows.append(raw)
        numbers.append(index)
    return rows, numbers


def _form_rows(steps, errors: dict) -> list[dict]:
    rows = [{**step, "errors": errors.get(index, {})} for index, step in enumerate(steps)]
    blank = dict.fromkeys(STEP_FIELDS, "")
    rows += [{**blank, "unit_of_time": "days", "errors": {}} for _ in range(SPARE_ROWS)]
    return rows


def _save(request, procedure):
    rows, numbers = read_rows(request)
    anywhere = bool(request.POST.get("anywhere"))
    unit = request.POST.get("processing_unit", "")
    errors: dict = {}
    if unit and unit not in dict(desk_units(request)):
        errors["processing_unit"] = _("Đơn vị giải quyết chưa có một cửa điện tử.")
    try:
        steps = parse_steps(rows)
    except ProcessError as error:
        for key, value in error.errors.items():
            if key.isdigit():
                errors.setdefault("rows", {})[numbers[int(key)]] = value
            else:
                errors["steps"] = value
        return rows, errors
    if errors:
        return rows, errors
    version = save_settings(request, procedure.code, anywhere, unit, steps)
    if version is not None:
        flash(request, _("Đã lưu quy trình, phiên bản ${n}.", mapping={"n": version.number}))
    else:
        flash(request, _("Đã lưu; các bước không đổi."))
    return None, {}


@view_config(context=ISite, name=PROCESS_VIEW, renderer="onestop_processes.pt")
def processes_view(context, request):
    """The list, and the form of the procedure ``?ma=<code>``."""
    if not is_manager(request):
        raise HTTPForbidden()
    translate = request.localizer.translate
    ui = get_ui(request)
    action = ui.url(context, "@@" + PROCESS_VIEW)
    code = text(request, "ma") or request.POST.get("ma", "")
    values = page_values(
        request,
        action=action,
        code=code,
        procedure=None,
        message="",
        errors={},
        rows=[],
        settings=None,
        versions=[],
        units=desk_units(request),
        roles=[(r, translate(label)) for r, label in ROLE_LABELS.items()],
        places=[
            (RECEIVING, translate(_("Đơn vị tiếp nhận"))),
            (PROCESSING, translate(_("Đơn vị giải quyết"))),
        ],
        listed=[
            {"code": c, "url": ui.url(context, "@@" + PROCESS_VIEW, ma=c), "settings": s}
            for c, s in context.onestop.processes.items()
        ],
    )
    if not code:
        return values
    try:
        procedure = find_procedure(request, code)
    except IntakeError as error:
        request.response.status = 404
        values["message"] = translate(error.message)
        return values
    settings = settings_of(context, procedure.code)
    steps = [
        s.as_json()
        for s in (settings.current.steps if settings and settings.current else DEFAULT_PROCESS)
    ]
    errors: dict = {}
    if request.method == "POST":
        posted, errors = _save(request, procedure)
        if not errors:
            return HTTPFound(ui.url(context, "@@" + PROCESS_VIEW, ma=procedure.code))
        request.response.status = 400
        steps = posted
    values.update(
        procedure=procedure,
        settings=settings,
        anywhere=bool(request.POST.get("anywhere"))
        if request.method == "POST"
        else bool(settings and settings.anywhere),
        processing_unit=request.POST.get(
            "processing_unit", settings.processing_unit if settings else ""
        ),
        versions=list(reversed(settings.versions)) if settings else [],
        rows=_form_rows(steps, errors.get("rows", {})),
        errors={k: translate(v) for k, v in errors.items() if k != "rows"},
        row_errors=bool(errors.get("rows")),
    )
    return values
