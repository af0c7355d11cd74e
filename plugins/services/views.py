"""The public pages of the catalog: browsing it, a procedure's page, a unit's
local details.

- the catalog folder's default view browses every procedure of the province;
  ``<subsite>/@@thu-tuc`` browses those the unit shows
  (:func:`plugins.services.units.unit_filter`), from catalog records only;
- a procedure's default view is its page, laid out like the national portal's
  and printable; ``<subsite>/@@thu-tuc/<code>`` is the unit's page of a procedure
  it shows, with the unit's local details (:mod:`plugins.services.local`);
- ``<subsite>/@@thu-tuc-dia-phuong`` (the unit's defaults) and
  ``<subsite>/@@thu-tuc/<code>/sua`` (one procedure's overrides) are the forms
  of those details, for those who may edit the subsite.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import quote, urlencode

from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.traversal import resource_path
from pyramid.view import view_config

from core.batching import Batch
from core.blobs import blob_response
from core.errors import error_response
from core.i18n import _
from core.interfaces import IFile
from core.operations import ValidationFailed, require
from core.permissions import ADD, EDIT, VIEW
from core.ui import get_ui
from core.views.forms import flash, form_page
from plugins.services import local
from plugins.services.browse import (
    FILTERS,
    PAGE_SIZE,
    Browse,
    BrowseError,
    browse_key,
    value_label,
)
from plugins.services.catalog_fields import AGENCY, CODE_FIELD, DAYS, FIELD, LEVEL, ONLINE
from plugins.services.content import CHANNELS, CODE_RE, LEVEL_NAMES, LEVELS, ONLINE_LEVELS, TIERS
from plugins.services.content import ONLINE as ONLINE_KINDS
from plugins.services.fields import folded, format_amount, format_days
from plugins.services.interfaces import IService, IServiceCatalog
from plugins.services.navigation import UNIT_PATH, UNIT_VIEW
from plugins.services.statistics_views import PROVINCE_VIEW as PROVINCE_STATISTICS
from plugins.services.statistics_views import UNIT_VIEW as UNIT_STATISTICS
from plugins.services.units import find_by_code, implementing_unit, shows
from plugins.services.vocabulary import field_label
from subsites.hosting import path_url
from subsites.interfaces import ISubsite

#: A subsite's form of its defaults for all its procedures.
LOCAL_VIEW = "thu-tuc-dia-phuong"
LOCAL_PATH = "@@" + LOCAL_VIEW
#: Below a unit's page of a procedure: the form of its overrides.
EDIT_LOCAL = "sua"
#: Filters offered in this order, with their labels.
FILTER_LABELS = {
    "field": _("Lĩnh vực"),
    "agency": _("Cơ quan thực hiện"),
    "tier": _("Cấp thực hiện"),
    "level": _("Mức độ"),
    "online": _("Dịch vụ công trực tuyến"),
}
#: Values listed in a fixed order (the others by their labels).
FIXED_ORDER = {
    "tier": [value for value, _label in TIERS],
    "level": [str(value) for value, _label in LEVELS],
    "online": [value for value, _label in ONLINE_KINDS],
}
POST, IN_PERSON = "buu-chinh", "truc-tiep"


def bad_browse(request, exc: BrowseError):
    """The 400 page of a browse parameter that cannot be read."""
    return error_response(request, 400, message=request.localizer.translate(exc.message))


# browsing -----------------------------------------------------------------------------
def browse_query(browse: Browse) -> dict:
    """The query string of ``browse`` (its first page)."""
    query = {"q": browse.text} if browse.text else {}
    query.update({name: str(value) for name, value in browse.filters().items()})
    if browse.size != PAGE_SIZE:
        query["b_size"] = str(browse.size)
    return query


def with_query(url: str, query: dict) -> str:
    return url + "?" + urlencode(query) if query else url


class Option(NamedTuple):
    """A value of a filter: what it is, what people read, how many procedures."""

    value: str
    label: str
    count: int
    selected: bool


class Row(NamedTuple):
    """A procedure in the results table, from its catalog record."""

    code: str
    title: str
    url: str
    field: str
    level: int | None
    level_label: str
    online: str
    agency: str
    days: str


def filter_groups(request, browse: Browse, facets: dict) -> list[dict]:
    """Each filter with its values and their counts, the chosen one marked."""
    groups = []
    chosen_filters = browse.filters()
    for name, catalog_field in FILTERS.items():
        counts = dict(facets.get(catalog_field) or {})
        chosen = chosen_filters.get(name)
        chosen = str(chosen) if chosen is not None else ""
        if chosen:
            counts.setdefault(chosen, 0)
        options = [
            Option(value, value_label(request, name, value), count, value == chosen)
            for value, count in counts.items()
        ]
        order = FIXED_ORDER.get(name)
        if order:
            options.sort(key=lambda o: order.index(o.value) if o.value in order else len(order))
        else:
            options.sort(key=lambda o: folded(o.label))
        groups.append(
            {
                "name": name,
                "id": "filter-" + name,
                "label": request.localizer.translate(FILTER_LABELS[name]),
                "options": options,
            }
        )
    return groups


def result_rows(request, records, base: str, subsite=None, folder=None) -> list[Row]:
    """The results table's rows of catalog ``records`` (see :func:`browse_page`
    for ``base``, ``subsite`` and ``folder``)."""
    translate = request.localizer.translate
    levels = {value: translate(label) for value, label in LEVEL_NAMES.items()}
    kinds = {value: translate(label) for value, label in ONLINE_KINDS}
    labels: dict[str, str] = {}
    inside = resource_path(folder) + "/" if folder is not None else None
    rows = []
    for record in records:
        meta = record.metadata
        code = meta.get(CODE_FIELD) or ""
        if subsite is not None:
            url = base + code
        elif inside and record.path.startswith(inside):
            url = base + quote(record.path[len(inside) :]) + "/"
        else:
            url = record.url(request)
        field = meta.get(FIELD) or ""
        if field not in labels:
            labels[field] = field_label(request.root, field)
        days = meta.get(DAYS)
        level = meta.get(LEVEL)
        rows.append(
            Row(
                code=code,
                title=record.title,
                url=url,
                field=labels[field],
                level=level,
                level_label=levels.get(level, ""),
                online=kinds.get(meta.get(ONLINE) or "", ""),
                agency=meta.get(AGENCY) or "",
                days=format_days(days) if days else "",
            )
        )
    return rows


def browse_page(request, base: str, subsite=None, folder=None) -> dict:
    """The namespace of ``services_browse.pt`` for the procedures ``subsite``
    shows (the province's when None); ``base`` is the page's address: the
    procedures link to the unit's pages below it, or to their own pages (below
    ``base`` when they are in ``folder``, the catalog it is the address of).

    A browse without text (filters only: a bounded number of pages) is shared
    until the next commit by requesters alike (:meth:`core.ui.UI.cached`)."""
    browse = Browse.from_params(request.GET)

    def compute() -> tuple[int, list[Row], list[dict]]:
        results = browse.run(request, subsite)
        rows = result_rows(request, results.records, base, subsite, folder)
        return results.total, rows, filter_groups(request, browse, results.facets)

    if browse.text:
        total, rows, groups = compute()
    else:
        key = f"services.browse {base} {browse_key(browse)}"
        total, rows, groups = get_ui(request).cached(key, compute)
    translate = request.localizer.translate
    query = browse_query(browse)
    chosen = [
        {
            "label": translate(FILTER_LABELS[name]),
            "value": value_label(request, name, str(value)),
            "remove_url": with_query(base, browse_query(browse.without(name))),
        }
        for name, value in browse.filters().items()
    ]
    return {
        "browse": browse,
        "rows": rows,
        "batch": Batch(rows, total, browse.start, browse.size, request),
        "groups": groups,
        "chosen": chosen,
        "days_unit": translate(_("ngày làm việc")),
        "clear_url": base if query else "",
        "action": base,
        "query": query,
        "stylesheet": request.static_url("plugins.services:static/services.css"),
    }


@view_config(context=IServiceCatalog, renderer="services_browse.pt", permission=VIEW)
def catalog_view(context, request):
    """The province's catalog: every procedure, with text search and filters."""
    ui = get_ui(request)
    base = ui.url(context)
    try:
        page = browse_page(request, base, folder=context)
    except BrowseError as exc:
        return bad_browse(request, exc)
    query = urlencode(page["query"])
    suffix = "?" + query if query else ""
    page["heading"] = context.title
    page["description"] = context.description
    page["links"] = [
        {"label": _("Thống kê"), "url": ui.url(context, "@@" + PROVINCE_STATISTICS)},
        {"label": _("Tải JSON"), "url": ui.url(context, "@@xuat-json") + suffix},
        {"label": _("Tải CSV"), "url": ui.url(context, "@@xuat-csv") + suffix},
        {"label": _("Tải Excel"), "url": ui.url(context, "@@xuat-excel") + suffix},
    ]
    if request.has_permission(ADD, context):
        page["links"].append({"label": _("Nhập danh mục"), "url": ui.url(context, "@@nhap")})
    if request.has_permission(EDIT, context):
        page["links"].append({"label": _("Lĩnh vực"), "url": ui.url(context, "@@linh-vuc")})
    return page


