"""Health: whether the process is alive, and whether it is ready to serve.

``GET /@@health`` (liveness) answers ``200 {"status": "ok"}`` at once, without
touching the database: the process takes requests. ``GET /@@health/ready``
(readiness) opens a connection to the database and reads the site, then runs the
readiness checks the layers above the kernel registered with the
``config.add_readiness_check(name, check)`` directive (the catalog's
``text_index``: the full-text backend answers a query, and the index queue's
length); it answers ``200`` when every check passes, else ``503``, with JSON::

    {"status": "ok",
     "checks": {"database": {"status": "ok"},
                "text_index": {"status": "ok", "index_queue_length": 0}}}

    {"status": "unavailable", "reason": "text_index: FileNotFoundError",
     "checks": {"database": {"status": "ok"},
                "text_index": {"status": "failed", "error": "FileNotFoundError"}}}

A failed check names only the kind of error (its details, which may hold paths,
go to the log). Both addresses are answered by a tween above the page cache, the
transaction and traversal: no login, no CSRF, no personal data, never cached
(``Cache-Control: no-store``), on any host.

A check is ``check(registry, site)``: it raises when its part cannot serve, and
returns figures (a mapping of names, in ``a-z0-9_``, to numbers; or None) shown
with it and exported as gauges by :mod:`core.metrics` (``cong_<name>``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

import transaction
from pyramid.config import Configurator
from pyramid.response import Response

from core.site import get_site

log = logging.getLogger(__name__)

#: The addresses of liveness and readiness.
LIVE_PATH = "/@@health"
READY_PATH = "/@@health/ready"
PATHS = frozenset({LIVE_PATH, READY_PATH})
#: The name of a check's figure (a part of a Prometheus metric's name).
FIGURE_RE = re.compile(r"^[a-z][a-z0-9_]*\Z")

#: A readiness check: raises when not ready; returns figures (name -> number) or None.
ReadinessCheck = Callable[[object, object], Mapping[str, float] | None]


@dataclass
class CheckResult:
    """How one readiness check went: ``error`` is the kind of error ('' when it passed)."""

    name: str
    error: str = ""
    figures: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error

    def as_json(self) -> dict:
        if self.error:
            return {"status": "failed", "error": self.error}
        return {"status": "ok", **self.figures}


def add_readiness_check(config: Configurator, name: str, check: ReadinessCheck) -> None:
    """Directive ``config.add_readiness_check(name, check)``: ``/@@health/ready``
    also asks ``check(registry, site)`` (see the module docstring). Two checks of one
    name conflict at start-up."""
    check = config.maybe_dotted(check)

    def register() -> None:
        config.registry.cong_readiness_checks[name] = check

    config.action(("cong.readiness_check", name), register)


def _run(name: str, check: Callable[[], Mapping[str, float] | None]) -> CheckResult:
    """Run one check: its figures, or the kind of error it raised (logged in full)."""
    try:
        figures = dict(check() or {})
        for figure, value in figures.items():
            if not FIGURE_RE.match(figure) or not isinstance(value, int | float):
                raise ValueError(f"figure {figure!r}: a name of a-z, 0-9 and _, and a number")
    except Exception as error:  # noqa: BLE001 - whatever fails, the answer is "not ready"
        log.warning("readiness check %s failed", name, exc_info=error)
        return CheckResult(name, error=type(error).__name__)
    return CheckResult(name, figures=figures)


def run_checks(registry) -> list[CheckResult]:
    """Open the database and read the site (the check ``database``), then run every
    registered check on it; a database that cannot be read ends the list."""
    db = registry._zodb_databases[""]
    tm = transaction.TransactionManager()
    held: dict = {}  # the connection and the site read_site opened

    def read_site() -> None:
        held["conn"] = db.open(tm)
        site = get_site(held["conn"])
        if site is None:
            raise LookupError("the database holds no site")
        site._p_activate()
        held["site"] = site

    try:
        results = [_run("database", read_site)]
        if results[0].ok:
            checks = registry.cong_readiness_checks.items()
            results += [
                _run(name, partial(check, registry, held["site"])) for name, check in checks
            ]
        return results
    finally:
        tm.abort()
        if "conn" in held:
            held["conn"].close()


def readiness(registry) -> tuple[int, dict]:
    """The status and JSON body of ``/@@health/ready``."""
    results = run_checks(registry)
    checks = {result.name: result.as_json() for result in results}
    failed = [result for result in results if not result.ok]
    if not failed:
        return 200, {"status": "ok", "checks": checks}
    reason = "; ".join(f"{result.name}: {result.error}" for result in failed)
    return 503, {"status": "unavailable", "reason": reason, "checks": checks}


def _answer(status: int, body: dict) -> Response:
    response = Response(status=status, json_body=body)
    response.cache_control = "no-store"
    return response


def health_tween_factory(handler, registry):
    """Answer ``GET /@@health`` and ``GET /@@health/ready`` (module docstring)."""

    def health_tween(request):
        path = request.path_info.rstrip("/")
        if path not in PATHS or request.method not in ("GET", "HEAD"):
            return handler(request)
        if path == LIVE_PATH:
            return _answer(200, {"status": "ok"})
        return _answer(*readiness(registry))

    return health_tween


def includeme(config: Configurator) -> None:
    """The ``add_readiness_check`` directive and the tween answering the health
    addresses (above the page cache and the transaction)."""
    config.registry.cong_readiness_checks = {}
    config.add_directive("add_readiness_check", add_readiness_check)
    config.add_tween(
        "core.health.health_tween_factory",
        over=("core.pagecache.page_cache_tween_factory", "pyramid_tm.tm_tween_factory"),
    )
