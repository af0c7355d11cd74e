"""``@sessions``: the requester's login sessions (:mod:`core.sessions`).

- ``GET /@sessions``: ``{"@id", "items", "items_total"}``, each item ``{"id",
  "kind", "agent", "address", "created", "last_seen", "current"}``, this one first;
- ``DELETE /@sessions/<id>``: 204, that session ends (404 when the requester has
  no such session);
- ``DELETE /@sessions``: 204, every session but this one ends.
"""

from __future__ import annotations

from core import sessions
from core.api import api_view
from core.api.content import no_content
from core.api.errors import ApiError
from core.api.params import Param, api_params
from core.api.serialize import url_of
from core.i18n import _
from core.interfaces import ISite

AUTHENTICATED = "authenticated"
SESSION_ID = Param("id", "path", _("Mã phiên đăng nhập"), example="k" + "0" * 32)


def session_json(session: sessions.LoginSession, here: sessions.LoginSession | None) -> dict:
    """One session as the API gives it."""
    return {
        "id": session.id,
        "kind": session.kind,
        "agent": session.agent,
        "address": session.address,
        "created": session.created.isoformat(),
        "last_seen": session.last_seen.isoformat(),
        "current": here is not None and session.id == here.id,
    }


@api_view(context=ISite, name="@sessions", request_method="GET", permission=AUTHENTICATED)
def sessions_get(context, request):
    """The requester's live login sessions, this one first."""
    here = sessions.current(request)
    items = [session_json(s, here) for s in sessions.live_sessions(request, request.identity)]
    items.sort(key=lambda item: not item["current"])
    return {
        "@id": url_of(request, context) + "/@sessions",
        "items": items,
        "items_total": len(items),
    }


@api_view(context=ISite, name="@sessions", request_method="DELETE", permission=AUTHENTICATED)
@api_params(SESSION_ID)
def sessions_delete(context, request):
    """End one of the requester's sessions (``@sessions/<id>``), or all the
    others (``@sessions``): 204."""
    user = request.identity
    if not request.subpath:
        sessions.end_others(request, user)
        return no_content()
    if len(request.subpath) != 1 or not sessions.end(request, user, request.subpath[0]):
        raise ApiError(404, _("Không có phiên đăng nhập này."), "NotFound")
    return no_content()
