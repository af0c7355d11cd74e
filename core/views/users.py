"""User and group management for Managers (the ``manage_users`` permission).

Pages on the site: ``@@users``, ``@@user-add``, ``@@user-edit?login=``,
``@@user-delete`` (POST), ``@@groups``, ``@@group-add``, ``@@group-edit?id=``,
``@@group-delete`` (POST). Every change is checked completely before anything is
stored. The ``admin`` account cannot be deleted, and no change may leave the
site without a Manager. Passwords are never put into a page.
"""

from __future__ import annotations

import re

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from core.batching import Batch
from core.i18n import _
from core.interfaces import ISite
from core.permissions import MANAGE_USERS
from core.principals import Group, PrincipalError, Principals, User
from core.roles import Role, get_roles
from core.views.auth import flash

PAGE_SIZE = 50
PROTECTED_USER = "admin"
MANAGER = "Manager"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FORM_ERROR = _("Chưa lưu được: xem các lỗi bên dưới.")
LAST_MANAGER = _("Không thể bỏ vai trò Quản trị hệ thống của người quản trị cuối cùng.")


# rules ------------------------------------------------------------------------------
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


def unoffered_roles(request, principal: User | Group) -> set[str]:
    """Roles ``principal`` holds that the form does not offer (set elsewhere, or
    from a plugin no longer running): kept as they are when the form is saved."""
    return set(principal.roles) - {r.name for r in global_roles(request.registry)}


def leaves_no_manager(principals: Principals, **changes) -> bool:
    """Whether the changes (see :func:`manager_logins`) take the site's last
    Manager away."""
    return bool(manager_logins(principals)) and not manager_logins(principals, **changes)


def picked(request, name: str, allowed) -> tuple[set[str], set[str]]:
    """The ticked values of checkbox ``name``: (known ones, unknown ones)."""
    values = {v for v in request.POST.getall(name) if isinstance(v, str)}
    return values & set(allowed), values - set(allowed)


def text(request, name: str) -> str:
    value = request.POST.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def check_email(email: str, errors: dict) -> None:
    if email and not EMAIL_RE.match(email):
        errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")


def check_password_pair(request, errors: dict, required: bool) -> str:
    """The new password typed twice, or '' when optional and left empty."""
    password = request.POST.get("password", "")
    repeat = request.POST.get("repeat", "")
    password = password if isinstance(password, str) else ""
    if not password and not required:
        return ""
    if not password:
        errors["password"] = _("Vui lòng nhập mật khẩu.")
    elif password != repeat:
        errors["repeat"] = _("Hai lần nhập mật khẩu không khớp nhau.")
    return password


def invalid(request, values: dict, errors: dict, message=FORM_ERROR) -> dict:
    """The form again with its errors, as a 400."""
    request.response.status = 400
    return dict(values, errors=errors, message=message)


# users ------------------------------------------------------------------------------
def user_matches(user: User, query: str) -> bool:
    query = query.casefold()
    return query in user.login.casefold() or query in (user.fullname or "").casefold()


@view_config(context=ISite, name="users", renderer="users.pt", permission=MANAGE_USERS)
def users_list(context, request):
    """The users, 50 a page, filtered by login or name."""
    query = request.GET.get("q", "")
    query = query.strip() if isinstance(query, str) else ""
    users = context.principals.users.values()
    found = (u for u in users if user_matches(u, query)) if query else iter(users)
    return {
        "batch": Batch.from_iterable(found, request, PAGE_SIZE),
        "query": query,
        "role_labels": {r.name: r.label for r in get_roles(request.registry).values()},
    }


def user_form_values(request, user: User | None, **values) -> dict:
    principals = request.root.principals
    base = {
        "user": user,
        "roles": global_roles(request.registry),
        "groups": list(principals.groups.values()),
        "data": {
            "login": user.login if user else "",
            "fullname": user.fullname if user else "",
            "email": user.email if user else "",
            "roles": set(user.roles) if user else set(),
            "groups": set(user.groups) if user else set(),
        },
        "errors": {},
        "message": None,
        "protected": user is not None and user.login == PROTECTED_USER,
    }
    base.update(values)
    return base


def submitted_user(request, errors: dict) -> dict:
    """The user fields of the submitted form, checked (except login and password)."""
    principals = request.root.principals
    roles, bad_roles = picked(request, "roles", [r.name for r in global_roles(request.registry)])
    groups, bad_groups = picked(request, "groups", list(principals.groups.keys()))
    if bad_roles:
        errors["roles"] = _(
            "Vai trò không hợp lệ: ${names}", mapping={"names": ", ".join(sorted(bad_roles))}
        )
    if bad_groups:
        errors["groups"] = _(
            "Nhóm không tồn tại: ${names}", mapping={"names": ", ".join(sorted(bad_groups))}
        )
    data = {
        "login": text(request, "login"),
        "fullname": text(request, "fullname"),
        "email": text(request, "email"),
        "roles": roles,
        "groups": groups,
    }
    check_email(data["email"], errors)
    return data


