"""Managers' page of citizens' accounts (``@@tai-khoan-cong-dan``): find by number,
lock, unlock, delete; citizens sign in for real against the test's own OpenID
Connect provider (:mod:`core.oidc.testing`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from core import citizens, main
from core.citizens import Citizens, citizen_account, count_citizens, find_citizen
from core.clock import now
from core.htmlcheck import java_missing, validate
from core.oidc.testing import OidcProvider
from core.testing import SiteAccess, add_user, csrf_token, flash_texts, login, make_settings
from tests.core.test_oidc import client, sign_in

PAGE = "/@@tai-khoan-cong-dan"
#: Numbers of the citizens of these tests (one each, so tests do not meet).
NUMBERS = {
    "find": "001190000001",
    "lock": "001190000002",
    "delete": "001190000003",
    "csrf": "001190000004",
    "html": "001190000005",
}


@pytest.fixture(scope="module")
def provider():
    with OidcProvider() as running:
        yield running


@pytest.fixture(scope="module")
def app(provider, tmp_path_factory):
    application = main({}, **make_settings(tmp_path_factory.mktemp("var"), **provider.settings()))
    add_user(lambda: SiteAccess(application), "editor", roles=("Editor",))
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture(scope="module")
def manager(app):
    browser = client(app)
    login(browser)
    return browser


def citizen_signs_in(app, provider, key: str, name: str = "Nguyễn Văn An", status=302):
    """A browser in which the citizen ``NUMBERS[key]`` signed in (or was refused)."""
    provider.misbehave = ""
    provider.citizen = {"SoDinhDanh": NUMBERS[key], "HoVaTen": name}
    browser = client(app)
    page = sign_in(browser, provider, status=status)
    return browser, page


def signed_in_name(browser) -> str | None:
    """The name in the top bar, None for an anonymous visitor."""
    shown = browser.get("/").html.select_one(".topbar-user")
    return shown.get_text(strip=True) if shown is not None else None


def account(app, key: str) -> tuple | None:
    """(login, locked) of the citizen ``NUMBERS[key]``, None without an account."""
    with SiteAccess(app) as site:
        found = find_citizen(site.principals, NUMBERS[key])
        return (found.login, found.locked) if found is not None else None


def find(manager, number: str, status=200):
    page = manager.get(PAGE)
    form = page.forms["citizen-search"]
    form["so"] = number
    return form.submit(status=status)


def act(manager, key: str, form_id: str, status=302, **fields):
    """Submit the form ``form_id`` of the account found by its number."""
    form = find(manager, NUMBERS[key]).forms[form_id]
    for name, value in fields.items():
        form[name] = value
    return form.submit(status=status)


def audit_text(app) -> str:
    return "".join(p.read_text() for p in Path(app.registry.cong_audit.directory).glob("*.jsonl"))


def audit_entries(app) -> list[dict]:
    return [json.loads(line) for line in audit_text(app).splitlines()]


def test_a_manager_finds_a_citizen_by_number(app, provider, manager):
    citizen_signs_in(app, provider, "find", "Trần Thị Bình")
    listing = manager.get("/@@users")
    assert listing.html.select_one(f"a[href$='{PAGE}']").get_text() == "Tài khoản công dân"
    page = find(manager, NUMBERS["find"])
    facts = page.html.select_one("#citizen-account dl").get_text(" ", strip=True)
    assert "*********001" in facts and "Trần Thị Bình" in facts
    assert page.html.select_one("#citizen-sessions").get_text() == "1"
    assert page.html.select_one("#citizen-state").get_text(strip=True) == "Đang hoạt động"
    assert page.html.select_one("#citizen-number")["value"] == NUMBERS["find"]
    assert page.text.count(NUMBERS["find"]) == 1  # in the field typed, nowhere else
    total = int(page.html.select_one("#citizens-total").get_text().split()[1])
    assert total >= 1
    missing = find(manager, "079200009999")
    assert missing.html.select_one("#citizen-account") is None
    assert "Không có tài khoản" in missing.html.select_one("#citizen-not-found").get_text()


@pytest.mark.parametrize("number", ["12345", "00119000000a", "0011900000011", ""])
def test_a_number_that_is_not_twelve_digits_gets_a_message(manager, number):
    form = manager.get(PAGE).forms["citizen-search"]
    form["so"] = number
    page = form.submit(status=400)
    error = page.html.select_one("#citizen-number-error").get_text()
    assert error == "Số định danh cá nhân gồm đúng 12 chữ số."


def test_only_managers_open_the_page(app):
    assert "@@login" in client(app).get(PAGE, status=302).location
    editor = client(app)
    login(editor, "editor")
    editor.get(PAGE, status=403)
    token = csrf_token(editor.get("/@@login"))
    editor.post(PAGE, {"csrf_token": token, "action": "find", "so": "001190000001"}, status=403)


def test_lock_ends_the_sessions_and_refuses_the_next_login_until_unlocked(
    app, provider, manager, caplog
):
    caplog.set_level(logging.INFO)
    browser, _page = citizen_signs_in(app, provider, "lock", "Lê Văn Cường")
    assert signed_in_name(browser) == "Lê Văn Cường"
    script = "<script>alert(1)</script> giả mạo, số 001190000002"
    done = act(manager, "lock", "citizen-lock", reason=script).follow()
    assert flash_texts(done) == ["Đã khoá tài khoản *********002."]
    assert done.html.select_one("#citizen-lock-reason").get_text() == script  # escaped
    assert "<script>alert" not in done.text
    assert "Đã khoá" in done.html.select_one("#citizen-state").get_text()
    assert done.html.select_one("#citizen-sessions").get_text() == "0"
    assert signed_in_name(browser) is None  # the old cookie is worth nothing
    _browser, refused = citizen_signs_in(app, provider, "lock", status=403)
    assert "đang bị khoá" in refused.html.select_one("#login-error").get_text()
    failed = audit_entries(app)[-1]
    assert failed["action"] == "login.failed" and failed["details"]["reason"] == "locked"
    assert failed["target"] == account(app, "lock")[0]
    locked = [e for e in audit_entries(app) if e["action"] == "citizen.locked"][-1]
    assert locked["user"] == "admin" and locked["details"]["number"] == "*********002"
    assert "*********002" in locked["details"]["reason"]
    # unlocking lets the citizen in again
    done = act(manager, "lock", "citizen-unlock").follow()
    assert flash_texts(done) == ["Đã mở khoá tài khoản *********002."]
    again, _page = citizen_signs_in(app, provider, "lock", "Lê Văn Cường")
    assert signed_in_name(again) == "Lê Văn Cường"
    assert NUMBERS["lock"] not in caplog.text and NUMBERS["lock"] not in audit_text(app)


def test_a_lock_needs_a_reason_of_at_most_500_characters(app, provider, manager):
    citizen_signs_in(app, provider, "lock")
    for reason, words in (("   ", "Vui lòng nhập lý do"), ("x" * 501, "dài quá 500")):
        form = find(manager, NUMBERS["lock"]).forms["citizen-lock"]
        form["reason"] = reason
        page = form.submit(status=400)
        assert words in page.html.select_one("#citizen-reason-error").get_text()
        assert account(app, "lock")[1] is None


def test_delete_removes_the_account_and_the_next_login_makes_a_new_one(
    app, provider, manager, caplog
):
    caplog.set_level(logging.INFO)
    browser, _page = citizen_signs_in(app, provider, "delete", "Phạm Thị Dung")
    before, _locked = account(app, "delete")
    total = citizens_total(manager)
    unconfirmed = act(manager, "delete", "citizen-delete", status=400)
    assert "xác nhận" in unconfirmed.html.select_one("#citizen-confirm-error").get_text()
    assert account(app, "delete") is not None
    done = act(manager, "delete", "citizen-delete", confirm=True).follow()
    assert flash_texts(done) == ["Đã xoá tài khoản *********003."]
    assert account(app, "delete") is None
    assert citizens_total(manager) == total - 1
    assert signed_in_name(browser) is None
    again, _page = citizen_signs_in(app, provider, "delete", "Phạm Thị Dung")
    assert signed_in_name(again) == "Phạm Thị Dung"
    after, _locked = account(app, "delete")
    assert after != before
    deleted = [e for e in audit_entries(app) if e["action"] == "citizen.deleted"][-1]
    assert deleted["target"] == before and deleted["details"] == {"number": "*********003"}
    assert NUMBERS["delete"] not in caplog.text and NUMBERS["delete"] not in audit_text(app)


def citizens_total(manager) -> int:
    return int(manager.get(PAGE).html.select_one("#citizens-total").get_text().split()[1])


def test_a_forged_form_is_refused_and_changes_nothing(app, provider, manager):
    citizen_signs_in(app, provider, "csrf")
    login_name, _locked = account(app, "csrf")
    for fields in (
        {"action": "lock", "reason": "giả mạo"},
        {"action": "delete", "confirm": "yes"},
    ):
        data = dict(fields, **{"tai-khoan": login_name, "csrf_token": "forged"})
        manager.post(PAGE, data, status=400)
        manager.post(PAGE, {k: v for k, v in data.items() if k != "csrf_token"}, status=400)
    assert account(app, "csrf") == (login_name, None)
    token = csrf_token(manager.get(PAGE))
    manager.post(
        PAGE, {"csrf_token": token, "action": "grant", "tai-khoan": login_name}, status=400
    )
    gone = manager.post(PAGE, {"csrf_token": token, "action": "unlock", "tai-khoan": "citizen:x"})
    assert flash_texts(gone.follow()) == ["Tài khoản công dân này không còn."]


def test_the_count_is_kept_and_counted_once_for_stores_without_it(app):
    with SiteAccess(app) as site:
        counted = citizens.total(site.principals)
        assert counted == len(site.principals.citizens.accounts)
    old = Citizens()
    del old.count  # as stored before counting: the class's None
    principals = type("P", (), {"citizens": old})()
    citizen_account(principals, "001190000099", "Một Người")
    assert citizens.total(principals) is None
    count_citizens(type("Site", (), {"principals": principals})())
    assert citizens.total(principals) == 1


@pytest.mark.skipif(java_missing(), reason="the HTML checker (vnu.jar) needs java")
def test_the_page_is_valid_html(app, provider, manager, tmp_path):
    citizen_signs_in(app, provider, "html")
    act(manager, "html", "citizen-lock", reason="Kiểm tra")
    pages = {
        "empty": manager.get(PAGE).text,
        "found": find(manager, NUMBERS["html"]).text,
        "bad": find(manager, "123", status=400).text,
        "missing": find(manager, "079200009998").text,
    }
    errors = validate(pages, tmp_path)
    assert not [f"{name}: {e}" for name, found in errors.items() for e in found]


def test_a_locked_citizen_is_nobody_even_with_a_live_session(app, provider):
    browser, _page = citizen_signs_in(app, provider, "csrf", "Đỗ Văn Em")
    with SiteAccess(app) as site:  # locked without ending the sessions
        find_citizen(site.principals, NUMBERS["csrf"]).locked = citizens.Lock("x", now(), "admin")
    try:
        assert signed_in_name(browser) is None
    finally:
        with SiteAccess(app) as site:
            find_citizen(site.principals, NUMBERS["csrf"]).locked = None
    assert signed_in_name(browser) == "Đỗ Văn Em"
