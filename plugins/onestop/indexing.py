"""Keep the desks' indexes in step with a dossier, and tell whoever listens
(notifications, the national portal's sync) what changed, in the same
transaction."""

from __future__ import annotations

from collections.abc import Callable

from plugins.onestop.units import desk_of


def add_listener(config, function: Callable) -> None:
    """Directive: call ``function(request, dossier)`` after every change of a
    dossier, in its transaction (notifications, the national portal's sync)."""
    config.registry.onestop_listeners.append(function)


def reindex(request, dossier) -> None:
    """Update the queue of every desk concerned and the statistics record at the
    processing unit, then call the listeners."""
    home = dossier.__parent__
    home.enqueue(dossier)
    home.record(dossier)
    if dossier.receiving_unit != home.unit_code:
        receiving = desk_of(request.root, dossier.receiving_unit)
        if receiving is not None:
            receiving.enqueue(dossier)
    for listener in getattr(request.registry, "onestop_listeners", ()):
        listener(request, dossier)
