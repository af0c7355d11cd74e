"""``@@phien-dang-nhap``: a signed-in user's login sessions (:mod:`core.sessions`).

The page lists the user's live sessions (browser or API client, address, when it
started and was last used, which one is this one) with a button to end each, and
one to end all the others. Managers end all of a user's sessions from the user's
edit page (``@@user-sessions-end``, POST).
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from core import sessions
from core.formatting import local_date, machine_time
from core.i18n import _
from core.interfaces import ISite
from core.permissions import MANAGE_USERS
from core.views.auth import AUTHENTICATED, flash

PAGE = "phien-dang-nhap"
KIND_LABELS = {"form": _("Trình duyệt"), "api": _("Ứng dụng API")}


def session_rows(request) -> list[dict]:
    """The requester's live sessions as the page shows them, this one first."""
    here = sessions.current(request)
    rows = []
    for session in sessions.live_sessions(request, request.identity):
        rows.append(
            {
                "id": session.id,
                "kind": KIND_LABELS.get(session.kind, session.kind),
                "agent": session.agent,
                "address": session.address,
                "created": local_date(session.created, with_time=True),
                "created_iso": machine_time(session.created),
                "last_seen": local_date(session.last_seen, with_time=True),
                "last_seen_iso": machine_time(session.last_seen),
                "current": here is not None and session.id == here.id,
            }
        )
    rows.sort(key=lambda row: not row["current"])
    return rows


@view_config(
    context=ISite,
    name=PAGE,
    renderer="sessions.pt",
    permission=AUTHENTICATED,
    request_method=("GET", "HEAD"),
)
def sessions_page(context, request):
    """The requester's sessions."""
    rows = session_rows(request)
    limits = sessions.limits(request.registry)
    return {
        "rows": rows,
        "others": sum(1 for row in rows if not row["current"]),
        "idle_minutes": int(limits.idle.total_seconds() // 60) if limits.idle else 0,
        "max_hours": int(limits.maximum.total_seconds() // 3600) if limits.maximum else 0,
    }


@view_config(context=ISite, name=PAGE, permission=AUTHENTICATED, request_method="POST")
def sessions_submit(context, request):
    """``action=end`` with ``session``: end that session; ``action=others``: end
    all but this one. Then back to the page (ending this one signs out)."""
    user = request.identity
    if request.POST.get("action") == "others":
        count = sessions.end_others(request, user)
        flash(request, _("Đã kết thúc ${n} phiên khác.", mapping={"n": count}))
    elif sessions.end(request, user, request.POST.get("session", "")):
        flash(request, _("Đã kết thúc phiên đăng nhập."))
    else:
        flash(request, _("Phiên đăng nhập này không còn hoặc đã kết thúc."))
    return HTTPFound(request.resource_url(context, "@@" + PAGE))


@view_config(
    context=ISite, name="user-sessions-end", permission=MANAGE_USERS, request_method="POST"
)
def user_sessions_end(context, request):
    """A Manager ends every session and API token of the user ``login``."""
    user = context.principals.get_user(request.POST.get("login", ""))
    if user is None:
        flash(request, _("Không có người dùng này."))
        return HTTPFound(request.resource_url(context, "@@users"))
    count = sessions.end_all(request, user)
    flash(
        request,
        _(
            "Đã kết thúc mọi phiên đăng nhập của ${login} (${n} phiên).",
            mapping={"login": user.login, "n": count},
        ),
    )
    return HTTPFound(request.resource_url(context, "@@user-edit", query={"login": user.login}))
