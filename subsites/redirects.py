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
path -> ``(time, manual)``). ``site.redirect_sources`` (uid -> old paths) is the
reverse index, so listing one object's old addresses reads only those; it is
keyed by uid, not by the current path, so a rename or move of the target changes
nothing in it. Every change of ``site.redirects`` goes through :func:`set_redirect`
and :func:`forget_path`, which keep both in step (the evolve step
:data:`SOURCES_STEP` builds the index for sites made before it).

Old host names of a subsite are kept by :mod:`subsites.content` and redirected by
:mod:`subsites.hosting`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote

from BTrees.OOBTree import OOBTree, OOTreeSet
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPMovedPermanently, HTTPNotFound
from pyramid.traversal import resource_path

from core.clock import now
from core.errors import http_exception_view
from core.hookspecs import hookimpl
from subsites.hosting import VH_ROOT_KEY, path_url

#: Segments of a path looked up at most (longer paths are not old addresses).
MAX_SEGMENTS = 30
#: The evolve step building ``site.redirect_sources`` for existing sites.
SOURCES_STEP = "subsites-0002-redirect-sources"


@hookimpl
def cong_object_moved(request, obj, old_parent, old_name, new_parent, new_name):
    """Remember the old path of renamed or moved content."""
    if old_parent is new_parent and old_name == new_name:
        return  # a change of position in the folder
    redirects = getattr(request.root, "redirects", None)
    if redirects is None:
        return
    old = resource_path(old_parent).rstrip("/") + "/" + old_name
    set_redirect(request.root, old, obj.uid, now(), manual=False)
    forget_path(request.root, resource_path(obj))  # its current path is its own again


def redirect_info(site) -> OOBTree:
    """``site.redirect_info`` (old path -> ``(time, manual)``), made when first needed."""
    info = getattr(site, "redirect_info", None)
    if info is None:
        info = site.redirect_info = OOBTree()
    return info


def redirect_sources(site) -> OOBTree:
    """``site.redirect_sources`` (uid -> old paths), made when first needed."""
    sources = getattr(site, "redirect_sources", None)
    if sources is None:
        sources = site.redirect_sources = OOBTree()
    return sources


def old_paths(site, uid: str | None = None) -> Iterator[tuple[str, str, datetime | None, bool]]:
    """``(old path, uid, time, manual)`` of the recorded old paths, in path order;
    only those leading to ``uid`` when given (read from the reverse index: as many
    lookups as that object has old paths)."""
    info = getattr(site, "redirect_info", None) or {}
    redirects = getattr(site, "redirects", None) or {}
    if uid is None:
        pairs = redirects.items()
    else:
        sources = getattr(site, "redirect_sources", None) or {}
        pairs = ((path, uid) for path in sources.get(uid, ()))
    for path, target in pairs:
        when, manual = info.get(path, (None, False))
        yield path, target, when, manual


def set_redirect(site, path: str, uid: str, when: datetime, manual: bool) -> None:
    """Make the physical ``path`` lead to the object ``uid`` (recorded at ``when``,
    by a person when ``manual``)."""
    forget_path(site, path)
    site.redirects[path] = uid
    redirect_info(site)[path] = (when, manual)
    sources = redirect_sources(site)
    if uid not in sources:
        sources[uid] = OOTreeSet()
    sources[uid].add(path)


def add_alias(site, path: str, obj, when: datetime | None = None) -> None:
    """Make the physical ``path`` an old address of ``obj``, added by a person."""
    set_redirect(site, path, obj.uid, when or now(), manual=True)


def forget_path(site, path: str) -> bool:
    """Stop redirecting the physical ``path``; whether it was an old address."""
    uid = site.redirects.pop(path, None)
    info = getattr(site, "redirect_info", None)
    if info is not None:
        info.pop(path, None)
    sources = getattr(site, "redirect_sources", None)
    paths = sources.get(uid) if sources is not None and uid is not None else None
    if paths is not None:
        paths.discard(path)  # OOTreeSet.remove raises for a missing key
        if not paths:
            del sources[uid]
    return uid is not None


def build_sources(site) -> None:
    """Evolve step: build ``site.redirect_sources`` from ``site.redirects``."""
    sources = site.redirect_sources = OOBTree()
    for path, uid in (getattr(site, "redirects", None) or {}).items():
        if uid not in sources:
            sources[uid] = OOTreeSet()
        sources[uid].add(path)


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
    config.add_evolve_step(SOURCES_STEP, build_sources)
