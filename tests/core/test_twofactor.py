"""Two-factor login (TOTP): enrolment with a QR code, the login's code step (page
and API), replayed and wrong codes refused and throttled, recovery codes used
once, turning it off, and the roles Managers require it of. Codes come from
pyotp at the real time; one application serves the module (each test has users
and an address of its own, so the login throttle's counts do not meet)."""

from __future__ import annotations

import base64
import time

import pyotp
import pytest
import webtest

from core import main
from core.security import AUTH_COOKIE
from core.testing import (
    SiteAccess,
    api_token,
    login,
    make_settings,
    run_cong,
    stored_site,
    web,
    write_ini,
)
from core.twofactor import RECOVERY_CODES, TwoFactor, must_enrol

PASSWORD = "Mat-khau-hai-buoc-2026"
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    application = main({}, **make_settings(tmp_path_factory.mktemp("twofactor") / "var"))
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


def client(app, address: str) -> webtest.TestApp:
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": address})


def add_user(app, login: str, enrolled: bool = True, roles=()) -> tuple[str, list[str]]:
    """A user with PASSWORD; when ``enrolled``, their secret and recovery codes."""
    with SiteAccess(app) as site:
        user = site.principals.add_user(login, PASSWORD)
        user.roles.update(roles)
        if not enrolled:
            return "", []
        user.two_factor = TwoFactor(pyotp.random_base32())
        return user.two_factor.secret, user.two_factor.new_recovery_codes()


