"""The catalog's reactions to content events, registered by the kernel like
:mod:`core.uids`: the structural indexes change in the transaction of the change,
and the full-text work is queued in it (see :mod:`catalog.queue`).

- added, modified: the object is indexed again (the folder it was added to is not:
  a folder's modification time is its own, so that concurrent adds to one folder
  do not all rewrite its entry; decision 0016);
- removed: called for every object of a deleted tree, each is unindexed;
- moved or renamed: the object and everything below it (their paths changed);
- moved within its folder (reordered): its position; every child's position when
  the folder renumbered its order (``cong_object_modified`` with ``"order"``);
- workflow transition: the object, and who may see what below it (a folder's
  state can decide who sees its children);
- local roles changed (``cong_object_modified`` with ``"local_roles"``): who may
  see what, for the object and everything below it.
"""

from __future__ import annotations

from catalog.indexing import index_object, reindex_security, unindex_object
from catalog.structural import catalog_of
from catalog.values import position_of
from core.hookspecs import hookimpl
from core.uids import walk


def _catalog(request):
    return catalog_of(request.root)


@hookimpl
def cong_object_added(request, obj, parent):
    catalog = _catalog(request)
    if catalog is not None:
        index_object(request, catalog, obj)


@hookimpl
def cong_object_modified(request, obj, fields):
    catalog = _catalog(request)
    if catalog is None:
        return
    if set(fields) != {"local_roles"}:
        index_object(request, catalog, obj)
    if "local_roles" in fields:
        reindex_security(request, catalog, obj)
    if "order" in fields:
        for child in obj.values():
            catalog.index_one("position", child.uid, position_of(child))


@hookimpl
def cong_object_removed(request, obj, parent):
    catalog = _catalog(request)
    if catalog is not None:
        unindex_object(request, catalog, obj.uid)


@hookimpl
def cong_object_moved(request, obj, old_parent, old_name, new_parent, new_name):
    catalog = _catalog(request)
    if catalog is None:
        return
    if old_parent is new_parent and old_name == new_name:  # a new position in the folder
        catalog.index_one("position", obj.uid, position_of(obj))
        return
    for item in walk(obj):
        index_object(request, catalog, item)


@hookimpl
def cong_workflow_transition(request, obj, transition, old_state, new_state, comment):
    catalog = _catalog(request)
    if catalog is None:
        return
    index_object(request, catalog, obj)
    reindex_security(request, catalog, obj)


@hookimpl
def cong_cli_commands(subparsers):
    from catalog.cli import add_commands  # the command line is loaded only when used

    add_commands(subparsers)
