"""Connectors: the systems allowed to hand dossiers in for the national portal
(:mod:`plugins.onestop.national`), each with a token of its own.

A connector is kept in ``site.onestop.connectors`` (name -> :class:`Connector`)
with the SHA-256 digest of its token, never the token itself: the token is shown
once, when the connector is made (``cong onestop connector add``), and a lost one
is replaced by revoking the connector and making another.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from BTrees.OOBTree import OOBTree

from core.clock import now

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}\Z")
#: Bytes of randomness in a token.
TOKEN_BYTES = 32


@dataclass(frozen=True)
class Connector:
    """A connector: its name, its token's digest, the unit receiving its dossiers
    when they name none (``NoiNopHoSo``), when it was made."""

    name: str
    digest: str
    unit: str
    created: datetime


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def connectors_of(site, create: bool = False):
    """The site's connectors (an OOBTree made when ``create``), or None."""
    found = getattr(site.onestop, "connectors", None)
    if found is None and create:
        found = site.onestop.connectors = OOBTree()
    return found


def add_connector(site, name: str, unit: str) -> tuple[Connector, str]:
    """Make connector ``name`` and its token (returned once, never kept);
    ValueError for a bad or taken name."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ValueError("a connector's name is lower-case letters, digits, - and _ (up to 40)")
    connectors = connectors_of(site, create=True)
    if name in connectors:
        raise ValueError(f"there is a connector named {name} already")
    token = f"{name}.{secrets.token_urlsafe(TOKEN_BYTES)}"
    connector = Connector(name, digest_of(token), unit, now())
    connectors[name] = connector
    return connector, token


def revoke_connector(site, name: str) -> bool:
    """Remove connector ``name`` (its token answers 401 from now); whether it was there."""
    connectors = connectors_of(site)
    return connectors is not None and connectors.pop(name, None) is not None


def connector_of_token(site, token: str | None) -> Connector | None:
    """The connector whose token ``token`` is, or None."""
    connectors = connectors_of(site)
    if not token or connectors is None or len(token) > 200:
        return None
    name = token.split(".", 1)[0]
    connector = connectors.get(name)
    if connector is None:
        return None
    return connector if hmac.compare_digest(connector.digest, digest_of(token)) else None
