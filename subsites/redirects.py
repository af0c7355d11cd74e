"""Old URLs keep working after a rename or a move (Plone's plone.app.redirector).

When content is renamed or moved, its old path is kept in ``site.redirects`` (a
B-tree: old path -> uid). A ``GET`` that ends in 404 looks its path up there,
longest prefix first (``/old/x/y``, then ``/old/x``, then ``/old``: as many B-tree
lookups as the path has segments, whatever the number of redirects), and answers
301 to the object's current address, keeping the rest of the path and the query.
Only the moved object's own path is recorded, not each path below it, so moving a
subsite with thousands of pages costs one write.

People add and remove old addresses of their own (``@aliases``, see
:mod:`subsites.aliases`) with :func:`add_alias` and :func:`forget_path`; when and
how each old path was recorded is kept beside it in ``site.redirect_info`` (old
path -> ``(time, manual)``).

Old host names of a subsite are kept by :mod:`subsites.content` and redirected by
:mod:`subsites.hosting`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote

from BTrees.OOBTree import OOBTree
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPMovedPermanently, HTTPNotFound
from pyramid.traversal import resource_path

from core.clock import now
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
    old = resource_path(old_parent).rstrip("/") + "/" + old_name
    redirects[old] = obj.uid
    redirect_info(request.root)[old] = (now(), False)
    forget_path(request.root, resource_path(obj))  # its current path is its own again


def redirect_info(site) -> OOBTree:
    """``site.redirect_info`` (old path -> ``(time, manual)``), made when first needed."""
    info = getattr(site, "redirect_info", None)
    if info is None:
        info = site.redirect_info = OOBTree()
    return info


def old_paths(site, uid: str | None = None) -> Iterator[tuple[str, str, datetime | None, bool]]:
    """``(old path, uid, time, manual)`` of the recorded old paths, in path order;
    only those leading to ``uid`` when given (a walk over all of them)."""
    info = getattr(site, "redirect_info", None) or {}
    for path, target in (getattr(site, "redirects", None) or {}).items():
        if uid is None or target == uid:
            when, manual = info.get(path, (None, False))
            yield path, target, when, manual


def add_alias(site, path: str, obj, when: datetime | None = None) -> None:
    """Make the physical ``path`` an old address of ``obj``, added by a person."""
    site.redirects[path] = obj.uid
    redirect_info(site)[path] = (when or now(), True)


def forget_path(site, path: str) -> bool:
    """Stop redirecting the physical ``path``; whether it was an old address."""
    found = site.redirects.pop(path, None) is not None
    info = getattr(site, "redirect_info", None)
    if info is not None:
        info.pop(path, None)
    return found


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
