"""User and group management pages: for Managers only, every change checked
before anything is stored, passwords never shown."""

import pytest
import webtest

from core.principals import User
from core.testing import csrf_token, login

PASSWORD = "Mat-khau-nguoi-dung-1"


@pytest.fixture
def people(site_access):
    """User u1 (an Editor) and the group bbt."""
    with site_access() as site:
        site.principals.add_user("u1", PASSWORD, fullname="Nguyễn Văn An").roles.add("Editor")
        site.principals.add_group("bbt", "Ban biên tập")


def stored_user(site_access, name):
    """(fullname, email, roles, groups) of a stored user, or None."""
    with site_access() as site:
        user = site.principals.get_user(name)
        if user is None:
            return None
        return user.fullname, user.email, set(user.roles), set(user.groups)


def stored_group(site_access, gid):
    """(title, roles, members) of a stored group, or None."""
    with site_access() as site:
        group = site.principals.groups.get(gid)
        return None if group is None else (group.title, set(group.roles), set(group.members))


def can_log_in(app, name, password) -> bool:
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.1.1.1"})
    login(browser, name, password, status=[200, 302])  # refused or let in
    return browser.get("/@@password", expect_errors=True).status_int == 200


def tick(form, name, value, checked=True):
    for box in form.fields[name]:
        if box._value == value:
            box.checked = checked
            return
    raise AssertionError(f"no checkbox {name}={value}")


def post(browser, path, data, **kw):
    return browser.post(path, dict(data, csrf_token=csrf_token(browser.get("/@@users"))), **kw)


# who may --------------------------------------------------------------------------
PAGES = [
    "/@@users",
    "/@@user-add",
    "/@@user-edit?login=u1",
    "/@@groups",
    "/@@group-add",
    "/@@group-edit?id=bbt",
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_people_are_sent_to_login(testapp, people, path):
    response = testapp.get(path)
    assert response.status_int == 302 and "/@@login?came_from=" in response.location


@pytest.mark.parametrize("path", PAGES)
def test_other_users_are_forbidden(app, people, path):
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(browser, "u1", PASSWORD)
    assert browser.get(path, expect_errors=True).status_int == 403


def test_other_users_cannot_post_changes(app, people, site_access):
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(browser, "u1", PASSWORD)
    token = csrf_token(browser.get("/@@login"))
    data = {"csrf_token": token, "fullname": "X", "roles": "Manager"}
    assert browser.post("/@@user-edit?login=u1", data, expect_errors=True).status_int == 403
    assert (
        browser.post(
            "/@@user-delete?login=admin", {"csrf_token": token}, expect_errors=True
        ).status_int
        == 403
    )
    assert stored_user(site_access, "u1")[2] == {"Editor"}
    assert stored_user(site_access, "admin") is not None


# users ----------------------------------------------------------------------------
def test_the_list_shows_users_and_finds_them_by_login_or_name(admin, people):
    page = admin.get("/@@users")
    logins = [th.text.strip() for th in page.html.select("table.listing tbody th")]
    assert logins == ["admin", "u1"]
    assert "Biên tập viên" in page.html.select("table.listing tbody tr")[1].text
    page = admin.get("/@@users", {"q": "văn AN"})
    assert [th.text.strip() for th in page.html.select("table.listing tbody th")] == ["u1"]


def test_the_list_is_batched_fifty_a_page(admin, site_access):
    with site_access() as site:
        for n in range(60):
            name = f"canbo{n:02d}"
            site.principals.users[name] = User(name, f"Phòng A&B số {n}")  # no password: fast
    page = admin.get("/@@users")
    assert len(page.html.select("table.listing tbody tr")) == 50
    second = admin.get(page.html.find("a", rel="next")["href"])
    assert len(second.html.select("table.listing tbody tr")) == 11
    assert second.html.find("a", rel="prev") is not None


def test_the_search_is_kept_from_page_to_page(admin, site_access):
    with site_access() as site:
        for n in range(60):
            name = f"canbo{n:02d}"
            site.principals.users[name] = User(name, f"Phòng A&B số {n}")
    first = admin.get("/@@users", {"q": "a&b số", "b_size": "25"})
    second = admin.get(first.html.find("a", rel="next")["href"])
    third = admin.get(second.html.find("a", rel="next")["href"])
    rows = [th.text.strip() for th in third.html.select("table.listing tbody th")]
    assert rows == [f"canbo{n}" for n in range(50, 60)]
    assert third.html.find(id="users-search")["value"] == "a&b số"


def test_add_a_user_with_roles_and_groups(app, admin, people, site_access):
    form = admin.get("/@@user-add").forms["user-form"]
    offered = [box._value for box in form.fields["roles"]]
    assert "Manager" in offered and "Owner" not in offered and "Member" not in offered
    form["login"] = "Can.Bo-1"
    form["fullname"] = "Lê Văn Cường"
    form["email"] = "cuong@tuky.gov.vn"
    form["password"] = "Mat-khau-moi-9"
    form["repeat"] = "Mat-khau-moi-9"
    tick(form, "roles", "Reviewer")
    tick(form, "groups", "bbt")
    response = form.submit()
    assert response.status_int == 302
    assert "Mat-khau-moi-9" not in response.follow().text
    assert stored_user(site_access, "can.bo-1") == (
        "Lê Văn Cường",
        "cuong@tuky.gov.vn",
        {"Reviewer"},
        {"bbt"},
    )
    assert stored_group(site_access, "bbt")[2] == {"can.bo-1"}
    assert can_log_in(app, "can.bo-1", "Mat-khau-moi-9")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"repeat": "khac-han"}, "repeat", "không khớp"),
        ({"password": "", "repeat": ""}, "password", "Vui lòng nhập mật khẩu."),
        ({"email": "khong-phai-email"}, "email", "Địa chỉ thư điện tử không hợp lệ."),
        ({"roles": "Owner"}, "roles", "Vai trò không hợp lệ"),
        ({"groups": "khong-co"}, "groups", "Nhóm không tồn tại"),
    ],
)
def test_bad_new_users_are_refused_with_a_message_by_the_field(
    admin, people, site_access, changes, field, message
):
    data = {
        "login": "moi",
        "fullname": "Mới",
        "email": "",
        "password": "Mat-khau-moi-9",
        "repeat": "Mat-khau-moi-9",
    }
    response = post(admin, "/@@user-add", dict(data, **changes), status=400)
    error = response.html.find(id=f"user-{field}-error")
    assert error is not None and message in error.text
    assert "Mat-khau-moi-9" not in response.text
    assert response.forms["user-form"]["password"].value == ""
    assert stored_user(site_access, "moi") is None


