"""The citizen login's settings (``cong.oidc.*``: see :mod:`core.oidc`)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from pyramid.settings import asbool, aslist

TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")
DEFAULT_IDENTIFIER_CLAIM = "SoDinhDanh"
DEFAULT_NAME_CLAIM = "HoVaTen"
DEFAULT_TIMEOUT = 10
ENDPOINTS = ("authorize_url", "token_url", "userinfo_url", "jwks_url")


@dataclass(frozen=True)
class OidcSettings:
    """The ``cong.oidc.*`` settings, checked."""

    issuer: str
    client_id: str
    client_secret: str = ""
    token_auth: str = "client_secret_basic"
    scope: str = "openid"
    acr_values: tuple[str, ...] = ()
    identifier_claim: str = DEFAULT_IDENTIFIER_CLAIM
    name_claim: str = DEFAULT_NAME_CLAIM
    timeout: float = DEFAULT_TIMEOUT
    authorize_url: str = ""
    token_url: str = ""
    userinfo_url: str = ""
    jwks_url: str = ""


def read_oidc_settings(settings: dict) -> OidcSettings | None:
    """The citizen login's settings, or None when it is off; a
    :class:`core.settings.SettingsError` names a setting that cannot be used."""
    from core.settings import SettingsError

    def get(name: str, default: str = "") -> str:
        return str(settings.get(f"cong.oidc.{name}", default) or default).strip()

    issuer, client_id = get("issuer").rstrip("/"), get("client_id")
    if not issuer or not client_id:
        return None
    secret = ""
    secret_env = get("client_secret_env")
    if secret_env:
        secret = os.environ.get(secret_env, "")
        if not secret:
            raise SettingsError(f"cong.oidc.client_secret_env: the variable {secret_env} is empty")
    token_auth = get("token_auth", "client_secret_basic")
    if token_auth not in TOKEN_AUTH_METHODS:
        raise SettingsError(f"cong.oidc.token_auth must be one of {', '.join(TOKEN_AUTH_METHODS)}")
    try:
        timeout = float(get("timeout", str(DEFAULT_TIMEOUT)))
    except ValueError:
        timeout = 0
    if not 0 < timeout <= 120:
        raise SettingsError("cong.oidc.timeout must be a number of seconds (at most 120)")
    urls = {name: get(name) for name in ENDPOINTS}
    schemes = ("https://",) if asbool(settings.get("cong.production")) else ("https://", "http://")
    for name, url in [("issuer", issuer), *urls.items()]:
        if url and not url.startswith(schemes):
            raise SettingsError(f"cong.oidc.{name} must be an https URL (http only in development)")
    scope = get("scope", "openid")
    if "openid" not in scope.split():
        raise SettingsError("cong.oidc.scope must include openid")
    return OidcSettings(
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        token_auth=token_auth,
        scope=scope,
        acr_values=tuple(aslist(get("acr_values"))),
        identifier_claim=get("identifier_claim", DEFAULT_IDENTIFIER_CLAIM),
        name_claim=get("name_claim", DEFAULT_NAME_CLAIM),
        timeout=timeout,
        **urls,
    )
