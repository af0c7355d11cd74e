"""Page helpers for templates: ``ui`` in every template's namespace.

Everything a layout or view template asks of the request goes through here, so
templates stay free of logic and a theme can be rewritten without touching Python.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple
from urllib.parse import quote

from pyramid.csrf import get_csrf_token
from pyramid.interfaces import ISecurityPolicy
from pyramid.location import lineage
from pyramid.traversal import find_interface

from core.cache import cached
from core.clock import TIMEZONE
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, _
from core.interfaces import IFolder, INavigationRoot
from core.permissions import EDIT, LIST, MANAGE_USERS, SHARING, VIEW
from core.security import SESSION_COOKIE
from core.types import get_types
from core.workflow import workflow_of
from subsites.content import COLOUR_RE
from subsites.hosting import canonical_url, portal_base, request_subsite
from subsites.interfaces import ISubsite
from subsites.plugins import page_hook

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%H:%M %d/%m/%Y"
#: Sections shown at most in the main navigation (from the catalog: subsites, sites
#: of their own, are not sections, and the menu costs the same whatever their number).
MAX_NAVIGATION = 30


def machine_time(value: date | datetime | None) -> str:
    """``value`` as a ``datetime`` attribute wants it: ISO 8601, to the second, a
    date-time in the portal's time zone (HTML allows at most three digits of a
    fraction of a second, and Python's ``isoformat`` writes six)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(TIMEZONE)
        value = value.replace(microsecond=0)
    return value.isoformat()


def get_ui(request) -> UI:
    """The request's :class:`UI` (one per request)."""
    ui = request.environ.get("cong.ui")
    if ui is None:
        ui = request.environ["cong.ui"] = UI(request)
    return ui


class HeadLink(NamedTuple):
    """A ``<link rel="alternate">`` of a page's head: its media ``type``, ``title``
    and ``href`` (a feed of the section, for instance)."""

    type: str
    title: str
    href: str


