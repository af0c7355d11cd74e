"""Tweens: request limits and response headers that apply to every page.

A request whose path or query string is not UTF-8 (``/%ff``, ``?a=%ff``) is
answered 400 here, once for every view: the outermost tween
(:func:`decoding_tween_factory`) notes the problem and replaces the undecodable
parts with text that reads (so the tweens after it, the error page and the log can
use the request), and :func:`upload_limit_tween_factory`, inside the transaction,
answers the 400 with the site's error page. Views then read typed parameters with
:mod:`core.params`.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from pyramid.config import Configurator
from pyramid.events import NewResponse
from pyramid.tweens import INGRESS

from core.i18n import _

#: Where :func:`decoding_tween_factory` notes an undecodable request.
UNDECODABLE = "cong.undecodable"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def decodes(value: str) -> bool:
    """Whether a WSGI string (bytes as latin-1) holds UTF-8 text."""
    if value.isascii():
        return True
    try:
        value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return False
    return True


def query_decodes(query_string: str) -> bool:
    """Whether every name and value of a query string, unquoted, is UTF-8 text."""
    if "%" not in query_string:
        return decodes(query_string)
    if not decodes(query_string):
        return False
    try:
        parse_qsl(query_string, keep_blank_values=True, errors="strict")
    except UnicodeError:
        return False
    return True


def readable(value: str) -> str:
    """A WSGI string whose undecodable bytes are written ``%XX`` (as text)."""
    raw = value.encode("latin-1", "replace")
    return raw.decode("utf-8", "backslashreplace").replace("\\x", "%").encode().decode("latin-1")


def decoding_tween_factory(handler, registry):
    """First of all: note a path or query string that is not UTF-8 (the 400 is
    answered by :func:`upload_limit_tween_factory`) and make the request readable."""

    def decoding_tween(request):
        environ = request.environ
        if not decodes(environ.get("PATH_INFO", "")):
            environ[UNDECODABLE] = "path"
            environ["PATH_INFO"] = readable(environ["PATH_INFO"])
        if not query_decodes(environ.get("QUERY_STRING", "")):
            environ[UNDECODABLE] = "query"
            environ["QUERY_STRING"] = ""
        return handler(request)

    return decoding_tween


def upload_limit_tween_factory(handler, registry):
    """Refuse, inside the transaction (so with the site's error page), a request
    :func:`decoding_tween_factory` found undecodable with 400, and request bodies
    above ``cong.max_upload_mb`` with 413, before reading them."""
    from core.errors import error_response

    limit_mb = registry.settings["cong"].max_upload_mb
    limit = limit_mb * 1024 * 1024

    def upload_limit_tween(request):
        if UNDECODABLE in request.environ:
            message = _("Địa chỉ hoặc tham số của yêu cầu không phải là văn bản UTF-8 hợp lệ.")
            return error_response(request, 400, message=request.localizer.translate(message))
        length = request.content_length
        if length is not None and length > limit:
            return error_response(
                request,
                413,
                "RequestEntityTooLarge",
                request.localizer.translate(
                    _("Dữ liệu gửi lên quá lớn: tối đa ${mb} MB.", mapping={"mb": limit_mb})
                ),
            )
        return handler(request)

    return upload_limit_tween


def add_security_headers(event) -> None:
    headers = event.response.headers
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)


def includeme(config: Configurator) -> None:
    config.add_tween("core.tweens.decoding_tween_factory", under=INGRESS)
    config.include("core.compression")
    config.add_tween("core.tweens.upload_limit_tween_factory", under="pyramid_tm.tm_tween_factory")
    config.add_subscriber(add_security_headers, NewResponse)
