"""Hooks the subsites layer calls, which plugins may implement (with
:data:`core.hookspecs.hookimpl`, like the kernel's hooks); the plugin manager learns
them from :data:`subsites.HOOKSPECS` (see :data:`core.plugins.KERNEL_LAYERS`)."""

from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def cong_province_lists():
    """Called once at start-up. Return a list of ``(type name, heading)``: the
    content types whose newest published items, from the portal and every unit,
    the provincial portal's home page lists under ``heading`` (a message to
    translate), in the order given (see :mod:`subsites.aggregation`)."""
