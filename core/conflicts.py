"""Write conflicts between concurrent transactions: retried, logged, and answered
with 503 and ``Retry-After`` when the retries run out, never with 500.

Two transactions changing one object at once: ZODB lets the first commit and
raises ``ConflictError`` in the second, unless the object resolves the conflict
(B-tree buckets merge additions of different keys, ``BTrees.Length`` adds up; the
content structures are built so that adds to one folder resolve: decision 0016).
pyramid_retry runs the request again (``retry.attempts``, 5 by default here);
before each new attempt this module waits a random while, growing with the
attempt, so that the requests that collided do not collide again at once. The
conflicts are logged (the object's oid and class) at INFO level.

When the last attempt conflicts too, the requester is told to try again:
``503 Service Unavailable`` with ``Retry-After`` (seconds), as JSON for the API and
as a page otherwise. Nothing of the request was stored.
"""

from __future__ import annotations

import logging
import random
import time

from pyramid.response import Response
from pyramid_retry import IBeforeRetry, is_last_attempt
from ZODB.POSException import ConflictError

from core.errors import error_response
from core.i18n import _

log = logging.getLogger(__name__)

#: Attempts at a request whose transaction conflicts (pyramid_retry's setting).
ATTEMPTS = 5
#: The wait before the n-th new attempt is random, up to BACKOFF * 2 ** (n - 1) s.
BACKOFF = 0.05
#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 2
MESSAGE = _(
    "Hệ thống đang bận vì nhiều người cùng cập nhật một lúc; thay đổi của bạn chưa được "
    "lưu. Vui lòng thử lại sau ít giây."
)


def wait_before_retry(event) -> None:
    """IBeforeRetry subscriber: log the conflict and wait a random, growing while."""
    exc = event.exception
    attempt = event.environ.get("retry.attempt", 0) + 1
    if isinstance(exc, ConflictError):
        log.info("conflict, attempt %d of %s %s: %s", attempt, event.request.method,
                 event.request.path, exc)  # fmt: skip
    time.sleep(random.uniform(0, BACKOFF * 2 ** (attempt - 1)))


def conflict_view(exc: ConflictError, request):
    """A conflict that reached the response: 503 with ``Retry-After``. (Before the
    last attempt, pyramid_retry throws this answer away and tries again.)"""
    if not is_last_attempt(request):
        return Response(status=503)
    log.warning("conflict after the last attempt of %s %s: %s", request.method, request.path, exc)
    message = request.localizer.translate(MESSAGE)
    response = error_response(request, 503, "Conflict", message)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def includeme(config) -> None:
    """The wait before each new attempt and the 503 answer (the number of attempts
    is set with pyramid_retry, from :data:`ATTEMPTS` unless the ini says)."""
    config.add_subscriber(wait_before_retry, IBeforeRetry)
    config.add_exception_view(conflict_view, context=ConflictError)
