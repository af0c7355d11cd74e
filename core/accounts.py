"""Managing users and groups: the rules both the pages (:mod:`core.views.users`)
and the API (:mod:`core.api.users`) apply.

Every change is checked completely before anything is stored, and raises
:class:`AccountError` when refused. The ``admin`` account cannot be deleted, and no
change may leave the site without a Manager. Roles given site-wide are the
grantable ones but Member (which every logged-in user holds); roles a principal
holds that are not offered (set elsewhere, or from a plugin no longer running) are
kept when its roles change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pyramid.i18n import TranslationString

from core import audit, sessions
from core.i18n import _
from core.passwords import check_password
from core.principals import Group, PrincipalError, Principals, User
from core.roles import Role, get_roles

PROTECTED_USER = "admin"
MANAGER = "Manager"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Longest name, title or email address kept.
MAX_TEXT = 200
LAST_MANAGER = _("Không thể bỏ vai trò Quản trị hệ thống của người quản trị cuối cùng.")


class AccountError(ValueError):
    """A refused change: ``errors`` by field name, or one ``message``."""

    def __init__(self, errors: dict | None = None, message: TranslationString | str | None = None):
        super().__init__(errors or message)
        self.errors = dict(errors or {})
        self.message = message


def global_roles(registry) -> list[Role]:
    """The roles a user or group can be given site-wide: the grantable ones but
    Member, which every logged-in user holds anyway."""
    return [r for r in get_roles(registry).values() if r.grantable and r.name != "Member"]


def manager_logins(
    principals: Principals,
    user_roles: dict[str, set[str]] | None = None,
    group_roles: dict[str, set[str]] | None = None,
    members: dict[str, set[str]] | None = None,
    removed_users: frozenset[str] = frozenset(),
    removed_groups: frozenset[str] = frozenset(),
) -> set[str]:
    """The logins holding Manager, directly or through a group, once the given
    changes are made (new roles by login or group id, new members by group id,
    removed users and groups). Without changes: the Managers now."""
    user_roles, group_roles, members = user_roles or {}, group_roles or {}, members or {}
    found = {
        login
        for login, user in principals.users.items()
        if MANAGER in user_roles.get(login, user.roles) and login not in removed_users
    }
    for gid, group in principals.groups.items():
        if gid not in removed_groups and MANAGER in group_roles.get(gid, group.roles):
            found.update(set(members.get(gid, group.members)) - removed_users)
    return found


def leaves_no_manager(principals: Principals, **changes) -> bool:
    """Whether the changes (see :func:`manager_logins`) take the site's last
    Manager away."""
    return bool(manager_logins(principals)) and not manager_logins(principals, **changes)


def unoffered_roles(registry, principal: User | Group) -> set[str]:
    """Roles ``principal`` holds that are not offered: kept as they are."""
    return set(principal.roles) - {r.name for r in global_roles(registry)}


def find_users(principals: Principals, query: str) -> Iterator[User]:
    """The users whose login, name or email address holds ``query`` (ignoring
    case), in login order; all of them for an empty ``query``."""
    needle = query.strip().casefold()
    for user in principals.users.values():
        names = (user.login, user.fullname or "", user.email or "")
        if not needle or any(needle in name.casefold() for name in names):
            yield user


def find_groups(principals: Principals, query: str) -> Iterator[Group]:
    """The groups whose id or title holds ``query`` (ignoring case), in id order."""
    needle = query.strip().casefold()
    for group in principals.groups.values():
        if not needle or needle in group.gid.casefold() or needle in group.title.casefold():
            yield group


def role_errors(registry, roles: Iterable[str]) -> dict:
    """``{"roles": message}`` when some of ``roles`` cannot be given site-wide."""
    bad = set(roles) - {r.name for r in global_roles(registry)}
    if not bad:
        return {}
    return {"roles": _("Vai trò không hợp lệ: ${names}", mapping={"names": ", ".join(sorted(bad))})}


def text_error(value: str) -> TranslationString | None:
    """Why ``value`` cannot be a name, title or email address (one printable line
    of at most :data:`MAX_TEXT` characters), or None."""
    if len(value) > MAX_TEXT:
        return _("Quá dài: tối đa ${n} ký tự.", mapping={"n": MAX_TEXT})
    if not value.isprintable():  # control characters, lone surrogates
        return _("Không được chứa ký tự điều khiển hay ký tự không hợp lệ.")
    return None


def user_errors(request, data: dict) -> dict:
    """Errors in a user's ``fullname``, ``email``, ``roles`` and ``groups``."""
    principals = request.root.principals
    errors = role_errors(request.registry, data["roles"])
    for name in ("fullname", "email"):
        message = text_error(data[name])
        if message is not None:
            errors[name] = message
    missing = sorted(gid for gid in data["groups"] if gid not in principals.groups)
    if missing:
        errors["groups"] = _(
            "Nhóm không tồn tại: ${names}", mapping={"names": ", ".join(missing)[:200]}
        )
    if data["email"] and "email" not in errors and not EMAIL_RE.match(data["email"]):
        errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    return errors


