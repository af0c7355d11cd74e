"""The Sharing page: roles granted on a folder to users and groups reach everything
below it, and only there."""

import pytest
import webtest

from core import operations as ops
from core.testing import csrf_token, login

PASSWORD = "Mat-khau-chia-se-1"


@pytest.fixture
def tree(model):
    """/tin-tuc/thoi-su, /tin-tuc/trong and /khac/ngoai (private pages), users u1
    and u2, and the group bbt with u2 in it."""
    request, site = model.request, model.site
    tin = ops.create(request, site, "Folder", {"title": "Tin tức"}, name="tin-tuc")
    ops.create(request, tin, "Folder", {"title": "Thời sự"}, name="thoi-su")
    ops.create(request, tin, "Page", {"title": "Trong"}, name="trong")
    khac = ops.create(request, site, "Folder", {"title": "Khác"}, name="khac")
    ops.create(request, khac, "Page", {"title": "Ngoài"}, name="ngoai")
    site.principals.add_user("u1", PASSWORD, fullname="Nguyễn Văn An")
    site.principals.add_user("u2", PASSWORD, fullname="Trần Thị Bình")
    site.principals.add_group("bbt", "Ban biên tập")
    site.principals.add_member("bbt", "u2")
    model.commit()


def client(app, user):
    """A new browser, logged in as ``user``."""
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(browser, user, PASSWORD)
    return browser


def status(browser, path) -> int:
    return browser.get(path, expect_errors=True).status_int


def stored_roles(site_access, path="tin-tuc") -> dict:
    with site_access() as site:
        obj = site
        for name in path.split("/"):
            obj = obj[name]
        return {pid: tuple(roles) for pid, roles in obj.local_roles.items() if roles != ("Owner",)}


def tick(form, name, value):
    for box in form.fields[name]:
        if box._value == value:
            box.checked = True
            return
    raise AssertionError(f"no checkbox {name}={value}")


def share(browser, path, data, **kw):
    """POST the Sharing form of ``path`` with ``data`` and a valid CSRF token."""
    token = csrf_token(browser.get(f"/{path}/@@sharing"))
    return browser.post(f"/{path}/@@sharing", dict(data, csrf_token=token), **kw)


def test_the_page_offers_the_grantable_roles_only(admin, tree):
    page = admin.get("/tin-tuc/@@sharing")
    columns = [th.text.strip() for th in page.html.select("table.listing thead th")]
    assert columns[0] == "Người dùng / nhóm"
    assert {"Quản trị trang", "Biên tập viên", "Cộng tác viên", "Người duyệt", "Người đọc"} <= set(
        columns
    )
    assert not {"Quản trị hệ thống", "Người tạo", "Thành viên"} & set(columns)
    assert page.forms["sharing-form"].method.upper() == "POST"


def test_search_finds_users_and_groups_ignoring_case(admin, tree):
    page = admin.get("/tin-tuc/@@sharing", {"q": "VĂN AN"})
    assert page.html.find(id="principal-u1") is not None
    assert page.html.find(id="principal-u2") is None
    page = admin.get("/tin-tuc/@@sharing", {"q": "biên tập"})
    row = page.html.find(id="principal-group:bbt")
    assert row is not None and "Ban biên tập" in row.text
    page = admin.get("/tin-tuc/@@sharing", {"q": "khong-ai-ca"})
    assert "Không tìm thấy người dùng hay nhóm nào." in page.text


def test_editor_granted_on_a_folder_edits_inside_it_only(app, admin, tree, site_access):
    u1 = client(app, "u1")
    assert status(u1, "/tin-tuc/trong/@@edit") == 403
    form = admin.get("/tin-tuc/@@sharing", {"q": "u1"}).forms["sharing-form"]
    tick(form, "roles.u1", "Editor")
    response = form.submit()
    assert response.status_int == 302
    assert stored_roles(site_access) == {"u1": ("Editor",)}
    page = response.follow()
    assert page.html.find(id="role-u1-Editor").has_attr("checked")
    assert status(u1, "/tin-tuc/trong/@@edit") == 200
    assert status(u1, "/tin-tuc/trong") == 200  # private, yet visible to an Editor here
    assert status(u1, "/khac/ngoai/@@edit") == 403
    assert status(u1, "/khac/ngoai") == 403
    assert status(u1, "/tin-tuc/@@sharing") == 403  # editing is not sharing


