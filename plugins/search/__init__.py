"""Search: the box in every page's header, the results page and the search API.

- the header box (``cong_header_widgets``) sends its form to the navigation root's
  ``@@search`` and, with JavaScript, completes titles as one types (``@suggest``);
- ``@@search`` on the portal and on each subsite: results with highlighted
  snippets, facets, sort, pages, "did you mean" and a scope (this subsite or the
  whole province), see :mod:`plugins.search.views`;
- ``@search`` and ``@suggest``, the JSON API in plone.restapi's form, see
  :mod:`plugins.search.api`; ``@querystring`` and ``@querystring-search``, the same
  search written as plone.app.querystring rows, see :mod:`plugins.search.querystring`.

Everything is asked of :func:`catalog.search`, so results are always filtered by
what the requester may view.
"""

from __future__ import annotations

from pyramid.traversal import find_interface, resource_path

from core.cache import cached
from core.hookspecs import hookimpl
from core.i18n import _
from core.interfaces import INavigationRoot
from core.theme import render_template
from plugins.search.query import clean_text

STATIC_NAME = "_search"
STATIC_SPEC = "plugins.search:static/"


def search_box(request, context) -> str:
    """The header's search form, for the navigation root above ``context``."""
    nav_root = find_interface(context, INavigationRoot) or request.root
    translate = request.localizer.translate
    text = ""
    if getattr(request, "view_name", "") == "search":
        text = clean_text(request.GET.get("SearchableText", ""))

    def render() -> str:
        return render_template(
            request,
            "search_box.pt",
            context=context,
            action=request.resource_url(nav_root, "@@search"),
            suggest_url=request.resource_url(nav_root, "@suggest"),
            text=text,
            count_text=translate(_("${count} gợi ý", mapping={"count": "{count}"})),
            none_text=translate(_("Không có gợi ý")),
            css_url=request.static_url(STATIC_SPEC + "search.css"),
            js_url=request.static_url(STATIC_SPEC + "search.js"),
        )

    if text:
        return render()
    # the empty box is the same on every page under one navigation root (and theme)
    key = ("search.box", request.application_url, resource_path(nav_root), request.locale_name)
    return cached(request, key, render)


@hookimpl
def cong_header_widgets(request, context):
    return [search_box(request, context)]


@hookimpl
def cong_configure(config):
    config.add_template_dir("plugins.search:templates")
    config.add_static_view(STATIC_NAME, STATIC_SPEC, cache_max_age=86400)
    config.scan("plugins.search.views")
    config.scan("plugins.search.api")
    config.scan("plugins.search.querystring")
