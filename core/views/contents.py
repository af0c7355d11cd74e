"""``@@contents``: a folder's items as a table, and what editors do to them.

Every action posts to ``@@contents`` and comes back to it with a message: move or
copy the selected items to another folder, reorder one item, or go on to the
confirmation pages of ``@@delete-items`` and ``@@rename``. An action on several items
is all or nothing: when one of them is refused, the transaction is doomed and
nothing is changed.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.traversal import find_resource
from pyramid.view import view_config

from core import operations
from core.batching import Batch
from core.i18n import _
from core.interfaces import IFolder
from core.operations import ValidationFailed
from core.permissions import EDIT, LIST, VIEW
from core.ui import get_ui
from core.views.forms import flash

#: Rows per page of the contents table.
PAGE_SIZE = 20
#: The reorder buttons: their value is ``<name>:<where>``.
MOVES = ("top", "up", "down", "bottom")
NO_PERMISSION = _("Bạn không có quyền thực hiện thao tác này trên một trong các mục đã chọn.")


def contents_url(request, folder, **query) -> str:
    """The URL of ``folder``'s contents table, on the page the request was on."""
    for key in ("b_start", "b_size"):
        if key in request.GET:
            query.setdefault(key, request.GET[key])
    return request.resource_url(folder, "@@contents", query=query or None)


def row(request, folder, obj, position: int) -> dict:
    """One line of the contents table."""
    ui = get_ui(request)
    viewable = request.has_permission(VIEW, obj)
    return {
        "name": obj.__name__,
        "title": (obj.title or obj.__name__) if viewable else obj.__name__,
        "url": ui.url(obj) if viewable else None,
        "type": ui.type_label(obj),
        "state": ui.state_title(obj),
        "state_name": obj.workflow_state,
        "modified": ui.date(obj.modified, with_time=True),
        "modified_iso": ui.iso(obj.modified),
        "viewable": viewable,
        "position": position,
        "first": position == 0,
        "last": position == len(folder) - 1,
    }


@view_config(
    context=IFolder,
    name="contents",
    renderer="contents.pt",
    permission=LIST,
    request_method=("GET", "HEAD"),
)
def contents_view(context, request):
    """The folder's items, a page at a time, with the actions on them; an item the
    requester may not view is left out (its name may tell its title)."""
    batch = Batch.from_folder(context, request, PAGE_SIZE)
    rows = [row(request, context, obj, batch.start + i) for i, obj in enumerate(batch.items)]
    rows = [r for r in rows if r["viewable"]]
    return {
        "batch": batch,
        "rows": rows,
        "can_order": request.has_permission(EDIT, context),
        "action": contents_url(request, context),
        "target": request.GET.get("target", ""),
    }


@view_config(context=IFolder, name="contents", permission=LIST, request_method="POST")
def contents_action(context, request):
    """Do the action asked for, then go back to the table with a message."""
    back = contents_url(request, context)
    if "reorder" in request.POST:
        return reorder(context, request, back)
    action = request.POST.get("action")
    names = [n for n in request.POST.getall("ids") if isinstance(n, str) and n in context]
    if action not in ("move", "copy", "delete", "rename"):
        flash(request, _("Thao tác không hợp lệ."), "error")
        return HTTPFound(back)
    if not names:
        flash(request, _("Chưa chọn mục nào."), "error")
        return HTTPFound(back)
    if action == "delete":
        return HTTPFound(request.resource_url(context, "@@delete-items", query={"ids": names}))
    if action == "rename":
        return HTTPFound(request.resource_url(context, "@@rename", query={"ids": names}))
    return move_or_copy(context, request, action, names, back)


def find_folder(request, path) -> object:
    """The folder at ``path`` (``/tin-tuc/2025``, from the site root, or its full
    URL on this site), or raise ValidationFailed saying what is wrong."""
    path = path.strip() if isinstance(path, str) else ""
    if path.startswith(request.application_url + "/"):
        path = path[len(request.application_url) :]
    if not path:
        raise ValidationFailed({"target": _("Hãy nhập đường dẫn thư mục đích, ví dụ /tin-tuc.")})
    if "@@" in path or "\\" in path or len(path) > 1000:
        raise ValidationFailed({"target": _("Đường dẫn thư mục đích không hợp lệ.")})
    try:
        # from the home page the visitor sees: a subsite's, on its own host
        target = find_resource(request.virtual_root, path.strip("/"))
    except (KeyError, ValueError):
        target = None
    if target is None or not request.has_permission(VIEW, target):
        raise ValidationFailed(
            {"target": _("Không tìm thấy thư mục “${path}”.", mapping={"path": path})}
        )
    if not IFolder.providedBy(target):
        raise ValidationFailed(
            {"target": _("“${path}” không phải là một thư mục.", mapping={"path": path})}
        )
    return target


