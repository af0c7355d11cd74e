"""Citizen login through OpenID Connect, against a provider of the test's own
(:mod:`core.oidc.testing`, real HTTP) and the portal through WebTest."""

from __future__ import annotations

import json
import socket
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import webtest

from core import main
from core.clock import frozen, now
from core.htmlcheck import java_missing, validate
from core.oidc.settings import read_oidc_settings
from core.oidc.testing import ACR, CLIENT_ID, OidcProvider
from core.settings import SettingsError
from core.testing import SiteAccess, flash_texts, login, make_settings

LAN = {"SoDinhDanh": "001190012345", "HoVaTen": "Nguyễn Thị Lan"}
START = "/@@dang-nhap-cong-dan"


@pytest.fixture(scope="module")
def provider():
    with OidcProvider() as running:
        yield running


@pytest.fixture(scope="module")
def app(provider, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("var")
    application = main({}, **make_settings(data_dir, **provider.settings()))
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture(autouse=True)
def well_behaved(provider):
    provider.misbehave = ""
    provider.citizen = dict(LAN)


def client(app) -> webtest.TestApp:
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})


def to_provider(browser, came_from: str = "") -> str:
    """Start a citizen login: the authorize URL the portal sends the browser to."""
    page = browser.get(START, {"came_from": came_from} if came_from else {}, status=302)
    return page.location


def come_back(browser, provider, location: str, status="*"):
    """The provider's answer to ``location``, brought back to the portal."""
    back = urlsplit(provider.authorize(location))
    return browser.get(f"{back.path}?{back.query}", status=status)


def sign_in(browser, provider, status="*"):
    return come_back(browser, provider, to_provider(browser), status)


def citizens(app) -> dict:
    """The stored citizens: identifier -> (login, name)."""
    with SiteAccess(app) as site:
        found = site.principals.citizens
        if found is None:
            return {}
        return {c.identifier: (c.login, c.fullname) for c in found.accounts.values()}


def audit_lines(app) -> list[dict]:
    folder = app.registry.cong_audit.directory
    return [
        json.loads(line)
        for path in sorted(__import__("pathlib").Path(folder).glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]


def test_the_login_page_offers_it_and_the_authorize_request_is_complete(app, provider):
    browser = client(app)
    page = browser.get("/@@login")
    button = page.html.select_one(".citizen-login a")
    assert button.get_text() == "Đăng nhập bằng tài khoản định danh điện tử"
    location = to_provider(browser, came_from="/tin-tuc")
    asked = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert location.startswith(provider.issuer + "/oauth2/authorize?")
    assert asked["client_id"] == CLIENT_ID and asked["response_type"] == "code"
    assert asked["acr_values"] == ACR and asked["scope"] == "openid"
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert len(asked["state"]) >= 32 and len(asked["nonce"]) >= 32
    assert asked["redirect_uri"] == "http://localhost/@@dang-nhap-cong-dan/callback"
    done = come_back(browser, provider, location, status=302)
    assert done.location == "http://localhost/tin-tuc"


def test_first_login_creates_the_account_and_the_next_matches_it(app, provider, caplog):
    caplog.set_level("INFO")
    browser = client(app)
    page = sign_in(browser, provider, status=302).follow()
    assert "*********345" in caplog.text and LAN["SoDinhDanh"] not in caplog.text
    assert "Đăng nhập thành công" in flash_texts(page)
    login_name, name = citizens(app)[LAN["SoDinhDanh"]]
    assert name == "Nguyễn Thị Lan" and login_name.startswith("citizen:")
    assert LAN["SoDinhDanh"] not in login_name
    provider.citizen = {**LAN, "HoVaTen": "Nguyễn Thị Lan Anh"}  # a new name, same person
    sign_in(client(app), provider, status=302)
    assert citizens(app)[LAN["SoDinhDanh"]] == (login_name, "Nguyễn Thị Lan Anh")
    provider.citizen = {"SoDinhDanh": "079200001111", "HoVaTen": "Nguyễn Thị Lan Anh"}
    sign_in(client(app), provider, status=302)  # same name, another person
    assert len({login for login, _ in citizens(app).values()}) == 2
    logins = [e for e in audit_lines(app) if e["action"] == "login"]
    assert logins[-1]["details"] == {"via": "oidc"}
    assert all(LAN["SoDinhDanh"] not in json.dumps(e) for e in audit_lines(app))


def test_a_citizen_is_no_staff_user(app, provider):
    browser = client(app)
    sign_in(browser, provider, status=302)
    home = browser.get("/")
    assert home.html.select_one(".topbar-user").get_text() == "Nguyễn Thị Lan"
    assert home.html.select_one(".topbar-user a") is None  # no password to change
    browser.get("/@@password", status=404)
    admin = client(app)
    login(admin)
    users = admin.get("/@@users")
    assert "Nguyễn Thị Lan" not in users.text and "citizen:" not in users.text
    login_name = citizens(app)[LAN["SoDinhDanh"]][0]
    form = client(app).get("/@@login").forms["login-form"]
    form["login"], form["password"] = login_name, "anything"
    assert "không đúng" in form.submit(status=200).html.select_one("#login-error").get_text()


REFUSED = {
    "audience": (401, "không hợp lệ"),
    "expired": (401, "không hợp lệ"),
    "signature": (401, "không hợp lệ"),
    "nonce": (401, "không hợp lệ"),
    "issuer": (401, "không hợp lệ"),
    "subject": (401, "không hợp lệ"),
    "acr": (403, "mức độ định danh"),
    "token-error": (401, "Không xác thực được"),
    "token-garbage": (401, "Không xác thực được"),
    "userinfo-error": (503, "Không kết nối được"),
    "denied": (403, "không cho phép đăng nhập"),
}


@pytest.mark.parametrize("misbehaviour", sorted(REFUSED))
def test_a_provider_answering_wrongly_is_refused(app, provider, misbehaviour):
    before = citizens(app)
    provider.misbehave = misbehaviour
    provider.citizen = {"SoDinhDanh": "036123456789", "HoVaTen": "Trần Văn Bình"}
    status, words = REFUSED[misbehaviour]
    page = sign_in(client(app), provider, status=status)
    assert words in page.html.select_one("#login-error").get_text()
    assert citizens(app) == before
    failed = audit_lines(app)[-1]
    assert failed["action"] == "login.failed" and failed["details"]["via"] == "oidc"


def test_a_provider_out_of_reach_asks_to_try_again_later(provider, tmp_path, caplog):
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}"
    application = main(
        {}, **make_settings(tmp_path, **provider.settings(**{"cong.oidc.issuer": dead}))
    )
    try:
        page = client(application).get(START, status=503)
        assert "Không kết nối được" in page.html.select_one("#login-error").get_text()
        assert page.headers["Retry-After"] == "60"
        assert "out of reach" in caplog.text
        assert audit_lines(application)[-1]["details"]["reason"] == "unreachable"
    finally:
        for db in application.registry._zodb_databases.values():
            db.close()


