"""Citizen login through OpenID Connect: the national identity service (VNeID).

The login page offers "Đăng nhập bằng tài khoản định danh điện tử"; ``@@dang-nhap-cong-dan``
sends the browser to the provider's authorize endpoint (authorization code flow with
``state``, ``nonce``, PKCE S256 and ``acr_values``); the provider sends it back to
``@@dang-nhap-cong-dan/callback``, where the code is exchanged at the token endpoint,
the ID token checked (signature against the provider's JWKS, ``iss``, ``aud``,
``exp``, ``nonce``, ``acr``), the userinfo read and the citizen signed in: an account
(:mod:`core.citizens`) created on the first login, matched on the identifier number
afterwards. Each refusal answers 4xx on the login page with a message saying why,
is audited (``login.failed``, ``via=oidc``) and changes nothing stored.

Settings (the feature is off, its pages 404, without ``cong.oidc.issuer`` and
``cong.oidc.client_id``):

- ``cong.oidc.issuer``: the provider's issuer; its endpoints are read from
  ``<issuer>/.well-known/openid-configuration`` unless all of
  ``cong.oidc.authorize_url``, ``token_url``, ``userinfo_url`` and ``jwks_url`` are set
  (those set override discovery);
- ``cong.oidc.client_id``; ``cong.oidc.client_secret_env``: the name of the environment
  variable holding the client secret (never in an ini file); ``cong.oidc.token_auth``:
  ``client_secret_basic`` (default) or ``client_secret_post``;
- ``cong.oidc.scope`` (default ``openid``); ``cong.oidc.acr_values``: the assurance
  levels asked for (space separated); when set, the ID token's ``acr`` must be one;
- ``cong.oidc.identifier_claim`` (default ``SoDinhDanh``: the 12-digit personal
  identification number) and ``cong.oidc.name_claim`` (default ``HoVaTen``), read
  from the userinfo (or the ID token);
- ``cong.oidc.timeout``: seconds to wait for the provider (default 10).
"""

from __future__ import annotations

from pyramid.config import Configurator

from core.interfaces import ISite
from core.oidc.provider import Provider
from core.oidc.settings import read_oidc_settings

#: The page starting a citizen's login; its ``callback`` the provider's way back.
LOGIN_VIEW = "dang-nhap-cong-dan"
CALLBACK = "callback"


def citizen_login_url(request, came_from: str = "") -> str:
    """The address of the citizen login, going to ``came_from`` (a safe address)
    afterwards, for the login page's button; "" when it is off."""
    if getattr(request.registry, "cong_oidc", None) is None:
        return ""
    query = {"came_from": came_from} if came_from else None
    return request.resource_url(request.root, "@@" + LOGIN_VIEW, query=query)


def includeme(config: Configurator) -> None:
    oidc = read_oidc_settings(config.registry.settings)
    config.registry.cong_oidc = Provider(oidc) if oidc is not None else None
    if oidc is not None:
        config.add_view(
            "core.oidc.views.citizen_login", context=ISite, name=LOGIN_VIEW, renderer="login.pt"
        )
