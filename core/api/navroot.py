"""``@navroot``: the navigation root of the context (its subsite, or the portal).

``GET /path/@navroot`` answers ``{"@id", "navroot": {...}}`` where ``navroot`` is
the JSON form of the nearest navigation root above the context, as plone.restapi
gives it; a requester who may not view that root gets its ``@id`` only.
"""

from __future__ import annotations

from core.api import api_view
from core.api.errors import not_allowed
from core.api.navigation import navigation_root
from core.api.serialize import serialize, url_of
from core.interfaces import IContent
from core.permissions import VIEW


def navroot(request, context) -> dict:
    """``{"@id", "navroot"}`` for ``context``."""
    root = navigation_root(context)
    if request.has_permission(VIEW, root):
        data = serialize(request, root)
    else:
        data = {"@id": url_of(request, root)}
    return {"@id": url_of(request, context) + "/@navroot", "navroot": data}


@api_view(context=IContent, name="@navroot", request_method="GET", permission=VIEW)
def navroot_view(context, request):
    """The navigation root of the context (a subsite, or the portal)."""
    return navroot(request, context)


@api_view(context=IContent, name="@navroot", require_csrf=False)
def navroot_other_methods(context, request):
    """405: ``@navroot`` is read-only."""
    raise not_allowed("GET")
