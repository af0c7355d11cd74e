"""The Content-Security-Policy of HTML pages, with a nonce per request, and HSTS.

Pages load scripts, styles, fonts and data only from their own address; an inline
``<script>`` or ``<style>`` runs only if it carries the request's nonce
(``nonce="${ui.nonce}"`` in a template), and inline event handlers (``onclick``)
and ``style`` attributes never do: behaviour lives in static files, looks in
classes. Images may also come from ``data:`` and other HTTPS sites (content may
show them); nothing may be embedded as an object; other sites may not frame the
pages. So a script an attacker managed to slip into a page would not run.

The header is set by a tween inside the page cache, so a cached page keeps the
policy whose nonce its body holds.

``Strict-Transport-Security`` is sent when ``cong.hsts_max_age`` is set (its
seconds; ``production.ini`` sets a year): only a site served over HTTPS may say so.
The other usual headers are in :data:`core.tweens.SECURITY_HEADERS`.
"""

from __future__ import annotations

import secrets

from pyramid.config import Configurator
from pyramid.tweens import INGRESS

POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data: https:; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "frame-ancestors 'self'"
)


def csp_nonce(request) -> str:
    """The request's nonce (``request.csp_nonce``): random, fresh for every page."""
    return secrets.token_urlsafe(16)


def csp_tween_factory(handler, registry):
    """Give HTML responses the Content-Security-Policy (and every response HSTS
    when it is set)."""
    max_age = registry.settings["cong"].hsts_max_age
    hsts = f"max-age={max_age}" if max_age else ""

    def csp_tween(request):
        response = handler(request)
        headers = response.headers
        if response.content_type == "text/html":
            headers.setdefault("Content-Security-Policy", POLICY.format(nonce=request.csp_nonce))
        if hsts:
            headers.setdefault("Strict-Transport-Security", hsts)
        return response

    return csp_tween


def includeme(config: Configurator) -> None:
    config.add_request_method(csp_nonce, "csp_nonce", reify=True)
    config.add_tween(
        "core.csp.csp_tween_factory",
        over="pyramid_tm.tm_tween_factory",
        under=("core.pagecache.page_cache_tween_factory", INGRESS),
    )