@view_config(context=ISubsite, name=UNIT_VIEW, permission=VIEW)
def unit_view(context, request):
    """``@@thu-tuc``: the procedures the unit shows; ``@@thu-tuc/<code>``: the
    unit's page of one of them; ``@@thu-tuc/<code>/sua``: its local details' form."""
    subpath = request.subpath
    ui = get_ui(request)
    ui.add_crumb(request.localizer.translate(_("Thủ tục hành chính")), ui.url(context, UNIT_PATH))
    if not subpath:
        return unit_browse(context, request)
    service = unit_service(context, request, subpath[0])
    ui.add_crumb(service.title, ui.url(context, UNIT_PATH, service.code))
    if len(subpath) == 1:
        page = service_page(request, service, context)
        return render_to_response("services_page.pt", page, request)
    if len(subpath) == 2 and subpath[1] == EDIT_LOCAL:
        return local_form(context, request, service)
    if len(subpath) == 2:
        return form_download(request, service, subpath[1])
    raise HTTPNotFound()


def form_download(request, service, name: str):
    """``<unit>/@@thu-tuc/<code>/<file>``: a form template of the procedure, served
    on the unit's own address (its host, when it has one)."""
    obj = service.get(name)
    if not IFile.providedBy(obj) or not obj.has_data():
        raise HTTPNotFound()
    if not request.has_permission(VIEW, obj):
        raise HTTPForbidden()
    return blob_response(request, obj.blob, obj.content_type, obj.filename)


