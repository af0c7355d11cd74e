"""Who may see an object, as the catalog indexes it (Plone's allowedRolesAndUsers).

An object's *own viewers* are the principals its ACLs grant ``view`` along its
lineage (``system.Everyone``, ``role:Editor``...), plus every user or group
holding one of those roles locally on the object or a folder above it. Its
*allowed principals*, the ones indexed, narrow these by the allowed principals of
its folder: what is in a folder one may not view is hidden with it
(docs/decisions/0012), in listings and search as on the pages
(:meth:`core.security.SecurityPolicy.permits`). A query then needs only the
requester's *global* principals (their id, groups, global roles,
``system.Everyone``/``system.Authenticated``): a local role is already written
into the objects it reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.location import lineage

from core.permissions import VIEW, role
from core.security import principals_at

_acl = ACLHelper()


def own_viewers(obj) -> frozenset[str]:
    """The principals ``obj``'s own permissions let view it (its folders aside)."""
    allowed = set(_acl.principals_allowed_by_permission(obj, VIEW))
    for above in lineage(obj):
        for principal_id, roles in getattr(above, "local_roles", {}).items():
            if any(role(name) in allowed for name in roles):
                allowed.add(principal_id)
    return frozenset(allowed)


def narrow(outer: Iterable[str], inner: Iterable[str]) -> frozenset[str]:
    """Principals standing for "may view both": those of ``inner`` for whom may
    view ``outer`` (``system.Everyone`` is anyone, ``system.Authenticated`` anyone
    logged in), else the principals both name. Never wider than either side; it
    may be narrower than the truth when two different principals of one person
    open the two sides (a person then finds the object by its address, not in
    listings)."""
    outer, inner = frozenset(outer), frozenset(inner)
    for wide in (Everyone, Authenticated):
        if wide in outer:
            return inner
        if wide in inner:
            return outer
    return outer & inner


def allowed_principals(obj, folder_allowed: Iterable[str] | None = None) -> tuple[str, ...]:
    """The principals allowed to view ``obj``, sorted (see the module docstring);
    ``folder_allowed``: those of its folder, when they are at hand."""
    parent = getattr(obj, "__parent__", None)
    if folder_allowed is None and parent is not None:
        folder_allowed = allowed_principals(parent)
    own = own_viewers(obj)
    found = own if folder_allowed is None else narrow(folder_allowed, own)
    return tuple(sorted(found))


def query_principals(request) -> frozenset[str]:
    """The requester's principals the catalog filters on: global ones only."""
    site = request.root
    return principals_at(request.identity, site, site)


def allowed_in_tree(obj) -> Iterator[tuple[object, tuple[str, ...]]]:
    """``(item, allowed principals)`` for ``obj`` and everything below it, each
    item's computed from its folder's (one pass, not one lineage walk per item)."""
    stack = [(obj, allowed_principals(obj))]
    while stack:
        item, allowed = stack.pop()
        yield item, allowed
        values = getattr(item, "values", None)
        if values is not None:
            stack.extend((child, allowed_principals(child, allowed)) for child in values())
