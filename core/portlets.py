"""Portlets: boxes of the portlet column, contributed by plugins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Portlet:
    """A box in the portlet column.

    ``render(request, context)`` returns the box's body as safe HTML (usually from
    a theme template through :func:`core.theme.render_template`); ``order`` sorts
    boxes, lowest first.
    """

    name: str
    title: str
    render: Callable
    order: int = 50
