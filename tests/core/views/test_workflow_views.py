"""The workflow menu of the edit bar, ``@@workflow``, ``@@history`` and ``@@delete``."""

from __future__ import annotations

import pytest

from core.testing import add, add_user, csrf_token, flash_texts, login


@pytest.fixture
def page(model):
    """A private page ``/gioi-thieu`` and a published folder ``/tin-tuc`` with a page."""
    add(model, model.site, "Page", name="gioi-thieu", title="Giới thiệu", text="<p>Chào</p>")
    folder = add(model, model.site, "Folder", "published", name="tin-tuc", title="Tin tức")
    add(model, folder, "Page", "published", name="bai", title="Bài viết")
    model.commit()
    return "/gioi-thieu/"


def state(site_access, path="/gioi-thieu"):
    from pyramid.traversal import find_resource

    with site_access() as site:
        obj = find_resource(site, path)
        return obj.workflow_state, len(obj.workflow_history)


def workflow_form(client, path):
    """The workflow form of the edit bar on ``path``."""
    found = client.get(path)
    for form in found.forms.values():
        if form.action.endswith("@@workflow"):
            return found, form
    raise AssertionError("no workflow form on " + path)


def test_edit_bar_shows_the_state_and_the_transitions(admin, page):
    found, form = workflow_form(admin, page)
    menu = found.html.select_one(".workflow-menu")
    assert menu.select_one(".state").get_text() == "Riêng tư"
    buttons = {b["value"]: b.get_text(strip=True) for b in menu.select("button[name=transition]")}
    assert buttons == {"submit": "Gửi duyệt", "publish": "Xuất bản"}
    comment = menu.select_one("textarea[name=comment]")
    assert menu.select_one(f"label[for={comment['id']}]")
    assert form.method.upper() == "POST"


def test_publish_with_a_comment_makes_the_page_public(testapp, page, site_access):
    response = testapp.get(page)
    assert response.status_int == 302  # private: anonymous is sent to the login page

    login(testapp)
    _found, form = workflow_form(testapp, page)
    form["comment"] = "Đã kiểm tra nội dung"
    response = form.submit("transition", value="publish")
    assert response.status_int == 302 and response.location.endswith(page)
    shown = response.follow()
    assert flash_texts(shown) == ["Đã chuyển sang trạng thái “Đã xuất bản”."]
    assert shown.html.select_one(".workflow-menu .state").get_text() == "Đã xuất bản"
    assert state(site_access) == ("published", 1)
    testapp.reset()
    public = testapp.get(page)
    assert public.status_int == 200
    assert "Chào" in public.html.select_one(".rich-text").get_text()


def test_history_lists_who_did_what_and_why(admin, page):
    _found, form = workflow_form(admin, page)
    form["comment"] = "Gửi lãnh đạo duyệt"
    form.submit("transition", value="submit")
    _found, form = workflow_form(admin, page)
    form.submit("transition", value="publish")
    history = admin.get(page + "@@history")
    entries = history.html.select(".history-entry")
    assert len(entries) == 2
    newest, oldest = (e.get_text(" ", strip=True) for e in entries)
    assert newest.startswith("Xuất bản") and "(Chờ duyệt → Đã xuất bản)" in newest
    assert "Quản trị hệ thống" in newest
    assert oldest.startswith("Gửi duyệt") and "Gửi lãnh đạo duyệt" in oldest
    assert history.html.select_one(".history-comment").get_text() == "Gửi lãnh đạo duyệt"
    facts = history.html.select_one(".facts").get_text(" ", strip=True)
    assert "Đã xuất bản" in facts and "Quản trị hệ thống" in facts


def test_comment_with_markup_is_shown_as_text(admin, page):
    _found, form = workflow_form(admin, page)
    form["comment"] = "<img src=x onerror=alert(1)>"
    form.submit("transition", value="publish")
    history = admin.get(page + "@@history")
    assert "<img src=x" not in history.text
    assert history.html.select_one(".history-comment").get_text() == "<img src=x onerror=alert(1)>"


