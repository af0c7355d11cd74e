"""A navigation root's own look on its pages: its brand colour, logo and banner.

A unit's site (:class:`core.interfaces.IUnitSite`, a subsite) may have a
``colour`` (``#rrggbb``), a ``logo`` and a ``banner`` (images served at ``@@logo``
and ``@@banner``); the page's header and footer then show them instead of the
theme's.
"""

from __future__ import annotations

import re

#: A brand colour: ``#`` and six lowercase hexadecimal digits.
COLOUR_RE = re.compile(r"^#[0-9a-f]{6}$")


def brand_colour(nav_root) -> str:
    """The colour of ``nav_root`` (``#rrggbb``, checked again here), or ''."""
    colour = getattr(nav_root, "colour", "") or ""
    return colour if COLOUR_RE.match(colour) else ""


def logo_url(nav_root, url, static) -> str:
    """The logo of ``nav_root`` if it has one, else the theme's (``url`` and
    ``static`` make addresses of objects and of the theme's files)."""
    if getattr(nav_root, "logo", None) is not None:
        return url(nav_root, "@@logo")
    return static("logo.svg")


def banner_url(nav_root, url) -> str:
    """The banner of ``nav_root``, or ''."""
    if getattr(nav_root, "banner", None) is not None:
        return url(nav_root, "@@banner")
    return ""
