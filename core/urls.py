"""Addresses of objects: URLs built for one request, and where objects live.

:class:`ResourceURLs` makes the URLs a page links to, relative to the request's
virtual root like ``request.resource_url``, from a memo of parent paths (a page
links to dozens of objects). The other functions ask the layer that gives parts of
the site hosts of their own (:class:`core.interfaces.IVirtualHosting`, registered
by the subsites); without one the whole site lives on the host each request reached.
"""

from __future__ import annotations

from urllib.parse import quote

from pyramid.interfaces import VH_ROOT_KEY
from pyramid.traversal import find_resource, resource_path

from core.interfaces import IVirtualHosting


class ResourceURLs:
    """The URLs of objects for one request (see the module's docstring)."""

    def __init__(self, request):
        self.request = request
        self.app_url = request.application_url
        self._paths: dict[int, str] = {}
        self._static_base: str | None = None
        if virtually_rooted(request):  # URLs are relative to the virtual root
            vroot = find_resource(request.root, request.environ[VH_ROOT_KEY])
            self._paths[id(vroot)] = "/"

    def url(self, obj, *elements, **query) -> str:
        """The URL of ``obj`` (with a trailing slash), plus ``elements`` and ``query``:
        what ``request.resource_url`` gives."""
        if query:
            return self.request.resource_url(obj, *elements, query=query)
        url = self.app_url + self.path(obj)
        if elements:
            url += "/".join(quote(str(e), safe="@") for e in elements)
        return url

    def path(self, obj) -> str:
        """The path of ``obj`` below the virtual root, quoted, with slashes around."""
        key = id(obj)
        path = self._paths.get(key)
        if path is None:
            parent = obj.__parent__
            if parent is None:
                path = "/"
            else:
                path = self.path(parent) + quote(obj.__name__, safe="@") + "/"
            self._paths[key] = path
        return path

    def static(self, path: str) -> str:
        """The URL of a file of the default theme's ``static`` folder."""
        if self._static_base is None:
            self._static_base = self.request.static_url("themes:default/static/")
        return self._static_base + path


def virtually_rooted(request) -> bool:
    """Whether the request's host shows a part of the site only (Pyramid's virtual
    root: a subsite's own host)."""
    return VH_ROOT_KEY in request.environ


def _hosting(request) -> IVirtualHosting | None:
    return request.registry.queryUtility(IVirtualHosting)


def home_url(request) -> str:
    """The address of the site's home page, with a final slash: on the request's
    host, unless that host shows a part of the site only."""
    hosting = _hosting(request)
    if hosting is None or not virtually_rooted(request):
        return request.application_url + "/"
    return hosting.home_url(request)


def canonical_url(request, obj) -> str:
    """The address of ``obj`` on the host it lives on, with a final slash."""
    hosting = _hosting(request)
    if hosting is None:
        return request.application_url + resource_path(obj).rstrip("/") + "/"
    return hosting.canonical_url(request, obj)


def path_url(request, path: str, holder: str | None = None) -> str:
    """The URL, for this request, of the object at ``path`` (its resource path, as
    the catalog keeps it), with a final slash (``holder``: the path of its
    navigation root, when known), without loading it."""
    hosting = _hosting(request)
    if hosting is None:
        return request.application_url + path.rstrip("/") + "/"
    return hosting.path_url(request, path, holder)


def page_url(request) -> str:
    """The canonical address of the page shown: its context's, plus its view's name
    and subpath."""
    url = canonical_url(request, request.context)
    view_name = getattr(request, "view_name", "")
    if not view_name:
        return url
    parts = ("@@" + view_name, *getattr(request, "subpath", ()))
    return url + "/".join(quote(part, safe="@") for part in parts)
