"""Old URLs keep working after a rename or a move (Plone's plone.app.redirector).

When content is renamed or moved, its old path is kept in ``site.redirects`` (a
B-tree: old path -> uid). A ``GET`` that ends in 404 looks its path up there,
longest prefix first (``/old/x/y``, then ``/old/x``, then ``/old``: as many B-tree
lookups as the path has segments, whatever the number of redirects), and answers
301 to the object's current address, keeping the rest of the path and the query.
Only the moved object's own path is recorded, not each path below it, so moving a
subsite with thousands of pages costs one write.

Old host names of a subsite are kept by :mod:`subsites.content` and redirected by
:mod:`subsites.hosting`.
"""

from __future__ import annotations

from urllib.parse import quote

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPMovedPermanently, HTTPNotFound
from pyramid.traversal import resource_path

from core.errors import http_exception_view
from core.hookspecs import hookimpl
from subsites.hosting import VH_ROOT_KEY, path_url

#: Segments of a path looked up at most (longer paths are not old addresses).
MAX_SEGMENTS = 30


@hookimpl
def cong_object_moved(request, obj, old_parent, old_name, new_parent, new_name):
    """Remember the old path of renamed or moved content."""
    if old_parent is new_parent and old_name == new_name:
        return  # a change of position in the folder
    redirects = getattr(request.root, "redirects", None)
    if redirects is None:
        return
    redirects[resource_path(old_parent).rstrip("/") + "/" + old_name] = obj.uid
    redirects.pop(resource_path(obj), None)  # its current path is its own again


def physical_path(request) -> str:
    """The path asked for, from the site root (the virtual root's path included)."""
    vroot = request.environ.get(VH_ROOT_KEY, "").rstrip("/")
    return vroot + request.path_info


def redirect_target(request) -> str | None:
    """The current address of what the request's path named before a rename or a
    move (with the rest of the path and the query), or None."""
    if request.method not in ("GET", "HEAD"):
        return None
    site = getattr(request, "root", None)
    redirects = getattr(site, "redirects", None)
    if not redirects:
        return None
    segments = [s for s in physical_path(request).split("/") if s]
    if len(segments) > MAX_SEGMENTS:
        return None
    for end in range(len(segments), 0, -1):
        old = "/" + "/".join(segments[:end])
        uid = redirects.get(old)
        obj = site.uids.get(uid) if uid is not None else None
        if obj is None:
            continue
        current = resource_path(obj)
        if current == old:
            continue
        url = path_url(request, current)
        url += "/".join(quote(s, safe="@:+,;=-_.~!$&'()*") for s in segments[end:])
        if request.query_string:
            url += "?" + request.query_string
        return url
    return None


def not_found_view(exc: HTTPNotFound, request):
    """A 404 on an old address redirects to the new one; other 404s as usual."""
    target = redirect_target(request)
    if target is not None:
        return HTTPMovedPermanently(location=target)
    return http_exception_view(exc, request)


def includeme(config: Configurator) -> None:
    config.add_exception_view(not_found_view, context=HTTPNotFound)