def unit_browse(subsite, request):
    ui = get_ui(request)
    base = ui.url(subsite, UNIT_PATH) + "/"
    try:
        page = browse_page(request, base, subsite)
    except BrowseError as exc:
        return bad_browse(request, exc)
    page["heading"] = request.localizer.translate(_("Thủ tục hành chính"))
    page["description"] = ""
    page["links"] = [{"label": _("Thống kê"), "url": ui.url(subsite, "@@" + UNIT_STATISTICS)}]
    if request.has_permission(EDIT, subsite):
        page["links"].append(
            {"label": _("Thông tin tiếp nhận hồ sơ"), "url": ui.url(subsite, LOCAL_PATH)}
        )
    return render_to_response("services_browse.pt", page, request)


def unit_service(subsite, request, code: str):
    """The procedure of ``code`` that ``subsite`` shows (404 for another; 403 for
    one the requester may not view)."""
    service = find_by_code(request.root, code) if CODE_RE.match(code) else None
    if service is None or not shows(subsite, service):
        raise HTTPNotFound()
    if not request.has_permission(VIEW, service):
        raise HTTPForbidden()
    return service


# a procedure's page -------------------------------------------------------------------
def form_files(request, service, subsite=None) -> dict:
    """The form templates of ``service`` the requester may download: name -> URL
    (below the unit's page of the procedure on a unit's page)."""
    found = {}
    for row in service.components:
        name = row.get("template") or ""
        obj = service.get(name) if name else None
        if obj is None or not IFile.providedBy(obj) or not obj.has_data():
            continue
        if not request.has_permission(VIEW, obj):
            continue
        if subsite is not None:
            found[name] = get_ui(request).url(subsite, UNIT_PATH, service.code, name)
        else:
            found[name] = path_url(request, resource_path(obj)) + "@@download"
    return found


def submission_url(request, service, subsite) -> str | None:
    """Where to submit ``service`` online: the answer of a plugin for the page's
    unit (else the procedure's implementing unit), at levels 3 and 4 only."""
    if service.level not in ONLINE_LEVELS:
        return None
    unit = subsite if subsite is not None else implementing_unit(request.root, service)
    hook = request.registry.cong_plugins.hook.cong_service_submission
    return hook(request=request, unit=unit, service=service) or None


def amount_text(amount: int | None) -> str:
    """An amount as the page shows it: ``1.500.000 đồng``."""
    return "" if amount is None else format_amount(amount) + " đồng"


