"""The office's settings (``<unit>/van-thu/@@cai-dat``), for the unit's SiteAdmins
and Managers: the issuing body's abbreviation its notations carry (``UBND`` in
``12/QĐ-UBND``, :mod:`plugins.documents.numbering`)."""

from __future__ import annotations

import re
import unicodedata

from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from core.fields import Invalid, TextLine
from core.i18n import _
from core.theme import get_templates
from core.ui import get_ui
from core.views.forms import flash, widget
from plugins.documents.interfaces import IOffice
from plugins.documents.views_common import FORM_METHODS, page_values, require_role

SETTINGS_VIEW = "cai-dat"
TEMPLATE = "office_settings.pt"
ABBREVIATION = TextLine(
    "body_abbreviation",
    _("Tên viết tắt của cơ quan ban hành"),
    required=True,
    max_length=20,
    description=_(
        "Dùng trong số, ký hiệu văn bản đi, ví dụ UBND trong 12/QĐ-UBND: "
        "chữ in hoa không dấu, chữ Đ và chữ số."
    ),
)
ABBREVIATION_RE = re.compile(r"[A-ZĐ0-9]{1,20}")


def parse_abbreviation(raw) -> str:
    """The abbreviation typed, or :class:`~core.fields.Invalid`."""
    value = ABBREVIATION.parse(raw, "form")
    value = unicodedata.normalize("NFC", value)
    if not ABBREVIATION_RE.fullmatch(value):
        raise Invalid(
            _("Chỉ gồm chữ in hoa không dấu, chữ Đ và chữ số, viết liền (ví dụ: UBND, SXD).")
        )
    return value


def _values(request, office, value, error=None) -> dict:
    ui = get_ui(request)
    return page_values(
        request,
        office=office,
        widgets=[widget(request, ABBREVIATION, value, error)],
        widgets_template=get_templates(request.registry)["widgets.pt"],
        errors=[
            {"href": "#form-" + ABBREVIATION.name, "message": request.localizer.translate(error)}
        ]
        if error
        else [],
        action=ui.url(office, "@@" + SETTINGS_VIEW),
        cancel_url=ui.url(office),
    )


@view_config(context=IOffice, name=SETTINGS_VIEW, renderer=TEMPLATE, request_method=FORM_METHODS)
def settings_view(context, request):
    """The form (GET); the settings kept, or the form with its error (POST)."""
    require_role(request, context, "SiteAdmin")
    if request.method != "POST":
        return _values(request, context, context.body_abbreviation)
    raw = request.POST.get(ABBREVIATION.name)
    try:
        context.body_abbreviation = parse_abbreviation(raw)
    except Invalid as error:
        request.tm.doom()
        response = render_to_response(
            TEMPLATE, _values(request, context, raw, error.message), request
        )
        response.status = 400
        return response
    flash(request, _("Đã lưu cài đặt văn thư."))
    return HTTPFound(get_ui(request).url(context, "@@" + SETTINGS_VIEW))