def _store_user(principals: Principals, user: User, data: dict) -> None:
    user.fullname = data["fullname"]
    user.email = data["email"]
    user.roles.clear()
    user.roles.update(data["roles"])
    for gid in set(user.groups) - set(data["groups"]):
        principals.remove_member(gid, user.login)
    for gid in set(data["groups"]) - set(user.groups):
        principals.add_member(gid, user.login)


def create_user(request, data: dict, password: str) -> User:
    """Add the user ``data`` describes (``login``, ``fullname``, ``email``,
    ``roles``, ``groups``) with ``password``."""
    errors = user_errors(request, data)
    problem = check_password(request.registry, password, data["login"], data["fullname"])
    if problem:
        errors["password"] = problem
    if errors:
        raise AccountError(errors)
    principals = request.root.principals
    try:
        user = principals.add_user(data["login"], password, data["fullname"], data["email"])
    except PrincipalError as exc:
        raise AccountError(message=exc.args[0]) from None
    _store_user(principals, user, data)
    audit.record(request, "user.create", user.login, roles=user.roles, groups=user.groups)
    return user


def update_user(request, user: User, data: dict, password: str = "") -> None:
    """Give ``user`` the ``fullname``, ``email``, ``roles`` and ``groups`` of
    ``data`` (roles not offered are kept) and, if given, a new ``password``."""
    principals = request.root.principals
    errors = user_errors(request, data)
    problem = password and check_password(request.registry, password, user.login, data["fullname"])
    if problem:
        errors["password"] = problem
    if errors:
        raise AccountError(errors)
    data = dict(data, roles=set(data["roles"]) | unoffered_roles(request.registry, user))
    groups = set(data["groups"])
    members = {gid: set(principals.groups[gid].members) | {user.login} for gid in groups}
    for gid in set(user.groups) - groups:
        members[gid] = set(principals.groups[gid].members) - {user.login}
    if leaves_no_manager(principals, user_roles={user.login: data["roles"]}, members=members):
        raise AccountError({"roles": LAST_MANAGER})
    if password:
        sessions.end_all(request, user)
        try:
            user.set_password(password)
        except PrincipalError as exc:
            raise AccountError({"password": exc.args[0]}) from None
    before = (set(user.roles), set(user.groups))
    _store_user(principals, user, data)
    changed = {"roles": user.roles} if set(user.roles) != before[0] else {}
    if set(user.groups) != before[1]:
        changed["groups"] = user.groups
    audit.record(request, "user.update", user.login, password_reset=bool(password), **changed)


def delete_user(request, user: User) -> None:
    """Delete ``user``, unless it is ``admin`` or the last Manager."""
    principals = request.root.principals
    if user.login == PROTECTED_USER:
        raise AccountError(message=_("Không thể xoá tài khoản admin."))
    if leaves_no_manager(principals, removed_users=frozenset({user.login})):
        raise AccountError(message=LAST_MANAGER)
    principals.remove_user(user.login)
    audit.record(request, "user.delete", user.login)


def member_errors(principals: Principals, logins: Iterable[str]) -> dict:
    """``{"add_members": message}`` naming the logins no user has."""
    missing = sorted(login for login in logins if principals.get_user(login) is None)
    if not missing:
        return {}
    return {
        "add_members": _(
            "Không có người dùng: ${names}", mapping={"names": ", ".join(missing)[:200]}
        )
    }


def create_group(request, gid: str, title: str, roles: set[str]) -> Group:
    """Add the group ``gid`` with its ``title`` and site-wide ``roles``."""
    errors = role_errors(request.registry, roles)
    if text_error(title):
        errors["title"] = text_error(title)
    if errors:
        raise AccountError(errors)
    try:
        group = request.root.principals.add_group(gid, title)
    except PrincipalError as exc:
        raise AccountError({"id": exc.args[0]}) from None
    group.roles.update(roles)
    audit.record(request, "group.create", gid, roles=roles)
    return group


def update_group(request, group: Group, title: str, roles: set[str], members: set[str]) -> None:
    """Give ``group`` its ``title`` (its id when empty), ``roles`` (roles not
    offered are kept) and ``members`` (logins)."""
    principals = request.root.principals
    errors = role_errors(request.registry, roles)
    errors.update(member_errors(principals, members))
    if text_error(title):
        errors["title"] = text_error(title)
    if errors:
        raise AccountError(errors)
    roles = set(roles) | unoffered_roles(request.registry, group)
    if leaves_no_manager(principals, group_roles={group.gid: roles}, members={group.gid: members}):
        raise AccountError({"roles": LAST_MANAGER})
    group.title = title or group.gid
    group.roles.clear()
    group.roles.update(roles)
    for login in set(group.members) - members:
        principals.remove_member(group.gid, login)
    for login in members - set(group.members):
        principals.add_member(group.gid, login)
    audit.record(request, "group.update", group.gid, roles=roles, members=members)


def delete_group(request, group: Group) -> None:
    """Delete ``group`` (its members stay), unless that removes the last Manager."""
    principals = request.root.principals
    if leaves_no_manager(principals, removed_groups=frozenset({group.gid})):
        raise AccountError(message=LAST_MANAGER)
    principals.remove_group(group.gid)
    audit.record(request, "group.delete", group.gid)
