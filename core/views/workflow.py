"""Workflow in the browser: making a transition, and the history of an object.

The menu of transitions is drawn by the layout's ``workflow_menu`` macro; each
button posts ``transition`` (and an optional ``comment``) to ``@@workflow``.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.view import view_config

from core.i18n import _
from core.interfaces import IContent
from core.permissions import EDIT, REVIEW, VIEW
from core.ui import get_ui
from core.views.forms import flash
from core.workflow import WorkflowError, workflow_of


@view_config(context=IContent, name="workflow", permission=VIEW, request_method="POST")
def workflow_transition(context, request):
    """Make the posted transition as the requester, then show the object again."""
    if request.identity is None:
        raise HTTPForbidden()
    workflow = workflow_of(request, context)
    name = request.POST.get("transition", "")
    comment = request.POST.get("comment", "")
    if not isinstance(name, str) or not isinstance(comment, str):
        name, comment = "", ""
    if workflow is None:
        flash(request, _("Nội dung này không có quy trình xuất bản."), "error")
        return HTTPFound(request.resource_url(context))
    try:
        transition = workflow.transition(request, context, name, comment)
    except WorkflowError as exc:
        flash(request, exc.message, "error")
        return HTTPFound(request.resource_url(context))
    state = request.localizer.translate(workflow.state_title(transition.dest))
    flash(request, _("Đã chuyển sang trạng thái “${state}”.", mapping={"state": state}))
    return HTTPFound(request.resource_url(context))


def may_see_history(request, obj) -> bool:
    """Editors and reviewers of ``obj`` see its history."""
    return bool(request.has_permission(EDIT, obj) or request.has_permission(REVIEW, obj))


def history_entries(request, obj) -> list[dict]:
    """The object's workflow history, newest first, ready to show."""
    ui = get_ui(request)
    workflow = workflow_of(request, obj)
    principals = request.root.principals
    translate = request.localizer.translate
    entries = []
    for entry in reversed(obj.workflow_history):
        actor = principals.get_user(entry.get("actor"))
        transition = workflow.transitions.get(entry.get("transition")) if workflow else None
        entries.append(
            {
                "actor": actor.title if actor is not None else (entry.get("actor") or ""),
                "time": ui.date(entry.get("time"), with_time=True),
                "time_iso": ui.iso(entry.get("time")),
                "transition": translate(_(transition.title))
                if transition
                else entry.get("transition"),
                "from": translate(workflow.state_title(entry.get("from"))) if workflow else "",
                "to": translate(workflow.state_title(entry.get("to"))) if workflow else "",
                "comment": entry.get("comment", ""),
            }
        )
    return entries


@view_config(context=IContent, name="history", renderer="history.pt", permission=VIEW)
def history_view(context, request):
    """``@@history``: who moved the object through its workflow, when, and why."""
    if not may_see_history(request, context):
        raise HTTPForbidden()
    if workflow_of(request, context) is None:
        raise HTTPNotFound()
    principals = request.root.principals
    creators = [
        (principals.get_user(login).title if principals.get_user(login) else login)
        for login in context.creators
    ]
    return {
        "entries": history_entries(request, context),
        "creators": ", ".join(creators),
        "state": get_ui(request).state_title(context),
    }
