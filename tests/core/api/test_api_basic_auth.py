"""HTTP Basic authentication on the JSON API, as plone.restapi clients send it:
checked and throttled as the login form, refused over plain HTTP when required."""

from __future__ import annotations

import base64

import pytest
import webtest

from core.testing import ADMIN_PASSWORD, add, make_settings
from tests.subsites.subsite_core_setup import close, make_app

JSON = {"Accept": "application/json"}
LOCKED = "Tài khoản tạm khoá đăng nhập từ địa chỉ này do nhập sai nhiều lần."


def basic(login: str, password: str, **headers) -> dict:
    token = base64.b64encode(f"{login}:{password}".encode()).decode("ascii")
    return {**JSON, "Authorization": f"Basic {token}", **headers}


@pytest.fixture
def items(model):
    """A private page and a published one, at the site root."""
    add(model, model.site, "Page", name="nhap", title="Bản nháp")
    add(model, model.site, "Page", "published", name="cong-khai", title="Công khai")
    model.commit()


def test_right_credentials_act_as_the_user(testapp, items):
    testapp.get("/nhap", headers=JSON, status=401)
    assert testapp.get("/nhap", headers=basic("admin", ADMIN_PASSWORD)).json["title"] == "Bản nháp"
    data = {"@type": "Page", "title": "Qua Basic"}
    created = testapp.post_json("/", data, headers=basic("admin", ADMIN_PASSWORD), status=201)
    assert created.json["title"] == "Qua Basic"  # no CSRF token: like a bearer token


@pytest.mark.parametrize(
    "header",
    [
        basic("admin", "sai-mat-khau"),
        basic("khong-co-ai", ADMIN_PASSWORD),
        {**JSON, "Authorization": "Basic !!!khong-phai-base64"},
        {**JSON, "Authorization": "Basic " + base64.b64encode(b"khong-co-dau-hai-cham").decode()},
    ],
    ids=["wrong-password", "unknown-login", "not-base64", "no-colon"],
)
def test_wrong_credentials_get_401_with_a_challenge_even_on_a_public_item(testapp, items, header):
    testapp.get("/cong-khai", headers=JSON)  # anonymous: fine (and now in the page cache)
    response = testapp.get("/cong-khai", headers=header, status=401)
    assert response.json["type"] == "Unauthorized"
    assert response.json["message"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert response.headers["WWW-Authenticate"] == 'Basic realm="cong", charset="UTF-8"'


def test_basic_failures_are_throttled_with_the_login_form(app, testapp, items):
    for _ in range(5):
        testapp.get("/nhap", headers=basic("admin", "sai"), status=401)
    response = testapp.get("/nhap", headers=basic("admin", ADMIN_PASSWORD), status=401)
    assert LOCKED in response.json["message"]
    response = testapp.post_json(
        "/@login", {"login": "admin", "password": ADMIN_PASSWORD}, status=401
    )
    assert LOCKED in response.json["message"]


def test_an_address_hammering_with_basic_gets_429(app, testapp, items):
    from core.auth import LoginThrottle

    app.registry.cong_login_throttle = LoginThrottle(max_address_failures=5)
    for n in range(5):
        testapp.get("/cong-khai", headers=basic(f"ten-{n}", "sai"), status=401)
    response = testapp.get("/cong-khai", headers=basic("admin", ADMIN_PASSWORD), status=429)
    assert int(response.headers["Retry-After"]) > 0


def test_a_page_request_ignores_basic_credentials(testapp, items):
    headers = {"Authorization": basic("admin", ADMIN_PASSWORD)["Authorization"]}
    response = testapp.get("/nhap", headers=headers, status=302)
    assert "@@login" in response.location


def test_what_a_basic_user_sees_is_not_cached_for_visitors(testapp, items):
    testapp.get("/", headers=basic("admin", ADMIN_PASSWORD))
    listed = testapp.get("/", headers=basic("admin", ADMIN_PASSWORD)).json["items"]
    assert "Bản nháp" in [i["title"] for i in listed]
    visitor = webtest.TestApp(testapp.app)
    assert "Bản nháp" not in [i["title"] for i in visitor.get("/", headers=JSON).json["items"]]


@pytest.fixture
def https_only(tmp_path):
    application = make_app(
        tmp_path / "var",
        **{"cong.basic_auth_require_https": "true", "cong.trusted_proxies": "10.0.0.5"},
    )
    yield application
    close(application)


def test_plain_http_is_refused_where_https_is_required(https_only):
    testapp = webtest.TestApp(https_only, extra_environ={"REMOTE_ADDR": "10.0.0.9"})
    response = testapp.get("/", headers=basic("admin", ADMIN_PASSWORD), status=403)
    assert response.json["type"] == "HttpsRequired"
    secure = webtest.TestApp(https_only, extra_environ={"wsgi.url_scheme": "https"})
    assert secure.get("/", headers=basic("admin", ADMIN_PASSWORD)).status_int == 200
    proxied = webtest.TestApp(https_only, extra_environ={"REMOTE_ADDR": "10.0.0.5"})
    headers = basic("admin", ADMIN_PASSWORD, **{"X-Forwarded-Proto": "https"})
    assert proxied.get("/", headers=headers).status_int == 200
    forged = basic("admin", ADMIN_PASSWORD, **{"X-Forwarded-Proto": "https"})
    testapp.get("/", headers=forged, status=403)  # not from the trusted proxy


def test_the_setting_follows_production_unless_set(tmp_path):
    from core.settings import read_settings

    settings = make_settings(tmp_path)
    assert not read_settings(settings).basic_auth_require_https
    production = {**settings, "cong.production": "true", "cong.initial_admin_password": "x-9"}
    assert read_settings(production).basic_auth_require_https
    production["cong.basic_auth_require_https"] = "false"
    assert not read_settings(production).basic_auth_require_https