def service_page(request, service, subsite=None) -> dict:
    """The namespace of ``services_page.pt``: ``service`` as the province
    (``subsite`` None) or a unit shows it."""
    translate = request.localizer.translate
    yes, no = translate(_("Có")), translate(_("Không"))
    days_unit = translate(_("ngày làm việc"))
    channels = {value: translate(label) for value, label in CHANNELS}
    details = local.local_details(subsite, service)
    fees = [
        {
            "name": row["name"],
            "amount": amount_text(row.get("amount")),
            "basis": row.get("basis") or "",
        }
        for row in service.fees
    ]
    days = service.days
    general = [
        (_("Mã thủ tục"), service.code),
        (_("Lĩnh vực"), value_label(request, "field", service.field)),
        (_("Cấp thực hiện"), value_label(request, "tier", service.tier)),
        (_("Cơ quan thực hiện"), service.agency),
        (_("Cơ quan có thẩm quyền quyết định"), service.deciding_agency),
        (_("Đối tượng thực hiện"), service.applicants),
        (_("Thời hạn giải quyết"), f"{format_days(days)} {days_unit}" if days else ""),
        (_("Phí, lệ phí"), "; ".join(f"{f['name']}: {f['amount']}" for f in fees if f["amount"])),
        (_("Kết quả thực hiện"), service.result),
        (_("Địa chỉ tiếp nhận hồ sơ"), details["address"]),
        (_("Thời gian tiếp nhận hồ sơ"), details["hours"]),
        (_("Điện thoại"), details["phone"]),
        (_("Thời hạn hiệu lực của kết quả"), service.validity),
    ]
    files = form_files(request, service, subsite)
    used = {row["channel"] for row in service.methods}
    ui = get_ui(request)
    edit_url = ""
    if subsite is not None and request.has_permission(EDIT, subsite):
        edit_url = ui.url(subsite, UNIT_PATH, service.code, EDIT_LOCAL)
    return {
        "service": service,
        "title": service.title,
        "level_label": translate(dict(LEVELS).get(service.level, "")),
        "online_label": value_label(request, "online", service.online) if service.online else "",
        "general": [
            {"label": translate(label), "value": value} for label, value in general if value
        ],
        "methods": [
            {
                "channel": channels.get(row["channel"], row["channel"]),
                "days": f"{format_days(row['days'])} {days_unit}",
                "fee": row.get("fee") or "",
                "note": row.get("note") or "",
            }
            for row in service.methods
        ],
        "components": [
            {
                "name": row["name"],
                "template": row.get("template") or "",
                "url": files.get(row.get("template") or ""),
                "copies": row.get("copies") or 1,
                "required": yes if row.get("required") else no,
            }
            for row in service.components
        ],
        "fees": fees,
        "details": details,
        "submit_url": submission_url(request, service, subsite),
        "by_post": POST in used,
        "unit": subsite,
        "back_url": ui.url(subsite, UNIT_PATH)
        if subsite is not None
        else ui.url(service.__parent__),
        "edit_url": edit_url,
        "stylesheet": request.static_url("plugins.services:static/services.css"),
    }


@view_config(context=IService, renderer="services_page.pt", permission=VIEW)
def service_view(context, request):
    """A procedure's page as the province shows it."""
    return service_page(request, context)


# local details ------------------------------------------------------------------------
def details_form(request, subsite, code: str, heading, help_text, action: str, back: str):
    """Show and handle the form of ``subsite``'s details under ``code`` (its
    defaults for ``""``): a valid post stores them and goes to ``back``."""
    require(request, EDIT, subsite)
    values, errors = local.stored_details(subsite, code), {}
    if request.method == "POST":
        posted = {name: request.POST.get(name, "") for name in local.NAMES}
        try:
            local.save_details(subsite, posted, code)
        except ValidationFailed as exc:
            values, errors = posted, exc.errors
        else:
            flash(request, _("Đã lưu thông tin tiếp nhận hồ sơ."))
            return HTTPFound(back)
    translate = request.localizer.translate
    page = form_page(
        request,
        local.FIELDS,
        values,
        errors,
        heading=translate(heading),
        help=translate(help_text),
        action=action,
        type_name="",
        submit_label=translate(_("Lưu")),
        cancel_url=back,
    )
    response = render_to_response("form.pt", page, request)
    if errors:
        response.status = 400
    return response


@view_config(context=ISubsite, name=LOCAL_VIEW, permission=EDIT)
def local_defaults(context, request):
    """``@@thu-tuc-dia-phuong``: where, when and whom to call for every procedure
    the unit shows (a procedure's own details override them)."""
    ui = get_ui(request)
    return details_form(
        request,
        context,
        local.DEFAULTS,
        _("Thông tin tiếp nhận hồ sơ của đơn vị"),
        _(
            "Địa chỉ, điện thoại và thời gian tiếp nhận hồ sơ hiện trên trang các thủ tục "
            "của đơn vị (trừ thủ tục có thông tin riêng). Để trống: dùng địa chỉ ghi "
            "trong thủ tục."
        ),
        ui.url(context, LOCAL_PATH),
        ui.url(context, UNIT_PATH),
    )


def local_form(subsite, request, service):
    """``@@thu-tuc/<code>/sua``: the unit's details of one procedure."""
    ui = get_ui(request)
    return details_form(
        request,
        subsite,
        service.code,
        _("Thông tin tiếp nhận hồ sơ: ${title}", mapping={"title": service.title}),
        _("Chỉ hiện trên trang thủ tục này của đơn vị. Để trống: dùng thông tin chung của đơn vị."),
        ui.url(subsite, UNIT_PATH, service.code, EDIT_LOCAL),
        ui.url(subsite, UNIT_PATH, service.code),
    )
