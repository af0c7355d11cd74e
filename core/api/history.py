"""``@history``: what happened to an object, newest first, as plone.restapi lists
it (cong keeps no versions, so only its creation and workflow transitions)::

    [{"action": "publish", "transition_title": "Xuất bản", "type": "workflow",
      "actor": {"@id", "id", "fullname", "username"}, "comments": "...",
      "review_state": "published", "state_title": "Đã xuất bản", "time": "..."},
     ...,
     {"action": "Create", "transition_title": "Tạo mới", ...}]

Editors and reviewers of the object see it, as on the ``@@history`` page.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden

from core.api import api_view
from core.api.errors import ApiError, not_allowed
from core.api.serialize import iso, url_of
from core.i18n import _
from core.interfaces import IContent
from core.permissions import VIEW
from core.views.workflow import may_see_history
from core.workflow import workflow_of


def actor_json(request, login: str | None) -> dict | None:
    """Who made a change, as plone.restapi names them (None: nobody known)."""
    if not login:
        return None
    user = request.root.principals.get_user(login)
    return {
        "@id": url_of(request, request.root) + "/@users/" + login,
        "id": login,
        "fullname": user.fullname if user is not None else None,
        "username": login if user is not None else None,
    }


def history(request, context) -> list[dict]:
    """The object's creation and workflow transitions, newest first."""
    translate = request.localizer.translate
    workflow = workflow_of(request, context)

    def state(name):
        return {
            "review_state": name,
            "state_title": translate(workflow.state_title(name)) if workflow and name else None,
        }

    transitions = workflow.transitions if workflow else {}
    first = context.workflow_history[0].get("from") if context.workflow_history else None
    creators = tuple(context.creators)
    entries = [
        {
            "action": "Create",
            "transition_title": translate(_("Tạo mới")),
            "type": "workflow",
            "actor": actor_json(request, creators[0] if creators else None),
            "comments": "",
            "time": iso(context.created),
            **state(first or context.workflow_state or None),
        }
    ]
    for entry in context.workflow_history:
        transition = transitions.get(entry.get("transition"))
        entries.append(
            {
                "action": entry.get("transition"),
                "transition_title": translate(_(transition.title))
                if transition
                else entry.get("transition"),
                "type": "workflow",
                "actor": actor_json(request, entry.get("actor")),
                "comments": entry.get("comment", ""),
                "time": iso(entry.get("time")),
                **state(entry.get("to")),
            }
        )
    entries.reverse()
    return entries


@api_view(context=IContent, name="@history", request_method="GET", permission=VIEW)
def history_get(context, request):
    """Who created the object and moved it through its workflow, newest first."""
    if not may_see_history(request, context):
        raise HTTPForbidden()
    if request.subpath:
        raise ApiError(404, _("Không có phiên bản nào được lưu."), "NotFound")
    return history(request, context)


@api_view(context=IContent, name="@history", require_csrf=False)
def history_other_methods(context, request):
    raise not_allowed("GET")
