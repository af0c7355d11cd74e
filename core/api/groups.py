"""``@groups``: the site's groups through the API, as plone.restapi gives them.

- ``GET /@groups`` (``?query=``, ``?limit=``): a list of groups;
- ``GET /@groups/<id>``: one group, its members' logins in ``members.items``;
- ``POST /@groups`` ``{"groupname", "title"?, "roles"?, "users"?}``: 201, the
  group and its URL in ``Location``;
- ``PATCH /@groups/<id>`` ``{"title"?, "roles"?, "users"?}``: 204 (``users`` and
  ``roles`` as a list, or a mapping of name to true/false);
- ``DELETE /@groups/<id>``: 204.

All need the ``manage_users`` permission, as the pages do; the rules are
:mod:`core.accounts`'.
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
from core.operations import ValidationFailed
from core.permissions import MANAGE_USERS
from core.principals import Group

GROUP_ID = Param("id", "path", _("Mã nhóm"), required=True, example="bbt")
GROUP_FIELDS = {"title": {"type": "string"}, "roles": ROLES_SCHEMA, "users": ROLES_SCHEMA}


def group_json(request, group: Group) -> dict:
    """One group in plone.restapi's form."""
    url = url_of(request, request.root) + "/@groups/" + group.gid
    members = list(group.members)
    return {
        "@id": url,
        "id": group.gid,
        "groupname": group.gid,
        "title": group.title,
        "description": "",
        "email": "",
        "roles": sorted(group.roles),
        "members": {"@id": url, "items": members, "items_total": len(members)},
    }


def group_from_path(request) -> Group:
    """The group named by the one segment after ``@groups``; 404 when none has it."""
    gid = name_in_path(request)
    group = request.root.principals.get_group(gid)
    if group is None:
        raise ApiError(404, _("Không có nhóm '${id}'.", mapping={"id": gid[:100]}), "NotFound")
    return group


def members_in(body: dict, current) -> set[str]:
    """The logins ``body["users"]`` gives (``current`` when absent), lowercase."""
    if "users" not in body:
        return set(current)
    return {login.strip().lower() for login in names_in(body, "users", current)}


@api_view(context=ISite, name="@groups", request_method="GET", permission=MANAGE_USERS)
@api_params(
    Param("id", "path", _("Mã nhóm"), example="bbt"),
    Param("query", "query", _("Tìm theo mã hoặc tên nhóm")),
    Param("limit", "query", _("Số nhóm tối đa"), {"type": "integer", "minimum": 1}),
)
def groups_get(context, request):
    """The groups (``@groups``, filtered by ``query``) or one (``@groups/<id>``)."""
    if request.subpath:
        return group_json(request, group_from_path(request))
    limit = limit_param(request)
    found = []
    for group in accounts.find_groups(context.principals, text_param(request, "query")):
        found.append(group_json(request, group))
        if len(found) == limit:
            break
    return found


@api_view(context=ISite, name="@groups", request_method="POST", permission=MANAGE_USERS)
@api_body(
    {
        "type": "object",
        "required": ["groupname"],
        "properties": {"groupname": {"type": "string"}, **GROUP_FIELDS},
    }
)
def groups_post(context, request):
    """Add a group: 201 with the group and its URL."""
    expect_one(request, False)
    body = read_json(request, required=True)
    gid = body_text(body, "groupname") or body_text(body, "id")
    members = members_in(body, ())
    missing = accounts.member_errors(context.principals, members)
    if missing:
        raise ValidationFailed({"users": missing["add_members"]})
    with answer_refusals():
        group = accounts.create_group(request, gid, body_text(body, "title"), roles_in(body, ()))
        if members:
            accounts.update_group(request, group, group.title, set(group.roles), members)
    return created(request, group_json(request, group))


@api_view(context=ISite, name="@groups", request_method="PATCH", permission=MANAGE_USERS)
@api_params(GROUP_ID)
@api_body({"type": "object", "properties": GROUP_FIELDS})
def groups_patch(context, request):
    """Change the title, roles or members of a group: 204."""
    expect_one(request)
    group = group_from_path(request)
    body = read_json(request, required=True)
    roles = roles_in(body, group.roles) - accounts.unoffered_roles(request.registry, group)
    members = members_in(body, group.members)
    title = body_text(body, "title", group.title)
    with answer_refusals(add_members="users"):
        accounts.update_group(request, group, title, roles, members)
    return no_content()


@api_view(context=ISite, name="@groups", request_method="DELETE", permission=MANAGE_USERS)
@api_params(GROUP_ID)
def groups_delete(context, request):
    """Delete a group (its members stay): 204."""
    expect_one(request)
    group = group_from_path(request)
    with answer_refusals():
        accounts.delete_group(request, group)
    return no_content()