def apply_user(principals: Principals, user: User, data: dict) -> None:
    """Store the checked fields, roles and group memberships of ``user``."""
    user.fullname = data["fullname"]
    user.email = data["email"]
    user.roles.clear()
    user.roles.update(data["roles"])
    for gid in set(user.groups) - data["groups"]:
        principals.remove_member(gid, user.login)
    for gid in data["groups"] - set(user.groups):
        principals.add_member(gid, user.login)


@view_config(
    context=ISite,
    name="user-add",
    renderer="user_form.pt",
    permission=MANAGE_USERS,
    request_method=("GET", "HEAD"),
)
def user_add_form(context, request):
    """The form for a new user."""
    return user_form_values(request, None)


@view_config(
    context=ISite,
    name="user-add",
    renderer="user_form.pt",
    permission=MANAGE_USERS,
    request_method="POST",
)
def user_add_submit(context, request):
    """Create the user with its password, roles and groups."""
    errors: dict = {}
    data = submitted_user(request, errors)
    password = check_password_pair(request, errors, required=True)
    if errors:
        return invalid(request, user_form_values(request, None, data=data), errors)
    principals = context.principals
    try:
        user = principals.add_user(data["login"], password, data["fullname"], data["email"])
    except PrincipalError as exc:
        return invalid(request, user_form_values(request, None, data=data), {}, message=exc.args[0])
    apply_user(principals, user, data)
    flash(request, _("Đã tạo người dùng ${login}.", mapping={"login": user.login}))
    return HTTPFound(request.resource_url(context, "@@users"))


def user_from_query(request) -> User:
    login = request.params.get("login", "")
    user = request.root.principals.get_user(login)
    if user is None:
        raise HTTPNotFound()
    return user


@view_config(
    context=ISite,
    name="user-edit",
    renderer="user_form.pt",
    permission=MANAGE_USERS,
    request_method=("GET", "HEAD"),
)
def user_edit_form(context, request):
    """The form to change a user (and reset their password)."""
    return user_form_values(request, user_from_query(request))


@view_config(
    context=ISite,
    name="user-edit",
    renderer="user_form.pt",
    permission=MANAGE_USERS,
    request_method="POST",
)
def user_edit_submit(context, request):
    """Change the user's details, roles, groups and, when typed, password."""
    principals = context.principals
    user = user_from_query(request)
    errors: dict = {}
    data = submitted_user(request, errors)
    data["login"] = user.login
    data["roles"] |= unoffered_roles(request, user)
    password = check_password_pair(request, errors, required=False)
    if errors:
        return invalid(request, user_form_values(request, user, data=data), errors)
    members = {gid: set(principals.groups[gid].members) | {user.login} for gid in data["groups"]}
    for gid in set(user.groups) - data["groups"]:
        members[gid] = set(principals.groups[gid].members) - {user.login}
    if leaves_no_manager(principals, user_roles={user.login: data["roles"]}, members=members):
        return invalid(request, user_form_values(request, user, data=data), {"roles": LAST_MANAGER})
    if password:
        try:
            user.set_password(password)
        except PrincipalError as exc:
            return invalid(
                request, user_form_values(request, user, data=data), {"password": exc.args[0]}
            )
    apply_user(principals, user, data)
    flash(request, _("Đã lưu người dùng ${login}.", mapping={"login": user.login}))
    return HTTPFound(request.resource_url(context, "@@users"))


@view_config(
    context=ISite,
    name="user-delete",
    renderer="user_form.pt",
    permission=MANAGE_USERS,
    request_method="POST",
)
def user_delete(context, request):
    """Delete a user, except ``admin`` and the last Manager."""
    principals = context.principals
    user = user_from_query(request)
    if user.login == PROTECTED_USER:
        message = _("Không thể xoá tài khoản admin.")
    elif leaves_no_manager(principals, removed_users=frozenset({user.login})):
        message = LAST_MANAGER
    else:
        principals.remove_user(user.login)
        flash(request, _("Đã xoá người dùng ${login}.", mapping={"login": user.login}))
        return HTTPFound(request.resource_url(context, "@@users"))
    return invalid(request, user_form_values(request, user), {}, message=message)


# groups -----------------------------------------------------------------------------
@view_config(context=ISite, name="groups", renderer="groups.pt", permission=MANAGE_USERS)
def groups_list(context, request):
    """The groups, 50 a page, filtered by id or title."""
    query = request.GET.get("q", "")
    query = query.strip() if isinstance(query, str) else ""
    groups = context.principals.groups.values()
    needle = query.casefold()
    found = (g for g in groups if needle in g.gid.casefold() or needle in g.title.casefold())
    return {
        "batch": Batch.from_iterable(found, request, PAGE_SIZE),
        "query": query,
        "role_labels": {r.name: r.label for r in get_roles(request.registry).values()},
    }


