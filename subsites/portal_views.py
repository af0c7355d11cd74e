"""The provincial portal's pages about its units: the blocks of the home page
(the latest news and announcements of every unit, the number of units of each
kind) and the directory of units, ``@@don-vi``.

The home page is the kernel's (:func:`core.views.content.site_view`); this module
adds its blocks through the ``cong_front_page`` hook, rendered once per commit.
"""

from __future__ import annotations

from pyramid.config import Configurator
from pyramid.view import view_config

from core.hookspecs import hookimpl
from core.i18n import _
from core.interfaces import ISite
from core.permissions import VIEW
from core.theme import render_template
from core.ui import get_ui
from subsites.aggregation import latest, province_lists
from subsites.directory import directory, kind_counts

#: The directory's view name (``/@@don-vi``).
DIRECTORY_VIEW = "don-vi"
#: Longest filter text taken from ``?q=``.
MAX_QUERY = 100
STATIC_NAME = "_subsites"
STATIC_SPEC = "subsites:static/"


def front_page_blocks(request, context) -> str:
    """The home page's provincial blocks, as HTML (empty when there is nothing)."""

    def compute() -> str:
        lists = []
        for type_name, heading in province_lists(request.registry):
            entries = latest(request, type_name)
            if entries:
                lists.append({"type_name": type_name, "heading": heading, "entries": entries})
        counts = kind_counts(request)
        if not lists and not counts:
            return ""
        return render_template(
            request,
            "portal_blocks.pt",
            context=context,
            lists=lists,
            counts=counts,
            total=sum(n for _name, _label, n in counts),
            directory_url=request.resource_url(context, "@@" + DIRECTORY_VIEW),
            css_url=request.static_url(STATIC_SPEC + "directory.css"),
        )

    return get_ui(request).cached("subsites.front_page", compute)


@hookimpl
def cong_front_page(request, context):
    html = front_page_blocks(request, context)
    return [html] if html else []


@view_config(context=ISite, name=DIRECTORY_VIEW, renderer="directory.pt", permission=VIEW)
def directory_view(context, request):
    """``@@don-vi``: every unit by kind and parent, filtered by ``?q=`` (accents and
    case ignored); the page's script filters as one types."""
    translate = request.localizer.translate
    query = request.GET.get("q", "")
    query = " ".join(query.split())[:MAX_QUERY] if isinstance(query, str) else ""
    everything = directory(request)
    shown = everything.filtered(query)
    status = _(
        "Đang hiện ${shown} trên ${total} đơn vị.",
        mapping={"shown": "{shown}", "total": "{total}"},
    )
    return {
        "directory": shown,
        "query": query,
        "total": everything.count,
        "status_template": translate(status),
        "status": translate(status).format(shown=shown.count, total=everything.count),
        "action": request.resource_url(context, "@@" + DIRECTORY_VIEW),
        "css_url": request.static_url(STATIC_SPEC + "directory.css"),
        "js_url": request.static_url(STATIC_SPEC + "directory.js"),
    }


def includeme(config: Configurator) -> None:
    config.add_static_view(STATIC_NAME, STATIC_SPEC, cache_max_age=86400)
    config.scan("subsites.portal_views")
