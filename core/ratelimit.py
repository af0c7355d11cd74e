"""Rate limits: at most ``limit`` requests per key (a client's address, a login) in
any ``window`` seconds, counted over a sliding window in the process's memory.

::

    from core.ratelimit import RateLimiter, address_key

    limiter = RateLimiter(limit=10, window=60)
    wait = limiter.hit(address_key(request.client_addr or ""))
    if wait:
        ...  # answer 429 with Retry-After: ceil(wait)

The counts live in the process (a restart forgets them; several processes count
apart), in a table of at most ``capacity`` keys: when it is full, the key used least
recently is forgotten. Safe to share between threads.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable

#: Keys kept at most, unless the limiter is told otherwise.
DEFAULT_CAPACITY = 100_000


def address_key(address: str) -> str:
    """The unit a client address is limited by: an IPv4 address, or the /64 network
    of an IPv6 one (one host commonly holds a whole /64)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


class RateLimiter:
    """At most ``limit`` hits per key in any ``window`` seconds (see the module
    docstring); ``clock`` gives the time in seconds (monotonic by default)."""

    def __init__(
        self,
        limit: int,
        window: float,
        capacity: int = DEFAULT_CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ):
        if limit < 1 or window <= 0 or capacity < 1:
            raise ValueError("limit, window and capacity must be positive")
        self.limit = limit
        self.window = window
        self.capacity = capacity
        self.clock = clock
        self._hits: OrderedDict[Hashable, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._hits)

    def hit(self, key: Hashable) -> float:
        """Count a request of ``key`` and answer 0; or, when ``key`` has had its
        ``limit`` in the last ``window`` seconds, count nothing and answer the
        seconds until it may come again."""
        with self._lock:
            moment = self.clock()
            hits = self._recent(key, moment)
            if len(hits) >= self.limit:
                return max(hits[0] + self.window - moment, 0.0) or 1e-6
            hits.append(moment)
            self._hits[key] = hits
            self._hits.move_to_end(key)
            while len(self._hits) > self.capacity:
                self._hits.popitem(last=False)
            return 0.0

    def remaining(self, key: Hashable) -> int:
        """How many more hits ``key`` may make now."""
        with self._lock:
            return self.limit - len(self._recent(key, self.clock()))

    def _recent(self, key: Hashable, moment: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= moment - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits
