"""CORS: which other sites' pages may call the portal (its JSON API) from a browser.

Off unless ``cong.cors_allow_origins`` lists origins (space or line separated, e.g.
``https://app.haiduong.gov.vn``; ``*`` for any). Then a preflight (an ``OPTIONS``
request with ``Origin`` and ``Access-Control-Request-Method``) is answered on any
path without reaching the site: 204 with the allowed methods, headers and max age
for an allowed origin, 403 for another. Every other response to an allowed origin
carries ``Access-Control-Allow-Origin`` (and ``-Credentials`` when set); responses
to other origins carry none, so browsers keep their pages out.

Settings: ``cong.cors_allow_methods`` (default ``GET POST PATCH DELETE OPTIONS``),
``cong.cors_allow_headers`` (default ``Accept Authorization Content-Type``),
``cong.cors_allow_credentials`` (default false: browsers then send no cookies;
not with ``*``), ``cong.cors_max_age`` (seconds a preflight is kept, default 3600).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.config import Configurator
from pyramid.response import Response
from pyramid.settings import asbool, aslist

from core.i18n import _
from core.settings import SettingsError

DEFAULT_METHODS = "GET POST PATCH DELETE OPTIONS"
DEFAULT_HEADERS = "Accept Authorization Content-Type"
EXPOSED_HEADERS = "Location, Retry-After, WWW-Authenticate"


@dataclass(frozen=True)
class CorsPolicy:
    """The CORS settings; ``origins`` holds ``*`` for any origin."""

    origins: frozenset[str]
    methods: tuple[str, ...]
    headers: tuple[str, ...]
    credentials: bool
    max_age: int

    def allows(self, origin: str) -> bool:
        return "*" in self.origins or origin in self.origins

    def response_headers(self, origin: str) -> dict[str, str]:
        """The headers every response to an allowed ``origin`` carries."""
        any_origin = "*" in self.origins and not self.credentials
        headers = {
            "Access-Control-Allow-Origin": "*" if any_origin else origin,
            "Access-Control-Expose-Headers": EXPOSED_HEADERS,
        }
        if self.credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        return headers

    def preflight_headers(self, origin: str) -> dict[str, str]:
        """The headers of the answer to an allowed ``origin``'s preflight."""
        return {
            **self.response_headers(origin),
            "Access-Control-Allow-Methods": ", ".join(self.methods),
            "Access-Control-Allow-Headers": ", ".join(self.headers),
            "Access-Control-Max-Age": str(self.max_age),
        }


def read_cors(settings: dict) -> CorsPolicy | None:
    """The CORS policy of the ``cong.cors_*`` settings; None when CORS is off."""
    origins = frozenset(o.rstrip("/") for o in aslist(settings.get("cong.cors_allow_origins", "")))
    if not origins:
        return None
    credentials = asbool(settings.get("cong.cors_allow_credentials", False))
    if credentials and "*" in origins:
        raise SettingsError(
            "cong.cors_allow_credentials cannot be used with cong.cors_allow_origins = *: "
            "list the origins"
        )
    try:
        max_age = int(settings.get("cong.cors_max_age", 3600))
    except (TypeError, ValueError):
        raise SettingsError("cong.cors_max_age must be a whole number") from None
    return CorsPolicy(
        origins=origins,
        methods=tuple(
            m.upper() for m in aslist(settings.get("cong.cors_allow_methods", DEFAULT_METHODS))
        ),
        headers=tuple(aslist(settings.get("cong.cors_allow_headers", DEFAULT_HEADERS))),
        credentials=credentials,
        max_age=max_age,
    )


def is_preflight(request) -> bool:
    return (
        request.method == "OPTIONS"
        and "Origin" in request.headers
        and "Access-Control-Request-Method" in request.headers
    )


def cors_tween_factory(handler, registry):
    """Answer preflights and add the CORS headers (see the module docstring)."""
    policy: CorsPolicy = registry.cong_cors

    def cors_tween(request):
        origin = request.headers.get("Origin", "")
        if is_preflight(request):
            if policy.allows(origin):
                response = Response(status=204, headers=policy.preflight_headers(origin))
            else:
                message = request.localizer.translate(
                    _("Địa chỉ ${origin} không được phép gọi cổng này.", mapping={"origin": origin})
                )
                response = Response(json_body={"type": "Forbidden", "message": message}, status=403)
        else:
            response = handler(request)
            if origin and policy.allows(origin):
                response.headers.update(policy.response_headers(origin))
        response.vary = tuple(dict.fromkeys([*(response.vary or ()), "Origin"]))
        return response

    return cors_tween


def includeme(config: Configurator) -> None:
    policy = read_cors(config.registry.settings)
    config.registry.cong_cors = policy
    if policy is not None:
        config.add_tween(
            "core.cors.cors_tween_factory",
            over=("core.pagecache.page_cache_tween_factory", "pyramid_tm.tm_tween_factory"),
        )
