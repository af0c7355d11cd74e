"""User and group management for Managers (the ``manage_users`` permission).

Pages on the site: ``@@users``, ``@@user-add``, ``@@user-edit?login=``,
``@@user-delete`` (POST), ``@@groups``, ``@@group-add``, ``@@group-edit?id=``,
``@@group-delete`` (POST). Every change is checked completely before anything is
stored, by the rules of :mod:`core.accounts`. Passwords are never put into a page.
"""

from __future__ import annotations

import re

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from core import accounts
from core.accounts import AccountError, global_roles
from core.batching import Batch
from core.i18n import _
from core.interfaces import ISite
from core.permissions import MANAGE_USERS
from core.principals import Group, User
from core.roles import get_roles
from core.views.auth import flash

PAGE_SIZE = 50
FORM_ERROR = _("Chưa lưu được: xem các lỗi bên dưới.")


def ticked(request, name: str) -> set[str]:
    """The ticked values of checkbox ``name``."""
    return {v for v in request.POST.getall(name) if isinstance(v, str)}


def text(request, name: str) -> str:
    value = request.POST.get(name, "")
    return value.strip() if isinstance(value, str) else ""


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


def refused(request, values: dict, exc: AccountError) -> dict:
    """The form again with the errors of a refused change, as a 400."""
    request.response.status = 400
    return dict(values, errors=exc.errors, message=exc.message or FORM_ERROR)


# users ------------------------------------------------------------------------------
@view_config(context=ISite, name="users", renderer="users.pt", permission=MANAGE_USERS)
def users_list(context, request):
    """The users, 50 a page, filtered by login, name or email address."""
    query = request.GET.get("q", "")
    query = query.strip() if isinstance(query, str) else ""
    found = accounts.find_users(context.principals, query)
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
        "protected": user is not None and user.login == accounts.PROTECTED_USER,
    }
    base.update(values)
    return base


def submitted_user(request) -> dict:
    """The user fields of the submitted form."""
    return {
        "login": text(request, "login"),
        "fullname": text(request, "fullname"),
        "email": text(request, "email"),
        "roles": ticked(request, "roles"),
        "groups": ticked(request, "groups"),
    }


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
    data = submitted_user(request)
    errors = accounts.user_errors(request, data)
    password = check_password_pair(request, errors, required=True)
    try:
        if errors:
            raise AccountError(errors)
        user = accounts.create_user(request, data, password)
    except AccountError as exc:
        return refused(request, user_form_values(request, None, data=data), exc)
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
    user = user_from_query(request)
    data = dict(submitted_user(request), login=user.login)
    errors = accounts.user_errors(request, data)
    password = check_password_pair(request, errors, required=False)
    try:
        if errors:
            raise AccountError(errors)
        accounts.update_user(request, user, data, password)
    except AccountError as exc:
        data["roles"] |= accounts.unoffered_roles(request.registry, user)
        return refused(request, user_form_values(request, user, data=data), exc)
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
    user = user_from_query(request)
    try:
        accounts.delete_user(request, user)
    except AccountError as exc:
        return refused(request, user_form_values(request, user), exc)
    flash(request, _("Đã xoá người dùng ${login}.", mapping={"login": user.login}))
    return HTTPFound(request.resource_url(context, "@@users"))


# groups -----------------------------------------------------------------------------
@view_config(context=ISite, name="groups", renderer="groups.pt", permission=MANAGE_USERS)
def groups_list(context, request):
    """The groups, 50 a page, filtered by id or title."""
    query = request.GET.get("q", "")
    query = query.strip() if isinstance(query, str) else ""
    found = accounts.find_groups(context.principals, query)
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


def submitted_group(request) -> dict:
    """The group fields of the submitted form."""
    return {
        "id": text(request, "id"),
        "title": text(request, "title"),
        "roles": ticked(request, "roles"),
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
    data = submitted_group(request)
    try:
        group = accounts.create_group(request, data["id"], data["title"], data["roles"])
    except AccountError as exc:
        return refused(request, group_form_values(request, None, data=data), exc)
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
    group = group_from_query(request)
    data = submitted_group(request)
    removed = ticked(request, "remove") & set(group.members)
    added = set(re.split(r"[\s,;]+", data["add_members"].lower())) - {""}
    members = (set(group.members) - removed) | added
    try:
        accounts.update_group(request, group, data["title"], data["roles"], members)
    except AccountError as exc:
        data["roles"] |= accounts.unoffered_roles(request.registry, group)
        return refused(request, group_form_values(request, group, data=data), exc)
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
    group = group_from_query(request)
    try:
        accounts.delete_group(request, group)
    except AccountError as exc:
        return refused(request, group_form_values(request, group), exc)
    flash(request, _("Đã xoá nhóm ${id}.", mapping={"id": group.gid}))
    return HTTPFound(request.resource_url(context, "@@groups"))
