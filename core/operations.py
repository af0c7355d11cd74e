"""What people do to content: add, edit, rename, move, copy, delete, reorder.

Views and the JSON API both call these functions, so a permission check, a
validation or an event happens the same way whichever door the change came
through. Each checks the requester's permission, changes the tree, and fires the
event plugins hear (:mod:`core.events`). Errors a person can cause are raised as
:class:`ValidationFailed` (with a message per field) or ``HTTPForbidden``.
"""

from __future__ import annotations

import io
import uuid

from pyramid.httpexceptions import HTTPForbidden
from pyramid.location import inside, lineage

from core import events
from core.clock import now
from core.fields import apply_values, shorten
from core.i18n import _
from core.interfaces import IFolder
from core.names import BadName, check_name, choose_name, is_taken, reserved_names
from core.permissions import ADD, DELETE, EDIT, VIEW
from core.plugins import type_enabled
from core.types import ContentType, get_types
from core.uids import walk
from core.workflow import workflow_of


class ValidationFailed(ValueError):
    """Input that was refused: ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def require(request, permission: str, context) -> None:
    """Raise HTTPForbidden unless the requester has ``permission`` on ``context``."""
    if not request.has_permission(permission, context):
        raise HTTPForbidden()


def types_addable_in(request, folder) -> list[ContentType]:
    """The types that may be added to ``folder`` (before permission checks): those
    allowed in it whose plugin is enabled where it is (see :func:`core.plugins.type_enabled`)."""
    return [
        ct
        for ct in get_types(request.registry).addable_in(folder)
        if type_enabled(request, folder, ct.name)
    ]


def addable_types(request, folder) -> list[ContentType]:
    """The types the requester may add to ``folder`` now."""
    if not IFolder.providedBy(folder):
        return []
    return [
        ct
        for ct in types_addable_in(request, folder)
        if request.has_permission(ct.add_permission, folder)
    ]


def _type_check(request, ct: ContentType, folder, obj):
    """The type's ``check`` bound to this change (None when it has none)."""
    if ct.check is None:
        return None
    return lambda values: ct.check(request, folder, obj, values)


def create(request, folder, type_name: str, data: dict, source: str = "form", name=None):
    """Add a new object of ``type_name`` to ``folder`` from submitted ``data``."""
    ct = get_types(request.registry).get(type_name) if isinstance(type_name, str) else None
    if ct is None or ct not in types_addable_in(request, folder):
        raise ValidationFailed({"@type": _("Không thể thêm loại nội dung này vào đây.")})
    require(request, ct.add_permission, folder)
    obj = ct.create()
    errors = apply_values(
        ct.fields, obj, data, source, check=_type_check(request, ct, folder, None)
    )
    if not obj.title and getattr(obj, "filename", ""):
        obj.title = title_from(ct, obj.filename)
    if not name and not errors and ct.name_of is not None:
        name = ct.name_of(obj)
    reserved = reserved_names(request.registry, folder)
    try:
        if name:
            name = check_name(folder, name, reserved)
        else:
            name = choose_name(folder, obj.title or ct.name, reserved)
    except BadName as exc:
        errors["id"] = exc.message
    if errors:
        raise ValidationFailed(errors)
    user = request.authenticated_userid
    if user:
        obj.creators = (user,)
        obj.local_roles[user] = ("Owner",)
    folder.attach(name, obj)
    workflow = workflow_of(request, obj)
    if workflow is not None:
        workflow.initialize(obj)
    events.object_added(request, obj, folder)
    return obj


def title_from(ct: ContentType, text: str) -> str:
    """A title made from ``text`` (a file's name), within the title field's limit."""
    title_field = ct.field("title")
    return shorten(text, getattr(title_field, "max_length", None) or len(text))


def edit(request, obj, data: dict, source: str = "form", partial: bool = False) -> list[str]:
    """Change ``obj``'s fields from ``data``; nothing is stored if any field is refused."""
    require(request, EDIT, obj)
    ct = get_types(request.registry)[obj.type_name]
    check = _type_check(request, ct, obj.__parent__, obj)
    errors = apply_values(ct.fields, obj, data, source, partial=partial, check=check)
    if errors:
        raise ValidationFailed(errors)
    changed = [f.name for f in ct.fields if f.name in data]
    obj.modified = now()
    events.object_modified(request, obj, changed)
    return changed


def rename(request, obj, new_name: str):
    """Give ``obj`` a new name in its folder; its uid and contents stay."""
    folder = _parent(obj)
    require(request, DELETE, obj)
    require(request, ADD, folder)
    if new_name == obj.__name__:
        return obj
    _check(request, folder, new_name)
    old_name = obj.__name__
    position = folder.position(old_name)
    folder.detach(old_name)
    folder.attach(new_name, obj)
    if folder.move_to(new_name, position):
        events.object_modified(request, folder, ("order",))
    events.object_moved(request, obj, folder, old_name, folder, new_name)
    return obj


