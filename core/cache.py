"""A cache of values derived from the database, valid until the next commit.

Pages repeat work that only changes when content changes: the navigation, the
latest news. :func:`cached` keeps such values keyed by the database's last
transaction id as seen when the request opened its connection, so any commit
anywhere makes every entry stale at once: never a stale menu, no invalidation
code. A value computed from a snapshot newer than its key is only ever served to
requests that read the same key, which are at least that new. The key also holds
the minute of :func:`core.clock.now`, so values that depend on the time without
any commit (news whose publication time comes) are at most a minute late.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from core.clock import now

MAX_ENTRIES = 5000


def transaction_key(request) -> Any:
    """The database's last transaction id when this request started reading."""
    return request.environ.get("cong.tid")


def cached(request, key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()``, or the value it gave for ``key`` since the last commit.

    ``key`` must name everything the value depends on besides the content itself
    (the principals, the language, the host...). Values must not be changed by
    the caller.
    """
    tid = transaction_key(request)
    if tid is None:
        return compute()
    store: dict = request.registry.cong_cache
    full_key = (tid, now().replace(second=0, microsecond=0), key)
    try:
        return store[full_key]
    except KeyError:
        pass
    value = compute()
    if len(store) >= MAX_ENTRIES:
        store.clear()
    store[full_key] = value
    return value


def includeme(config) -> None:
    config.registry.cong_cache = {}
