"""``@workflow``: an object's state, history and transitions; making a transition.

``GET /path/@workflow`` gives ``{"@id", "state", "history", "transitions"}``;
``POST /path/@workflow/<transition>`` with an optional ``{"comment": ...}`` makes it
and answers the new history entry, as plone.restapi does.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden

from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import ApiError, not_allowed
from core.api.params import Param, api_body, api_params
from core.api.serialize import iso, url_of
from core.i18n import _
from core.interfaces import IContent
from core.operations import ValidationFailed
from core.permissions import VIEW
from core.workflow import WorkflowError, workflow_of


def history_entry(request, workflow, entry: dict) -> dict:
    """One recorded transition in plone.restapi's form."""
    return {
        "action": entry["transition"],
        "actor": entry["actor"],
        "comments": entry["comment"],
        "review_state": entry["to"],
        "time": iso(entry["time"]),
        "title": request.localizer.translate(workflow.state_title(entry["to"])),
    }


def creation_entry(request, workflow, context) -> dict:
    """The first entry of the history, as plone.restapi gives it: the object created
    in its first state (``action`` null)."""
    history = context.workflow_history
    state = history[0]["from"] if history else context.workflow_state
    creators = tuple(context.creators)
    return {
        "action": None,
        "actor": creators[0] if creators else None,
        "comments": "",
        "review_state": state,
        "time": iso(context.created),
        "title": request.localizer.translate(workflow.state_title(state)),
    }


def workflow_info(request, context) -> dict:
    """The state of ``context``, its history (creation first) and the transitions
    the requester may make."""
    workflow = workflow_of(request, context)
    info = {"@id": url_of(request, context) + "/@workflow"}
    if workflow is None:
        return {**info, "state": None, "history": [], "transitions": []}
    translate = request.localizer.translate
    state = context.workflow_state
    return {
        **info,
        "state": {"id": state, "title": translate(workflow.state_title(state))},
        "history": [
            creation_entry(request, workflow, context),
            *(history_entry(request, workflow, e) for e in context.workflow_history),
        ],
        "transitions": [
            {"@id": f"{info['@id']}/{t.name}", "title": translate(_(t.title))}
            for t in workflow.available(request, context)
        ],
    }


@api_view(context=IContent, name="@workflow", request_method="GET", permission=VIEW)
def workflow_get(context, request):
    """The object's state, its history and the transitions the requester may make."""
    if request.subpath:
        raise not_allowed("POST")
    return workflow_info(request, context)


@api_view(context=IContent, name="@workflow", request_method="POST", permission=VIEW)
@api_params(Param("transition", "path", _("Tên thao tác"), required=True, example="publish"))
@api_body({"type": "object", "properties": {"comment": {"type": "string"}}})
def workflow_post(context, request):
    """Make the transition named by the sub-path; 400 when it cannot be made in this
    state, 403 (401 anonymous) when the requester may not make it."""
    if len(request.subpath) != 1:
        raise ApiError(400, _("Cần nêu tên thao tác: @workflow/<tên thao tác>."), "BadRequest")
    name = request.subpath[0]
    comment = read_json(request).get("comment", "")
    if not isinstance(comment, str):
        raise ValidationFailed({"comment": _("Phải là một chuỗi ký tự.")})
    workflow = workflow_of(request, context)
    if workflow is None:
        raise ApiError(400, _("Nội dung này không có quy trình."), "WorkflowError")
    transition = workflow.transitions.get(name)
    if (
        transition is not None
        and context.workflow_state in transition.source
        and not workflow.may(request, context, transition)
    ):
        raise HTTPForbidden()
    try:
        workflow.transition(request, context, name, comment)
    except WorkflowError as exc:
        raise ApiError(400, exc.message, "WorkflowError") from None
    return history_entry(request, workflow, context.workflow_history[-1])


@api_view(context=IContent, name="@workflow", require_csrf=False)
def workflow_other_methods(context, request):
    raise not_allowed("POST") if request.subpath else not_allowed("GET", "POST")
