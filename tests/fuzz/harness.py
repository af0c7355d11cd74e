"""What the fuzz runs share: the seed, the demo's objects and admin token, and
sending the requests to the application, collecting its failures."""

from __future__ import annotations

import logging
import os
from collections import Counter

from webob import Request

from core.interfaces import IFolder
from tests.fuzz.hostile import Attempt

#: The seed of the fuzz runs (another one: another sequence of requests).
SEED = int(os.environ.get("CONG_FUZZ_SEED", "20261202"))


def admin_token(app) -> str:
    """A bearer token of the demo's admin."""
    request = Request.blank(
        "/@login", method="POST", body=b'{"login": "admin", "password": "admin"}'
    )
    request.headers.update({"Accept": "application/json", "Content-Type": "application/json"})
    return request.get_response(app).json["token"]


def content_of(site) -> list:
    """Every object of the site, breadth first."""
    found, queue = [], [site]
    while queue:
        obj = queue.pop(0)
        found.append(obj)
        if IFolder.providedBy(obj):
            queue.extend(obj.values())
    return found


class LastError(logging.Handler):
    """Keeps the last exception the application logged."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.last = ""

    def emit(self, record):
        error = record.exc_info[1] if record.exc_info else None
        self.last = f"{type(error).__name__}: {error}"[:300] if error else record.getMessage()


def send(app, request: Attempt):
    """The application's response to ``request`` (decoded as sent on the wire)."""
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    blank = Request.blank(request.url, environ=environ, method=request.method)
    blank.headers.update(request.headers)
    if request.body:
        blank.body = request.body
    return blank.get_response(app)


def run(app, attempts: list[Attempt], answered=None) -> tuple[list[str], Counter]:
    """Send every attempt; the failures (5xx or an exception) and the statuses.

    ``answered(attempt, status)``, if given, is told each status."""
    errors = LastError()
    logger = logging.getLogger()
    logger.addHandler(errors)
    failures, statuses = [], Counter()
    try:
        for request in attempts:
            errors.last = ""
            try:
                status = send(app, request).status_code
            except Exception as exc:  # noqa: BLE001 - what escaped the application
                failures.append(
                    f"raised {type(exc).__name__}: {exc}"[:300] + f"\n  {request.describe()}"
                )
                continue
            statuses[status // 100 * 100] += 1
            if answered is not None:
                answered(request, status)
            if status >= 500:
                failures.append(f"{status}: {request.describe()}\n  logged: {errors.last}")
    finally:
        logger.removeHandler(errors)
    return failures, statuses
