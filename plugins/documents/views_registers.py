"""The registers of a unit (:mod:`plugins.documents.registers`) for a period, to
its Clerks, Leaders and Specialists and to Managers:

- ``GET <unit>/@registers/<incoming|outgoing|follow-up>?from=&to=``: the rows in
  JSON, or an Excel workbook with ``&format=xlsx``;
- the print forms (A4 landscape, with a small form to choose the period):
  ``<unit>/van-thu/@@so-van-ban-den``, ``@@so-van-ban-di`` and
  ``@@so-theo-doi-van-ban-den``, as a page, a PDF (``?format=pdf``) or a workbook
  (``?format=xlsx``).

A bad period is a 400 saying why; anonymous requests are refused (401 in JSON,
the login page otherwise), other people's with 403.
"""

from __future__ import annotations

from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from core import audit
from core.api import api_view
from core.api.params import Param, api_params
from core.clock import TIMEZONE, now
from core.formatting import local_date, written_date
from core.i18n import _
from core.params import BadParameter, text
from core.periods import PeriodError
from core.permissions import VIEW
from core.printing import content_disposition, print_response
from core.tabular.writers import xlsx_bytes
from core.ui import get_ui
from plugins.documents.access import can_see_registers
from plugins.documents.interfaces import IOffice
from plugins.documents.registers import (
    KINDS,
    Register,
    cell_json,
    parse_period,
    register_of,
    table,
)
from plugins.documents.units import office_in
from plugins.documents.views_dashboard import no_store
from subsites.interfaces import ISubsite

#: The print forms: register name -> (form name, page name, sheet name).
FORMS = {
    "incoming": ("documents.register.incoming", "so-van-ban-den", "So van ban den"),
    "outgoing": ("documents.register.outgoing", "so-van-ban-di", "So van ban di"),
    "follow-up": ("documents.register.follow-up", "so-theo-doi-van-ban-den", "So theo doi"),
}
TEMPLATE = "plugins.documents:templates/registers/register.pt"
#: The forms' version: the decree they follow.
VERSION = "2020"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def includeme(config) -> None:
    """Register the three print forms."""
    for name, (form, _page, _sheet) in FORMS.items():
        config.add_print_form(form, TEMPLATE, version=VERSION, title=KINDS[name].title)


def checked_register(request, office, name: str) -> Register:
    """Register ``name`` of ``office`` for the period asked (``from``, ``to``):
    403 (401 anonymous) for those who may not see it, 400 for a bad period."""
    if not can_see_registers(request, office.unit_code):
        raise HTTPForbidden()
    no_store(request)
    try:
        period = parse_period(text(request, "from"), text(request, "to"))
    except PeriodError as exc:
        raise BadParameter(exc.message) from None
    return register_of(request, office, name, period)


def filename(office, register: Register) -> str:
    period = register.period
    return (
        f"{FORMS[register.name][1]}-{office.unit_code}-{period.first:%Y%m%d}-{period.last:%Y%m%d}"
    )


def xlsx_response(request, office, register: Register) -> Response:
    """The register as an Excel workbook (a header row, a row per line); the export
    goes to the audit log."""
    period = register.period
    audit.record(
        request,
        "export",
        office.unit_code,
        register=register.name,
        format="xlsx",
        rows=len(register.rows),
        period=f"{period.first:%Y-%m-%d}/{period.last:%Y-%m-%d}",
    )
    response = Response(body=xlsx_bytes(table(request, register), FORMS[register.name][2]))
    response.content_type = XLSX
    response.headers["Content-Disposition"] = content_disposition(
        filename(office, register), "xlsx", inline=False
    )
    return response


def register_json(request, office, register: Register) -> dict:
    translate = request.localizer.translate
    unit = office.__parent__
    return {
        "@id": request.url,
        "unit": {"code": office.unit_code, "title": unit.title},
        "register": register.name,
        "title": translate(register.title),
        "from": register.period.first.isoformat(),
        "to": register.period.last.isoformat(),
        "columns": [{"key": c.key, "title": translate(c.title)} for c in register.columns],
        "rows": [{k: cell_json(v) for k, v in row.items()} for row in register.rows],
        "items_total": len(register.rows),
        "complete": register.complete,
    }


@api_view(context=ISubsite, name="@registers", request_method="GET", permission=VIEW)
@view_config(context=ISubsite, name="@registers", request_method="GET", permission=VIEW,
             json_api=False, renderer="json")  # fmt: skip
@api_params(
    Param(
        "name", "path", _("Sổ: incoming, outgoing, follow-up"), required=True, example="incoming"
    ),
    Param("from", "query", _("Ngày đầu kỳ (YYYY-MM-DD); mặc định ngày đầu tháng")),
    Param("to", "query", _("Ngày cuối kỳ (YYYY-MM-DD); mặc định hôm nay")),
    Param("format", "query", _("json (mặc định) hoặc xlsx")),
)
def registers_api(context, request):
    """A register of the unit for a period: its rows, or an Excel workbook."""
    office = office_in(context)
    names = request.subpath
    if office is None or len(names) != 1 or names[0] not in KINDS:
        raise HTTPNotFound()
    register = checked_register(request, office, names[0])
    kind = text(request, "format", "json")
    if kind == "xlsx":
        return xlsx_response(request, office, register)
    if kind != "json":
        raise BadParameter(_("Định dạng chỉ có json hoặc xlsx."))
    return register_json(request, office, register)


def print_values(request, office, register: Register) -> dict:
    """What the register's print form shows."""
    ui = get_ui(request)
    page = FORMS[register.name][1]
    period = register.period
    query = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    return {
        "title": request.localizer.translate(register.title),
        "unit_title": office.__parent__.title,
        "today": written_date(now().astimezone(TIMEZONE)),
        "period": period,
        "period_text": f"{local_date(period.first)} – {local_date(period.last)}",
        "columns": [(c.key, request.localizer.translate(c.title)) for c in register.columns],
        "rows": table(request, register)[1:],
        "complete": register.complete,
        "view_url": ui.url(office, "@@" + page),
        "xlsx_url": ui.url(office, "@@" + page) + "?" + urlencode({**query, "format": "xlsx"}),
        "others": [
            (
                request.localizer.translate(KINDS[name].title),
                ui.url(office, "@@" + FORMS[name][1]) + "?" + urlencode(query),
            )
            for name in FORMS
            if name != register.name
        ],
    }


def register_page(context, request, name: str):
    """Register ``name`` to print, as a PDF or as a workbook."""
    register = checked_register(request, context, name)
    if text(request, "format") == "xlsx":
        return xlsx_response(request, context, register)
    return print_response(
        request,
        FORMS[name][0],
        print_values(request, context, register),
        filename(context, register),
    )


@view_config(context=IOffice, name=FORMS["incoming"][1], permission=VIEW)
def incoming_page(context, request):
    """The incoming register (sổ đăng ký văn bản đến) to print."""
    return register_page(context, request, "incoming")


@view_config(context=IOffice, name=FORMS["outgoing"][1], permission=VIEW)
def outgoing_page(context, request):
    """The outgoing register (sổ đăng ký văn bản đi) to print."""
    return register_page(context, request, "outgoing")


@view_config(context=IOffice, name=FORMS["follow-up"][1], permission=VIEW)
def follow_up_page(context, request):
    """The follow-up register of incoming documents to print."""
    return register_page(context, request, "follow-up")