def require_carried(request, obj) -> None:
    """Raise HTTPForbidden unless the requester may view ``obj`` and everything
    below it: what a copy or a move carries. A copy makes the copier the Owner of
    every copy, and a moved object takes the local roles of its new place, so
    carrying one object the requester may not view would hand them its content."""
    for item in walk(obj):
        require(request, VIEW, item)


def check_batch(request, count: int) -> None:
    """Raise ValidationFailed when one request names more than ``cong.max_copy_sources``
    objects to copy or move (each is walked, checked and reindexed in the request)."""
    limit = request.registry.settings["cong"].max_copy_sources
    if count > limit:
        raise ValidationFailed(
            {
                "source": _(
                    "Mỗi lần chỉ được sao chép hoặc chuyển tối đa ${limit} mục (đã chọn ${count}).",
                    mapping={"limit": limit, "count": count},
                )
            }
        )


def move(request, obj, target, new_name: str | None = None):
    """Move ``obj`` (with everything below it, which the requester must be able to
    view) into the folder ``target``."""
    folder = _parent(obj)
    require(request, DELETE, obj)
    require(request, ADD, target)
    require_carried(request, obj)
    if inside(target, obj):
        raise ValidationFailed({"target": _("Không thể chuyển một thư mục vào chính nó.")})
    if target is folder and not new_name:
        return obj
    _check_addable(request, target, obj)
    reserved = reserved_names(request.registry, target)
    name = new_name or (
        obj.__name__
        if not is_taken(target, obj.__name__, reserved)
        else choose_name(target, obj.title, reserved)
    )
    _check(request, target, name)
    old_name = obj.__name__
    folder.detach(old_name)
    target.attach(name, obj)
    events.object_moved(request, obj, folder, old_name, target, name)
    return obj


def copy(request, obj, target):
    """Copy ``obj`` (with everything below it, which the requester must be able to
    view) into ``target``; the copies get new uids, the requester as creator, and
    their workflow's initial state."""
    folder = _parent(obj)
    require(request, ADD, target)
    require_carried(request, obj)
    _check_addable(request, target, obj)
    duplicate = _duplicate(obj, folder)
    reserved = reserved_names(request.registry, target)
    name = obj.__name__
    if is_taken(target, name, reserved):
        name = choose_name(target, name, reserved)
    target.attach(name, duplicate)
    user = request.authenticated_userid
    for item in walk(duplicate):
        item.uid = uuid.uuid4().hex
        item.created = item.modified = now()
        item.workflow_history.clear()
        item.local_roles.clear()
        if user:
            item.creators = (user,)
            item.local_roles[user] = ("Owner",)
        workflow = workflow_of(request, item)
        if workflow is not None:
            workflow.initialize(item)
        events.object_added(request, item, item.__parent__)
    return duplicate


def delete(request, obj) -> None:
    """Delete ``obj`` and everything below it."""
    folder = _parent(obj)
    require(request, DELETE, obj)
    for item in reversed(list(walk(obj))):
        events.object_removed(request, item, item.__parent__)
    folder.detach(obj.__name__)


def reorder(request, folder, name: str, position: int) -> None:
    """Move child ``name`` of ``folder`` to ``position`` (0-based)."""
    require(request, EDIT, folder)
    if name not in folder:
        raise ValidationFailed({"id": _("Không có mục '${name}'.", mapping={"name": name})})
    if folder.move_to(name, position):
        events.object_modified(request, folder, ("order",))
    events.object_moved(request, folder[name], folder, name, folder, name)


def _parent(obj):
    folder = obj.__parent__
    if folder is None:
        raise ValidationFailed({"id": _("Không thể thao tác trên gốc của trang.")})
    return folder


def _check(request, folder, name: str) -> None:
    try:
        check_name(folder, name, reserved_names(request.registry, folder))
    except BadName as exc:
        raise ValidationFailed({"id": exc.message}) from None


def _check_addable(request, target, obj) -> None:
    ct = get_types(request.registry).get(obj.type_name)
    if ct is None or ct not in types_addable_in(request, target):
        raise ValidationFailed({"target": _("Không thể đặt loại nội dung này vào thư mục đích.")})


def _duplicate(obj, parent):
    """A deep copy of a persistent subtree (blobs included), made with ZODB's
    export/import so that every object and blob below it is copied once."""
    jar = next(o._p_jar for o in lineage(parent) if o._p_jar is not None)
    savepoint = jar.transaction_manager.savepoint
    savepoint(optimistic=True)  # gives new objects an oid and a jar
    obj.__parent__ = None  # keep the export from following the parent upwards
    try:
        savepoint(optimistic=True)
        buffer = io.BytesIO()
        jar.exportFile(obj._p_oid, buffer)
        buffer.seek(0)
        return jar.importFile(buffer)
    finally:
        obj.__parent__ = parent
