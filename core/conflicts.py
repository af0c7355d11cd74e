"""Write conflicts between concurrent transactions: retried, logged, and answered
with 503 and ``Retry-After`` when the retries run out, never with 500.

Two transactions changing one object at once: ZODB lets the first commit and
raises ``ConflictError`` in the second, unless the object resolves the conflict
(B-tree buckets merge additions of different keys, ``BTrees.Length`` adds up; the
content structures are built so that adds to one folder resolve: decision 0016).
pyramid_retry runs the request again (``retry.attempts``, 8 by default here);
before each new attempt this module waits a random while, growing with the
attempt (up to a second), so that the requests that collided do not collide again
at once. The conflicts are logged (the object's oid and class) at INFO level.

When the last attempt conflicts too, the requester is told to try again:
``503 Service Unavailable`` with ``Retry-After`` (seconds), as JSON for the API and
as a page otherwise. Nothing of the request was stored.

Within one process, requests that may write (any method but GET, HEAD and
OPTIONS) pass a write gate one at a time, from the start of their transaction to
its commit: Python runs one thread at a time anyway, so overlapping write
transactions in one process gain no speed and only conflict. A request waiting
longer than ``cong.write_gate_timeout`` seconds (default 10: behind a long import)
goes ahead without the gate and relies on the above. ``cong.write_gate = false``
turns the gate off; processes sharing one database (ZEO, RelStorage) still write
concurrently, one transaction each at a time.
"""

from __future__ import annotations

import logging
import random
import threading
import time

from pyramid.response import Response
from pyramid.settings import asbool
from pyramid.tweens import EXCVIEW
from pyramid_retry import IBeforeRetry, is_last_attempt
from transaction.interfaces import NoTransaction
from ZODB.POSException import ConflictError

from core.errors import error_response
from core.i18n import _

log = logging.getLogger(__name__)

#: Attempts at a request whose transaction conflicts (pyramid_retry's setting).
ATTEMPTS = 8
#: The wait before the n-th new attempt is random, up to BACKOFF * 2 ** (n - 1) s
#: and MAX_WAIT s.
BACKOFF = 0.05
MAX_WAIT = 1.0
#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 2
#: Methods that do not pass the write gate.
READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
#: Seconds a request waits at the write gate before it goes ahead without it.
GATE_TIMEOUT = 10.0
MESSAGE = _(
    "Hệ thống đang bận vì nhiều người cùng cập nhật một lúc; thay đổi của bạn chưa được "
    "lưu. Vui lòng thử lại sau ít giây."
)


def wait_before_retry(event) -> None:
    """IBeforeRetry subscriber: log the conflict and wait a random, growing while."""
    exc = event.exception
    attempt = event.environ.get("retry.attempt", 0) + 1
    if isinstance(exc, ConflictError):
        log.info("conflict, attempt %d of %s %r: %s", attempt, event.request.method,
                 event.request.path, exc)  # fmt: skip
    time.sleep(random.uniform(0, min(BACKOFF * 2 ** (attempt - 1), MAX_WAIT)))


def conflict_view(exc: ConflictError, request):
    """A conflict that reached the response: 503 with ``Retry-After``. (Before the
    last attempt, pyramid_retry throws this answer away and tries again.)"""
    if not is_last_attempt(request):
        return Response(status=503)
    log.warning("conflict after the last attempt of %s %r: %s", request.method, request.path, exc)
    message = request.localizer.translate(MESSAGE)
    response = error_response(request, 503, "Conflict", message)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


class _Pass:
    """One request's pass through the write gate, given back once (at the end of
    its transaction, or of the request, whichever comes first)."""

    def __init__(self, lock: threading.Lock, held: bool):
        self._lock = lock
        self._held = held

    def release(self, *args) -> None:
        if self._held:
            self._held = False
            self._lock.release()


def write_gate_tween_factory(handler, registry):
    """Tween under pyramid_tm: requests that may write enter one at a time, before
    their connection opens (so their snapshot holds the previous one's commit), and
    leave when their transaction ends, before after-commit work such as the
    full-text drain."""
    settings = registry.settings
    if not asbool(settings.get("cong.write_gate", True)):
        return handler
    timeout = float(settings.get("cong.write_gate_timeout", GATE_TIMEOUT))
    lock = threading.Lock()

    def write_gate_tween(request):
        if request.method in READ_METHODS:
            return handler(request)
        gate = _Pass(lock, lock.acquire(timeout=timeout))
        request.add_finished_callback(gate.release)
        try:
            txn = request.tm.get()
        except NoTransaction:  # no transaction of pyramid_tm: the turn ends with the request
            return handler(request)
        txn.addAfterCommitHook(gate.release)
        txn.addAfterAbortHook(gate.release)
        return handler(request)

    return write_gate_tween


def includeme(config) -> None:
    """The write gate, the wait before each new attempt and the 503 answer (the
    number of attempts is set with pyramid_retry, from :data:`ATTEMPTS` unless the
    ini says)."""
    config.add_tween(
        "core.conflicts.write_gate_tween_factory", under="pyramid_tm.tm_tween_factory", over=EXCVIEW
    )
    config.add_subscriber(wait_before_retry, IBeforeRetry)
    config.add_exception_view(conflict_view, context=ConflictError)