def test_roles_from_above_show_as_inherited_and_stay_unticked(admin, tree, site_access):
    share(admin, "tin-tuc", {"principal": "u1", "roles.u1": "Editor"})
    page = admin.get("/tin-tuc/thoi-su/@@sharing")
    row = page.html.find(id="principal-u1")
    assert row is not None
    cell = page.html.find(id="role-u1-Editor").parent
    assert "kế thừa" in cell.text
    assert not page.html.find(id="role-u1-Editor").has_attr("checked")
    assert "kế thừa" not in page.html.find(id="role-u1-Reader").parent.text
    assert stored_roles(site_access, "tin-tuc/thoi-su") == {}


def test_a_role_granted_to_a_group_reaches_its_members_until_revoked(app, admin, tree, site_access):
    u2 = client(app, "u2")
    assert status(u2, "/tin-tuc/trong/@@edit") == 403
    share(admin, "tin-tuc", {"principal": "group:bbt", "roles.group:bbt": "Editor"})
    assert stored_roles(site_access) == {"group:bbt": ("Editor",)}
    assert status(u2, "/tin-tuc/trong/@@edit") == 200
    assert status(u2, "/khac/ngoai/@@edit") == 403
    share(admin, "tin-tuc", {"principal": "group:bbt"})  # nothing ticked: revoke
    assert stored_roles(site_access) == {}
    assert status(u2, "/tin-tuc/trong/@@edit") == 403


def test_an_unknown_principal_is_refused_and_nothing_is_stored(admin, tree, site_access):
    response = share(
        admin,
        "tin-tuc",
        {"principal": ["u1", "ghost"], "roles.u1": "Editor", "roles.ghost": "Reader"},
        status=400,
    )
    alert = response.html.find(attrs={"role": "alert"})
    assert alert is not None and "ghost" in alert.text
    assert stored_roles(site_access) == {}


@pytest.mark.parametrize("role", ["Manager", "Owner", "NoSuchRole"])
def test_roles_not_offered_cannot_be_forged_in(admin, tree, site_access, role):
    response = share(
        admin, "tin-tuc", {"principal": "u1", "roles.u1": ["Editor", role]}, status=400
    )
    assert response.html.find(attrs={"role": "alert"}) is not None
    assert stored_roles(site_access) == {}


def test_a_forged_csrf_token_is_refused_and_nothing_is_stored(admin, tree, site_access):
    admin.get("/tin-tuc/@@sharing")
    admin.post(
        "/tin-tuc/@@sharing",
        {"csrf_token": "forged", "principal": "u1", "roles.u1": "Editor"},
        status=400,
    )
    assert stored_roles(site_access) == {}


def test_only_those_allowed_to_share_see_the_page(app, testapp, tree):
    response = testapp.get("/tin-tuc/@@sharing")
    assert response.status_int == 302 and "/@@login" in response.location
    u1 = client(app, "u1")
    assert status(u1, "/tin-tuc/@@sharing") == 403
    u1.get("/@@login")
    response = u1.post(
        "/tin-tuc/@@sharing",
        {"csrf_token": csrf_token(u1.get("/@@login")), "principal": "u1", "roles.u1": "SiteAdmin"},
        expect_errors=True,
    )
    assert response.status_int == 403


def test_a_local_site_admin_shares_inside_their_folder_only(app, tree, site_access):
    with site_access() as site:
        site["tin-tuc"].local_roles["u1"] = ("SiteAdmin",)
    u1 = client(app, "u1")
    assert status(u1, "/khac/@@sharing") == 403
    share(u1, "tin-tuc", {"principal": "u2", "roles.u2": "Reviewer"})
    assert stored_roles(site_access) == {"u1": ("SiteAdmin",), "u2": ("Reviewer",)}
    share(u1, "tin-tuc", {"principal": "u2", "roles.u2": "Manager"}, status=400)
    assert stored_roles(site_access) == {"u1": ("SiteAdmin",), "u2": ("Reviewer",)}