@pytest.mark.parametrize(
    "citizen",
    [{"HoVaTen": "Không Số"}, {"SoDinhDanh": "12345", "HoVaTen": "Số Ngắn"},
     {"SoDinhDanh": 1190012345, "HoVaTen": "Số Kiểu Số"}],
)  # fmt: skip
def test_a_userinfo_without_a_valid_number_is_refused(app, provider, citizen):
    before = citizens(app)
    provider.citizen = dict(citizen, sub="sub-x")
    page = sign_in(client(app), provider, status=403)
    assert "số định danh cá nhân" in page.html.select_one("#login-error").get_text()
    assert citizens(app) == before


def test_a_bad_missing_or_replayed_state_is_refused(app, provider):
    browser = client(app)
    location = to_provider(browser)
    back = urlsplit(provider.authorize(location))
    query = parse_qs(back.query)
    forged = browser.get(back.path, {"code": query["code"][0], "state": "forged"}, status=400)
    assert "hết hạn" in forged.html.select_one("#login-error").get_text()
    # the forged try used the session's state up: the right one is refused too
    browser.get(f"{back.path}?{back.query}", status=400)
    other = client(app)  # a callback in a browser that never started a login
    other.get(f"{back.path}?{back.query}", status=400)
    fresh = client(app)
    location = to_provider(fresh)
    cookie = fresh.cookies.copy()
    callback = provider.authorize(location)
    back = urlsplit(callback)
    fresh.get(f"{back.path}?{back.query}", status=302)
    replay = client(app)  # the same callback with the session cookie as it was
    for name, value in cookie.items():
        replay.set_cookie(name, value)
    replay.get(f"{back.path}?{back.query}", status=400)
    client(app).get(START + "/callback", status=400)
    client(app).get(START + "/other", status=404)


@pytest.mark.parametrize(
    "wrong",
    [{"cong.oidc.client_secret_env": "CONG_TEST_NO_SUCH_VARIABLE"},
     {"cong.oidc.token_auth": "private_key_jwt"}, {"cong.oidc.scope": "profile"},
     {"cong.oidc.timeout": "soon"}, {"cong.oidc.jwks_url": "ftp://x"},
     {"cong.production": "true"}],
)  # fmt: skip
def test_settings_that_cannot_work_stop_start_up(provider, wrong):
    with pytest.raises(SettingsError, match="cong.oidc"):
        read_oidc_settings({**provider.settings(), **wrong})  # the test issuer is http


def test_a_login_not_finished_in_ten_minutes_is_refused(app, provider):
    browser = client(app)
    back = urlsplit(provider.authorize(to_provider(browser)))
    with frozen(now() + timedelta(minutes=11)):
        late = browser.get(f"{back.path}?{back.query}", status=400)
    assert "hết hạn" in late.html.select_one("#login-error").get_text()


def test_off_without_settings(tmp_path):
    application = main({}, **make_settings(tmp_path / "var"))
    try:
        browser = client(application)
        assert browser.get("/@@login").html.select_one(".citizen-login") is None
        browser.get(START, status=404)
        browser.get(START + "/callback", status=404)
    finally:
        for db in application.registry._zodb_databases.values():
            db.close()


@pytest.mark.skipif(java_missing(), reason="the HTML checker (vnu.jar) needs java")
def test_the_login_pages_are_valid_html(app, provider, tmp_path):
    provider.misbehave = "denied"
    pages = {
        "login": client(app).get("/@@login").text,
        "refused": sign_in(client(app), provider, status=403).text,
    }
    errors = validate(pages, tmp_path)
    assert not [f"{name}: {e}" for name, found in errors.items() for e in found]
