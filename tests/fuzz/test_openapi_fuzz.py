"""The API fuzz test, driven by the OpenAPI document: every operation of ``/@openapi``
gets requests built from what it declares, and none gets a 5xx.

Each operation (a path and a method) is placed on an object of the demo portal
providing its ``x-cong-context``, its other path parameters taken from their
``example``. Its requests carry query parameters and a JSON body drawn from the
declared schemas (:mod:`tests.fuzz.schema_values`): valid values, or values that
break one rule (a wrong JSON type, out of ``minimum``/``maximum`` or ``enum``, a
required member missing, an unknown member, a string too long or holding control
characters), text that is not UTF-8 in a query value or a JSON string, malformed
JSON; anonymously or as the admin (bearer token). What could take away the admin's
token or the demo's objects (``DELETE``, logging out, renewing the token) is sent
last.

Every operation is reached at least once (answered something else than 404 or
405), so an endpoint added later is covered without touching this test. The run is
seeded (``CONG_FUZZ_SEED``); ``CONG_API_FUZZ_REQUESTS`` sets its length.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from pyramid.path import DottedNameResolver
from pyramid.traversal import resource_path
from webob import Request

from core.testing import SiteAccess
from plugins.documents.interfaces import IOffice
from tests.fuzz.harness import SEED, admin_token, content_of, run
from tests.fuzz.hostile import BAD_UTF8, Attempt
from tests.fuzz.schema_values import ANY, Schemas

REQUESTS = int(os.environ.get("CONG_API_FUZZ_REQUESTS", "1500"))
#: Requests (of valid values) every operation gets before the random ones.
VALID_FIRST = ("anonymous", "admin")
#: Operations whose success as the admin would end the admin's token.
TOKEN_ENDING = ("@logout", "@login-renew")
MALFORMED_JSON = (b"{", b'{"a": }', b"", b"[1,2", b'{"a":1}{', b"nul", b"[" * 3000)


@dataclass(frozen=True)
class Operation:
    """One operation of the document, placed on the demo portal."""

    method: str
    template: str
    path: str
    parameters: tuple[dict, ...]
    body: dict | None

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"

    def rank(self, identity: str) -> int:
        """When to send it: 0 with the others, 1 after them (the admin's deletions),
        2 at the very end (what ends the admin's token)."""
        if identity != "admin":
            return 0
        if self.template.endswith(TOKEN_ENDING):
            return 2
        return 1 if self.method == "DELETE" else 0


def openapi(app) -> dict:
    return Request.blank("/@openapi").get_response(app).json


def operations_of(app, document: dict, more=None) -> list[Operation]:
    """Every operation of ``document``, its path made concrete on the demo (or on
    the objects ``more(site)`` adds: records a plugin keeps that are not content)."""
    resolver = DottedNameResolver()
    with SiteAccess(app) as site:
        objects = [obj for obj in content_of(site) if obj is not site]
        objects += list(more(site)) if more is not None else []
        found = []
        for template, item in document["paths"].items():
            for method, op in item.items():
                path = template
                for param in op.get("parameters", []):
                    if param["in"] != "path":
                        continue
                    if "x-cong-context" in param:
                        iface = resolver.resolve(param["x-cong-context"])
                        obj = next(o for o in objects if iface.providedBy(o))
                        value = resource_path(obj).strip("/")
                    else:
                        value = quote(str(param["example"]), safe="")
                    path = path.replace("{" + param["name"] + "}", value)
                body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
                params = tuple(p for p in op.get("parameters", []) if p["in"] == "query")
                found.append(Operation(method.upper(), template, path, params, body.get("schema")))
    return found


def query_value(value) -> list[str]:
    """``value`` as the percent-encoded values of a query parameter."""
    if isinstance(value, list):
        return [v for item in value for v in query_value(item)]
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, dict) or value is None:
        value = json.dumps(value)
    return [quote(str(value).encode("utf-8", "surrogatepass"), safe="")]


def query_of(op: Operation, schemas: Schemas, rng: random.Random, valid: bool) -> str:
    """A query string of ``op``'s parameters (one broken unless ``valid``)."""
    parts = []
    broken = None if valid else rng.randrange(len(op.parameters) + 1)
    for index, param in enumerate(op.parameters):
        if param.get("required") and valid and "example" in param:
            values = query_value(param["example"])
        elif index == broken:
            if param.get("required") and rng.random() < 0.3:
                continue  # a required parameter missing
            if rng.random() < 0.2:
                values = [rng.choice(BAD_UTF8)]
            else:
                values = query_value(schemas.wrong(param["schema"], rng))
        elif param.get("required") or rng.random() < 0.3:
            values = query_value(schemas.valid(param["schema"], rng))
        else:
            continue
        parts += [f"{quote(param['name'], safe='')}={v}" for v in values]
    return "&".join(parts)


def body_of(op: Operation, schemas: Schemas, rng: random.Random, valid: bool) -> bytes:
    """A JSON body for ``op``: valid, breaking one rule, not UTF-8 or malformed."""
    schema = op.body or ANY
    if valid:
        return json.dumps(schemas.valid(schema, rng)).encode()
    kind = rng.randrange(10)
    if kind == 0:
        return rng.choice(MALFORMED_JSON)
    if kind == 1:  # a string value that is not UTF-8
        text = json.dumps(schemas.valid(schema, rng) or {"title": "x"}).encode()
        return text.replace(b'"', b'"\xff\xfe', 2) if b'"' in text else b'"\xff"'
    return json.dumps(schemas.wrong(schema, rng)).encode()


def attempt_of(
    op: Operation, schemas: Schemas, rng: random.Random, identity: str, token: str, valid: bool
) -> Attempt:
    query = query_of(op, schemas, rng, valid)
    headers = {"Accept": "application/json"}
    if identity == "admin":
        headers["Authorization"] = f"Bearer {token}"
    body = b""
    if op.method in ("POST", "PATCH", "PUT") or op.body is not None:
        body = body_of(op, schemas, rng, valid)
        headers["Content-Type"] = "application/json"
    url = op.path + ("?" + query if query else "")
    return Attempt(op.method, url, headers, body, identity)


def plan(app, document: dict, seed: int, count: int, more=None) -> tuple[list[Attempt], dict]:
    """``count`` requests (valid ones of every operation first) from ``seed``, the
    admin's deletions and then what ends the admin's token last; and the operation
    of each request."""
    rng = random.Random(seed)
    schemas = Schemas(document)
    operations = operations_of(app, document, more)
    token = admin_token(app)
    drawn = [(op, identity, True) for op in operations for identity in VALID_FIRST]
    while len(drawn) < count:
        identity = "admin" if rng.random() < 0.5 else "anonymous"
        drawn.append((rng.choice(operations), identity, rng.random() < 0.2))
    ranked: tuple[list, list, list] = ([], [], [])
    operation_of = {}
    for op, identity, valid in drawn:
        request = attempt_of(op, schemas, rng, identity, token, valid)
        operation_of[id(request)] = op.key
        ranked[op.rank(identity)].append(request)
    return [request for requests in ranked for request in requests], operation_of


def records_kept_beside_content(site) -> list:
    """What the plugins keep outside the content tree and address by URL (their
    views are in the document too): the one-stop desks' dossiers and the
    documents of the units' registers."""
    registry = getattr(site, "onestop", None)
    found = list(registry.codes.values()) if registry is not None else []
    offices = (obj for obj in content_of(site) if IOffice.providedBy(obj))
    return found + [document for office in offices for document in office.documents.values()]


def test_no_request_built_from_the_openapi_document_gets_a_server_error(demo_app):
    document = openapi(demo_app)
    attempts, operation_of = plan(demo_app, document, SEED, REQUESTS, records_kept_beside_content)
    reached = Counter()

    def answered(request: Attempt, status: int):
        if status not in (404, 405):
            reached[operation_of[id(request)]] += 1

    failures, statuses = run(demo_app, attempts, answered)
    operations = {f"{m.upper()} {p}" for p, item in document["paths"].items() for m in item}
    summary = ", ".join(f"{status // 100}xx: {n}" for status, n in sorted(statuses.items()))
    print(
        f"api fuzz: seed {SEED}, {len(attempts)} requests, {len(reached)} of "
        f"{len(operations)} operations reached ({summary}), {len(failures)} failures"
    )
    assert not failures, (
        f"seed {SEED} (CONG_FUZZ_SEED={SEED} to repeat): {len(failures)} of {len(attempts)} "
        "requests failed:\n" + "\n".join(failures[:60])
    )
    assert operations - set(reached) == set()
