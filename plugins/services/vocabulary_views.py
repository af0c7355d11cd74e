"""``@@linh-vuc`` on the catalog folder: the fields (lĩnh vực) of procedures, how
many procedures each has, and forms to add, rename and remove one (a field that
procedures use is not removed). For those who may edit the catalog; every form
carries the CSRF token.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

import catalog
from core.i18n import _
from core.permissions import EDIT
from core.views.forms import flash
from plugins.services.catalog_fields import FIELD
from plugins.services.content import SERVICE
from plugins.services.interfaces import IServiceCatalog
from plugins.services.vocabulary import (
    VocabularyError,
    add_field,
    field_items,
    field_label,
    remove_field,
    rename_field,
)

VIEW_NAME = "linh-vuc"
#: The forms of the page: what each POST asks.
ACTIONS = ("add", "rename", "remove")


def usage(request) -> dict[str, int]:
    """How many procedures (that the requester may see) each field has."""
    found = catalog.search(request, types=(SERVICE,), size=0, facets=(FIELD,))
    return found.facets.get(FIELD, {})


def _text(request, name: str) -> str:
    value = request.POST.get(name, "")
    return value if isinstance(value, str) else ""


def _change(request, site, action: str, slug: str, label: str):
    """Make the change asked; return the message to flash."""
    if action == "add":
        slug = add_field(site, label)
        return _("Đã thêm lĩnh vực “${label}”.", mapping={"label": field_label(site, slug)})
    if action == "rename":
        rename_field(site, slug, label)
        return _("Đã đổi tên lĩnh vực thành “${label}”.", mapping={"label": label})
    old = field_label(site, slug)
    remove_field(site, slug, usage(request).get(slug, 0))
    return _("Đã xóa lĩnh vực “${label}”.", mapping={"label": old})


@view_config(context=IServiceCatalog, name=VIEW_NAME, renderer="services_fields.pt",
             permission=EDIT)  # fmt: skip
def fields_page(context, request):
    """The list of fields with their counts, and the forms changing it."""
    site = request.root
    error, values = None, {}
    if request.method == "POST":
        action = _text(request, "action")
        slug, label = _text(request, "slug"), _text(request, "label")
        values = {"action": action, "slug": slug, "label": label}
        try:
            if action not in ACTIONS:
                raise VocabularyError(_("Yêu cầu không hợp lệ."))
            message = _change(request, site, action, slug, label)
        except VocabularyError as exc:
            request.response.status = 400
            error = request.localizer.translate(exc.message)
        else:
            flash(request, message)
            return HTTPSeeOther(request.resource_url(context, "@@" + VIEW_NAME))
    counts = usage(request)
    fields = [
        {"slug": slug, "label": label, "count": counts.get(slug, 0), "id": f"field-{n}"}
        for n, (slug, label) in enumerate(field_items(site))
    ]
    return {
        "fields": fields,
        "error": error,
        "values": values,
        "action_url": request.resource_url(context, "@@" + VIEW_NAME),
    }
