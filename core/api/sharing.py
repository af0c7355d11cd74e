"""``@sharing``: who holds which role on a folder (Plone's Sharing tab), through
the API, with the same rules and permission as the Sharing page.

``GET /folder/@sharing`` (``?search=`` adds the users and groups found)::

    {"inherit": true,
     "available_roles": [{"id": "Editor", "title": "Biên tập viên"}, ...],
     "entries": [{"id", "title", "login", "type": "user" | "group", "disabled",
                  "roles": {"Editor": true | "acquired" | "global" | false, ...}}]}

A role is ``true`` when granted on the folder itself, ``"acquired"`` when granted
on a folder above, ``"global"`` when held site-wide. ``POST /folder/@sharing``
with ``{"entries": [{"id", "roles": {"Editor": true, "Reader": false}}]}`` makes
the roles set to ``true`` the principal's roles on the folder (the others it is
offered are taken away); all entries are checked before any is stored: 204.
Roles are always inherited here: ``"inherit": false`` is refused.
"""

from __future__ import annotations

from core.api import api_view
from core.api.accounts import text_param
from core.api.content import no_content
from core.api.deserialize import read_json
from core.api.errors import ApiError, not_allowed
from core.api.params import Param, api_body, api_params
from core.i18n import _
from core.interfaces import IFolder
from core.localroles import (
    SharingError,
    search_principals,
    sharing_roles,
    sharing_rows,
    update_local_roles,
)
from core.permissions import SHARING

#: Users and groups a search adds at most (as on the Sharing page).
SEARCH_LIMIT = 20
#: The most entries one POST may change.
MAX_ENTRIES = 500


def role_state(row: dict, role: str):
    """How ``row``'s principal holds ``role``: True (here), "global", "acquired" or
    False."""
    if role in row["local"]:
        return True
    if role in row["global"]:
        return "global"
    if role in row["inherited"]:
        return "acquired"
    return False


def sharing_info(request, context) -> dict:
    """The ``@sharing`` answer for ``context``."""
    translate = request.localizer.translate
    roles = sharing_roles(request.registry)
    search = text_param(request, "search")
    found = search_principals(request.root.principals, search, SEARCH_LIMIT) if search else []
    entries = [
        {
            "id": row["id"],
            "title": row["title"],
            "login": None if row["is_group"] else row["name"],
            "type": "group" if row["is_group"] else "user",
            "disabled": not row["exists"],
            "roles": {role.name: role_state(row, role.name) for role in roles},
        }
        for row in sharing_rows(request, context, found)
    ]
    return {
        "inherit": True,
        "available_roles": [{"id": r.name, "title": translate(r.label)} for r in roles],
        "entries": entries,
    }


def bad_request(message) -> ApiError:
    return ApiError(400, message, "BadRequest")


def requested_changes(body: dict) -> dict[str, list[str]]:
    """The roles each entry of ``body`` asks for (the roles set to ``true``)."""
    if body.get("inherit", True) is not True:
        raise bad_request(_("Ở đây các vai trò luôn được kế thừa từ thư mục cha."))
    entries = body.get("entries", [])
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise bad_request(
            _("entries phải là một danh sách (tối đa ${n} mục).", mapping={"n": MAX_ENTRIES})
        )
    changes = {}
    for entry in entries:
        pid = entry.get("id") if isinstance(entry, dict) else None
        roles = entry.get("roles") if isinstance(entry, dict) else None
        if not isinstance(pid, str) or not pid or not isinstance(roles, dict):
            raise bad_request(_('Mỗi mục cần có "id" và "roles": {"vai trò": true/false}.'))
        if not all(isinstance(v, bool) or v in ("acquired", "global") for v in roles.values()):
            raise bad_request(_("Giá trị của một vai trò phải là true hoặc false."))
        changes[pid] = [role for role, value in roles.items() if value is True]
    return changes


@api_view(context=IFolder, name="@sharing", request_method="GET", permission=SHARING)
@api_params(Param("search", "query", _("Thêm những người dùng và nhóm tìm thấy")))
def sharing_get(context, request):
    """Who holds which sharing role here, granted here, above or site-wide."""
    if request.subpath:
        raise ApiError(404, _("Không tìm thấy trang bạn yêu cầu."), "NotFound")
    return sharing_info(request, context)


@api_view(context=IFolder, name="@sharing", request_method="POST", permission=SHARING)
@api_body(
    {
        "type": "object",
        "properties": {
            "inherit": {"const": True},
            "entries": {
                "type": "array",
                "maxItems": MAX_ENTRIES,
                "items": {
                    "type": "object",
                    "required": ["id", "roles"],
                    "properties": {
                        "id": {"type": "string"},
                        "type": {"type": "string"},
                        "roles": {"type": "object", "additionalProperties": {"type": "boolean"}},
                    },
                },
            },
        },
    }
)
def sharing_post(context, request):
    """Set the sharing roles of the principals listed: 204."""
    if request.subpath:
        raise ApiError(404, _("Không tìm thấy trang bạn yêu cầu."), "NotFound")
    changes = requested_changes(read_json(request, required=True))
    try:
        update_local_roles(request, context, changes)
    except SharingError as exc:
        raise bad_request(exc.message) from None
    return no_content()


@api_view(context=IFolder, name="@sharing", require_csrf=False)
def sharing_other_methods(context, request):
    raise not_allowed("GET", "POST")
