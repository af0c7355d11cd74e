"""``@copy`` and ``@move``: copy or move objects into the context folder.

``POST /folder/@move`` with ``{"source": <URL, path or UID, or a list of them>}``
answers ``[{"source": <old URL>, "target": <new URL>}, ...]`` as plone.restapi does.
One refused source refuses them all: nothing is copied or moved. Each source and
everything below it must be viewable by the requester (see
:func:`core.operations.require_carried`), and one request names at most
``cong.max_copy_sources`` sources.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from pyramid.traversal import find_resource

from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import not_allowed
from core.api.serialize import url_of
from core.i18n import _
from core.interfaces import IFolder
from core.operations import ValidationFailed, check_batch, copy, move
from core.permissions import VIEW
from core.uids import resolve


def find_source(request, key):
    """The object a source names (absolute URL, path from the site root, or UID)
    if the requester may view it, else None."""
    if not isinstance(key, str) or not key:
        return None
    site = request.root
    if key.startswith(request.application_url + "/") or key.startswith("/"):
        path = unquote(urlsplit(key).path) if not key.startswith("/") else key
        try:  # from the home page the client sees: a subsite's, on its own host
            obj = find_resource(request.virtual_root, path.strip("/"))
        except (KeyError, ValueError):  # not there, or letters Pyramid wants quoted
            return None
    else:
        obj = resolve(site, key)
    if obj is None or not request.has_permission(VIEW, obj):
        return None
    return obj


def sources(request) -> list:
    """The objects named by the body's ``source``; 400 if one cannot be found."""
    keys = read_json(request).get("source")
    if keys in (None, "", []):
        raise ValidationFailed({"source": _("Bắt buộc nhập.")})
    if not isinstance(keys, list):
        keys = [keys]
    check_batch(request, len(keys))
    found = [find_source(request, key) for key in keys]
    if None in found:
        missing = ", ".join(str(k) for k, obj in zip(keys, found, strict=True) if obj is None)
        raise ValidationFailed(
            {"source": _("Không tìm thấy nội dung nguồn: ${source}.", mapping={"source": missing})}
        )
    return found


@api_view(context=IFolder, name="@copy", request_method="POST", permission=VIEW)
def copy_view(context, request):
    results = []
    for obj in sources(request):
        source = url_of(request, obj)
        results.append({"source": source, "target": url_of(request, copy(request, obj, context))})
    return results


@api_view(context=IFolder, name="@move", request_method="POST", permission=VIEW)
def move_view(context, request):
    results = []
    for obj in sources(request):
        source = url_of(request, obj)
        results.append({"source": source, "target": url_of(request, move(request, obj, context))})
    return results


@api_view(context=IFolder, name="@copy", require_csrf=False)
@api_view(context=IFolder, name="@move", require_csrf=False)
def copymove_other_methods(context, request):
    raise not_allowed("POST")