@pytest.mark.parametrize(
    "login, message",
    [("u1", "Tên đăng nhập 'u1' đã có."), ("Có dấu", "Tên đăng nhập gồm 2–64 ký tự")],
)
def test_a_taken_or_bad_login_is_refused(admin, people, site_access, login, message):
    data = {"login": login, "password": "Mat-khau-moi-9", "repeat": "Mat-khau-moi-9"}
    response = post(admin, "/@@user-add", data, status=400)
    assert message in response.html.find(attrs={"role": "alert"}).text
    assert stored_user(site_access, "u1")[0] == "Nguyễn Văn An"


def test_a_forged_csrf_token_stores_nothing(admin, people, site_access):
    admin.get("/@@user-add")
    data = {
        "csrf_token": "forged",
        "login": "moi",
        "password": "Mat-khau-moi-9",
        "repeat": "Mat-khau-moi-9",
    }
    admin.post("/@@user-add", data, status=400)
    admin.post("/@@user-delete?login=u1", {"csrf_token": "forged"}, status=400)
    admin.post("/@@group-delete?id=bbt", {"csrf_token": "forged"}, status=400)
    assert stored_user(site_access, "moi") is None
    assert stored_user(site_access, "u1") is not None
    assert stored_group(site_access, "bbt") is not None


def test_edit_a_user_and_reset_their_password(app, admin, people, site_access):
    form = admin.get("/@@user-edit", {"login": "u1"}).forms["user-form"]
    assert form["fullname"].value == "Nguyễn Văn An"
    assert form["password"].value == ""
    form["fullname"] = "Nguyễn Văn Ân"
    tick(form, "roles", "Editor", checked=False)
    tick(form, "roles", "Reader")
    tick(form, "groups", "bbt")
    form["password"] = "Mat-khau-dat-lai-2"
    form["repeat"] = "Mat-khau-dat-lai-2"
    assert form.submit().status_int == 302
    assert stored_user(site_access, "u1") == ("Nguyễn Văn Ân", "", {"Reader"}, {"bbt"})
    assert stored_group(site_access, "bbt")[2] == {"u1"}
    assert can_log_in(app, "u1", "Mat-khau-dat-lai-2")
    assert not can_log_in(app, "u1", PASSWORD)


def test_editing_without_a_password_keeps_it(app, admin, people):
    form = admin.get("/@@user-edit", {"login": "u1"}).forms["user-form"]
    form["email"] = "an@tuky.gov.vn"
    assert form.submit().status_int == 302
    assert can_log_in(app, "u1", PASSWORD)


def test_roles_the_form_does_not_offer_are_kept(admin, people, site_access):
    with site_access() as site:
        site.principals.get_user("u1").roles.add("Clerk")  # from a plugin not running now
    form = admin.get("/@@user-edit", {"login": "u1"}).forms["user-form"]
    tick(form, "roles", "Reader")
    form.submit()
    assert stored_user(site_access, "u1")[2] == {"Editor", "Reader", "Clerk"}


def test_an_unknown_user_is_not_found(admin):
    assert admin.get("/@@user-edit", {"login": "khong-co"}, status=404)


def test_the_last_manager_keeps_the_role(admin, people, site_access):
    form = admin.get("/@@user-edit", {"login": "admin"}).forms["user-form"]
    tick(form, "roles", "Manager", checked=False)
    response = form.submit(status=400)
    assert "quản trị cuối cùng" in response.html.find(id="user-roles-error").text
    assert "Manager" in stored_user(site_access, "admin")[2]
    with site_access() as site:
        site.principals.get_user("u1").roles.add("Manager")
    assert form.submit().status_int == 302
    assert "Manager" not in stored_user(site_access, "admin")[2]


