"""Deleting, after a confirmation page that says how much goes with it.

``@@delete`` deletes the object it is called on; ``@@delete-items?ids=...`` on a
folder deletes the items chosen in its contents table (all or none).
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.view import view_config

from core import operations
from core.errors import error_response
from core.i18n import _
from core.interfaces import IContent, IFolder
from core.operations import ValidationFailed
from core.permissions import DELETE, LIST, VIEW
from core.ui import get_ui
from core.views.contents import NO_PERMISSION, contents_url
from core.views.forms import flash


def count_below(obj) -> int:
    """How many objects are inside ``obj``, at any depth."""
    if not IFolder.providedBy(obj):
        return 0
    return len(obj) + sum(count_below(child) for child in obj.values() if IFolder.providedBy(child))


def describe(request, obj) -> dict:
    """What the confirmation page says of one item."""
    ui = get_ui(request)
    return {
        "title": obj.title or obj.__name__,
        "name": obj.__name__,
        "url": ui.url(obj) if request.has_permission(VIEW, obj) else None,
        "type": ui.type_label(obj),
        "below": count_below(obj),
    }


def confirmation(request, objs, action: str, cancel_url: str, came_from: str = "", ids=()) -> dict:
    """The namespace of ``delete.pt``; ``ids`` are posted back with the form."""
    items = [describe(request, obj) for obj in objs]
    return {
        "items": items,
        "below": sum(item["below"] for item in items),
        "action": action,
        "cancel_url": cancel_url,
        "came_from": came_from,
        "ids": list(ids),
    }


@view_config(
    context=IContent,
    name="delete",
    renderer="delete.pt",
    permission=DELETE,
    request_method=("GET", "HEAD"),
)
def delete_form(context, request):
    """``@@delete``: are you sure? (and what is inside)."""
    if context.__parent__ is None:
        message = request.localizer.translate(_("Không thể xoá trang chủ của cổng thông tin."))
        return error_response(request, 400, message=message)
    came_from = "contents" if request.GET.get("came_from") == "contents" else ""
    return confirmation(
        request,
        [context],
        request.resource_url(context, "@@delete"),
        request.resource_url(context),
        came_from,
    )


@view_config(context=IContent, name="delete", permission=DELETE, request_method="POST")
def delete_submit(context, request):
    """Delete the object and everything inside it, then show its folder."""
    folder = context.__parent__
    title = context.title or context.__name__
    try:
        operations.delete(request, context)
    except ValidationFailed as exc:
        message = request.localizer.translate(next(iter(exc.errors.values())))
        return error_response(request, 400, message=message)
    flash(request, _("Đã xoá “${title}”.", mapping={"title": title}))
    if request.POST.get("came_from") == "contents":
        return HTTPFound(request.resource_url(folder, "@@contents"))
    return HTTPFound(request.resource_url(folder))


def chosen(request, folder) -> list:
    """The items of ``folder`` named by the request's ``ids``."""
    params = request.POST if request.method == "POST" else request.GET
    names = dict.fromkeys(n for n in params.getall("ids") if isinstance(n, str))
    return [folder[name] for name in names if name in folder]


@view_config(
    context=IFolder,
    name="delete-items",
    renderer="delete.pt",
    permission=LIST,
    request_method=("GET", "HEAD"),
)
def delete_items_form(context, request):
    """``@@delete-items?ids=a&ids=b``: confirm deleting items of the contents table."""
    objs = chosen(request, context)
    if not objs:
        flash(request, _("Chưa chọn mục nào."), "error")
        return HTTPFound(contents_url(request, context))
    return confirmation(
        request,
        objs,
        request.resource_url(context, "@@delete-items"),
        contents_url(request, context),
        ids=[obj.__name__ for obj in objs],
    )


@view_config(context=IFolder, name="delete-items", permission=LIST, request_method="POST")
def delete_items_submit(context, request):
    """Delete every chosen item, or none of them if one is refused."""
    objs = chosen(request, context)
    back = contents_url(request, context)
    if not objs:
        flash(request, _("Chưa chọn mục nào."), "error")
        return HTTPFound(back)
    try:
        for obj in objs:
            operations.delete(request, obj)
    except HTTPForbidden:
        request.tm.doom()
        flash(request, NO_PERMISSION, "error")
        return HTTPFound(back)
    flash(request, _("Đã xoá ${n} mục.", mapping={"n": len(objs)}))
    return HTTPFound(back)
