"""CORS: off by default; when origins are listed, preflights are answered on any
path and responses to those origins (only) carry the CORS headers."""

from __future__ import annotations

import pytest
import webtest

from core.cors import read_cors
from core.settings import SettingsError
from core.testing import ADMIN_PASSWORD
from tests.subsites.subsite_core_setup import close, make_app

APP_ORIGIN = "https://app.songlam.gov.vn"
OTHER_ORIGIN = "https://lua-dao.example"
PATHS = ["/", "/tin-tuc/khong-co/@workflow/publish", "/@search", "/@login"]


def preflight(testapp, path, origin, status, method="POST"):
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    return testapp.options(path, headers=headers, status=status)


@pytest.fixture
def cors_app(tmp_path, request):
    settings = {"cong.cors_allow_origins": f"{APP_ORIGIN}\nhttps://khac.songlam.gov.vn"}
    settings.update(getattr(request, "param", {}))
    application = make_app(tmp_path / "var", **settings)
    yield webtest.TestApp(application, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    close(application)


def test_cors_is_off_by_default(testapp):
    response = preflight(testapp, "/", APP_ORIGIN, "*")
    assert response.status_int != 204
    assert "Access-Control-Allow-Origin" not in response.headers
    response = testapp.get("/", headers={"Origin": APP_ORIGIN, "Accept": "application/json"})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("path", PATHS)
def test_a_preflight_from_an_allowed_origin_is_answered_on_any_path(cors_app, path):
    response = preflight(cors_app, path, APP_ORIGIN, 204)
    assert response.headers["Access-Control-Allow-Origin"] == APP_ORIGIN
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST, PATCH, DELETE, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "Accept, Authorization, Content-Type"
    assert response.headers["Access-Control-Max-Age"] == "3600"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Origin" in response.headers["Vary"]


def test_a_preflight_from_another_origin_is_refused(cors_app):
    response = preflight(cors_app, "/", OTHER_ORIGIN, 403)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert OTHER_ORIGIN in response.json["message"]


def test_api_answers_carry_the_headers_for_allowed_origins_only(cors_app):
    json = {"Accept": "application/json"}
    allowed = cors_app.get("/", headers={**json, "Origin": APP_ORIGIN})
    assert allowed.headers["Access-Control-Allow-Origin"] == APP_ORIGIN
    assert "Location" in allowed.headers["Access-Control-Expose-Headers"]
    other = cors_app.get("/", headers={**json, "Origin": OTHER_ORIGIN})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Origin" in other.headers["Vary"]
    login = {"login": "admin", "password": ADMIN_PASSWORD}
    token = cors_app.post_json("/@login", login, headers={"Origin": APP_ORIGIN})
    assert token.headers["Access-Control-Allow-Origin"] == APP_ORIGIN
    refused = cors_app.get("/@@khong-co", headers={**json, "Origin": APP_ORIGIN}, status=404)
    assert refused.headers["Access-Control-Allow-Origin"] == APP_ORIGIN  # errors are readable


@pytest.mark.parametrize(
    "cors_app",
    [{"cong.cors_allow_credentials": "true", "cong.cors_allow_methods": "GET POST"}],
    indirect=True,
)
def test_credentials_and_methods_can_be_set(cors_app):
    response = preflight(cors_app, "/", APP_ORIGIN, 204)
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST"
    answer = cors_app.get("/", headers={"Origin": APP_ORIGIN, "Accept": "application/json"})
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"


@pytest.mark.parametrize("cors_app", [{"cong.cors_allow_origins": "*"}], indirect=True)
def test_any_origin(cors_app):
    response = cors_app.get("/", headers={"Origin": OTHER_ORIGIN, "Accept": "application/json"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_any_origin_with_credentials_is_refused_at_start_up():
    settings = {"cong.cors_allow_origins": "*", "cong.cors_allow_credentials": "true"}
    with pytest.raises(SettingsError, match="cors_allow_credentials"):
        read_cors(settings)
    assert read_cors({}) is None
