"""Virtual hosting: the Host of a request picks the subsite it shows.

``tanphu.haiduong.gov.vn/tin-tuc`` and ``haiduong.gov.vn/tan-phu/tin-tuc`` show the
same page. The root factory (:func:`core.root_factory`) asks
:func:`apply_virtual_host` (through :class:`SubsiteHosts`, the kernel's
:class:`core.interfaces.IVirtualHosting`): the request's host (lowercase, without
its port) is looked up in ``site.hosts`` (a B-tree: constant time whatever the
number of subsites) and,
when a subsite has it, its path becomes Pyramid's virtual root
(``environ["HTTP_X_VHM_ROOT"]``): traversal starts there and every URL Pyramid or
:mod:`core.urls` makes is relative to it, so pages reached by a subsite's host link
with that host. A host a subsite had before (``site.host_aliases``) redirects (301)
to its current host; any other host is the provincial portal, where the path form
``/<subsite>/...`` reaches every subsite.

Isolation: a path that runs from the host's subsite into another subsite below it
(``a-host/b/...``) is never shown under the first one's host. It redirects (301) to
the inner subsite's own host when it has one, and answers 404 otherwise: showing it
would put one unit's pages under another unit's name, header and admins, and no
link made by the portal leads there (the inner subsite's URLs are its own host or
the portal's path form).

Proxies: ``X-Forwarded-Host``, ``X-Forwarded-Proto`` and ``Forwarded`` (RFC 7239)
are honoured only when the request comes from an address of ``cong.trusted_proxies``
(space separated; none by default); an ``X-Vhm-Root`` header is always dropped (the
virtual root is the portal's decision, never the client's).

``cong.portal_url`` (e.g. ``https://haiduong.gov.vn``, optional) names the portal's
address: its host may not be given to a subsite, and links to pages outside the
subsite a request reached (search results over the province...) use it.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from pyramid.config import Configurator
from pyramid.events import ContextFound
from pyramid.httpexceptions import HTTPMovedPermanently, HTTPNotFound
from pyramid.traversal import find_interface, find_resource, resource_path
from pyramid.tweens import INGRESS
from zope.interface import implementer

from core.interfaces import IVirtualHosting
from subsites.interfaces import ISubsite

#: The environ key Pyramid reads the virtual root's path from.
VH_ROOT_KEY = "HTTP_X_VHM_ROOT"
#: The environ key holding the subsite the request's host picked.
SUBSITE_KEY = "cong.vhost"
FORWARDED_HOST_RE = re.compile(
    r"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$"
)


# settings -------------------------------------------------------------------------------
def portal_url(registry) -> str:
    """``cong.portal_url`` without a final slash ('' when not set)."""
    return registry.settings.get("cong.portal_url", "").strip().rstrip("/")


def configured_portal_host(registry) -> str:
    """The host of ``cong.portal_url`` ('' when not set)."""
    url = portal_url(registry)
    return normalize_host(urlsplit(url).netloc) if url else ""


def trusted_proxies(registry) -> frozenset[str]:
    """The addresses of ``cong.trusted_proxies``."""
    return frozenset(registry.settings.get("cong.trusted_proxies", "").split())


# proxies --------------------------------------------------------------------------------
def last_value(header: str) -> str:
    """The last of a comma separated header's values (the one our proxy added)."""
    return header.rsplit(",", 1)[-1].strip()


def forwarded_pair(header: str) -> tuple[str | None, str | None]:
    """``(host, proto)`` of the last element of a ``Forwarded`` header."""
    host = proto = None
    for part in last_value(header).split(";"):
        key, _sep, value = part.partition("=")
        value = value.strip().strip('"')
        if key.strip().lower() == "host":
            host = value
        elif key.strip().lower() == "proto":
            proto = value
    return host, proto


def honour_forwarded(environ: dict, trusted: frozenset[str]) -> None:
    """Take the host and scheme a trusted proxy forwarded into ``environ``."""
    if not trusted or environ.get("REMOTE_ADDR") not in trusted:
        return
    host = proto = None
    if environ.get("HTTP_FORWARDED"):
        host, proto = forwarded_pair(environ["HTTP_FORWARDED"])
    host = host or last_value(environ.get("HTTP_X_FORWARDED_HOST", "")) or None
    proto = proto or last_value(environ.get("HTTP_X_FORWARDED_PROTO", "")) or None
    if host and FORWARDED_HOST_RE.match(host):
        environ["HTTP_HOST"] = host
    if proto and proto.lower() in ("http", "https"):
        environ["wsgi.url_scheme"] = proto.lower()


