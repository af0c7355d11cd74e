"""A small OpenID Connect provider for tests, served over real HTTP in a thread.

It answers discovery, JWKS, authorize (redirecting back at once with a code for
the citizen the test chose), token (an RS256 ID token signed with a key made here)
and userinfo, checking what a real provider checks (client authentication, the
code's single use, its redirect URI and PKCE verifier). ``misbehave`` makes it
answer wrongly in one way, to see the portal refuse::

    with OidcProvider() as provider:
        provider.citizen = {"SoDinhDanh": "001190012345", "HoVaTen": "Nguyễn Thị Lan"}
        settings = {**provider.settings(), ...}
        callback = provider.authorize(start.location)  # the portal's callback URL

To try the login by hand: ``python -m core.oidc.testing [PORT]`` serves it (every
login is the citizen given by ``--number`` and ``--name``) and prints the settings.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "cong-test"
CLIENT_SECRET = "bi-mat-cua-thu-nghiem"
SECRET_ENV = "CONG_TEST_OIDC_SECRET"
ACR = "muc-2"

#: The ways :attr:`OidcProvider.misbehave` can answer wrongly.
MISBEHAVIOURS = (
    "audience",  # an ID token for another client
    "expired",  # an ID token expired an hour ago
    "signature",  # signed with a key not in the JWKS
    "nonce",  # another nonce
    "issuer",  # another issuer
    "acr",  # a lower assurance level
    "token-error",  # the token endpoint answers 400 invalid_grant
    "token-garbage",  # the token endpoint answers something not JSON
    "userinfo-error",  # the userinfo endpoint answers 500
    "subject",  # the userinfo's sub is another's
)


class OidcProvider:
    """The provider: its base URL (``issuer``) and what it was asked."""

    def __init__(self, port: int = 0):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.citizen: dict = {}
        self.misbehave = ""
        self.authorize_requests: list[dict] = []
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"provider": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> OidcProvider:
        """Serve, with the client secret in the environment variable the settings
        name (:data:`SECRET_ENV`) until the provider stops."""
        self._secret_before = os.environ.get(SECRET_ENV)
        os.environ[SECRET_ENV] = CLIENT_SECRET
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *args) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._secret_before is None:
            os.environ.pop(SECRET_ENV, None)
        else:
            os.environ[SECRET_ENV] = self._secret_before

    def settings(self, **extra) -> dict:
        """The portal's ``cong.oidc.*`` settings for this provider."""
        return {
            "cong.oidc.issuer": self.issuer,
            "cong.oidc.client_id": CLIENT_ID,
            "cong.oidc.client_secret_env": SECRET_ENV,
            "cong.oidc.acr_values": ACR,
            **extra,
        }

    def authorize(self, location: str) -> str:
        """Follow the portal's redirect to the authorize endpoint (a real HTTP
        request); the URL the provider sends the browser back to."""
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(location, timeout=10)
        except urllib.error.HTTPError as answer:
            if answer.code == 302:
                return answer.headers["Location"]
            raise
        raise AssertionError("the authorize endpoint did not redirect")

    # what the handler calls -------------------------------------------------------
    def make_code(self, params: dict) -> str:
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.authorize_requests.append(params)
            self.codes[code] = {"params": params, "citizen": dict(self.citizen)}
        return code

    def id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": subject(grant["citizen"]),
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["params"].get("nonce", ""),
            "acr": ACR,
        }
        wrong = {
            "audience": {"aud": "another-client"},
            "expired": {"iat": now - 7200, "exp": now - 3600},
            "nonce": {"nonce": "another-nonce"},
            "issuer": {"iss": "https://gia-mao.example"},
            "acr": {"acr": "muc-1"},
        }
        claims.update(wrong.get(self.misbehave, {}))
        key = self.other_key if self.misbehave == "signature" else self.key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)

    def jwks(self) -> dict:
        return KeySet([self.key]).as_dict(private=False)


