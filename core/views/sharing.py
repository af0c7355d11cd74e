"""The Sharing page: grant roles on a folder to users and groups (local roles)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

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
from core.views.auth import flash

SEARCH_LIMIT = 20


def render_values(request, context, error=None) -> dict:
    query = request.GET.get("q", "")
    query = query.strip() if isinstance(query, str) else ""
    results = search_principals(request.root.principals, query, SEARCH_LIMIT) if query else []
    return {
        "roles": sharing_roles(request.registry),
        "rows": sharing_rows(request, context, results),
        "query": query,
        "no_results": bool(query) and not results,
        "error": error,
    }


@view_config(
    context=IFolder,
    name="sharing",
    renderer="sharing.pt",
    permission=SHARING,
    request_method=("GET", "HEAD"),
)
def sharing_form(context, request):
    """Who holds which role here; a search adds rows for more users and groups."""
    return render_values(request, context)


@view_config(
    context=IFolder,
    name="sharing",
    renderer="sharing.pt",
    permission=SHARING,
    request_method="POST",
)
def sharing_submit(context, request):
    """Store the ticked roles of every listed principal (all or nothing)."""
    changes = {}
    for pid in request.POST.getall("principal"):
        if isinstance(pid, str) and pid:
            changes[pid] = [r for r in request.POST.getall(f"roles.{pid}") if isinstance(r, str)]
    try:
        changed = update_local_roles(request, context, changes)
    except SharingError as exc:
        request.response.status = 400
        return render_values(request, context, error=exc.message)
    if changed:
        flash(request, _("Đã lưu quyền chia sẻ."))
    else:
        flash(request, _("Không có thay đổi nào."))
    return HTTPFound(request.resource_url(context, "@@sharing"))