def proxy_tween_factory(handler, registry):
    """First thing of every request: drop a client's ``X-Vhm-Root`` and honour the
    forwarded host and scheme of trusted proxies (so the page cache, the host
    lookup and every URL see the address the visitor used)."""
    trusted = trusted_proxies(registry)

    def proxy_tween(request):
        environ = request.environ
        environ.pop(VH_ROOT_KEY, None)
        environ.pop(SUBSITE_KEY, None)
        honour_forwarded(environ, trusted)
        return handler(request)

    return proxy_tween


# the host lookup ----------------------------------------------------------------------
def normalize_host(value: str) -> str:
    """A host name as looked up: lowercase, without a final dot or a port."""
    host = value.strip().lower()
    if host.startswith("["):  # an IPv6 literal keeps its brackets, loses its port
        return host.split("]", 1)[0] + "]"
    return host.split(":", 1)[0].rstrip(".")


def portal_hosts(request) -> set[str]:
    """The portal's own host names: the one of ``cong.portal_url`` and, when the
    request reached the portal (not a subsite), the request's host."""
    hosts = set()
    configured = configured_portal_host(request.registry)
    if configured:
        hosts.add(configured)
    if request_subsite(request) is None:
        hosts.add(normalize_host(request.host))
    return hosts


def request_host(request) -> str:
    """The request's host name, lowercase, without its port."""
    return normalize_host(request.host)


def subsite_by_host(site, host: str):
    """The subsite that has ``host`` (two B-tree lookups), or None."""
    uid = site.hosts.get(host)
    return site.uids.get(uid) if uid is not None else None


def apply_virtual_host(request, site) -> None:
    """Make the subsite of the request's host its virtual root; redirect a host a
    subsite had before to its current address (called by the root factory)."""
    hosts = getattr(site, "hosts", None)
    if hosts is None:  # the evolve step creating the maps has not run yet
        return
    host = request_host(request)
    subsite = subsite_by_host(site, host)
    if subsite is not None:
        request.environ[VH_ROOT_KEY] = resource_path(subsite)
        request.environ[SUBSITE_KEY] = subsite
        return
    uid = site.host_aliases.get(host)
    subsite = site.uids.get(uid) if uid is not None else None
    if subsite is None:
        return  # the portal
    target = home_url(request, subsite)
    if urlsplit(target).netloc.lower() == request.host.lower():
        request.environ[VH_ROOT_KEY] = resource_path(subsite)  # nowhere else to go
        request.environ[SUBSITE_KEY] = subsite
        return
    raise HTTPMovedPermanently(location=target.rstrip("/") + quoted_path_qs(request))


def request_subsite(request):
    """The subsite the request's host picked (None: the portal's host)."""
    return request.environ.get(SUBSITE_KEY)


def quoted_path_qs(request, path: str | None = None) -> str:
    """``path`` (default: the request's path) quoted, plus the request's query."""
    path = request.path_info if path is None else path
    url = quote(path, safe="/@:+,;=-_.~!$&'()*")
    if request.query_string:
        url += "?" + request.query_string
    return url


# isolation ------------------------------------------------------------------------------
def isolate(event) -> None:
    """A request reached by a subsite's host never shows another subsite below it
    (see the module docstring): 301 to that subsite's own host, else 404."""
    request = event.request
    vroot = request_subsite(request)
    if vroot is None:
        return
    inner = find_interface(request.context, ISubsite)
    if inner is None or inner is vroot:
        return
    if not inner.hostnames:
        raise HTTPNotFound()
    relative = resource_path(inner)[len(resource_path(vroot)) :]
    rest = request.path_info[len(relative) :] if request.path_info.startswith(relative) else "/"
    target = f"{request.scheme}://{inner.hostnames[0]}"
    raise HTTPMovedPermanently(location=target + quoted_path_qs(request, rest or "/"))


# URLs -----------------------------------------------------------------------------------
def scheme_of(request) -> str:
    """The scheme of links to other hosts: ``cong.portal_url``'s, else the request's."""
    url = portal_url(request.registry)
    return urlsplit(url).scheme if url else request.scheme


def home_url(request, subsite) -> str:
    """The address of ``subsite``'s home page with a final slash: its first host
    name, else the portal's path form."""
    return subsite_url(request, resource_path(subsite), subsite.hostnames)


