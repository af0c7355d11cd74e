"""Local roles (Plone's Sharing): roles granted to a user or group on one folder,
reaching everything below it.

``obj.local_roles`` maps a principal id (a login, or ``group:<id>``) to a sorted
tuple of role names. The Sharing page offers the *sharing roles*: the declared
roles that are grantable, except Manager (a global role only), Owner (given to
creators by the kernel) and Member (which every logged-in user holds). Roles
outside that set already held by a principal, such as Owner, are kept when its
sharing roles change.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from pyramid.location import lineage
from pyramid.traversal import resource_path

from core import audit, events
from core.i18n import _
from core.operations import require
from core.permissions import SHARING
from core.principals import GROUP_PREFIX, Group, Principals, User
from core.roles import Role, get_roles

#: Roles the Sharing page never grants, whatever their ``grantable`` flag says:
#: Manager is global only, Owner is the kernel's, every logged-in user is a Member.
NOT_SHARED = frozenset({"Manager", "Owner", "Member"})


class SharingError(ValueError):
    """A refused change of local roles; ``message`` is for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def sharing_roles(registry) -> list[Role]:
    """The roles offered on the Sharing page, in declaration order."""
    return [r for r in get_roles(registry).values() if r.grantable and r.name not in NOT_SHARED]


def local_roles_of(obj) -> dict[str, tuple[str, ...]]:
    """The roles granted on ``obj`` itself, by principal id (a copy)."""
    return {pid: tuple(roles) for pid, roles in getattr(obj, "local_roles", {}).items()}


def inherited_roles(obj) -> dict[str, set[str]]:
    """The roles granted on the folders above ``obj``, by principal id; they apply
    to ``obj`` too."""
    found: dict[str, set[str]] = {}
    parent = getattr(obj, "__parent__", None)
    if parent is None:
        return found
    for above in lineage(parent):
        for pid, roles in getattr(above, "local_roles", {}).items():
            found.setdefault(pid, set()).update(roles)
    return found


def check_local_roles(request, obj, principal_id: str, roles: Iterable[str]) -> tuple[str, ...]:
    """The roles ``principal_id`` would hold on ``obj`` once its sharing roles are
    ``roles``; raise :class:`SharingError` if the principal or a role is refused."""
    wanted = set(roles)
    offered = {r.name for r in sharing_roles(request.registry)}
    if "Manager" in wanted:
        raise SharingError(_("Vai trò Quản trị hệ thống chỉ được cấp cho toàn hệ thống."))
    unknown = sorted(wanted - offered)
    if unknown:
        raise SharingError(
            _("Không thể cấp vai trò '${role}' ở đây.", mapping={"role": ", ".join(unknown)})
        )
    if wanted and request.root.principals.get(principal_id) is None:
        raise SharingError(
            _("Không có người dùng hay nhóm '${id}'.", mapping={"id": str(principal_id)})
        )
    kept = {r for r in getattr(obj, "local_roles", {}).get(principal_id, ()) if r not in offered}
    return tuple(sorted(kept | wanted))


def set_local_roles(request, obj, principal_id: str, roles: Iterable[str]) -> bool:
    """Make ``roles`` the sharing roles of ``principal_id`` on ``obj``; return
    whether anything changed. See :func:`update_local_roles`."""
    return bool(update_local_roles(request, obj, {principal_id: roles}))


def update_local_roles(request, obj, changes: dict[str, Iterable[str]]) -> list[str]:
    """Set the sharing roles of several principals on ``obj`` at once: all are
    checked before any is stored. Requires the ``sharing`` permission on ``obj``.
    Fires one ``object_modified`` with ``["local_roles"]`` (so the catalog can
    reindex security) when something changed; returns the changed principal ids."""
    require(request, SHARING, obj)
    checked = {pid: check_local_roles(request, obj, pid, roles) for pid, roles in changes.items()}
    changed = []
    for pid, new in checked.items():
        if new == tuple(obj.local_roles.get(pid, ())):
            continue
        if new:
            obj.local_roles[pid] = new
        else:
            del obj.local_roles[pid]
        changed.append(pid)
    if changed:
        events.object_modified(request, obj, ["local_roles"])
        for pid in changed:
            audit.record(request, "sharing", resource_path(obj), principal=pid, roles=checked[pid])
    return changed


def search_principals(principals: Principals, text: str, limit: int = 20) -> list[User | Group]:
    """Users then groups whose id or name contains ``text`` (ignoring case), at
    most ``limit`` of them; nothing for an empty ``text``."""
    text = (text or "").strip().casefold()
    if not text:
        return []
    found: list[User | Group] = []
    candidates = chain(
        ((u, (u.login, u.fullname)) for u in principals.users.values()),
        ((g, (g.gid, g.title)) for g in principals.groups.values()),
    )
    for principal, names in candidates:
        if any(text in (name or "").casefold() for name in names):
            found.append(principal)
            if len(found) >= limit:
                break
    return found


def sharing_rows(request, context, extra=()) -> list[dict]:
    """One row per principal holding a sharing role here (granted here or above),
    then the principals in ``extra`` (search results) not listed yet. A row has
    the principal's ``id``, ``title``, ``name``, ``is_group``, ``exists`` and its
    offered roles granted here (``local``), above (``inherited``) and site-wide
    (``global``)."""
    offered = [r.name for r in sharing_roles(request.registry)]
    local = local_roles_of(context)
    inherited = inherited_roles(context)
    principals = request.root.principals
    ids = {pid for pid, roles in local.items() if set(roles) & set(offered)}
    ids |= {pid for pid, roles in inherited.items() if roles & set(offered)}
    rows = [_row(principals, pid, local, inherited, offered) for pid in ids]
    rows.sort(key=lambda row: (row["is_group"], row["title"].casefold()))
    rows += [_row(principals, p.id, local, inherited, offered) for p in extra if p.id not in ids]
    return rows


def _row(principals, pid, local, inherited, offered) -> dict:
    found = principals.get(pid)
    return {
        "id": pid,
        "title": found.title if found is not None else pid,
        "name": pid[len(GROUP_PREFIX) :] if pid.startswith(GROUP_PREFIX) else pid,
        "is_group": pid.startswith(GROUP_PREFIX),
        "exists": found is not None,
        "local": {r for r in local.get(pid, ()) if r in offered},
        "inherited": {r for r in inherited.get(pid, ()) if r in offered},
        "global": {r for r in found.roles if r in offered} if found is not None else set(),
    }
