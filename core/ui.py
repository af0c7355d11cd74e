"""Page helpers for templates: ``ui`` in every template's namespace.

Everything a layout or view template asks of the request goes through :class:`UI`,
so templates stay free of logic and a theme can be rewritten without touching
Python. The work is done by the modules with that job, which plugins may call
directly: :mod:`core.urls` (addresses), :mod:`core.formatting` (dates and sizes),
:mod:`core.navigation` (breadcrumbs and menu), :mod:`core.slots` (what plugins put
in a page), :mod:`core.editbar` (tabs, transitions, addable types),
:mod:`core.branding` (a subsite's look) and :mod:`core.messages`; the UI keeps what
one request's pages share (the addresses already made, the navigation root, the
principals there).
"""

from __future__ import annotations

from functools import cached_property

from pyramid.csrf import get_csrf_token
from pyramid.interfaces import ISecurityPolicy

from core import branding, editbar, navigation, slots, urls
from core.cache import cached
from core.formatting import local_date, machine_time
from core.i18n import DEFAULT_LANGUAGE, other_languages
from core.interfaces import IUnitSite
from core.messages import flash_messages
from core.permissions import MANAGE_USERS
from core.types import get_types
from core.workflow import workflow_of


def get_ui(request) -> UI:
    """The request's :class:`UI` (one per request)."""
    ui = request.environ.get("cong.ui")
    if ui is None or ui.request is not request:  # a new attempt after a conflict
        ui = request.environ["cong.ui"] = UI(request)
    return ui


class UI:
    """Helpers for one request's pages."""

    def __init__(self, request):
        self.request = request
        self.urls = urls.ResourceURLs(request)
        self._crumbs: list[dict] = []

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
        return navigation.navigation_root(self.context, self.site)

    @cached_property
    def unit(self):
        """The unit's site whose pages these are (a subsite), or None on the portal's
        pages (the header and footer then show its name and contact details)."""
        return self.nav_root if IUnitSite.providedBy(self.nav_root) else None

    def can(self, permission: str, obj=None) -> bool:
        return bool(
            self.request.has_permission(permission, obj if obj is not None else self.context)
        )

    def can_manage_users(self) -> bool:
        """True on the portal's host for those who manage users (not on a subsite's
        host: its address has no page outside the subsite)."""
        return not urls.virtually_rooted(self.request) and self.can(MANAGE_USERS, self.site)

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

    def other_languages(self) -> list[dict]:
        """Links to this page in the other UI languages."""
        return other_languages(self.request)

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

    def date(self, value, with_time: bool = False) -> str:
        """A date (or time) as Vietnamese people write it (:func:`~core.formatting.local_date`)."""
        return local_date(value, with_time)

    def iso(self, value) -> str:
        """A date or time for a ``datetime`` attribute (:func:`~core.formatting.machine_time`)."""
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

    def flash_messages(self, queue: str = "") -> list[str]:
        """Messages left for this page by the previous request (``"error"`` queue too)."""
        return flash_messages(self.request, queue)

    # addresses ---------------------------------------------------------------------
    def url(self, obj, *elements, **query) -> str:
        """The URL of ``obj`` (with a trailing slash), plus ``elements`` and ``query``."""
        return self.urls.url(obj, *elements, **query)

    def static(self, path: str) -> str:
        """The URL of a file of the default theme's ``static`` folder."""
        return self.urls.static(path)

    def site_home_url(self) -> str:
        """The provincial portal's home page (its own address from a subsite's host)."""
        return urls.home_url(self.request)

    def canonical_url(self) -> str:
        """The address of this page on its own subsite's host (or the portal's)."""
        return urls.page_url(self.request)

    # page parts shared by requests alike ---------------------------------------------
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
        key = (name, self.urls.app_url, self.urls.path(self.nav_root), self.principals, self.lang)
        return cached(self.request, key, compute)

    # page parts ----------------------------------------------------------------------
    def breadcrumbs(self) -> list[dict]:
        """The path from the navigation root down to the context, then the steps a
        view added below it (:meth:`add_crumb`)."""
        found = navigation.breadcrumbs(self.request, self.context, self.nav_root, self.url)
        return found + self._crumbs

    def add_crumb(self, title: str, url: str) -> None:
        """Add a step below the context to this page's breadcrumbs: for a view whose
        pages are below its context (``<unit>/@@thu-tuc/<code>``)."""
        self._crumbs.append({"title": title, "url": url})

    def navigation(self) -> list[dict]:
        """The navigation root's folders the requester may view, as menu entries."""
        entries = self.cached(
            "navigation", lambda: navigation.sections(self.request, self.nav_root, self.url)
        )
        return navigation.menu(self.request, self.context, entries, self.url(self.context))

    def header_widgets(self) -> list[str]:
        """HTML fragments plugins put in the page header (the search box...)."""
        return slots.header_widgets(self.request, self.context)

    def head_links(self) -> list[slots.HeadLink]:
        """The alternate versions of this page plugins link from its head (feeds)."""
        return slots.head_links(self.request, self.context)

    def portlets(self) -> list[dict]:
        """The portlet boxes for this page, rendered, in order."""
        return slots.portlet_boxes(self.request, self.context)

    def actions(self) -> list[dict]:
        """The editing tabs for the context the requester may use."""
        return editbar.tabs(self.request, self.context, self.url)

    def show_editbar(self) -> bool:
        return self.user is not None and any(a["name"] != "view" for a in self.actions())

    def transitions(self) -> list[dict]:
        """The workflow transitions the requester may make on the context."""
        return editbar.transitions(self.request, self.context)

    def addable_types(self) -> list[dict]:
        return editbar.addable(self.request, self.context, self.url)

    # the look of the unit whose pages these are --------------------------------------
    def brand_colour(self) -> str:
        """The subsite's colour (``#rrggbb``), or ''."""
        return branding.brand_colour(self.nav_root)

    def logo_url(self) -> str:
        """The logo of the page's subsite, else the theme's."""
        return branding.logo_url(self.nav_root, self.url, self.static)

    def banner_url(self) -> str:
        """The banner of the page's subsite, or ''."""
        return branding.banner_url(self.nav_root, self.url)
