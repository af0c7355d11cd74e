"""The password policy: too short, too common, or holding the login or the name is
refused, with a message saying which, wherever a password is chosen; a refused one
changes nothing."""

from __future__ import annotations

import pytest
import webtest

from core import main
from core.passwords import HAS_LOGIN, HAS_NAME, TOO_COMMON, password_problem, weak_passwords
from core.testing import SiteAccess, api_token, csrf_token, login, make_settings

PASSWORD = "Mat-khau-cu-2026-q"
JSON = {"Accept": "application/json"}


@pytest.mark.parametrize(
    "password, problem",
    [
        ("ngan-qua", "ít nhất"),  # 8 characters
        ("password123", TOO_COMMON),
        ("QWERTYUIOP", TOO_COMMON),
        ("matkhau123", TOO_COMMON),
        ("Mật-Khẩu 123", TOO_COMMON),  # accents, case and punctuation do not help
        ("anh yeu em 123", TOO_COMMON),
        ("nguyenvana-2026", HAS_LOGIN),
        ("Hoa-sinh-nam-1990", HAS_NAME),  # the given name
        ("nguyenthihoa!!", HAS_NAME),  # the whole name without accents
        ("Sông-Lam-mùa-lũ-2026", None),
        ("đèn đỏ dừng lại nhé", None),
    ],
)
def test_what_the_policy_refuses_and_why(password, problem):
    found = password_problem(password, "nguyenvana", "Nguyễn Thị Hoa")
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found.interpolate()


def test_the_shipped_lists_are_read_once_into_a_set():
    assert weak_passwords() is weak_passwords()
    assert {"123456", "password", "matkhau123", "iloveyou"} <= weak_passwords()
    assert len(weak_passwords()) > 30_000


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("passwords") / "var")
    application = main({}, **settings)
    with SiteAccess(application) as site:
        site.principals.add_user("lmthu", PASSWORD, fullname="Lê Minh Thu")
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


def test_the_password_page_refuses_a_weak_password_and_keeps_the_old(app):
    client = webtest.TestApp(app)
    login(client, "lmthu", PASSWORD)
    page = client.get("/@@password")
    assert "không dùng mật khẩu phổ biến" in page.html.select_one("#password-new-help").text
    for new, said in (
        ("matkhau@123", "quá phổ biến"),
        ("Thu-2026-ngay-moi", "họ tên"),
        ("ngan", "ít nhất 10 ký tự"),
    ):
        form = client.get("/@@password").forms["password-form"]
        form["current"], form["new"], form["repeat"] = PASSWORD, new, new
        answer = form.submit(status=400)
        assert said in answer.html.select_one("#password-new-error").text
    login(webtest.TestApp(app), "lmthu", PASSWORD)  # unchanged


def test_the_users_api_refuses_weak_passwords_with_a_message(app):
    api = webtest.TestApp(app)
    api.authorization = ("Bearer", api_token(webtest.TestApp(app)))
    body = {"username": "moi", "password": "1234567890", "fullname": "Người Mới"}
    answer = api.post_json("/@users", body, headers=JSON, status=400).json
    assert answer["errors"] == [{"field": "password", "message": TOO_COMMON}]
    api.get("/@users/moi", headers=JSON, status=404)  # not created
    answer = api.patch_json(
        "/@users/lmthu", {"password": "lmthu-dep-trai"}, headers=JSON, status=400
    )
    assert "tên đăng nhập" in answer.json["message"]
    login(webtest.TestApp(app), "lmthu", PASSWORD)  # unchanged


def test_the_user_form_refuses_a_common_password(app):
    admin = webtest.TestApp(app)
    login(admin)
    page = admin.get("/@@user-add")
    form = page.forms["user-form"]
    form["login"], form["password"], form["repeat"] = "moi2", "qwertyuiop", "qwertyuiop"
    answer = form.submit(status=400)
    assert "quá phổ biến" in answer.html.select_one("#user-password-error").text
    assert csrf_token(answer)
    with SiteAccess(app) as site:
        assert site.principals.get_user("moi2") is None