def move_or_copy(context, request, action: str, names: list[str], back: str):
    """Move or copy the items ``names`` into the folder the form names."""
    target_path = request.POST.get("target", "")
    try:
        operations.check_batch(request, len(names))
        target = find_folder(request, target_path)
        for name in names:
            if action == "move":
                operations.move(request, context[name], target)
            else:
                operations.copy(request, context[name], target)
    except (ValidationFailed, HTTPForbidden) as exc:
        request.tm.doom()
        messages = exc.errors.values() if isinstance(exc, ValidationFailed) else [NO_PERMISSION]
        for message in messages:
            flash(request, message, "error")
        if isinstance(target_path, str) and target_path.strip():
            back = contents_url(request, context, target=target_path.strip()[:1000])
        return HTTPFound(back)
    title = target.title or target.__name__ or "/"
    if action == "move":
        message = _(
            "Đã chuyển ${n} mục tới “${folder}”.", mapping={"n": len(names), "folder": title}
        )
    else:
        message = _(
            "Đã sao chép ${n} mục tới “${folder}”.", mapping={"n": len(names), "folder": title}
        )
    flash(request, message)
    return HTTPFound(back)


def reorder(context, request, back: str):
    """Move one item to the top, up one, down one or to the bottom."""
    value = request.POST.get("reorder", "")
    name, _sep, where = value.rpartition(":") if isinstance(value, str) else ("", "", "")
    if name not in context or where not in MOVES:
        flash(request, _("Thao tác không hợp lệ."), "error")
        return HTTPFound(back)
    here = context.position(name)
    position = {"top": 0, "up": here - 1, "down": here + 1, "bottom": len(context) - 1}[where]
    try:
        operations.reorder(request, context, name, max(position, 0))
    except HTTPForbidden:
        flash(request, _("Bạn không có quyền sắp xếp thư mục này."), "error")
        return HTTPFound(back)
    item = context[name]
    flash(request, _("Đã chuyển “${title}”.", mapping={"title": item.title or name}))
    return HTTPFound(back)


@view_config(
    context=IFolder, name="rename", renderer="rename.pt", permission=LIST, request_method="GET"
)
@view_config(
    context=IFolder, name="rename", renderer="rename.pt", permission=LIST, request_method="POST"
)
def rename_form(context, request):
    """``@@rename?ids=a&ids=b``: a new name in the URL for each item chosen."""
    params = request.POST if request.method == "POST" else request.GET
    names = [n for n in params.getall("ids") if isinstance(n, str) and n in context]
    if not names:
        flash(request, _("Chưa chọn mục nào."), "error")
        return HTTPFound(contents_url(request, context))
    news = names
    if request.method == "POST":
        news = [n.strip() if isinstance(n, str) else "" for n in params.getall("new_names")]
    titles = {
        name: context[name].title if request.has_permission(VIEW, context[name]) else name
        for name in names
    }
    errors = {}
    if request.method == "POST":
        if len(news) != len(names):
            flash(request, _("Thao tác không hợp lệ."), "error")
            return HTTPFound(contents_url(request, context))
        for old, new in zip(names, news, strict=True):
            try:
                operations.rename(request, context[old], new)
            except ValidationFailed as exc:
                errors[old] = next(iter(exc.errors.values()))
            except HTTPForbidden:
                errors[old] = NO_PERMISSION
        if not errors:
            flash(request, _("Đã đổi tên ${n} mục.", mapping={"n": len(names)}))
            return HTTPFound(contents_url(request, context))
        request.tm.doom()
    translate = request.localizer.translate
    items = [
        {
            "name": old,
            "title": titles[old] or old,
            "new": new,
            "error": translate(errors[old]) if old in errors else "",
            "id": f"rename-{index}",
        }
        for index, (old, new) in enumerate(zip(names, news, strict=True))
    ]
    return {"items": items, "cancel_url": contents_url(request, context)}
