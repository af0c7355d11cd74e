"""The subsites' own pages: ``@@logo`` and ``@@banner`` (a subsite's images) and
``@@plugins`` (which plugins run on it, for the SiteAdmins of the subsite: the
``sharing`` permission, which SiteAdmins and Managers hold)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from core.blobs import blob_response
from core.i18n import _
from core.permissions import SHARING, VIEW
from core.views.forms import flash
from subsites import plugins
from subsites.interfaces import ISubsite


@view_config(context=ISubsite, name="logo", permission=VIEW)
@view_config(context=ISubsite, name="banner", permission=VIEW)
def subsite_image(context, request):
    """The subsite's logo or banner (``@@logo/thumb``: a smaller scale)."""
    image = getattr(context, request.view_name, None)
    if image is None or not image.has_data():
        raise HTTPNotFound()
    scale = request.subpath[0] if request.subpath else ""
    if scale:
        from core.blobs import SCALES

        if scale not in SCALES:
            raise HTTPNotFound()
        blob, _size, _length = image.scale(scale)
        media = image.content_type if blob is image.blob else "image/jpeg"
        return blob_response(request, blob, media, None)
    return blob_response(request, image.blob, image.content_type, None)


@view_config(
    context=ISubsite,
    name="plugins",
    renderer="subsite_plugins.pt",
    permission=SHARING,
    request_method=("GET", "HEAD"),
)
def plugins_form(context, request):
    """``@@plugins``: a checkbox per plugin running on the portal, ticked when it is
    enabled on this subsite (for its SiteAdmins and Managers)."""
    return {"plugins": plugin_rows(request, context)}


@view_config(
    context=ISubsite,
    name="plugins",
    renderer="subsite_plugins.pt",
    permission=SHARING,
    request_method="POST",
)
def plugins_submit(context, request):
    """Enable the ticked plugins and disable the others; their data stays."""
    wanted = {name for name in request.POST.getall("plugin") if isinstance(name, str)}
    running = set(plugins.running_names(request.registry))
    unknown = sorted(wanted - running)
    if unknown:
        request.response.status = 400
        message = _("Không có chức năng “${name}”.", mapping={"name": ", ".join(unknown)[:100]})
        return {"plugins": plugin_rows(request, context), "error": message}
    before = plugins.enabled_names(context)
    for name in sorted(running):
        if name in wanted:
            plugins.enable(request, context, name)
        else:
            plugins.disable(request, context, name)
    if plugins.enabled_names(context) != before:
        flash(request, _("Đã lưu các chức năng của trang."))
    else:
        flash(request, _("Không có thay đổi nào."))
    return HTTPFound(request.resource_url(context, "@@plugins"))


def plugin_rows(request, subsite) -> list[dict]:
    """One row per running plugin: name, label, description, enabled."""
    enabled = plugins.enabled_names(subsite)
    return [
        {
            "name": info.name,
            "label": info.label,
            "description": info.description,
            "enabled": info.name in enabled,
            "id": f"plugin-{index}",
        }
        for index, info in enumerate(plugins.plugin_infos(request.registry))
    ]