def subject(citizen: dict) -> str:
    """The ``sub`` of ``citizen``: theirs if given, else made from their number."""
    return citizen.get("sub") or f"sub-{citizen.get('SoDinhDanh', '')}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class _Handler(BaseHTTPRequestHandler):
    provider: OidcProvider

    def do_GET(self):
        parts = urlsplit(self.path)
        provider = self.provider
        if parts.path == "/.well-known/openid-configuration":
            base = provider.issuer
            return self._json(
                200,
                {
                    "issuer": base,
                    "authorization_endpoint": base + "/oauth2/authorize",
                    "token_endpoint": base + "/oauth2/token",
                    "userinfo_endpoint": base + "/oauth2/userinfo",
                    "jwks_uri": base + "/jwks",
                },
            )
        if parts.path == "/jwks":
            return self._json(200, provider.jwks())
        if parts.path == "/oauth2/authorize":
            params = dict(parse_qsl(parts.query))
            back = {"state": params.get("state", "")}
            if provider.misbehave == "denied":
                back["error"] = "access_denied"
            else:
                back["code"] = provider.make_code(params)
            self.send_response(302)
            self.send_header("Location", params["redirect_uri"] + "?" + urlencode(back))
            self.end_headers()
            return None
        if parts.path == "/oauth2/userinfo":
            return self._userinfo()
        return self._json(404, {"error": "not_found"})

    def do_POST(self):
        if urlsplit(self.path).path != "/oauth2/token":
            return self._json(404, {"error": "not_found"})
        provider = self.provider
        body = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        if provider.misbehave == "token-garbage":
            return self._raw(200, b"<html>Bad gateway</html>", "text/html")
        client = self._basic_client()
        with provider.lock:
            grant = provider.codes.pop(body.get("code", ""), None)
        good = (
            grant is not None
            and client == (CLIENT_ID, CLIENT_SECRET)
            and body.get("grant_type") == "authorization_code"
            and body.get("redirect_uri") == grant["params"].get("redirect_uri")
            and _s256(body.get("code_verifier", "")) == grant["params"].get("code_challenge")
            and provider.misbehave != "token-error"
        )
        if not good:
            return self._json(400, {"error": "invalid_grant"})
        access = secrets.token_urlsafe(16)
        with provider.lock:
            provider.access_tokens[access] = grant
        return self._json(
            200,
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.id_token(grant),
            },
        )

    def _userinfo(self):
        provider = self.provider
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        with provider.lock:
            grant = provider.access_tokens.get(token)
        if grant is None or provider.misbehave == "userinfo-error":
            return self._json(500 if grant else 401, {"error": "invalid_token"})
        citizen = grant["citizen"]
        sub = "someone-else" if provider.misbehave == "subject" else subject(citizen)
        info = {"sub": sub, "LoaiTaiKhoan": 1}
        info.update({k: v for k, v in citizen.items() if k != "sub"})
        return self._json(200, info)

    def _basic_client(self) -> tuple[str, str] | None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        login, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return unquote(login), unquote(password)

    def _json(self, status: int, value: dict):
        return self._raw(status, json.dumps(value).encode(), "application/json")

    def _raw(self, status: int, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve() -> None:
    """``python -m core.oidc.testing``: serve a provider until interrupted."""
    import argparse

    parser = argparse.ArgumentParser(description="A test OpenID Connect provider.")
    parser.add_argument("port", type=int, nargs="?", default=8765)
    parser.add_argument("--number", default="001190012345")
    parser.add_argument("--name", default="Nguyễn Thị Lan")
    args = parser.parse_args()
    with OidcProvider(args.port) as provider:
        provider.citizen = {"SoDinhDanh": args.number, "HoVaTen": args.name}
        print(f"export {SECRET_ENV}={CLIENT_SECRET}", flush=True)
        for name, value in provider.settings().items():
            print(f"{name} = {value}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    serve()
