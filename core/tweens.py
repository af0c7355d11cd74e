"""Tweens: request limits and response headers that apply to every page."""

from __future__ import annotations

from pyramid.config import Configurator
from pyramid.events import NewResponse

from core.i18n import _

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def upload_limit_tween_factory(handler, registry):
    """Refuse request bodies above ``cong.max_upload_mb`` with 413, before reading them."""
    from core.errors import error_response

    limit_mb = registry.settings["cong"].max_upload_mb
    limit = limit_mb * 1024 * 1024

    def upload_limit_tween(request):
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
    config.add_tween("core.tweens.upload_limit_tween_factory", under="pyramid_tm.tm_tween_factory")
    config.add_subscriber(add_security_headers, NewResponse)