class UI:
    """Helpers for one request's pages."""

    def __init__(self, request):
        self.request = request
        self._paths: dict[int, str] = {}
        self._crumbs: list[dict] = []
        vroot = request_subsite(request)
        if vroot is not None:  # reached by a subsite's host: URLs are relative to it
            self._paths[id(vroot)] = "/"

    # who and where ----------------------------------------------------------------
    @property
    def context(self):
        return self.request.context

    @cached_property
    def user(self):
        return self.request.identity

    @cached_property
    def site(self):
        return self.request.root

    @cached_property
    def nav_root(self):
        """The nearest navigation root above the context (the site, or a subsite)."""
        return find_interface(self.context, INavigationRoot) or self.site

    def can(self, permission: str, obj=None) -> bool:
        return bool(
            self.request.has_permission(permission, obj if obj is not None else self.context)
        )

    @property
    def nonce(self) -> str:
        """The nonce an inline ``<script>`` or ``<style>`` of this page carries for
        the Content-Security-Policy to accept it (see :mod:`core.csp`)."""
        return self.request.csp_nonce

    @property
    def csrf_token(self) -> str:
        return get_csrf_token(self.request)

    # text --------------------------------------------------------------------------
    def translate(self, message) -> str:
        return self.request.localizer.translate(message)

    @property
    def lang(self) -> str:
        return self.request.locale_name

    @property
    def content_lang(self) -> str | None:
        """The ``lang`` of content (titles, texts) on this page: ``"vi"`` inside an
        interface in another language, else None (the page's own ``lang`` holds)."""
        return None if self.lang == DEFAULT_LANGUAGE else DEFAULT_LANGUAGE

    def page_title(self) -> str:
        """The ``<title>`` of the context's own page: its title, then the site's
        (templates of other pages fill the layout's ``title`` slot with theirs)."""
        context = getattr(self.request, "context", None)
        title = getattr(context, "title", "") if context is not self.site else ""
        return f"{title} – {self.site.title}" if title else self.site.title

    def is_current_page(self, obj) -> bool:
        """Whether this page is ``obj``'s own page (not one of its views)."""
        return getattr(self.request, "context", None) is obj and not getattr(
            self.request, "view_name", ""
        )

    def other_languages(self) -> list[dict]:
        """Links to this page in the other UI languages."""
        names = {"vi": "Tiếng Việt", "en": "English"}
        return [
            {"code": code, "name": names[code], "url": self.request.path_url + f"?lang={code}"}
            for code in LANGUAGES
            if code != self.lang
        ]

    def date(self, value, with_time: bool = False) -> str:
        """A date (or time) as Vietnamese people write it, in the portal's time zone."""
        if not value:
            return ""
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(TIMEZONE)
        return value.strftime(DATETIME_FORMAT if with_time else DATE_FORMAT)

    def iso(self, value) -> str:
        """A date or time for a ``datetime`` attribute (see :func:`machine_time`)."""
        return machine_time(value)

    def type_label(self, obj) -> str:
        ct = get_types(self.request.registry).get(obj.type_name)
        return self.translate(ct.label) if ct else obj.type_name

    def state_title(self, obj, state: str | None = None) -> str:
        """The title of ``obj``'s workflow state (or of ``state``, for a catalog record)."""
        state = obj.workflow_state if state is None else state
        workflow = workflow_of(self.request, obj)
        if workflow is None or not state:
            return ""
        return self.translate(workflow.state_title(state))

    def url(self, obj, *elements, **query) -> str:
        """The URL of ``obj`` (with a trailing slash), plus ``elements`` and ``query``.

        Same result as ``request.resource_url`` for the plain case, built from a
        per-request memo of parent paths: a page links to dozens of objects."""
        if query:
            return self.request.resource_url(obj, *elements, query=query)
        url = self._app_url + self._path(obj)
        if elements:
            url += "/".join(quote(str(e), safe="@") for e in elements)
        return url

    @cached_property
    def _app_url(self) -> str:
        return self.request.application_url

    def _path(self, obj) -> str:
        key = id(obj)
        path = self._paths.get(key)
        if path is None:
            parent = obj.__parent__
            if parent is None:
                path = "/"
            else:
                path = self._path(parent) + quote(obj.__name__, safe="@") + "/"
            self._paths[key] = path
        return path

    def static(self, path: str) -> str:
        """The URL of a file of the default theme's ``static`` folder."""
        return self._static_base + path

    @cached_property
    def _static_base(self) -> str:
        return self.request.static_url("themes:default/static/")

    # page parts ----------------------------------------------------------------------
    def breadcrumbs(self) -> list[dict]:
        """The path from the navigation root down to the context, then the steps a
        view added below it (:meth:`add_crumb`); only what the requester may view
        (an error page's context may be an object they may not)."""
        crumbs = []
        for obj in lineage(self.context):
            if not self.request.has_permission(VIEW, obj):
                crumbs.clear()  # what lies below a hidden folder is hidden with it
                continue
            crumbs.append({"title": obj.title or obj.__name__, "url": self.url(obj)})
            if obj is self.nav_root:
                break
        crumbs.reverse()
        return crumbs + self._crumbs

    def add_crumb(self, title: str, url: str) -> None:
        """Add a step below the context to this page's breadcrumbs: for a view whose
        pages are below its context (``<unit>/@@thu-tuc/<code>``)."""
        self._crumbs.append({"title": title, "url": url})

    @cached_property
    def principals(self) -> frozenset:
        """The requester's principals at the navigation root (for cache keys)."""
        return self.request.registry.getUtility(ISecurityPolicy).principals(
            self.request, self.nav_root
        )

    def cached(self, name: str, compute):
        """``compute()``, shared until the next commit by every request that sees this
        navigation root with the same principals, language and host (for page parts
        such as menus and portlets; see :mod:`core.cache`)."""
        key = (name, self._app_url, self._path(self.nav_root), self.principals, self.lang)
        return cached(self.request, key, compute)

    def navigation(self) -> list[dict]:
        """The navigation root's folders the requester may view, as menu entries
        (subsites below it, sites of their own, are left out)."""

        def compute():
            from pyramid.traversal import resource_path

            from catalog import search

            types = tuple(
                ct.name
                for ct in get_types(self.request.registry).all()
                if IFolder.implementedBy(ct.factory)
                and not INavigationRoot.implementedBy(ct.factory)
            )
            found = search(
                self.request,
                path=resource_path(self.nav_root),
                depth=1,
                types=types,
                sort_on="position",
                sort_order="ascending",
                size=MAX_NAVIGATION,
            )
            root = self.nav_root
            children = (root.get(record.path.rsplit("/", 1)[-1]) for record in found.records)
            return tuple((obj.title, self.url(obj)) for obj in children if obj is not None)

        here = self.url(self.context)
        page = None if getattr(self.request, "view_name", "") else here
        items = [
            {"title": title, "url": url, "current": url == page, "section": here.startswith(url)}
            for title, url in self.cached("navigation", compute)
        ]
        page_hook(self.request, "cong_navigation")(
            request=self.request, context=self.context, items=items
        )
        return items

    def header_widgets(self) -> list[str]:
        """HTML fragments plugins put in the page header (the search box...)."""
        hook = page_hook(self.request, "cong_header_widgets")
        results = hook(request=self.request, context=self.context)
        return [html for result in results for html in result or () if html]

    def head_links(self) -> list[HeadLink]:
        """The alternate versions of this page plugins link from its head (feeds)."""
        hook = page_hook(self.request, "cong_head_links")
        results = hook(request=self.request, context=self.context)
        return [link for result in results for link in result or ()]

    def portlets(self) -> list[dict]:
        """The portlet boxes for this page, rendered, in order."""
        hook = page_hook(self.request, "cong_portlets")
        found = [
            p for result in hook(request=self.request, context=self.context) for p in result or ()
        ]
        boxes = []
        for portlet in sorted(found, key=lambda p: p.order):
            body = portlet.render(self.request, self.context)
            if body:
                boxes.append(
                    {"name": portlet.name, "title": self.translate(portlet.title), "body": body}
                )
        return boxes

    def actions(self) -> list[dict]:
        """The editing tabs for the context the requester may use."""
        ctx = self.context
        tabs = [("", _("Xem"), VIEW), ("@@edit", _("Sửa"), EDIT)]
        if IFolder.providedBy(ctx):
            tabs.append(("@@contents", _("Nội dung"), LIST))
        if IFolder.providedBy(ctx):
            tabs.append(("@@sharing", _("Chia sẻ"), SHARING))
        if ISubsite.providedBy(ctx):
            tabs.append(("@@plugins", _("Chức năng"), SHARING))
        view_name = self.request.view_name
        return [
            {
                "name": name or "view",
                "title": self.translate(title),
                "url": self.url(ctx, name) if name else self.url(ctx),
                "current": view_name == name.removeprefix("@@"),
            }
            for name, title, permission in tabs
            if self.can(permission)
        ]

    def show_editbar(self) -> bool:
        return self.user is not None and any(a["name"] != "view" for a in self.actions())

    def transitions(self) -> list[dict]:
        """The workflow transitions the requester may make on the context."""
        workflow = workflow_of(self.request, self.context)
        if workflow is None:
            return []
        return [
            {"name": t.name, "title": self.translate(_(t.title))}
            for t in workflow.available(self.request, self.context)
        ]

    def addable_types(self) -> list[dict]:
        from core.operations import addable_types

        return [
            {
                "name": ct.name,
                "title": self.translate(ct.label),
                "url": self.url(self.context, "@@add", type=ct.name),
            }
            for ct in addable_types(self.request, self.context)
        ]

    def can_manage_users(self) -> bool:
        """True on the portal's host for those who manage users (not on a subsite's
        host: its address has no page outside the subsite)."""
        return request_subsite(self.request) is None and self.can(MANAGE_USERS, self.site)

    # the unit whose pages these are (the portal, or a subsite) --------------------------
    @cached_property
    def unit(self):
        """The subsite whose pages these are, or None on the portal's pages (the
        header and footer then show the subsite's name and contact details)."""
        return self.nav_root if ISubsite.providedBy(self.nav_root) else None

    def brand_colour(self) -> str:
        """The subsite's colour (``#rrggbb``, checked again here), or ''."""
        colour = getattr(self.nav_root, "colour", "") or ""
        return colour if COLOUR_RE.match(colour) else ""

    def logo_url(self) -> str:
        """The logo of the page's subsite, else the theme's."""
        if getattr(self.nav_root, "logo", None) is not None:
            return self.url(self.nav_root, "@@logo")
        return self.static("logo.svg")

    def banner_url(self) -> str:
        """The banner of the page's subsite, or ''."""
        if getattr(self.nav_root, "banner", None) is not None:
            return self.url(self.nav_root, "@@banner")
        return ""

    def site_home_url(self) -> str:
        """The provincial portal's home page (its own address from a subsite's host)."""
        if request_subsite(self.request) is None:
            return self.url(self.site)
        return portal_base(self.request) + "/"

    def canonical_url(self) -> str:
        """The address of this page on its own subsite's host (or the portal's)."""
        url = canonical_url(self.request, self.context)
        view_name = getattr(self.request, "view_name", "")
        if not view_name:
            return url
        parts = ("@@" + view_name, *getattr(self.request, "subpath", ()))
        return url + "/".join(quote(part, safe="@") for part in parts)

    def flash_messages(self, queue: str = "") -> list[str]:
        """Messages left for this page by the previous request (``"error"`` queue too)."""
        if SESSION_COOKIE not in self.request.cookies:
            return []  # no session yet: don't start one (a visitor's page sets no cookie)
        session = self.request.session
        if not session.peek_flash(queue):
            return []
        return [self.translate(m) for m in session.pop_flash(queue)]
