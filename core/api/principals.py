"""``@principals`` (users and groups found by a search) and ``@roles`` (the roles
a principal can hold), as plone.restapi gives them.

``GET /@principals?search=<text>`` needs ``manage_users`` and answers
``{"users": [...], "groups": [...]}`` in the forms of ``@users`` and ``@groups``;
``GET /@roles`` answers, to any logged-in user,
``[{"@id", "@type": "role", "id", "title"}]`` (Owner aside, as in Plone), and
``GET /@roles/<id>`` one of them.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden

from core.api import api_view
from core.api.accounts import text_param
from core.api.errors import ApiError, not_allowed
from core.api.groups import group_json
from core.api.params import Param, api_params
from core.api.serialize import url_of
from core.api.users import user_json
from core.i18n import _
from core.interfaces import ISite
from core.localroles import search_principals
from core.permissions import MANAGE_USERS, VIEW
from core.principals import Group
from core.roles import get_roles

#: Users and groups found at most.
SEARCH_LIMIT = 50
#: Roles not listed: given by the kernel to creators, never by people.
UNLISTED_ROLES = frozenset({"Owner"})


@api_view(context=ISite, name="@principals", request_method="GET", permission=MANAGE_USERS)
@api_params(
    Param(
        "search", "query", _("Tìm theo mã, tên của người dùng và nhóm"), required=True, example="ad"
    )
)
def principals_get(context, request):
    """The users and groups whose id or name holds ``search``."""
    if request.subpath:
        raise ApiError(404, _("Không tìm thấy trang bạn yêu cầu."), "NotFound")
    search = text_param(request, "search")
    if not search:
        raise ApiError(400, _("Cần tham số search."), "BadRequest")
    found = search_principals(context.principals, search, SEARCH_LIMIT)
    return {
        "users": [user_json(request, p) for p in found if not isinstance(p, Group)],
        "groups": [group_json(request, p) for p in found if isinstance(p, Group)],
    }


@api_view(context=ISite, name="@roles", request_method="GET", permission=VIEW)
@api_params(Param("id", "path", _("Mã vai trò"), example="Editor"))
def roles_get(context, request):
    """The roles (``@roles``) or one (``@roles/<id>``), with their titles in the
    requester's language."""
    if request.identity is None:
        raise HTTPForbidden()
    base = url_of(request, context) + "/@roles/"
    translate = request.localizer.translate
    roles = [
        {"@id": base + role.name, "@type": "role", "id": role.name, "title": translate(role.label)}
        for role in get_roles(request.registry).values()
        if role.name not in UNLISTED_ROLES
    ]
    if not request.subpath:
        return roles
    found = [r for r in roles if [r["id"]] == list(request.subpath)]
    if not found:
        raise ApiError(404, _("Không tìm thấy trang bạn yêu cầu."), "NotFound")
    return found[0]


@api_view(context=ISite, name="@principals", require_csrf=False)
@api_view(context=ISite, name="@roles", require_csrf=False)
def principals_other_methods(context, request):
    raise not_allowed("GET")
