"""Logging in and out through the HTML forms, the lock-out, and changing one's password."""

import logging

import pytest
import webtest

from core import main
from core.testing import ADMIN_PASSWORD, api_token, csrf_token, login, make_settings

GENERIC = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED = "Tài khoản tạm khoá đăng nhập từ địa chỉ này do nhập sai nhiều lần."
PASSWORD = "Mat-khau-rat-kho-doan-7391"


@pytest.fixture
def user(site_access):
    with site_access() as site:
        site.principals.add_user("u1", PASSWORD, fullname="Nguyễn Văn An")
    return "u1"


def logged_in(testapp) -> bool:
    """Whether the client is logged in (the password page is for users only)."""
    return testapp.get("/@@password", expect_errors=True).status_int == 200


def submit_login(testapp, name, password, **kw):
    form = testapp.get("/@@login").forms["login-form"]
    form["login"] = name
    form["password"] = password
    return form.submit(**kw)


def test_login_form_has_the_fields_the_tests_and_people_use(testapp):
    assert len(csrf_token(testapp.get("/@@login"))) > 20
    page = testapp.get("/@@login")
    form = page.forms["login-form"]
    assert form.method.upper() == "POST"
    assert {"login", "password", "csrf_token"} <= set(form.fields)
    assert page.html.find("label", attrs={"for": "login-name"}).text.strip() == "Tên đăng nhập"
    assert page.html.find("input", attrs={"name": "password"})["type"] == "password"


def test_login_sets_an_httponly_auth_cookie_and_goes_to_the_site(testapp, user):
    assert not logged_in(testapp)
    response = submit_login(testapp, "u1", PASSWORD)
    assert response.status_int == 302
    assert response.location == "http://localhost/"
    cookies = [
        h for k, h in response.headerlist if k == "Set-Cookie" and h.startswith("cong_auth=")
    ]
    assert cookies and all("HttpOnly" in c for c in cookies)
    assert logged_in(testapp)


def test_login_accepts_the_login_in_any_case_with_spaces(testapp, user):
    submit_login(testapp, "  U1 ", PASSWORD)
    assert logged_in(testapp)


@pytest.mark.parametrize("name, password", [("u1", "sai-mat-khau"), ("khong-co-ai", PASSWORD)])
def test_a_failed_login_gets_one_generic_message_and_no_cookie(testapp, user, name, password):
    response = submit_login(testapp, name, password)
    assert response.status_int == 200
    alert = response.html.find(attrs={"role": "alert"})
    assert alert is not None and alert.text.strip() == GENERIC
    assert not any(k == "Set-Cookie" and h.startswith("cong_auth=") for k, h in response.headerlist)
    assert password not in response.text
    assert response.forms["login-form"]["login"].value == name
    assert response.forms["login-form"]["password"].value == ""
    assert not logged_in(testapp)


def test_an_empty_form_asks_for_both_fields(testapp, user):
    response = submit_login(testapp, "", "")
    assert "Vui lòng nhập tên đăng nhập và mật khẩu." in response.text
    assert not logged_in(testapp)


def test_five_failures_lock_the_account_from_that_address_only(app, user):
    here = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.1"})
    for _ in range(5):
        assert GENERIC in submit_login(here, "u1", "sai-mat-khau").text
    response = submit_login(here, "u1", PASSWORD)
    assert LOCKED in response.text and "15 phút" in response.text
    assert not logged_in(here)
    elsewhere = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.2"})
    submit_login(elsewhere, "u1", PASSWORD)
    assert logged_in(elsewhere)
    submit_login(here, "admin", ADMIN_PASSWORD)  # other accounts from that address too
    assert logged_in(here)


def test_failures_with_made_up_names_do_not_unlock_an_account(app, user):
    from core.auth import LoginThrottle

    app.registry.cong_login_throttle = LoginThrottle(capacity=20)  # a small table
    here = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.1"})
    for _ in range(5):
        here.post_json("/@login", {"login": "u1", "password": "sai"}, status=401)
    for n in range(300):  # from many addresses, so none of them is throttled
        address = f"10.1.{n // 200}.{n % 200 + 1}"
        data = {"login": f"bịa-{n}", "password": "sai"}
        here.post_json("/@login", data, status=401, extra_environ={"REMOTE_ADDR": address})
    response = here.post_json("/@login", {"login": "u1", "password": PASSWORD}, status=401)
    assert LOCKED in response.json["message"]


