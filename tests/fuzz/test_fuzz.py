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

import os
import random
from dataclasses import dataclass

from pyramid.traversal import resource_path
from zope.interface.interfaces import IInterface

from core.testing import SiteAccess
from tests.fuzz.harness import SEED, admin_token, content_of, run
from tests.fuzz.hostile import Attempt, attempt

REQUESTS = int(os.environ.get("CONG_FUZZ_REQUESTS", "2500"))
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
#: Objects of the demo a view is tried on, at most, per view.
PLACES_PER_VIEW = 3
#: Files asked of a static route.
STATIC_NAMES = ("style.css", "cong.js", "x", "%ff", "..%2f..%2fsetup.py", "a/../../b")


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
