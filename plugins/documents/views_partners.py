"""The partner catalogue's page at the portal (``/@@doi-tac-van-ban``), for
Managers: the outside agencies documents are exchanged with, a form adding one
(:func:`plugins.documents.partners.parse_partner`) and a button removing each."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from core import audit
from core.i18n import _
from core.interfaces import ISite
from core.theme import get_templates
from core.ui import get_ui
from core.views.forms import flash, widget
from plugins.documents.access import is_manager
from plugins.documents.entries import EntryError
from plugins.documents.partners import FIELDS, add_partner, parse_partner, remove_partner
from plugins.documents.registry import registry_of
from plugins.documents.views_common import FORM_METHODS, page_values
from plugins.documents.views_dashboard import no_store

PARTNERS_VIEW = "doi-tac-van-ban"
TEMPLATE = "office_partners.pt"


def _values(request, errors=None, message="") -> dict:
    errors = errors or {}
    translate = request.localizer.translate
    posted = request.POST if request.method == "POST" and errors else {}
    widgets = [widget(request, f, posted.get(f.name), errors.get(f.name)) for f in FIELDS]
    summary = [
        {"href": "#" + w["id"], "message": f"{w['label']}: {w['error']}"}
        for w in widgets
        if w["error"]
    ]
    if message and not summary:
        summary = [{"href": None, "message": translate(message)}]
    partners = sorted(registry_of(request.root).partners.values(), key=lambda p: p.name.casefold())
    return page_values(
        request,
        partners=partners,
        widgets=widgets,
        widgets_template=get_templates(request.registry)["widgets.pt"],
        errors=summary,
        action=get_ui(request).url(request.root, "@@" + PARTNERS_VIEW),
    )


def _refused(request, status: int, errors=None, message=""):
    request.tm.doom()
    response = render_to_response(TEMPLATE, _values(request, errors, message), request)
    response.status = status
    return response


@view_config(context=ISite, name=PARTNERS_VIEW, renderer=TEMPLATE, request_method=FORM_METHODS)
def partners_view(context, request):
    """The catalogue and its forms; a partner added or removed (POST)."""
    if not is_manager(request):
        raise HTTPForbidden()
    no_store(request)
    if request.method != "POST":
        return _values(request)
    if request.POST.get("action") == "remove":
        code = request.POST.get("code", "")
        if not remove_partner(request.root, code):
            return _refused(request, 404, message=_("Không có đối tác với mã này."))
        audit.record(request, "settings.partner_remove", code)
        flash(request, _("Đã xoá đối tác ${code}.", mapping={"code": code}))
    else:
        try:
            partner = parse_partner(request.root, dict(request.POST), "form")
        except EntryError as error:
            return _refused(request, error.status, error.errors, error.message)
        add_partner(request.root, partner)
        audit.record(request, "settings.partner_add", partner.code)
        flash(request, _("Đã thêm đối tác ${name}.", mapping={"name": partner.name}))
    return HTTPFound(get_ui(request).url(request.root, "@@" + PARTNERS_VIEW))
