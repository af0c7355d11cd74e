"""Hostile inputs for the fuzz test: query strings, paths, bodies and headers that a
careless client or an attacker sends, drawn from a seeded ``random.Random``.

Everything here is pure: given the same generator state, the same requests.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

#: Parameter names the views read (and a few nobody reads).
PARAM_NAMES = (
    "b_start", "b_size", "SearchableText", "q", "facets", "sort_on", "sort_order",
    "path.query", "path", "path.depth", "portal_type", "review_state", "subsite", "year",
    "scope", "lang", "tuan", "trang", "came_from", "expand", "expand.navigation.depth",
    "type", "field", "tier", "level", "online", "agency", "kind", "target", "id", "login",
    "fullobjects", "metadata_fields", "ids", "action", "transition", "comment", "uid",
    "modified.query", "modified.range", "Subject", "format", "width", "size", "x", "",
)  # fmt: skip

#: Already percent-encoded values that do not decode as UTF-8.
BAD_UTF8 = ("%ff", "%C3%28", "%ed%a0%80", "%c0%af", "%fe%ff", "abc%80", "%e2%82")

#: Text values, sent percent-encoded.
TEXTS = (
    "", " ", "0", "1", "-1", "-99999999999999999999", "9" * 5000, "1e309", "0x10", "NaN",
    "inf", "1.5", "00000000000000000000001", "2147483648", "<script>alert(1)</script>",
    "\x00", "\x1b[31m", "\r\nSet-Cookie: x=1", "đ", "Đà Nẵng", "../../etc/passwd", "/", "//",
    "%", "'\"", "x" * 3000, "😀", "\u202e", "null", "[]", "{}", "true", "*", "AND", "(((",
    "2025-13-45", "2025-W99", "0000-00-00", "a,b,,c", "/tin-tuc", "http://evil.example/",
    "javascript:alert(1)", "published", "Page", "relevance", "sortable_title", "ascending",
    "state", "review_state", "type_name", "en", "vi", "xx", "@@search", "\\", "\t",
)  # fmt: skip

#: Path segments appended to a URL now and then.
PATH_TAILS = (
    "/%ff", "/%00", "/%0a", "/" + "a" * 300, "/..", "/%2e%2e", "/@@", "/@@%ff", "//", "/++api++",
    "/@@search", "/%C4%91", "/%20", "/;x", "/x?", "/%25", "/@@/", "/@workflow/%ff",
    "/@workflow/publish", "/@workflow/retract", "/@workflow/x" + "y" * 100,
)  # fmt: skip

TYPE_NAMES = ("Page", "Folder", "News", "File", "Image", "Link", "Subsite", "Service",
              "Announcement", "Event", "Document", "", "Nothing", 5, None)  # fmt: skip
JSON_KEYS = ("@type", "title", "id", "description", "text", "source", "login", "password",
             "url", "effective", "expires", "state", "review_state", "comment", "ordering",
             "unit_kind", "code", "hostnames", "file", "image", "items", "token")  # fmt: skip


def json_value(rng: random.Random, depth: int = 0):
    """A JSON value of the wrong type as often as of the right one."""
    kind = rng.randrange(10)
    if kind == 0 or depth > 2:
        return rng.choice(TEXTS)
    if kind == 1:
        return rng.choice([0, -1, 10**30, 1.5, float("1e308"), True, False, None])
    if kind == 2:
        return [json_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 3:
        return {rng.choice(JSON_KEYS): json_value(rng, depth + 1) for _ in range(rng.randrange(3))}
    if kind == 4:
        return {"data": "!!not base64!!", "filename": rng.choice(TEXTS)[:50],
                "content-type": rng.choice(["image/png", "text/plain", 5]),
                "encoding": rng.choice(["base64", "rot13", None])}  # fmt: skip
    return rng.choice(TEXTS)[:200]


def json_body(rng: random.Random) -> bytes:
    """A JSON body: an object with typical keys holding odd values, or malformed."""
    kind = rng.randrange(12)
    if kind == 0:
        return rng.choice([b"{", b'{"title": }', b"\xff\xfe", b"", b"nul", b'{"a":1}{', b"[1,2"])
    if kind == 1:
        return b"[" * 5000 + b"]" * 5000  # deep nesting
    if kind == 2:
        return json.dumps(json_value(rng)).encode()
    if kind == 3:
        return rng.choice(
            [
                b'{"title": "\\u0000\\u001b", "@type": "Page"}',  # escaped controls
                b'{"title": "\\ud800", "@type": "Page"}',  # a lone surrogate
            ]
        )
    data = {rng.choice(JSON_KEYS): json_value(rng) for _ in range(rng.randrange(1, 6))}
    if rng.random() < 0.5:
        data["@type"] = rng.choice(TYPE_NAMES)
    return json.dumps(data).encode()


def value(rng: random.Random) -> str:
    """One query value, percent-encoded (sometimes not decodable as UTF-8)."""
    if rng.random() < 0.12:
        return rng.choice(BAD_UTF8)
    return quote(rng.choice(TEXTS), safe="")


def query_string(rng: random.Random) -> str:
    """A query string of a few hostile parameters (some repeated)."""
    parts = []
    for _ in range(rng.randrange(0, 5)):
        name = quote(rng.choice(PARAM_NAMES), safe="")
        for _ in range(1 if rng.random() < 0.8 else rng.randrange(2, 4)):
            parts.append(f"{name}={value(rng)}")
    return "&".join(parts)


def form_body(rng: random.Random) -> bytes:
    """An ``application/x-www-form-urlencoded`` body of hostile fields."""
    fields = {rng.choice(PARAM_NAMES + JSON_KEYS): rng.choice(TEXTS)[:500] for _ in range(4)}
    fields["csrf_token"] = rng.choice(["", "x", "0" * 64])
    body = urlencode(fields).encode()
    return body + b"&bad=%ff" if rng.random() < 0.2 else body


@dataclass
class Attempt:
    """One request of the fuzz run, kept to say what caused a failure."""

    method: str
    url: str
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    identity: str = "anonymous"

    def describe(self) -> str:
        body = self.body[:120] + (b"..." if len(self.body) > 120 else b"")
        headers = {k: (v[:60] if isinstance(v, str) else v) for k, v in self.headers.items()}
        shown = self.url if len(self.url) < 200 else self.url[:200] + "..."
        return f"{self.method} {shown} as {self.identity} headers={headers} body={body!r}"


def attempt(rng: random.Random, method: str, path: str, identity: str, token: str) -> Attempt:
    """A hostile request of ``method`` to ``path`` (a URL path) as ``identity``."""
    if rng.random() < 0.1:
        path = path.rstrip("/") + rng.choice(PATH_TAILS)
    query = query_string(rng)
    url = path + ("?" + query if query else "")
    headers: dict[str, str] = {}
    if rng.random() < 0.55:
        headers["Accept"] = "application/json"
    elif rng.random() < 0.2:
        headers["Accept"] = rng.choice(["*/*", "text/html", "application/json;q=0", "garbage"])
    if rng.random() < 0.15:
        headers["Accept-Language"] = rng.choice(["en", "vi", "xx", "en;q=abc", "*"])
    if rng.random() < 0.2:
        headers["Accept-Encoding"] = rng.choice(["gzip", "gzip;q=0", "br", "*", "gzip;q=x"])
    if rng.random() < 0.05:
        headers["If-None-Match"] = rng.choice(['W/"x"', "*", "garbage", '"' * 10])
        headers["If-Modified-Since"] = rng.choice(["yesterday", "Thu, 01 Jan 1970 00:00:00 GMT"])
    if identity == "admin":
        headers["Authorization"] = f"Bearer {token}"
    elif rng.random() < 0.05:
        headers["Authorization"] = rng.choice(["Bearer x", "Basic !!!", "Bearer " + "a" * 5000])
    body = b""
    if method in ("POST", "PUT", "PATCH", "DELETE") and rng.random() < 0.9:
        if rng.random() < 0.7:
            body = json_body(rng)
            headers["Content-Type"] = rng.choice(["application/json"] * 4 + ["text/plain"])
        else:
            body = form_body(rng)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
    return Attempt(method, url, headers, body, identity)