def group_form_values(request, group: Group | None, **values) -> dict:
    principals = request.root.principals
    base = {
        "group": group,
        "roles": global_roles(request.registry),
        "members": [principals.users[m] for m in group.members if m in principals.users]
        if group
        else [],
        "data": {
            "id": group.gid if group else "",
            "title": group.title if group else "",
            "roles": set(group.roles) if group else set(),
            "add_members": "",
        },
        "errors": {},
        "message": None,
    }
    base.update(values)
    return base


def submitted_group(request, errors: dict) -> dict:
    roles, bad_roles = picked(request, "roles", [r.name for r in global_roles(request.registry)])
    if bad_roles:
        errors["roles"] = _(
            "Vai trò không hợp lệ: ${names}", mapping={"names": ", ".join(sorted(bad_roles))}
        )
    return {
        "id": text(request, "id"),
        "title": text(request, "title"),
        "roles": roles,
        "add_members": text(request, "add_members"),
    }


def group_from_query(request) -> Group:
    gid = request.params.get("id", "")
    group = request.root.principals.get_group(gid)
    if group is None:
        raise HTTPNotFound()
    return group


@view_config(
    context=ISite,
    name="group-add",
    renderer="group_form.pt",
    permission=MANAGE_USERS,
    request_method=("GET", "HEAD"),
)
def group_add_form(context, request):
    """The form for a new group."""
    return group_form_values(request, None)


@view_config(
    context=ISite,
    name="group-add",
    renderer="group_form.pt",
    permission=MANAGE_USERS,
    request_method="POST",
)
def group_add_submit(context, request):
    """Create the group with its roles, then show it to add members."""
    errors: dict = {}
    data = submitted_group(request, errors)
    if errors:
        return invalid(request, group_form_values(request, None, data=data), errors)
    try:
        group = context.principals.add_group(data["id"], data["title"])
    except PrincipalError as exc:
        return invalid(request, group_form_values(request, None, data=data), {"id": exc.args[0]})
    group.roles.update(data["roles"])
    flash(request, _("Đã tạo nhóm ${id}.", mapping={"id": group.gid}))
    return HTTPFound(request.resource_url(context, "@@group-edit", query={"id": group.gid}))


@view_config(
    context=ISite,
    name="group-edit",
    renderer="group_form.pt",
    permission=MANAGE_USERS,
    request_method=("GET", "HEAD"),
)
def group_edit_form(context, request):
    """The form to change a group and its members."""
    return group_form_values(request, group_from_query(request))


@view_config(
    context=ISite,
    name="group-edit",
    renderer="group_form.pt",
    permission=MANAGE_USERS,
    request_method="POST",
)
def group_edit_submit(context, request):
    """Change the group's title and roles, remove ticked members, add typed ones."""
    principals = context.principals
    group = group_from_query(request)
    errors: dict = {}
    data = submitted_group(request, errors)
    data["roles"] |= unoffered_roles(request, group)
    removed, _unknown = picked(request, "remove", list(group.members))
    added = set(re.split(r"[\s,;]+", data["add_members"].lower())) - {""}
    missing = sorted(login for login in added if principals.get_user(login) is None)
    if missing:
        errors["add_members"] = _(
            "Không có người dùng: ${names}", mapping={"names": ", ".join(missing)}
        )
    if errors:
        return invalid(request, group_form_values(request, group, data=data), errors)
    members = (set(group.members) - removed) | added
    if leaves_no_manager(
        principals, group_roles={group.gid: data["roles"]}, members={group.gid: members}
    ):
        return invalid(
            request, group_form_values(request, group, data=data), {"roles": LAST_MANAGER}
        )
    group.title = data["title"] or group.gid
    group.roles.clear()
    group.roles.update(data["roles"])
    for login in removed - added:
        principals.remove_member(group.gid, login)
    for login in added:
        principals.add_member(group.gid, login)
    flash(request, _("Đã lưu nhóm ${id}.", mapping={"id": group.gid}))
    return HTTPFound(request.resource_url(context, "@@group-edit", query={"id": group.gid}))


@view_config(
    context=ISite,
    name="group-delete",
    renderer="group_form.pt",
    permission=MANAGE_USERS,
    request_method="POST",
)
def group_delete(context, request):
    """Delete a group (its members stay), unless that removes the last Manager."""
    principals = context.principals
    group = group_from_query(request)
    if leaves_no_manager(principals, removed_groups=frozenset({group.gid})):
        return invalid(request, group_form_values(request, group), {}, message=LAST_MANAGER)
    principals.remove_group(group.gid)
    flash(request, _("Đã xoá nhóm ${id}.", mapping={"id": group.gid}))
    return HTTPFound(request.resource_url(context, "@@groups"))