def portal_base(request) -> str:
    """The portal's address without a final slash: ``cong.portal_url``, else this
    request's when it reached the portal."""
    return portal_url(request.registry) or request.application_url


def nearest_subsite(obj):
    """The nearest subsite holding ``obj`` (itself included), or None."""
    return find_interface(obj, ISubsite)


def canonical_url(request, obj) -> str:
    """The address of ``obj`` on its own subsite's host (the portal's when it is in
    no subsite, or in one without a host), with a final slash."""
    subsite = nearest_subsite(obj)
    path = resource_path(obj).rstrip("/")
    if subsite is not None and subsite.hostnames:
        relative = path[len(resource_path(subsite).rstrip("/")) :]
        return f"{scheme_of(request)}://{subsite.hostnames[0]}{quote(relative)}/"
    return portal_base(request) + quote(path) + "/"


def subsite_url(request, path: str, hostnames) -> str:
    """The canonical address of the subsite at ``path`` with ``hostnames`` (as its
    catalog record holds them: ``unit_hosts``), without loading it: what
    :func:`canonical_url` gives for the subsite itself."""
    if hostnames:
        return f"{scheme_of(request)}://{hostnames[0]}/"
    return portal_base(request) + quote(path.rstrip("/")) + "/"


def is_inside(path: str, root_path: str) -> bool:
    """Whether ``path`` is ``root_path`` or below it."""
    root_path = root_path.rstrip("/")
    return path == root_path or path.startswith(root_path + "/")


def path_url(request, path: str, subsite_path: str | None = None) -> str:
    """The URL of the object at ``path`` (with a final slash) for this request:
    relative to the virtual root when it is below it, else its canonical address
    (``subsite_path`` names its nearest navigation root, to skip looking it up)."""
    vroot = request.environ.get(VH_ROOT_KEY)
    path = path.rstrip("/")
    if not vroot:
        return request.application_url + quote(path) + "/"
    if is_inside(path, vroot):
        return request.application_url + quote(path[len(vroot.rstrip("/")) :]) + "/"
    holder = subsite_path if subsite_path is not None else path
    subsite = _subsite_at(request, holder)
    if subsite is not None and subsite.hostnames:
        relative = path[len(resource_path(subsite).rstrip("/")) :]
        return f"{scheme_of(request)}://{subsite.hostnames[0]}{quote(relative)}/"
    return portal_base(request) + quote(path) + "/"


def _subsite_at(request, path: str):
    """The nearest subsite at or above ``path`` (memoised per request)."""
    memo = request.environ.setdefault("cong.subsites_at", {})
    if path not in memo:
        try:
            obj = find_resource(request.root, path or "/")
        except KeyError:
            obj = None
        memo[path] = nearest_subsite(obj) if obj is not None else None
    return memo[path]


# views the portal has on its root that a subsite's host needs too ------------------------
def add_portal_views(config: Configurator) -> None:
    """Logging in and out and changing one's password on a subsite's host: the
    kernel's views of the site root, registered for subsites too."""
    from core.views import auth

    get = ("GET", "HEAD")
    config.add_view(
        auth.login_form, context=ISubsite, name="login", renderer="login.pt", request_method=get
    )
    config.add_view(
        auth.login_submit,
        context=ISubsite,
        name="login",
        renderer="login.pt",
        request_method="POST",
    )
    config.add_view(
        auth.logout_form, context=ISubsite, name="logout", renderer="logout.pt", request_method=get
    )
    config.add_view(auth.logout_submit, context=ISubsite, name="logout", request_method="POST")
    for method in (get, "POST"):
        view = auth.password_form if method == get else auth.password_submit
        config.add_view(
            view,
            context=ISubsite,
            name="password",
            renderer="password.pt",
            permission=auth.AUTHENTICATED,
            request_method=method,
        )


@implementer(IVirtualHosting)
class SubsiteHosts:
    """The kernel's :class:`~core.interfaces.IVirtualHosting`: a subsite's host
    shows that subsite (see the module's docstring)."""

    apply = staticmethod(apply_virtual_host)
    canonical_url = staticmethod(canonical_url)
    path_url = staticmethod(path_url)

    @staticmethod
    def home_url(request) -> str:
        return portal_base(request) + "/"


def includeme(config: Configurator) -> None:
    config.registry.registerUtility(SubsiteHosts(), IVirtualHosting)
    config.add_tween("subsites.hosting.proxy_tween_factory", under=INGRESS)
    config.add_subscriber(isolate, ContextFound)
    add_portal_views(config)
