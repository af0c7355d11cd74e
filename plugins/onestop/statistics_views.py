"""The statistics of a unit's desk (:mod:`plugins.onestop.statistics`) for its
staff and Managers: ``GET <unit>/@dossier-stats?from=&to=`` (JSON), the page
``<unit>/mot-cua/@@thong-ke`` (a form for the period, an SVG chart and the
tables) and its Excel download ``<unit>/mot-cua/@@thong-ke.xlsx``. A bad period
is a 400 saying why; anyone else gets a 403.
"""

from __future__ import annotations

from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden
from pyramid.response import Response
from pyramid.view import view_config

from core.api import api_view
from core.api.errors import ApiError
from core.api.params import Param, api_params
from core.i18n import _
from core.periods import PeriodError
from core.permissions import VIEW
from core.tabular.writers import xlsx_bytes
from core.ui import get_ui
from plugins.onestop.access import can_staff
from plugins.onestop.interfaces import IDesk
from plugins.onestop.ratings import criteria
from plugins.onestop.statistics import (
    KEYS,
    TITLES,
    Counts,
    DeskStatistics,
    desk_statistics,
    parse_period,
)
from plugins.onestop.units import desk_in
from subsites.interfaces import ISubsite

PAGE = "thong-ke"
#: The bars of the chart, in order.
CHART_KEYS = (
    "carried_over", "received", "finished_early", "finished_on_time", "finished_late",
    "in_progress_on_time", "in_progress_overdue", "returned", "withdrawn", "refused",
)  # fmt: skip
COLOURS = {"finished_late": "#c62828", "in_progress_overdue": "#c62828"}
#: The columns of the breakdown tables.
COLUMNS = ("received", "finished", "finished_early", "finished_on_time", "finished_late",
           "in_progress", "in_progress_overdue")  # fmt: skip


def field_titles(request) -> dict:
    """The fields' titles the procedure catalog keeps (slug -> title)."""
    return dict(getattr(request.root, "service_fields", None) or {})


def procedure_titles(request, codes) -> dict:
    """The procedures' titles, by code."""
    hook = request.registry.cong_plugins.hook.cong_procedure
    found = {}
    for code in codes:
        procedure = hook(request=request, code=code)
        found[code] = procedure.title if procedure is not None else code
    return found


def as_json(request, stats: DeskStatistics) -> dict:
    data = stats.as_json(field_titles(request), procedure_titles(request, stats.procedures))
    data["ratings"]["criteria"] = [
        {"criterion": slug, "title": label} for slug, label in criteria(request.registry)
    ]
    return data


@api_view(context=ISubsite, name="@dossier-stats", request_method="GET", permission=VIEW)
@api_params(
    Param("from", "query", _("Ngày đầu kỳ (YYYY-MM-DD); mặc định ngày đầu tháng")),
    Param("to", "query", _("Ngày cuối kỳ (YYYY-MM-DD); mặc định hôm nay")),
)
def stats_json(context, request):
    """The unit's dossier statistics for a period."""
    desk = desk_in(context)
    if desk is None:
        raise ApiError(404, _("Đơn vị chưa có một cửa điện tử."), "NotFound")
    if not can_staff(request, desk.unit_code):
        raise ApiError(403, _("Chỉ cán bộ một cửa của đơn vị xem thống kê."), "Forbidden")
    try:
        period = parse_period(request.GET.get("from"), request.GET.get("to"))
    except PeriodError as exc:
        raise ApiError(400, exc.message, "BadRequest") from None
    return as_json(request, desk_statistics(desk, period))


def _checked(context, request) -> DeskStatistics:
    if not can_staff(request, context.unit_code):
        raise HTTPForbidden()
    try:
        period = parse_period(request.GET.get("from"), request.GET.get("to"))
    except PeriodError as exc:
        raise HTTPBadRequest(request.localizer.translate(exc.message)) from None
    return desk_statistics(context, period)


def _rate(counts: Counts) -> str:
    rate = counts.on_time_rate
    return "–" if rate is None else f"{rate * 100:.1f}".replace(".", ",") + " %"


