"""What plugins put in a page's slots: header widgets, links of its head, and the
portlet column. Each is asked of the plugins enabled where the page is
(:func:`core.plugins.page_hook`)."""

from __future__ import annotations

from typing import NamedTuple

from core.plugins import page_hook


class HeadLink(NamedTuple):
    """A ``<link rel="alternate">`` of a page's head: its media ``type``, ``title``
    and ``href`` (a feed of the section, for instance)."""

    type: str
    title: str
    href: str


def header_widgets(request, context) -> list[str]:
    """HTML fragments plugins put in the page header (the search box...)."""
    results = page_hook(request, "cong_header_widgets")(request=request, context=context)
    return [html for result in results for html in result or () if html]


def head_links(request, context) -> list[HeadLink]:
    """The alternate versions of this page plugins link from its head (feeds)."""
    results = page_hook(request, "cong_head_links")(request=request, context=context)
    return [link for result in results for link in result or ()]


def portlet_boxes(request, context) -> list[dict]:
    """The portlet boxes ``{"name", "title", "body"}`` of the page, rendered, in
    order (a portlet with nothing to show is left out)."""
    results = page_hook(request, "cong_portlets")(request=request, context=context)
    found = [p for result in results for p in result or ()]
    boxes = []
    for portlet in sorted(found, key=lambda p: p.order):
        body = portlet.render(request, context)
        if body:
            title = request.localizer.translate(portlet.title)
            boxes.append({"name": portlet.name, "title": title, "body": body})
    return boxes