def code(secret: str, ahead: int = 0) -> str:
    """The code of the time step ``ahead`` steps from now (within the window)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * ahead)


def wrong_code(secret: str) -> str:
    valid = {code(secret, n) for n in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222") if c not in valid)


def api_login(testapp, login: str, status: int, **extra):
    body = {"login": login, "password": PASSWORD, **extra}
    return testapp.post_json("/@login", body, headers=JSON, status=status)


def password_step(testapp, login: str):
    form = testapp.get("/@@login").forms["login-form"]
    form["login"], form["password"] = login, PASSWORD
    return form.submit(status=200)


def signed_in(testapp) -> bool:
    return testapp.get("/@@password", status="*").status_int == 200


# the model ------------------------------------------------------------------------------
def test_a_code_is_accepted_once_within_one_step_either_side():
    state = TwoFactor(pyotp.random_base32())
    totp, moment = pyotp.TOTP(state.secret), 1_800_000_000
    assert not state.use_code(totp.at(moment - 60), moment)  # two steps old
    assert state.use_code(totp.at(moment - 30), moment)
    assert not state.use_code(totp.at(moment - 30), moment)  # replayed
    assert state.use_code(totp.at(moment + 30), moment)
    assert not state.use_code(totp.at(moment), moment)  # older than the last used


def test_recovery_codes_are_kept_hashed_and_work_once_each():
    state = TwoFactor(pyotp.random_base32())
    codes = state.new_recovery_codes()
    assert len(set(codes)) == RECOVERY_CODES
    assert not any(c in repr(vars(state)) for c in codes)
    assert state.use_code(codes[3].upper()) and not state.use_code(codes[3])
    assert state.recovery_left == RECOVERY_CODES - 1


# logging in -------------------------------------------------------------------------------
def test_the_login_page_asks_for_the_code_before_signing_in(app):
    secret, _codes = add_user(app, "hai-buoc-trang")
    browser = client(app, "10.2.0.1")
    page = password_step(browser, "hai-buoc-trang")
    assert "login-code-form" in page.forms and AUTH_COOKIE not in browser.cookies
    assert not signed_in(browser)
    form = page.forms["login-code-form"]
    form["code"] = wrong_code(secret)
    again = form.submit(status=200)
    assert again.html.select_one("#code-error") is not None
    assert not signed_in(browser)
    form = again.forms["login-code-form"]
    form["code"] = code(secret)
    form.submit(status=302)
    assert signed_in(browser)


def test_a_forged_pending_login_signs_no_one_in(app):
    add_user(app, "hai-buoc-gia")
    browser = client(app, "10.2.0.2")
    form = password_step(browser, "hai-buoc-gia").forms["login-code-form"]
    form["pending"] = form["pending"].value[:-4] + "AAAA"
    form["code"] = "123456"
    assert "login-form" in form.submit(status=400).forms
    assert not signed_in(browser)


def test_the_api_requires_the_code_and_refuses_it_replayed(app):
    secret, _codes = add_user(app, "hai-buoc-api")
    api = client(app, "10.2.0.3")
    missing = api_login(api, "hai-buoc-api", 401).json
    assert missing["type"] == "TwoFactorRequired" and "totp" in missing["message"]
    now = code(secret)
    assert api_login(api, "hai-buoc-api", 200, totp=now).json["token"]
    assert api_login(api, "hai-buoc-api", 401, totp=now).json["type"] == "TwoFactorRefused"
    log = app.registry.cong_audit
    actions = [(r["action"], r["target"]) for r in log.newest_first(log.months())]
    assert actions[:2] == [
        ("login.second_factor_failed", "hai-buoc-api"),
        ("login", "hai-buoc-api"),
    ]
    basic = base64.b64encode(f"hai-buoc-api:{PASSWORD}".encode()).decode()
    answer = api.get("/@site", headers={**JSON, "Authorization": f"Basic {basic}"}, status=401)
    assert answer.json["type"] == "TwoFactorRequired"


def test_wrong_codes_are_throttled_like_passwords(app):
    """Five wrong codes lock the account from that address: the code step answers
    429, and the password step (the API's too) is locked out as after five wrong
    passwords; another address is not."""
    secret, _codes = add_user(app, "hai-buoc-sai")
    browser = client(app, "10.2.0.4")
    form = password_step(browser, "hai-buoc-sai").forms["login-code-form"]
    for _n in range(5):
        form["code"] = wrong_code(secret)
        form = form.submit(status=200).forms["login-code-form"]
    form["code"] = code(secret)
    refused = form.submit(status=429)
    assert int(refused.headers["Retry-After"]) > 0 and not signed_in(browser)
    locked = api_login(client(app, "10.2.0.4"), "hai-buoc-sai", 401, totp=code(secret, 1))
    assert locked.json["type"] == "Unauthorized"
    api_login(client(app, "10.2.0.5"), "hai-buoc-sai", 200, totp=code(secret, 1))


def test_a_right_password_does_not_clear_the_wrong_codes(app):
    secret, _codes = add_user(app, "hai-buoc-sai-api")
    api = client(app, "10.2.0.11")
    for _n in range(5):
        api_login(api, "hai-buoc-sai-api", 401, totp=wrong_code(secret))
    locked = api_login(api, "hai-buoc-sai-api", 401, totp=code(secret)).json
    assert locked["type"] == "Unauthorized" and "15" in locked["message"]


def test_a_recovery_code_works_once(app):
    _secret, codes = add_user(app, "hai-buoc-khoi-phuc")
    api = client(app, "10.2.0.6")
    api_login(api, "hai-buoc-khoi-phuc", 200, recovery_code=codes[0])
    api_login(api, "hai-buoc-khoi-phuc", 401, recovery_code=codes[0])
    browser = client(app, "10.2.0.6")
    form = password_step(browser, "hai-buoc-khoi-phuc").forms["login-code-form"]
    form["code"] = codes[1]
    form.submit(status=302)
    assert signed_in(browser)


# enrolment and turning it off ---------------------------------------------------------------
def test_enrolment_shows_a_qr_code_and_takes_a_current_code(app):
    add_user(app, "hai-buoc-moi", enrolled=False)
    browser = client(app, "10.2.0.7")
    login(browser, "hai-buoc-moi", PASSWORD)
    page = browser.get("/@@xac-thuc-hai-buoc")
    svg = page.html.select_one("#two-factor-qr svg")
    assert svg is not None and svg.find("path") is not None and not svg.find(attrs={"style": True})
    assert "Content-Security-Policy" in page.headers
    secret = page.html.select_one("#two-factor-secret").get_text()
    form = page.forms["two-factor-enable-form"]
    form["code"] = wrong_code(secret)
    form = form.submit(status=400).forms["two-factor-enable-form"]
    form["code"] = code(secret)
    shown = form.submit(status=200)
    codes = [c.get_text() for c in shown.html.select(".recovery-codes code")]
    assert len(codes) == RECOVERY_CODES
    assert signed_in(browser)  # this browser got a new cookie
    assert "recovery-codes" not in browser.get("/@@xac-thuc-hai-buoc").text  # shown once
    api = client(app, "10.2.0.7")
    api_login(api, "hai-buoc-moi", 401)
    api_login(api, "hai-buoc-moi", 200, totp=code(secret, 1))


def test_turning_it_off_needs_a_current_code(app):
    secret, _codes = add_user(app, "hai-buoc-tat")
    browser = client(app, "10.2.0.8")
    form = password_step(browser, "hai-buoc-tat").forms["login-code-form"]
    form["code"] = code(secret)
    form.submit(status=302)
    form = browser.get("/@@xac-thuc-hai-buoc").forms["two-factor-disable-form"]
    form["code"] = wrong_code(secret)
    form = form.submit(status=200).forms["two-factor-disable-form"]
    form["code"] = code(secret, 1)
    form.submit(status=302)
    assert "two-factor-enable-form" in browser.get("/@@xac-thuc-hai-buoc").forms
    api_login(client(app, "10.2.0.8"), "hai-buoc-tat", 200)  # the password alone


# the policy --------------------------------------------------------------------------------
def require(manager, *roles: str) -> None:
    """Tick ``roles`` (only) on the policy page and save."""
    form = manager.get("/@@xac-thuc-hai-buoc-vai-tro").forms["two-factor-policy-form"]
    for box in form.fields["roles"]:
        box.checked = box._value in roles
    form.submit(status=302)


def test_a_required_role_sends_its_holders_to_enrolment_first(app):
    add_user(app, "hai-buoc-bien-tap", enrolled=False, roles=["Editor"])
    manager = client(app, "10.2.0.9")
    login(manager)
    require(manager, "Editor")
    try:
        browser = client(app, "10.2.0.10")
        login(browser, "hai-buoc-bien-tap", PASSWORD, status="*")
        answer = browser.get("/", status=302)
        assert answer.location.endswith("/@@xac-thuc-hai-buoc")
        assert "two-factor-enable-form" in answer.follow().forms
        api = client(app, "10.2.0.10")
        api.authorization = ("Bearer", api_token(api, "hai-buoc-bien-tap", PASSWORD))
        refused = api.get("/@site", headers=JSON, status=403).json
        assert refused["type"] == "TwoFactorEnrolmentRequired"
        assert manager.get("/").status_int == 200  # Managers were not required
    finally:
        require(manager)


def test_a_role_held_through_a_group_counts(app):
    with SiteAccess(app) as site:
        site.two_factor_roles = ("Reviewer",)
        user = site.principals.add_user("hai-buoc-nhom", PASSWORD)
        site.principals.add_group("tham-dinh").roles.add("Reviewer")
        site.principals.add_member("tham-dinh", "hai-buoc-nhom")
        assert must_enrol(site, user)
        user.two_factor = TwoFactor(pyotp.random_base32())
        assert not must_enrol(site, user)
        site.two_factor_roles = ()


def test_the_command_line_turns_a_users_second_factor_off(tmp_path, capsys):
    ini = write_ini(tmp_path)
    assert (
        run_cong(capsys, ini, "user", "add", "mat-dien-thoai", "--password", PASSWORD).status == 0
    )
    with web(tmp_path / "var") as browser, SiteAccess(browser.app) as site:
        site.principals.get_user("mat-dien-thoai").two_factor = TwoFactor(pyotp.random_base32())
    result = run_cong(capsys, ini, "user", "reset-2fa", "mat-dien-thoai")
    assert result.status == 0 and "Turned two-factor login off" in result.out
    with stored_site(tmp_path / "var") as site:
        assert site.principals.get_user("mat-dien-thoai").two_factor is None
