"""gzip for text responses (HTML, JSON, CSS, JS, XML, feeds) to clients that take it.

:func:`compression_tween_factory` compresses a response on its way out when the
client's ``Accept-Encoding`` takes gzip, and says ``Vary: Accept-Encoding`` on
every response that could be compressed, so a shared cache keeps both forms. The
page cache (:mod:`core.pagecache`) compresses a visitor's page once when it keeps
it and serves the stored bytes to every later visitor; this tween leaves a response
that is already encoded alone.
"""

from __future__ import annotations

import zlib

from pyramid.config import Configurator

#: Media types compressed (besides ``text/*``).
COMPRESSIBLE = frozenset(
    {
        "application/json",
        "application/javascript",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/xhtml+xml",
        "image/svg+xml",
    }
)
#: Bodies smaller than this are sent as they are (gzip would not save a packet).
MIN_SIZE = 512
#: Bodies larger than this are sent as they are (compressed on each request, a
#: large file would hold the worker).
MAX_SIZE = 4 * 1024 * 1024
#: zlib's level: 6 is its default, within a few per cent of 9 for far less time.
LEVEL = 6


def compressible(content_type: str | None) -> bool:
    """Whether responses of ``content_type`` are worth compressing."""
    if not content_type:
        return False
    return content_type.startswith("text/") or content_type in COMPRESSIBLE


def accepts_gzip(environ: dict) -> bool:
    """Whether the request's ``Accept-Encoding`` takes gzip (and not with ``q=0``)."""
    header = environ.get("HTTP_ACCEPT_ENCODING", "")
    if "gzip" not in header:
        return False
    for part in header.split(","):
        name, _semi, params = part.partition(";")
        if name.strip().lower() in ("gzip", "x-gzip"):
            key, _eq, value = params.partition("=")
            if key.strip().lower() != "q":
                return True
            try:
                return float(value) > 0
            except ValueError:
                return False
    return False


def gzip_bytes(body: bytes) -> bytes:
    """``body`` in the gzip format."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)  # 16 + 15: a gzip header
    return packer.compress(body) + packer.flush()


def add_vary(headers, name: str = "Accept-Encoding") -> None:
    """Add ``name`` to a response's ``Vary`` header (once)."""
    present = [v.strip().lower() for v in headers.get("Vary", "").split(",") if v.strip()]
    if name.lower() not in present and "*" not in present:
        headers["Vary"] = ", ".join([*filter(None, [headers.get("Vary", "")]), name])


def gzip_etag(etag: str) -> str:
    """The entity tag of the gzip form of a representation tagged ``etag``."""
    return etag[:-1] + '-gzip"' if etag.endswith('"') else etag


def compress_response(request, response) -> None:
    """Compress ``response`` in place when the request takes gzip and it is worth it.

    A response already encoded, or already varying on ``Accept-Encoding`` (the page
    cache chose its form for the client), is left as it is."""
    headers = response.headers
    if "Content-Encoding" in headers or "accept-encoding" in headers.get("Vary", "").lower():
        return
    if not compressible(response.content_type):
        return
    add_vary(headers)
    length = response.content_length
    if (
        response.status_code != 200
        or not accepts_gzip(request.environ)
        or length is None
        or not MIN_SIZE <= length <= MAX_SIZE
        or "Content-Range" in response.headers
    ):
        return
    response.body = gzip_bytes(response.body)
    response.headers["Content-Encoding"] = "gzip"
    if "ETag" in response.headers:
        response.headers["ETag"] = gzip_etag(response.headers["ETag"])


def compression_tween_factory(handler, registry):
    """Compress text responses for clients that take gzip (see the module docstring)."""

    def compression_tween(request):
        response = handler(request)
        compress_response(request, response)
        return response

    return compression_tween


def includeme(config: Configurator) -> None:
    config.add_tween(
        "core.compression.compression_tween_factory", under="core.tweens.decoding_tween_factory"
    )
