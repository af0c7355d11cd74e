"""The statistics pages: ``@@thong-ke`` on the catalog folder (province-wide, with a
row per unit and per field) and ``@@thong-ke-thu-tuc`` on a subsite (that unit),
each as a page with its chart, as JSON (``.json``) and the chart alone (``.svg``).

The numbers are those of :mod:`plugins.services.statistics`; the unit table is
filtered by unit kind (``kind``) and batched (``b_start``, ``b_size``), so the page
stays light with hundreds of units.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from pyramid.response import Response
from pyramid.traversal import resource_path
from pyramid.view import view_config

from core.batching import Batch, batch_params
from core.i18n import _
from core.permissions import VIEW
from core.theme import render_template
from core.ui import get_ui
from plugins.services.chart import chart_svg
from plugins.services.interfaces import IServiceCatalog
from plugins.services.navigation import UNIT_PATH
from plugins.services.statistics import (
    LEVEL_VALUES,
    ONLINE_KINDS,
    Statistics,
    format_percent,
    statistics,
    targets_of,
)
from subsites.interfaces import ISubsite
from subsites.units import unit_kinds

PROVINCE_VIEW, UNIT_VIEW = "thong-ke", "thong-ke-thu-tuc"
#: Units listed per page of the unit table.
UNITS_PAGE = 50


def _title(request, context, province: bool) -> str:
    translate = request.localizer.translate
    if province:
        return translate(_("Thống kê thủ tục hành chính toàn tỉnh"))
    return translate(_("Thống kê thủ tục hành chính: ${unit}", mapping={"unit": context.title}))


def _scope(context, province: bool):
    return None if province else context


def _chart(request, context, stats: Statistics, province: bool) -> str:
    return chart_svg(
        request, stats.counts, targets_of(request.registry), _title(request, context, province)
    )


def _row(counts) -> dict:
    """The cells of a table row: counts and shares, written for people."""
    return {
        "total": counts.total,
        "levels": [(counts.level(k), format_percent(counts.level_share(k))) for k in LEVEL_VALUES],
        "online": [(counts.kind(k), format_percent(counts.kind_share(k))) for k in ONLINE_KINDS],
    }


class _UnitBatch(Batch):
    """A page of the unit table, linking to the others by kind and page only."""

    def __init__(self, items: list, total: int, start: int, size: int, request, kind: str):
        super().__init__(items, total, start, size, request)
        self.kind = kind

    def _url(self, start: int) -> str:
        query = [("kind", self.kind)] if self.kind else []
        query += [("b_start", str(start)), ("b_size", str(self.size))]
        return self.request.path_url + "?" + urlencode(query)


def _body(context, request, province: bool, stats: Statistics, kind: str, start: int, size: int):
    """The page's content (rendered once per commit for each unit kind and page)."""
    ui = get_ui(request)
    targets = targets_of(request.registry)
    counts = stats.counts
    translate = request.localizer.translate
    labels = {k.name: translate(k.label) for k in unit_kinds(request.registry)}
    present = {u.kind for u in stats.units}
    kinds = [(name, label) for name, label in labels.items() if name in present]
    kinds += sorted((name, name) for name in present if name not in labels)
    units = [u for u in stats.units if not kind or u.kind == kind]
    rows = [
        {
            "title": u.title,
            "url": u.url(request) + "@@" + UNIT_VIEW,
            "code": u.code,
            "kind": labels.get(u.kind, u.kind),
            **_row(u.counts),
        }  # fmt: skip
        for u in units[start : start + size]
    ]
    name = PROVINCE_VIEW if province else UNIT_VIEW
    values = {
        "title": _title(request, context, province),
        "summary": _row(counts),
        "targets": [
            {
                "level": level,
                "percent": format_percent(percent),
                "share": format_percent(counts.level_share(level)),
                "met": counts.met(level, percent),
            }
            for level, percent in sorted(targets.items())
        ],
        "chart": _chart(request, context, stats, province),
        "province": province,
        "units": _UnitBatch(rows, len(units), start, size, request, kind),
        "kinds": kinds,
        "kind": kind,
        "fields": [{"label": f.label, **_row(f.counts)} for f in stats.fields],
        "browse_url": ui.url(context) if province else ui.url(context, UNIT_PATH),
        "json_url": ui.url(context, f"@@{name}.json"),
        "svg_url": ui.url(context, f"@@{name}.svg"),
        "view_url": ui.url(context, f"@@{name}"),
    }
    return render_template(request, "services_stats_body.pt", context=context, **values)


def _page(context, request, province: bool) -> dict:
    scope = _scope(context, province)
    stats = statistics(request, scope)
    kind = request.GET.get("kind", "")
    kind = kind if kind in {u.kind for u in stats.units} else ""
    start, size = batch_params(request, UNITS_PAGE)
    start = min(start, len(stats.units))
    key = f"services.statistics.page {resource_path(context)} {kind} {start} {size}"
    body = get_ui(request).cached(
        key, lambda: _body(context, request, province, stats, kind, start, size)
    )
    return {
        "body": body,
        "title": _title(request, context, province),
        "stylesheet": request.static_url("plugins.services:static/services.css"),
    }


@view_config(context=IServiceCatalog, name=PROVINCE_VIEW, renderer="services_stats.pt",
             permission=VIEW)  # fmt: skip
def province_statistics(context, request):
    """The province's statistics page."""
    return _page(context, request, province=True)


@view_config(context=ISubsite, name=UNIT_VIEW, renderer="services_stats.pt", permission=VIEW)
def unit_statistics(context, request):
    """A unit's statistics page."""
    return _page(context, request, province=False)


@view_config(context=IServiceCatalog, name=PROVINCE_VIEW + ".json", permission=VIEW)
@view_config(context=ISubsite, name=UNIT_VIEW + ".json", permission=VIEW)
def statistics_json(context, request):
    """The numbers of the statistics page as JSON."""
    province = IServiceCatalog.providedBy(context)
    scope = _scope(context, province)

    def body() -> bytes:
        stats = statistics(request, scope)
        data = stats.as_json(request, targets_of(request.registry))
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    key = "services.statistics.json " + resource_path(context)
    body = get_ui(request).cached(key, body)
    return Response(body=body, content_type="application/json", charset="utf-8")


@view_config(context=IServiceCatalog, name=PROVINCE_VIEW + ".svg", permission=VIEW)
@view_config(context=ISubsite, name=UNIT_VIEW + ".svg", permission=VIEW)
def statistics_svg(context, request):
    """The chart of the statistics page, an SVG image."""
    province = IServiceCatalog.providedBy(context)

    def body() -> bytes:
        stats = statistics(request, _scope(context, province))
        chart = _chart(request, context, stats, province)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + chart).encode("utf-8")

    body = get_ui(request).cached("services.statistics.svg " + resource_path(context), body)
    return Response(body=body, content_type="image/svg+xml", charset="utf-8")
