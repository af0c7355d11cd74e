"""Firing content events: every one reaches plugins as a hook call.

The kernel's own reactions (keeping the uid map, for instance) are built-in plugin
hooks as well, so there is one way to react to change.
"""

from __future__ import annotations

from pluggy import PluginManager


def plugins(request) -> PluginManager:
    """The plugin manager of the request's application."""
    return request.registry.cong_plugins


def object_added(request, obj, parent) -> None:
    plugins(request).hook.cong_object_added(request=request, obj=obj, parent=parent)


def object_modified(request, obj, fields) -> None:
    plugins(request).hook.cong_object_modified(request=request, obj=obj, fields=tuple(fields))


def object_removed(request, obj, parent) -> None:
    plugins(request).hook.cong_object_removed(request=request, obj=obj, parent=parent)


def object_moved(request, obj, old_parent, old_name, new_parent, new_name) -> None:
    plugins(request).hook.cong_object_moved(
        request=request,
        obj=obj,
        old_parent=old_parent,
        old_name=old_name,
        new_parent=new_parent,
        new_name=new_name,
    )


def workflow_transition(request, obj, transition, old_state, new_state, comment) -> None:
    plugins(request).hook.cong_workflow_transition(
        request=request,
        obj=obj,
        transition=transition,
        old_state=old_state,
        new_state=new_state,
        comment=comment,
    )
