"""The Sharing page: grant roles on a folder to users and groups (local roles)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from core.i18n import _
from core.interfaces import IFolder
from core.localroles import (
    SharingError,
    inherited_roles,
    local_roles_of,
    search_principals,
    sharing_roles,
    update_local_roles,
)
from core.permissions import SHARING
from core.principals import GROUP_PREFIX
from core.views.auth import flash

SEARCH_LIMIT = 20


def sharing_rows(request, context, extra=()) -> list[dict]:
    """One row per principal holding a sharing role here (granted here or above),
    then the principals in ``extra`` (search results) not listed yet."""
    offered = [r.name for r in sharing_roles(request.registry)]
    local = local_roles_of(context)
    inherited = inherited_roles(context)
    principals = request.root.principals
    ids = {pid for pid, roles in local.items() if set(roles) & set(offered)}
    ids |= {pid for pid, roles in inherited.items() if roles & set(offered)}
    rows = [_row(principals, pid, local, inherited, offered) for pid in ids]
    rows.sort(key=lambda row: (row["is_group"], row["title"].casefold()))
    rows += [_row(principals, p.id, local, inherited, offered) for p in extra if p.id not in ids]
    return rows


def _row(principals, pid, local, inherited, offered) -> dict:
    found = principals.get(pid)
    return {
        "id": pid,
        "title": found.title if found is not None else pid,
        "name": pid[len(GROUP_PREFIX) :] if pid.startswith(GROUP_PREFIX) else pid,
        "is_group": pid.startswith(GROUP_PREFIX),
        "exists": found is not None,
        "local": {r for r in local.get(pid, ()) if r in offered},
        "inherited": {r for r in inherited.get(pid, ()) if r in offered},
    }


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