def table_rows(request, stats: DeskStatistics) -> list[list[str]]:
    """The statistics as rows of text: the total, then by field and by procedure."""
    translate = request.localizer.translate
    head = [translate(_("Nhóm")), translate(_("Tên"))]
    head += [translate(TITLES[k]) for k in KEYS] + [translate(_("Tỷ lệ đúng hạn"))]
    rows = [head]

    def row(kind, name, counts):
        rows.append([kind, name, *(str(counts[k]) for k in KEYS), _rate(counts)])

    row(translate(_("Tổng")), stats.unit, stats.total)
    fields = field_titles(request)
    for slug, counts in sorted(stats.fields.items()):
        row(translate(_("Lĩnh vực")), fields.get(slug, slug), counts)
    titles = procedure_titles(request, stats.procedures)
    for code, counts in sorted(stats.procedures.items()):
        row(translate(_("Thủ tục")), f"{code} {titles[code]}", counts)
    return rows


def chart_svg(request, stats: DeskStatistics, title: str) -> str:
    """A bar per figure of the total, labelled with its number; ``<title>`` and
    ``<desc>`` say it all (the tables below are its accessible equivalent)."""
    translate = request.localizer.translate
    counts = stats.total
    top = max([counts[k] for k in CHART_KEYS] + [1])
    left, span, bar, gap = 190, 420, 20, 8
    parts, described = [], []
    for index, key in enumerate(CHART_KEYS):
        y = 10 + index * (bar + gap)
        label, value = translate(TITLES[key]), counts[key]
        if key.startswith("finished_"):
            label = f"{translate(TITLES['finished'])}: {label}"
        elif key.startswith("in_progress_"):
            label = f"{translate(TITLES['in_progress'])}: {label}"
        width = span * value / top
        colour = COLOURS.get(key, "#1e88e5")
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{left}" y="{y}" width="{width:.1f}" height="{bar}" fill="{colour}"/>'
            f'<text x="{left + width + 6:.1f}" y="{y + 15}">{value}</text>'
        )
        described.append(f"{label}: {value}")
    height = 20 + len(CHART_KEYS) * (bar + gap)
    label = translate(_("Biểu đồ: ${title}", mapping={"title": title}))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="onestop-chart" role="img" '
        f'viewBox="0 0 680 {height}" width="680" height="{height}" '
        f'aria-label={quoteattr(label)} font-family="sans-serif" font-size="13">'
        f"<title>{escape(label)}</title><desc>{escape('; '.join(described))}</desc>"
        + "".join(parts)
        + "</svg>"
    )


@view_config(context=IDesk, name=PAGE, renderer="onestop_stats.pt", permission=VIEW)
def stats_page(context, request):
    """The desk's statistics page."""
    stats = _checked(context, request)
    translate = request.localizer.translate
    unit = context.__parent__
    title = translate(_("Thống kê hồ sơ: ${unit}", mapping={"unit": unit.title}))
    period = stats.period
    query = urlencode({"from": period.first.isoformat(), "to": period.last.isoformat()})
    ui = get_ui(request)
    rows = table_rows(request, stats)
    ratings = stats.ratings.averages()
    return {
        "title": title,
        "period": period,
        "chart": chart_svg(request, stats, title),
        "summary": [(translate(TITLES[k]), stats.total[k]) for k in KEYS],
        "rate": _rate(stats.total),
        "columns": [translate(TITLES[k]) for k in COLUMNS],
        "breakdowns": [
            (translate(_("Theo lĩnh vực")), _breakdown(rows, translate(_("Lĩnh vực")))),
            (translate(_("Theo thủ tục")), _breakdown(rows, translate(_("Thủ tục")))),
        ],
        "ratings": [(label, ratings.get(slug, "–")) for slug, label in criteria(request.registry)],
        "rated": stats.ratings.count,
        "view_url": ui.url(context, "@@" + PAGE),
        "xlsx_url": ui.url(context, f"@@{PAGE}.xlsx") + "?" + query,
        "json_url": ui.url(unit, "@dossier-stats") + "?" + query,
    }


def _breakdown(rows: list[list[str]], kind: str) -> list[list[str]]:
    """The rows of one kind, with the name, :data:`COLUMNS` and the rate."""
    index = [2 + KEYS.index(k) for k in COLUMNS]
    return [[r[1], *(r[i] for i in index), r[-1]] for r in rows[1:] if r[0] == kind]


@view_config(context=IDesk, name=PAGE + ".xlsx", permission=VIEW)
def stats_xlsx(context, request):
    """The statistics as an Excel workbook."""
    stats = _checked(context, request)
    period = stats.period
    body = xlsx_bytes(table_rows(request, stats), "Thống kê")
    response = Response(
        body=body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"thong-ke-{stats.unit}-{period.first.isoformat()}-{period.last.isoformat()}.xlsx"
    response.content_disposition = f'attachment; filename="{name}"'
    return response
