"""``@site``: what a client needs to start, for anyone: the site's title, logo,
languages, time zone and image sizes, with plone.restapi's keys.

The site is the one the visitor reached: a subsite on its own host, the
provincial portal otherwise.
"""

from __future__ import annotations

from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.traversal import find_interface

from core.api import api_view
from core.api.errors import not_allowed
from core.api.serialize import url_of
from core.blobs import SCALES
from core.clock import TIMEZONE
from core.i18n import LANGUAGES
from core.interfaces import IContent, INavigationRoot


def visited_site(request):
    """The navigation root the request's host shows (a subsite, or the portal)."""
    return find_interface(request.virtual_root, INavigationRoot) or request.root


def logo_url(request, site) -> str:
    """The site's own logo, else the theme's."""
    if getattr(site, "logo", None) is not None:
        return request.resource_url(site, "@@logo")
    return request.static_url("themes:default/static/logo.svg")


def site_info(request, context) -> dict:
    """``@site``'s answer."""
    site = visited_site(request)
    return {
        "@id": url_of(request, context) + "/@site",
        "plone.site_title": site.title,
        "plone.site_logo": logo_url(request, site),
        "plone.default_language": request.registry.settings.get("cong.default_locale", "vi"),
        "plone.available_languages": list(LANGUAGES),
        "plone.portal_timezone": TIMEZONE.key,
        "plone.allowed_sizes": [f"{name} {side}:{side}" for name, side in SCALES.items()],
        "features": {"multilingual": False, "filter_aliases_by_date": False},
    }


@api_view(context=IContent, name="@site", request_method="GET", permission=NO_PERMISSION_REQUIRED)
def site_view(context, request):
    """The site's title, logo, languages and image sizes (public)."""
    return site_info(request, context)


@api_view(context=IContent, name="@site", require_csrf=False)
def site_other_methods(context, request):
    """405: ``@site`` is read-only."""
    raise not_allowed("GET")
