"""Printing the slips: ``<dossier>/@@phieu/mau-01`` … ``mau-05`` (A5 pages, PDF with
``?format=pdf``) for those who may see the dossier, and the unit's tracking
register ``<desk>/@@so-theo-doi?from=&to=`` (Mẫu 06: page, PDF, or Excel with
``?format=xlsx``) for its staff."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from core import audit
from core.clock import TIMEZONE, now
from core.i18n import _
from core.printing import content_disposition, print_response
from core.tabular.writers import xlsx_bytes
from plugins.onestop import slips
from plugins.onestop.access import can_staff, can_view, record_view
from plugins.onestop.interfaces import IDesk, IDossier

#: The longest period a register prints, in days.
MAX_REGISTER_DAYS = 366
#: The most rows a register prints.
MAX_REGISTER_ROWS = 5000


def lookup_url(request, dossier) -> str:
    """The public look-up of ``dossier``, which the receipt's QR code holds."""
    return f"{request.application_url}/@@tra-cuu?code={dossier.code}"


#: Each slip: its form, what makes its values, and when the dossier has one.
SLIPS = {
    "mau-01": (
        "onestop.receipt",
        lambda r, d: slips.receipt_values(r, d, lookup_url(r, d)),
        lambda d: True,
    ),
    "mau-02": ("onestop.supplement", slips.supplement_values, lambda d: bool(d.supplements)),
    "mau-03": (
        "onestop.refusal",
        slips.refusal_values,
        lambda d: any(e.transition in ("refuse", "deny") for e in d.history),
    ),
    "mau-04": ("onestop.apology", slips.apology_values, lambda d: bool(d.apologies)),
    "mau-05": ("onestop.control", slips.control_values, lambda d: True),
}


@view_config(context=IDossier, name="phieu", permission=NO_PERMISSION_REQUIRED)
def slip(context, request):
    """A slip of the dossier: 404 for those who may not see it, or a slip it has not."""
    if not can_view(request, context) or len(request.subpath) != 1:
        raise HTTPNotFound()
    found = SLIPS.get(request.subpath[0])
    if found is None or not found[2](context):
        raise HTTPNotFound()
    form, values, _has = found
    record_view(request, context)
    return print_response(
        request, form, values(request, context), f"{request.subpath[0]}-{context.code}"
    )


def _day(request, name: str, default: date) -> date:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise HTTPBadRequest(_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")) from None


def period_of(request) -> tuple[date, date]:
    """The period asked (``from``, ``to``; default: this month so far)."""
    today = now().astimezone(TIMEZONE).date()
    start = _day(request, "from", today.replace(day=1))
    end = _day(request, "to", today)
    if end < start or (end - start).days > MAX_REGISTER_DAYS:
        raise HTTPBadRequest(_("Khoảng thời gian không hợp lệ (tối đa 366 ngày)."))
    return start, end


def received_between(desk, start: date, end: date) -> list:
    """The dossiers processed at ``desk`` received from ``start`` to ``end``, in
    order of reception, read from its index by reception time."""
    low = datetime.combine(start, time.min, TIMEZONE).astimezone(UTC).isoformat()
    high = datetime.combine(end + timedelta(days=1), time.min, TIMEZONE).astimezone(UTC).isoformat()
    found = []
    for _moment, code in desk.by_received.keys(min=(low, ""), max=(high, ""), excludemax=True):
        found.append(desk.dossiers[code])
        if len(found) >= MAX_REGISTER_ROWS:
            break
    return found


COLUMNS = (
    ("code", _("Mã hồ sơ")),
    ("procedure", _("Tên thủ tục")),
    ("applicant", _("Tên cá nhân, tổ chức")),
    ("contact", _("Địa chỉ, số điện thoại")),
    ("processing_unit", _("Cơ quan chủ trì giải quyết")),
    ("received", _("Nhận hồ sơ")),
    ("due", _("Hẹn trả kết quả")),
    ("handed", _("Chuyển hồ sơ đến cơ quan giải quyết")),
    ("finished", _("Nhận kết quả từ cơ quan giải quyết")),
    ("returned", _("Trả kết quả cho cá nhân, tổ chức")),
    ("note", _("Ghi chú")),
)


@view_config(context=IDesk, name="so-theo-doi", permission=NO_PERMISSION_REQUIRED)
def register(context, request):
    """Mẫu 06 for the period asked, for the unit's staff (404 for others)."""
    if not can_staff(request, context.unit_code):
        raise HTTPNotFound()
    start, end = period_of(request)
    period = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    values = slips.register_values(
        request, context.unit_code, received_between(context, start, end), period
    )
    filename = f"so-theo-doi-{context.unit_code}-{start:%Y%m%d}-{end:%Y%m%d}"
    fmt = request.GET.get("format")
    audit.record(
        request,
        "export",
        context.unit_code,
        register="so-theo-doi",
        format=fmt if fmt in ("xlsx", "pdf") else "html",
        rows=len(values["rows"]),
    )
    if fmt == "xlsx":
        translate = request.localizer.translate
        table = [[translate(label) for _key, label in COLUMNS]]
        table += [[row[key] for key, _label in COLUMNS] for row in values["rows"]]
        response = Response(body=xlsx_bytes(table, "So theo doi"))
        response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response.headers["Content-Disposition"] = content_disposition(
            filename, "xlsx", inline=False
        )
        response.cache_control = "private, no-store"
        return response
    return print_response(request, "onestop.register", values, filename)