def test_transition_not_available_now_is_refused(admin, page, site_access):
    found = admin.get(page)
    response = admin.post(
        page + "@@workflow", {"transition": "reject", "csrf_token": csrf_token(found)}
    )
    assert flash_texts(response.follow()) == ["Không thể thực hiện 'reject' ở trạng thái này."]
    assert state(site_access) == ("private", 0)
    response = admin.post(page + "@@workflow", {"transition": "", "csrf_token": csrf_token(found)})
    assert response.follow().html.select_one(".flash-messages .alert-error")
    assert state(site_access) == ("private", 0)


def test_user_without_the_permission_cannot_transition(testapp, page, site_access):
    add_user(site_access, "u1")
    shown = login(testapp, "u1")
    assert not shown.html.select(".workflow-menu")
    response = testapp.post(
        "/tin-tuc/bai/@@workflow", {"transition": "retract", "csrf_token": csrf_token(shown)}
    )
    assert "Bạn không có quyền thực hiện thao tác này." in flash_texts(response.follow())
    assert state(site_access, "/tin-tuc/bai") == ("published", 1)
    testapp.get("/tin-tuc/bai/@@history", status=403)


def test_anonymous_post_is_sent_to_login(testapp, page, site_access):
    found = testapp.get("/@@login")
    response = testapp.post(
        "/tin-tuc/bai/@@workflow", {"transition": "retract", "csrf_token": csrf_token(found)}
    )
    assert response.status_int == 302 and "/@@login" in response.location
    assert state(site_access, "/tin-tuc/bai") == ("published", 1)


def test_forged_csrf_token_is_refused(admin, page, site_access):
    response = admin.post(
        page + "@@workflow", {"transition": "publish", "csrf_token": "x"}, status=400
    )
    assert "Vui lòng tải lại trang" in response.text
    assert state(site_access) == ("private", 0)


def test_reviewer_sees_pending_items_and_their_history(testapp, admin, page, site_access):
    _found, form = workflow_form(admin, page)
    form.submit("transition", value="submit")
    admin.reset()
    add_user(site_access, "lanhdao", roles=["Reviewer"])
    shown = login(testapp, "lanhdao")
    found, form = workflow_form(testapp, page)
    buttons = {b["value"] for b in found.html.select(".workflow-menu button")}
    assert buttons == {"publish", "reject", "retract"}  # retract: a reviewer of the place
    form["comment"] = "Cần bổ sung số liệu"
    form.submit("transition", value="reject")
    assert state(site_access) == ("private", 2)
    assert shown.status_int == 200


# delete ---------------------------------------------------------------------------------
def test_delete_confirmation_then_delete(admin, model, site_access):
    folder = add(model, model.site, "Folder", name="cu", title="Thư mục cũ")
    sub = add(model, folder, "Folder", name="con", title="Con")
    add(model, sub, "Page", name="p1", title="P1")
    add(model, folder, "Page", name="p2", title="P2")
    model.commit()
    confirm = admin.get("/cu/@@delete")
    question = confirm.html.select_one(".confirm-question").get_text()
    assert question == "Bạn có chắc muốn xoá “Thư mục cũ” (Thư mục)?"
    text = confirm.html.select_one("main").get_text(" ", strip=True)
    assert "Bên trong có 3 mục khác; chúng cũng sẽ bị xoá." in text
    with site_access() as site:
        assert "cu" in site
    response = confirm.forms["delete-form"].submit()
    assert response.status_int == 302 and response.location == "http://localhost/"
    assert flash_texts(response.follow()) == ["Đã xoá “Thư mục cũ”."]
    with site_access() as site:
        assert "cu" not in site


def test_delete_needs_permission_and_a_valid_token(testapp, page, site_access):
    assert "/@@login" in testapp.get("/gioi-thieu/@@delete").location
    add_user(site_access, "u1")
    found = login(testapp, "u1")
    testapp.get("/tin-tuc/bai/@@delete", status=403)
    testapp.post("/tin-tuc/bai/@@delete", {"csrf_token": csrf_token(found)}, status=403)

    login(testapp)
    testapp.post("/tin-tuc/bai/@@delete", {"csrf_token": "forged"}, status=400)
    with site_access() as site:
        assert "bai" in site["tin-tuc"]


def test_the_site_itself_cannot_be_deleted(admin):
    page = admin.get("/@@delete", status=400)
    assert "Không thể xoá trang chủ" in page.text
    assert not admin.get("/").html.select(".editbar-tabs a.danger")