def test_admin_cannot_be_deleted_and_others_can(admin, people, site_access):
    page = admin.get("/@@user-edit", {"login": "admin"})
    assert "user-delete-form" not in page.forms
    response = post(admin, "/@@user-delete?login=admin", {}, status=400)
    assert "Không thể xoá tài khoản admin." in response.html.find(attrs={"role": "alert"}).text
    assert stored_user(site_access, "admin") is not None
    with site_access() as site:
        site.principals.add_member("bbt", "u1")
    response = admin.get("/@@user-edit", {"login": "u1"}).forms["user-delete-form"].submit()
    assert response.status_int == 302
    assert stored_user(site_access, "u1") is None
    assert stored_group(site_access, "bbt")[2] == set()


def test_the_last_manager_cannot_be_deleted(app, people, site_access):
    with site_access() as site:
        site.principals.add_user("quantri", PASSWORD).roles.add("Manager")
        site.principals.get_user("admin").roles.remove("Manager")
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(browser, "quantri", PASSWORD)
    response = post(browser, "/@@user-delete?login=quantri", {}, status=400)
    assert "quản trị cuối cùng" in response.html.find(attrs={"role": "alert"}).text
    assert stored_user(site_access, "quantri") is not None
    with site_access() as site:
        site.principals.get_user("u1").roles.add("Manager")
    assert post(browser, "/@@user-delete?login=quantri", {}).status_int == 302
    assert stored_user(site_access, "quantri") is None


# groups ---------------------------------------------------------------------------
def test_add_a_group_then_manage_its_members(admin, people, site_access):
    form = admin.get("/@@group-add").forms["group-form"]
    form["id"] = "van-thu"
    form["title"] = "Văn thư"
    tick(form, "roles", "Contributor")
    response = form.submit()
    assert response.location.endswith("/@@group-edit?id=van-thu")
    assert stored_group(site_access, "van-thu") == ("Văn thư", {"Contributor"}, set())
    form = response.follow().forms["group-form"]
    form["add_members"] = "u1, admin"
    form.submit()
    assert stored_group(site_access, "van-thu")[2] == {"u1", "admin"}
    assert stored_user(site_access, "u1")[3] == {"van-thu"}
    form = admin.get("/@@group-edit", {"id": "van-thu"}).forms["group-form"]
    tick(form, "remove", "u1")
    form.submit()
    assert stored_group(site_access, "van-thu")[2] == {"admin"}
    assert stored_user(site_access, "u1")[3] == set()
    assert "van-thu" in admin.get("/@@groups").text


def test_unknown_members_are_refused_and_nothing_is_stored(admin, people, site_access):
    form = admin.get("/@@group-edit", {"id": "bbt"}).forms["group-form"]
    form["title"] = "Tên mới"
    form["add_members"] = "u1 khong-co"
    response = form.submit(status=400)
    assert "khong-co" in response.html.find(id="group-add-members-error").text
    assert stored_group(site_access, "bbt") == ("Ban biên tập", set(), set())


@pytest.mark.parametrize("gid, message", [("bbt", "Nhóm 'bbt' đã có."), ("X", "Mã nhóm gồm")])
def test_a_taken_or_bad_group_id_is_refused(admin, people, site_access, gid, message):
    response = post(admin, "/@@group-add", {"id": gid, "title": "Khác"}, status=400)
    assert message in response.html.find(id="group-id-error").text
    assert stored_group(site_access, "bbt")[0] == "Ban biên tập"


def test_delete_a_group_keeps_its_members(admin, people, site_access):
    with site_access() as site:
        site.principals.add_member("bbt", "u1")
    response = admin.get("/@@group-edit", {"id": "bbt"}).forms["group-delete-form"].submit()
    assert response.status_int == 302
    assert stored_group(site_access, "bbt") is None
    assert stored_user(site_access, "u1")[3] == set()


def test_a_group_holding_the_only_manager_role_cannot_lose_it(admin, people, site_access):
    with site_access() as site:
        principals = site.principals
        principals.add_group("quan-tri", "Quản trị").roles.add("Manager")
        principals.add_member("quan-tri", "admin")
        principals.get_user("admin").roles.remove("Manager")
    form = admin.get("/@@group-edit", {"id": "quan-tri"}).forms["group-form"]
    tick(form, "remove", "admin")
    assert "quản trị cuối cùng" in form.submit(status=400).text
    form = admin.get("/@@group-edit", {"id": "quan-tri"}).forms["group-form"]
    tick(form, "roles", "Manager", checked=False)
    assert "quản trị cuối cùng" in form.submit(status=400).text
    post(admin, "/@@group-delete?id=quan-tri", {}, status=400)
    assert stored_group(site_access, "quan-tri") == ("Quản trị", {"Manager"}, {"admin"})


def test_passwords_never_appear_on_the_admin_pages(admin, people):
    for path in ["/@@users", "/@@user-edit?login=u1", "/@@user-edit?login=admin", "/@@groups"]:
        text = admin.get(path).text
        assert PASSWORD not in text and "argon2" not in text
