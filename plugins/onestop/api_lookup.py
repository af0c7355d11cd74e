"""``GET /@lookup?code=<dossier code>&id_number=<identifier>``: the citizen's
look-up, at the portal and at every subsite (:func:`~plugins.onestop.lookup.find_for_applicant`).

A right pair answers what the applicant may know (:func:`~plugins.onestop.serialize.lookup_json`);
anything else — an unknown code, a wrong number, a parameter missing — answers
404 "Không tìm thấy hồ sơ." and nothing more. Each client address may look up
``cong.onestop.lookup_per_minute`` times a minute (default
:data:`DEFAULT_PER_MINUTE`); beyond, 429 with ``Retry-After``. The page of the
look-up uses the same limit (:func:`lookup_wait`).
"""

from __future__ import annotations

import math

from pyramid.exceptions import ConfigurationError

from core.api import api_view
from core.api.errors import ApiError, not_allowed
from core.api.params import Param, api_params
from core.i18n import _
from core.interfaces import INavigationRoot
from core.ratelimit import RateLimiter, address_key
from plugins.onestop.lookup import find_for_applicant
from plugins.onestop.serialize import lookup_json

SETTING = "cong.onestop.lookup_per_minute"
DEFAULT_PER_MINUTE = 10
NOT_FOUND = _("Không tìm thấy hồ sơ.")


def includeme(config) -> None:
    """Read the look-up's limit (a wrong value stops the start with a message) and
    give the registry its limiter."""
    raw = config.registry.settings.get(SETTING, DEFAULT_PER_MINUTE)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 10_000:
        raise ConfigurationError(f"{SETTING} must be a whole number from 1 to 10000, not {raw!r}")
    config.registry.onestop_lookup_limiter = RateLimiter(value, 60)


def lookup_wait(request) -> int:
    """Count a look-up from the request's address: 0 when it may go on, else the
    whole seconds it must wait."""
    limiter = request.registry.onestop_lookup_limiter
    return math.ceil(limiter.hit(address_key(request.client_addr or "")))


@api_view(context=INavigationRoot, name="@lookup", request_method="GET")
@api_params(
    Param("code", "query", _("Mã hồ sơ"), required=True, example="20001-260212-0001"),
    Param(
        "id_number", "query", _("Số giấy tờ của người nộp"), required=True, example="001190012345"
    ),
)
def lookup_view(context, request):
    """A dossier's status for its applicant: its code and the applicant's
    identifier number; 404 for any wrong pair, 429 beyond the limit."""
    wait = lookup_wait(request)
    if wait:
        raise ApiError(
            429,
            _("Tra cứu quá nhiều lần. Vui lòng thử lại sau ${n} giây.", mapping={"n": wait}),
            "TooManyRequests",
            headers={"Retry-After": str(wait)},
        )
    values = [request.GET.getall(name) for name in ("code", "id_number")]
    dossier = None
    if all(len(v) == 1 for v in values):
        dossier = find_for_applicant(request.root, values[0][0].strip(), values[1][0].strip())
    if dossier is None:
        raise ApiError(404, NOT_FOUND, "NotFound")
    request.add_response_callback(not_stored)
    return lookup_json(request, dossier)


def not_stored(request, response) -> None:
    """Personal data: kept by no cache (the page cache, a browser's, a proxy's)."""
    response.cache_control.no_store = True
    response.cache_control.private = True


@api_view(context=INavigationRoot, name="@lookup", require_csrf=False)
def lookup_other_methods(context, request):
    raise not_allowed("GET")