def test_an_address_trying_many_names_gets_429_with_retry_after(app, user):
    from core.auth import LoginThrottle

    app.registry.cong_login_throttle = LoginThrottle(max_address_failures=10)
    noisy = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.66"})
    for n in range(10):
        noisy.post_json("/@login", {"login": f"ten-{n}", "password": "sai"}, status=401)
    response = noisy.post_json("/@login", {"login": "u1", "password": PASSWORD}, status=429)
    assert response.json["type"] == "TooManyRequests"
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    page = submit_login(noisy, "u1", PASSWORD, status=429)
    assert "Có quá nhiều lần đăng nhập sai từ địa chỉ này" in page.text
    assert int(page.headers["Retry-After"]) > 0
    assert not logged_in(noisy)
    other = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.67"})
    assert other.post_json("/@login", {"login": "u1", "password": PASSWORD}).json["token"]


def test_passwords_never_reach_logs_or_pages(testapp, user, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "Sai-Mat-Khau-8462"
    bodies = [submit_login(testapp, "u1", wrong).text]
    ok = submit_login(testapp, "u1", PASSWORD)
    bodies += [ok.text, ok.follow().text]
    assert caplog.records, "the failed login should have been logged"
    assert any("u1" in r.getMessage() for r in caplog.records)
    for secret in (wrong, PASSWORD):
        assert not any(secret in r.getMessage() for r in caplog.records)
        assert not any(secret in str(r.args) for r in caplog.records)
        assert not any(secret in body for body in bodies)


@pytest.mark.parametrize(
    "came_from, expected",
    [
        ("/tin-tuc?b_start=20", "http://localhost/tin-tuc?b_start=20"),
        ("http://localhost/@@users", "http://localhost/@@users"),
        ("https://evil.example/phish", "http://localhost/"),
        ("//evil.example/phish", "http://localhost/"),
        ("/\\evil.example", "http://localhost/"),
        ("javascript:alert(1)", "http://localhost/"),
        ("http://localhost.evil.example/", "http://localhost/"),
    ],
)
def test_came_from_stays_on_this_site(testapp, user, came_from, expected):
    data = {"csrf_token": csrf_token(testapp.get("/@@login")), "login": "u1", "password": PASSWORD}
    response = testapp.post("/@@login", dict(data, came_from=came_from))
    assert response.status_int == 302
    assert response.location == expected


def test_a_forbidden_page_sends_anonymous_people_to_login_and_back(testapp, user):
    response = testapp.get("/@@password")
    assert response.status_int == 302 and "/@@login" in response.location
    form = response.follow().forms["login-form"]
    assert form["came_from"].value == "http://localhost/@@password"
    form["login"] = "u1"
    form["password"] = PASSWORD
    assert form.submit().location == "http://localhost/@@password"


def test_login_with_a_forged_csrf_token_is_refused(testapp, user):
    testapp.get("/@@login")
    response = testapp.post(
        "/@@login", {"csrf_token": "forged", "login": "u1", "password": PASSWORD}, status=400
    )
    assert "Phiên làm việc của biểu mẫu" in response.text
    assert not logged_in(testapp)


def test_logout_needs_a_post_with_the_csrf_token(testapp, user):
    login(testapp, "u1", PASSWORD)
    page = testapp.get("/@@logout")
    assert "logout-form" in page.forms
    assert logged_in(testapp)  # showing the form logs no one out
    testapp.post("/@@logout", {"csrf_token": "forged"}, status=400)
    assert logged_in(testapp)
    response = page.forms["logout-form"].submit()
    assert response.status_int == 302
    assert any(k == "Set-Cookie" and h.startswith("cong_auth=;") for k, h in response.headerlist)
    assert not logged_in(testapp)


def test_production_cookies_are_secure_httponly_and_samesite(tmp_path):
    settings = make_settings(
        tmp_path / "var", **{"cong.production": "true", "cong.initial_admin_password": PASSWORD}
    )
    app = main({}, **settings)
    try:
        https = {"wsgi.url_scheme": "https", "HTTP_HOST": "cong.example.vn", "SERVER_PORT": "443"}
        client = webtest.TestApp(app, extra_environ=dict(https, REMOTE_ADDR="127.0.0.1"))
        # over HTTPS Pyramid also checks the Origin header, which browsers send
        response = submit_login(
            client, "admin", PASSWORD, headers={"Origin": "https://cong.example.vn"}
        )
        assert response.status_int == 302
        cookies = [h for k, h in response.headerlist if k == "Set-Cookie"]
        auth = [c for c in cookies if c.startswith("cong_auth=")]
        session = [c for c in cookies if c.startswith("cong_session=")]
        assert auth and session
        for cookie in auth + session:
            assert "secure" in cookie.lower()
            assert "httponly" in cookie.lower()
            assert "samesite=lax" in cookie.lower()
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()


# changing one's password ----------------------------------------------------------
def change_password(testapp, current, new, repeat=None, **kw):
    form = testapp.get("/@@password").forms["password-form"]
    form["current"] = current
    form["new"] = new
    form["repeat"] = new if repeat is None else repeat
    return form.submit(**kw)


def test_change_password_then_only_the_new_one_works(app, testapp, user):
    login(testapp, "u1", PASSWORD)
    response = change_password(testapp, PASSWORD, "Mat-khau-moi-2025")
    assert response.status_int == 302
    assert PASSWORD not in response.follow().text
    other = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.9"})
    assert GENERIC in submit_login(other, "u1", PASSWORD).text
    submit_login(other, "u1", "Mat-khau-moi-2025")
    assert logged_in(other)


def test_a_new_password_revokes_bearer_tokens(app, testapp, user):
    token = api_token(webtest.TestApp(app), "u1", PASSWORD)
    bearer = webtest.TestApp(app, extra_environ={"HTTP_AUTHORIZATION": f"Bearer {token}"})
    assert bearer.get("/@@password").status_int == 200
    login(testapp, "u1", PASSWORD)
    change_password(testapp, PASSWORD, "Mat-khau-moi-2025")
    assert bearer.get("/@@password", expect_errors=True).status_int != 200


@pytest.mark.parametrize(
    "current, new, repeat, field, message",
    [
        ("sai-roi", "Mat-khau-moi-2025", None, "current", "Mật khẩu hiện tại không đúng."),
        ("", "Mat-khau-moi-2025", None, "current", "Vui lòng nhập mật khẩu hiện tại."),
        (PASSWORD, "Mat-khau-moi-2025", "khac-han", "repeat", "không khớp"),
        # "#" never occurs in the page's random tokens (hex, base64), so the check below
        # cannot match one by chance
        (PASSWORD, "ab#c", None, "new", "ít nhất 10 ký tự"),
    ],
)
def test_bad_password_changes_are_refused_and_nothing_changes(
    app, testapp, user, current, new, repeat, field, message
):
    login(testapp, "u1", PASSWORD)
    response = change_password(testapp, current, new, repeat, status=400)
    error = response.html.find(id=f"password-{field}-error")
    assert error is not None and message in error.text
    assert response.html.find(id=f"password-{field}")["aria-describedby"].endswith(
        f"password-{field}-error"
    )
    assert new not in response.text and PASSWORD not in response.text
    other = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.9"})
    submit_login(other, "u1", PASSWORD)
    assert logged_in(other)


def test_change_password_needs_the_csrf_token(app, testapp, user):
    login(testapp, "u1", PASSWORD)
    testapp.post(
        "/@@password",
        {
            "csrf_token": "forged",
            "current": PASSWORD,
            "new": "Mat-khau-moi-2025",
            "repeat": "Mat-khau-moi-2025",
        },
        status=400,
    )
    other = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.9"})
    submit_login(other, "u1", PASSWORD)
    assert logged_in(other)
