"""``@users``: the site's users through the API, as plone.restapi gives them.

- ``GET /@users`` (``?query=``, ``?search=``, ``?groups-filter:list=``, ``?limit=``):
  ``{"@id", "items", "items_total"}``;
- ``GET /@users/<login>``: one user (the user themself or a Manager);
- ``POST /@users`` ``{"username", "password", "fullname"?, "email"?, "roles"?,
  "groups"?}``: 201, the user and its URL in ``Location``;
- ``PATCH /@users/<login>`` ``{"fullname"?, "email"?, "password"?, "roles"?,
  "groups"?}``: 204 (roles and groups as a list, or a mapping of name to
  true/false as plone.restapi sends them; users change their own name and email);
- ``DELETE /@users/<login>``: 204.

Managing users needs the ``manage_users`` permission, as the pages do; the rules
are :mod:`core.accounts`'.
"""

from __future__ import annotations

from core import accounts
from core.api import api_view
from core.api.accounts import (
    ROLES_SCHEMA,
    answer_refusals,
    body_text,
    created,
    expect_one,
    limit_param,
    name_in_path,
    names_in,
    roles_in,
    text_param,
)
from core.api.content import no_content
from core.api.deserialize import read_json
from core.api.errors import ApiError
from core.api.params import Param, api_body, api_params
from core.api.serialize import url_of
from core.i18n import _
from core.interfaces import ISite
from core.operations import ValidationFailed, require
from core.permissions import MANAGE_USERS, VIEW
from core.principals import User

LOGIN = Param("login", "path", _("Tên đăng nhập"), required=True, example="admin")
USER_FIELDS = {
    "fullname": {"type": "string"},
    "email": {"type": "string"},
    "password": {"type": "string"},
    "roles": ROLES_SCHEMA,
    "groups": ROLES_SCHEMA,
}


def user_json(request, user: User) -> dict:
    """One user in plone.restapi's form."""
    base = url_of(request, request.root) + "/@users/"
    principals = request.root.principals
    groups = [principals.groups[gid] for gid in user.groups if gid in principals.groups]
    return {
        "@id": base + user.login,
        "id": user.login,
        "username": user.login,
        "fullname": user.fullname,
        "email": user.email,
        "description": "",
        "roles": sorted(user.roles),
        "groups": {
            "@id": base + user.login,
            "items": [{"id": g.gid, "title": g.title} for g in groups],
            "items_total": len(groups),
        },
        "portrait": None,
    }


def user_from_path(request, themself: bool = True) -> User:
    """The user named by the one segment after ``@users``, for a Manager (or, with
    ``themself``, the user); 404 when none has it (after the permission check, so
    that no one learns which logins exist)."""
    login = name_in_path(request)
    if not themself or request.authenticated_userid != login:
        require(request, MANAGE_USERS, request.context)
    user = request.root.principals.get_user(login)
    if user is None:
        message = _("Không có người dùng '${login}'.", mapping={"login": login[:100]})
        raise ApiError(404, message, "NotFound")
    return user


@api_view(context=ISite, name="@users", request_method="GET", permission=VIEW)
@api_params(
    Param("login", "path", _("Tên đăng nhập"), example="admin"),
    Param("query", "query", _("Tìm theo tên đăng nhập, họ tên hoặc thư điện tử")),
    Param("search", "query", _("Tìm theo tên đăng nhập, họ tên hoặc thư điện tử")),
    Param("limit", "query", _("Số người dùng tối đa"), {"type": "integer", "minimum": 1}),
    Param(
        "groups-filter:list",
        "query",
        _("Chỉ những người thuộc các nhóm này"),
        {"type": "array", "items": {"type": "string"}},
    ),
)
def users_get(context, request):
    """The users (``@users``), filtered and searched, or one (``@users/<login>``)."""
    if request.subpath:
        return user_json(request, user_from_path(request))
    require(request, MANAGE_USERS, context)
    limit = limit_param(request)
    query = text_param(request, "search") or text_param(request, "query")
    wanted = {g for g in request.GET.getall("groups-filter:list") if isinstance(g, str)}
    items = []
    for user in accounts.find_users(context.principals, query):
        if wanted and not wanted & set(user.groups):
            continue
        items.append(user_json(request, user))
        if len(items) == limit:
            break
    return {"@id": url_of(request, context) + "/@users", "items": items, "items_total": len(items)}


@api_view(context=ISite, name="@users", request_method="POST", permission=MANAGE_USERS)
@api_body(
    {
        "type": "object",
        "required": ["username", "password"],
        "properties": {"username": {"type": "string"}, **USER_FIELDS},
    }
)
def users_post(context, request):
    """Add a user: 201 with the user and its URL."""
    expect_one(request, False)
    body = read_json(request, required=True)
    login = body_text(body, "username") or body_text(body, "id")
    password = body.get("password")
    if not isinstance(password, str) or not password:
        raise ValidationFailed({"password": _("Vui lòng nhập mật khẩu.")})
    data = {
        "login": login,
        "fullname": body_text(body, "fullname"),
        "email": body_text(body, "email"),
        "roles": roles_in(body, ()),
        "groups": names_in(body, "groups", ()) if "groups" in body else set(),
    }
    with answer_refusals():
        user = accounts.create_user(request, data, password)
    return created(request, user_json(request, user))


@api_view(context=ISite, name="@users", request_method="PATCH", permission=VIEW)
@api_params(LOGIN)
@api_body({"type": "object", "properties": USER_FIELDS})
def users_patch(context, request):
    """Change the fields given of a user: 204."""
    expect_one(request)
    user = user_from_path(request)
    body = read_json(request, required=True)
    if {"password", "roles", "groups"} & set(body):
        require(request, MANAGE_USERS, context)
    data = {
        "login": user.login,
        "fullname": body_text(body, "fullname", user.fullname or ""),
        "email": body_text(body, "email", user.email or ""),
        "roles": roles_in(body, user.roles),
        "groups": names_in(body, "groups", user.groups) if "groups" in body else set(user.groups),
    }
    data["roles"] -= accounts.unoffered_roles(request.registry, user)
    password = body.get("password") or ""
    if not isinstance(password, str):
        raise ValidationFailed({"password": _("Phải là một chuỗi ký tự.")})
    with answer_refusals():
        accounts.update_user(request, user, data, password)
    return no_content()


@api_view(context=ISite, name="@users", request_method="DELETE", permission=MANAGE_USERS)
@api_params(LOGIN)
def users_delete(context, request):
    """Delete a user: 204."""
    expect_one(request)
    user = user_from_path(request, themself=False)
    with answer_refusals():
        accounts.delete_user(request, user)
    return no_content()
