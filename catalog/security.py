"""Who may see an object, as the catalog indexes it (Plone's allowedRolesAndUsers).

An object's *allowed principals* are the principals its ACLs grant ``view`` along
its lineage (``system.Everyone``, ``role:Editor``...), plus every user or group
holding one of those roles locally on the object or a folder above it. A query
then needs only the requester's *global* principals (their id, groups, global
roles, ``system.Everyone``/``system.Authenticated``): a local role is already
written into the objects it reaches.
"""

from __future__ import annotations

from pyramid.authorization import ACLHelper
from pyramid.location import lineage

from core.permissions import VIEW, role
from core.security import principals_at

_acl = ACLHelper()


def allowed_principals(obj) -> tuple[str, ...]:
    """The principals allowed to view ``obj``, sorted (see the module docstring)."""
    allowed = set(_acl.principals_allowed_by_permission(obj, VIEW))
    for above in lineage(obj):
        for principal_id, roles in getattr(above, "local_roles", {}).items():
            if any(role(name) in allowed for name in roles):
                allowed.add(principal_id)
    return tuple(sorted(allowed))


def query_principals(request) -> frozenset[str]:
    """The requester's principals the catalog filters on: global ones only."""
    site = request.root
    return principals_at(request.identity, site, site)
