"""The uid map: find any object by its stable uid (``/resolveuid/<uid>``).

Kept by the kernel's own event hooks, like any plugin would.
"""

from __future__ import annotations

from core.hookspecs import hookimpl


def walk(obj):
    """``obj`` and everything below it, parents first."""
    yield obj
    values = getattr(obj, "values", None)
    if values is not None:
        for child in values():
            yield from walk(child)


def resolve(site, uid: str):
    """The object with ``uid``, or None."""
    return site.uids.get(uid) if isinstance(uid, str) else None


@hookimpl
def cong_object_added(request, obj, parent):
    request.root.uids[obj.uid] = obj


@hookimpl
def cong_object_removed(request, obj, parent):
    request.root.uids.pop(obj.uid, None)
