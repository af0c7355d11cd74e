"""The fuzz test: thousands of hostile requests over every view and API, and no 5xx.

The targets come from the application itself: every view registered in Pyramid's
introspector (its name, the interface or class of its context, its request
methods; the routes of static files), placed on content of those types in the demo
portal (folders, pages, news, events, procedures, subsites...). Each request takes a
target and a method (one the view names, or any other), hostile query parameters
(text that is not UTF-8, numbers of 5,000 digits, negative numbers, repeated
parameters, control characters, markup), a malformed or mistyped JSON or form body,
odd headers, anonymously or as the admin (bearer token). The admin's ``DELETE``
requests come last, so what they remove does not thin out the others.

The run is seeded: ``CONG_FUZZ_SEED`` picks another sequence, ``CONG_FUZZ_REQUESTS``
another length. Every request answered 5xx (or raising out of the application) is
collected, and the failure lists them all with the seed and the error logged.
"""

from __future__ import annotations

import logging
import os
import random
from collections import Counter
from dataclasses import dataclass

import pytest
from pyramid.traversal import resource_path
from webob import Request
from zope.interface.interfaces import IInterface

from core import main
from core.demo import load_demo, read_demo
from core.interfaces import IFolder
from tests.conftest import ModelRequest, SiteAccess, make_settings
from tests.fuzz.hostile import Attempt, attempt

SEED = int(os.environ.get("CONG_FUZZ_SEED", "20261202"))
REQUESTS = int(os.environ.get("CONG_FUZZ_REQUESTS", "2500"))
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
#: Objects of the demo a view is tried on, at most, per view.
PLACES_PER_VIEW = 3
#: Files asked of a static route.
STATIC_NAMES = ("style.css", "cong.js", "x", "%ff", "..%2f..%2fsetup.py", "a/../../b")


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The application with the demo portal loaded (shared by the module)."""
    app = main({}, **make_settings(tmp_path_factory.mktemp("fuzz") / "var"))
    model = ModelRequest(app)
    load_demo(model.request, read_demo(), echo=lambda line: None)
    model.commit()
    model.close()
    yield app
    for db in app.registry._zodb_databases.values():
        db.close()


@dataclass(frozen=True)
class Target:
    """A URL path a view answers, and the methods the view names."""

    path: str
    methods: tuple[str, ...]


def fits(obj, context) -> bool:
    if context is None:
        return True
    if IInterface.providedBy(context):
        return context.providedBy(obj)
    return isinstance(context, type) and isinstance(obj, context)


def content_of(site) -> list:
    """Every object of the site, breadth first."""
    found, queue = [], [site]
    while queue:
        obj = queue.pop(0)
        found.append(obj)
        if IFolder.providedBy(obj):
            queue.extend(obj.values())
    return found


def view_url(path: str, name: str) -> str:
    if not name:
        return path
    return path.rstrip("/") + "/" + (name if name.startswith("@") else "@@" + name)


def targets_of(app, rng: random.Random) -> list[Target]:
    """Every registered view, placed on up to :data:`PLACES_PER_VIEW` objects of the
    site it applies to (static routes: on a few file names)."""
    introspector = app.registry.introspector
    routes = {
        r["introspectable"]["name"]: r["introspectable"]["pattern"]
        for r in introspector.get_category("routes")
    }
    targets = []
    with SiteAccess(app) as site:
        objects = content_of(site)
        for entry in introspector.get_category("views"):
            view = entry["introspectable"]
            if view["exception_only"]:
                continue
            methods = view["request_methods"] or METHODS
            methods = (methods,) if isinstance(methods, str) else tuple(methods)
            if view["route_name"]:
                pattern = "/" + routes[view["route_name"]].lstrip("/")
                for name in STATIC_NAMES:
                    targets.append(Target(pattern.replace("*subpath", name), methods))
                continue
            places = [obj for obj in objects if fits(obj, view["context"])]
            for obj in rng.sample(places, min(PLACES_PER_VIEW, len(places))):
                targets.append(Target(view_url(resource_path(obj), view["name"]), methods))
    return targets


def admin_token(app) -> str:
    request = Request.blank(
        "/@login", method="POST", body=b'{"login": "admin", "password": "admin"}'
    )
    request.headers.update({"Accept": "application/json", "Content-Type": "application/json"})
    return request.get_response(app).json["token"]


def plan(app, seed: int, count: int) -> list[Attempt]:
    """``count`` hostile requests from ``seed``; the admin's deletions last."""
    rng = random.Random(seed)
    targets = targets_of(app, rng)
    token = admin_token(app)
    first, last = [], []
    for _ in range(count):
        target = rng.choice(targets)
        method = rng.choice(target.methods if rng.random() < 0.6 else METHODS)
        identity = "admin" if rng.random() < 0.4 else "anonymous"
        request = attempt(rng, method, target.path, identity, token)
        (last if identity == "admin" and method == "DELETE" else first).append(request)
    return first + last


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


def run(app, attempts: list[Attempt]) -> tuple[list[str], Counter]:
    """Send every attempt; the failures (5xx or an exception) and the statuses."""
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
            if status >= 500:
                failures.append(f"{status}: {request.describe()}\n  logged: {errors.last}")
    finally:
        logger.removeHandler(errors)
    return failures, statuses


def test_no_hostile_request_gets_a_server_error(demo_app):
    attempts = plan(demo_app, SEED, REQUESTS)
    failures, statuses = run(demo_app, attempts)
    summary = ", ".join(f"{status // 100}xx: {n}" for status, n in sorted(statuses.items()))
    print(f"fuzz: seed {SEED}, {len(attempts)} requests ({summary}), {len(failures)} failures")
    assert not failures, (
        f"seed {SEED} (CONG_FUZZ_SEED={SEED} to repeat): {len(failures)} of {len(attempts)} "
        "requests failed:\n" + "\n".join(failures[:60])
    )
    assert statuses[200] > len(attempts) // 10  # the run reached the views, not only errors
