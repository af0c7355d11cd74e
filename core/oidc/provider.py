"""Talking to the OpenID Connect provider: its endpoints (discovery), the authorize
address, the code exchange, the ID token's checks and the userinfo.

authlib builds the OAuth 2 parts (authorize address, token request, client
authentication, PKCE), joserfc (authlib's JOSE library) checks the ID token; HTTP
goes through urllib with the configured timeout. Every failure raises
:class:`Refused` with the reason the citizen is told (:data:`REFUSALS`).
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from dataclasses import dataclass

from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from core.clock import now
from core.i18n import _
from core.oidc.settings import OidcSettings

log = logging.getLogger(__name__)

#: Signature algorithms accepted on an ID token.
ALGORITHMS = ("RS256", "PS256", "ES256")
#: Seconds of clock difference tolerated on ``exp`` and ``iat``.
LEEWAY = 60
#: The provider's keys are read again after this many seconds, or when a token's
#: key is unknown (not more than once a minute).
JWKS_SECONDS = 3600
JWKS_RETRY = 60
#: Bytes of an answer read at most.
MAX_ANSWER = 1_000_000

STATE, DENIED, PROVIDER_ERROR = "state", "denied", "provider-error"
UNREACHABLE = "unreachable"
TOKEN, ID_TOKEN, ACR, IDENTIFIER = "token", "id-token", "acr", "identifier"
#: The citizen's account is locked by a Manager (:func:`core.citizens.lock`).
LOCKED = "locked"
#: What each refusal answers: (HTTP status, message).
REFUSALS = {
    STATE: (400, _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.")),
    DENIED: (
        403,
        _(
            "Dịch vụ định danh điện tử không cho phép đăng nhập (bạn đã từ chối hoặc tài khoản không được chấp nhận)."
        ),  # fmt: skip
    ),
    PROVIDER_ERROR: (
        400,
        _("Dịch vụ định danh điện tử báo lỗi nên chưa đăng nhập được. Vui lòng thử lại sau."),
    ),
    UNREACHABLE: (
        503,
        _("Không kết nối được với dịch vụ định danh điện tử. Vui lòng thử lại sau ít phút."),
    ),
    TOKEN: (
        401,
        _("Không xác thực được với dịch vụ định danh điện tử. Vui lòng thử lại sau."),
    ),
    ID_TOKEN: (401, _("Thông tin xác thực nhận từ dịch vụ định danh điện tử không hợp lệ.")),
    ACR: (403, _("Tài khoản định danh điện tử chưa đạt mức độ định danh yêu cầu.")),
    IDENTIFIER: (
        403,
        _("Dịch vụ định danh điện tử không gửi số định danh cá nhân hợp lệ (12 chữ số)."),
    ),
    LOCKED: (
        403,
        _("Tài khoản công dân của bạn đang bị khoá. Vui lòng liên hệ cơ quan quản lý cổng."),
    ),
}


class Refused(Exception):
    """A citizen login refused: ``reason`` is a key of :data:`REFUSALS`."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    """What the provider vouched for: the ``sub``, the identifier number, the name."""

    subject: str
    identifier: str
    name: str


class OneTime:
    """States already used, remembered until they expire (at most ``capacity``)."""

    def __init__(self, capacity: int = 100_000):
        self.capacity = capacity
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def use(self, state: str, expires: float) -> bool:
        """Mark ``state`` used; False when it was already."""
        with self._lock:
            moment = now().timestamp()
            while self._seen and (
                len(self._seen) >= self.capacity or next(iter(self._seen.values())) < moment
            ):
                self._seen.popitem(last=False)
            if state in self._seen:
                return False
            self._seen[state] = expires
            return True


class Provider:
    """The configured provider, its discovery document and keys kept in memory."""

    def __init__(self, settings: OidcSettings):
        self.settings = settings
        self.used_states = OneTime()
        self._lock = threading.Lock()
        self._discovered: dict | None = None
        self._keys: KeySet | None = None
        self._keys_read = 0.0

    # endpoints ---------------------------------------------------------------------
    def endpoint(self, name: str) -> str:
        """The URL of ``authorize_url``, ``token_url``, ``userinfo_url`` or
        ``jwks_url``: the setting, else the discovery document's."""
        url = getattr(self.settings, name)
        if url:
            return url
        key = {
            "authorize_url": "authorization_endpoint",
            "token_url": "token_endpoint",
            "userinfo_url": "userinfo_endpoint",
            "jwks_url": "jwks_uri",
        }[name]
        url = self._discovery().get(key)
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise Refused(PROVIDER_ERROR)
        return url

    def _discovery(self) -> dict:
        with self._lock:
            found = self._discovered
        if found is None:
            found = fetch_json(
                self.settings.issuer + "/.well-known/openid-configuration",
                timeout=self.settings.timeout,
            )
            if found is None or found.get("issuer") != self.settings.issuer:
                raise Refused(PROVIDER_ERROR)
            with self._lock:
                self._discovered = found
        return found

    def _key_set(self, again: bool = False) -> KeySet:
        with self._lock:
            keys, age = self._keys, time.monotonic() - self._keys_read
        if keys is not None and age < JWKS_SECONDS and not (again and age >= JWKS_RETRY):
            return keys
        document = fetch_json(self.endpoint("jwks_url"), timeout=self.settings.timeout)
        try:
            keys = KeySet.import_key_set(document)
        except (JoseError, ValueError, TypeError, KeyError, AttributeError):
            raise Refused(ID_TOKEN) from None
        with self._lock:
            self._keys, self._keys_read = keys, time.monotonic()
        return keys

    # the flow ----------------------------------------------------------------------
    def authorize_url(self, redirect_uri: str, state: str, nonce: str, verifier: str) -> str:
        """Where to send the browser to log in."""
        extra = {"nonce": nonce}
        if self.settings.acr_values:
            extra["acr_values"] = " ".join(self.settings.acr_values)
        return prepare_grant_uri(
            self.endpoint("authorize_url"),
            self.settings.client_id,
            "code",
            redirect_uri=redirect_uri,
            scope=self.settings.scope,
            state=state,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
            **extra,
        )

    def identity(self, code: str, redirect_uri: str, nonce: str, verifier: str) -> Identity:
        """Exchange ``code``, check the ID token, read the userinfo."""
        tokens = self._exchange(code, redirect_uri, verifier)
        claims = self._checked_claims(tokens["id_token"], nonce)
        info = self._userinfo(tokens["access_token"])
        if info.get("sub") != claims["sub"]:
            raise Refused(ID_TOKEN)
        merged = {**claims, **info}
        identifier = merged.get(self.settings.identifier_claim)
        name = merged.get(self.settings.name_claim)
        return Identity(
            subject=claims["sub"],
            identifier=identifier.strip() if isinstance(identifier, str) else "",
            name=name if isinstance(name, str) else "",
        )

    def _exchange(self, code: str, redirect_uri: str, verifier: str) -> dict:
        settings = self.settings
        body = prepare_token_request(
            "authorization_code", code=code, redirect_uri=redirect_uri, code_verifier=verifier
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        method = settings.token_auth if settings.client_secret else "none"
        url = self.endpoint("token_url")
        auth = ClientAuth(settings.client_id, settings.client_secret, method)
        url, headers, body = auth.prepare("POST", url, headers, body)
        tokens = fetch_json(url, body.encode("utf-8"), headers, settings.timeout)
        if tokens is None:
            raise Refused(TOKEN)
        good = (
            isinstance(tokens.get("id_token"), str)
            and isinstance(tokens.get("access_token"), str)
            and str(tokens.get("token_type", "")).lower() == "bearer"
        )
        if not good:
            raise Refused(TOKEN)
        return tokens

    def _checked_claims(self, id_token: str, nonce: str) -> dict:
        settings = self.settings
        try:
            token = self._decode(id_token)
            jwt.JWTClaimsRegistry(
                leeway=LEEWAY,
                iss={"essential": True, "value": settings.issuer},
                aud={"essential": True, "value": settings.client_id},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True},
            ).validate(token.claims)
        except (JoseError, ValueError, TypeError, AttributeError):
            raise Refused(ID_TOKEN) from None
        claims = token.claims
        if not isinstance(claims["sub"], str) or not hmac.compare_digest(
            str(claims["nonce"]).encode(), nonce.encode()
        ):
            raise Refused(ID_TOKEN)
        if claims.get("azp", settings.client_id) != settings.client_id:
            raise Refused(ID_TOKEN)
        if settings.acr_values and claims.get("acr") not in settings.acr_values:
            raise Refused(ACR)
        return claims

    def _decode(self, id_token: str):
        try:
            return jwt.decode(id_token, self._key_set(), algorithms=list(ALGORITHMS))
        except JoseError:  # perhaps a key the provider added since: read them again once
            return jwt.decode(id_token, self._key_set(again=True), algorithms=list(ALGORITHMS))

    def _userinfo(self, access_token: str) -> dict:
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        info = fetch_json(self.endpoint("userinfo_url"), None, headers, self.settings.timeout)
        if info is None:
            raise Refused(TOKEN)
        return info


def fetch_json(
    url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 10
) -> dict | None:
    """The JSON object ``url`` answers (POSTing ``data`` if given), or None: an
    error status of the client kind (4xx), an answer that is not a JSON object.
    A provider out of reach, too slow or failing (5xx) raises :class:`Refused`
    (:data:`UNREACHABLE`), logged for the operators."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(MAX_ANSWER + 1)
    except urllib.error.HTTPError as answer:
        if answer.code < 500:
            return None
        log.warning("identity provider failing: %s answered %s", url, answer.code)
        raise Refused(UNREACHABLE) from None
    except (OSError, ValueError) as exc:  # refused, reset, timed out, name not found
        log.warning("identity provider out of reach: %s (%s)", url, exc)
        raise Refused(UNREACHABLE) from None
    if len(raw) > MAX_ANSWER:
        return None
    try:
        found = json.loads(raw)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None
