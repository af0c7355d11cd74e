"""``@@contents``: the table of a folder's items and the actions on them."""

from __future__ import annotations

import pytest

from core.testing import add, add_user, csrf_token, flash_texts, login, rows


@pytest.fixture
def tree(model):
    """``/van-ban`` with pages a, b, c and folder ``d`` (holding ``d1``), and an empty
    folder ``/luu-tru`` beside it."""
    site = model.site
    folder = add(model, site, "Folder", "published", name="van-ban", title="Văn bản")
    add(model, folder, "Page", "published", name="a", title="Trang A")
    add(model, folder, "Page", name="b", title="Trang B")
    add(model, folder, "Page", name="c", title="Trang C")
    sub = add(model, folder, "Folder", name="d", title="Thư mục D")
    add(model, sub, "Page", name="d1", title="Trang D1")
    add(model, site, "Folder", name="luu-tru", title="Lưu trữ")
    model.commit()
    return "/van-ban/"


def names(site_access, path="/van-ban"):
    from pyramid.traversal import find_resource

    with site_access() as site:
        return list(find_resource(site, path).keys())


def post(client, path, **fields):
    """Post to ``path`` with the page's CSRF token."""
    page = client.get(path)
    return client.post(path, dict(fields, csrf_token=csrf_token(page)))


def test_table_shows_each_item(admin, tree):
    html = admin.get(tree + "@@contents").html
    assert html.select_one("main h1").get_text() == "Nội dung của “Văn bản”"
    assert rows(admin.get(tree + "@@contents")) == ["a", "b", "c", "d"]
    row = html.select_one("tr#row-a")
    box = row.select_one("input[type=checkbox][name=ids]")
    assert box["value"] == "a"
    assert row.select_one(f"#{box['aria-labelledby']}").get_text() == "Trang A"
    assert row.select_one("th a")["href"].endswith("/van-ban/a/")
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert cells[1:3] == ["Trang", "Đã xuất bản"]
    assert row.select_one("time")["datetime"]
    assert html.select_one("tr#row-d").select("td")[1].get_text(strip=True) == "Thư mục"
    assert html.select_one("tr#row-b").select("td")[2].get_text(strip=True) == "Riêng tư"
    # the first row cannot go up, the last cannot go down
    assert html.select_one("button[value='a:up']").has_attr("disabled")
    assert not html.select_one("button[value='a:down']").has_attr("disabled")
    assert html.select_one("button[value='d:bottom']").has_attr("disabled")


def test_table_is_batched(admin, model):
    folder = add(model, model.site, "Folder", name="nhieu", title="Nhiều")
    for n in range(25):
        add(model, folder, "Page", name=f"p{n:02d}", title=f"Trang {n:02d}")
    model.commit()
    first = admin.get("/nhieu/@@contents")
    assert rows(first) == [f"p{n:02d}" for n in range(20)]
    assert "Mục 1–20 trên tổng số 25" in first.html.select_one("caption").get_text()
    second = admin.get(first.html.select_one(".pagination a[rel=next]")["href"])
    assert rows(second) == [f"p{n:02d}" for n in range(20, 25)]
    assert (
        admin.get("/nhieu/@@contents?b_start=5&b_size=3").html.select("input[name=ids]")[0]["value"]
        == "p05"
    )


def test_anonymous_is_sent_to_login_and_others_get_403(testapp, tree, site_access):
    response = testapp.get(tree + "@@contents")
    assert response.status_int == 302 and "/@@login" in response.location
    add_user(site_access, "u1")
    login(testapp, "u1")
    testapp.get(tree + "@@contents", status=403)


def test_reorder_changes_the_order_shown(admin, tree, site_access):
    response = post(admin, tree + "@@contents", reorder="c:top")
    assert response.status_int == 302
    page = response.follow()
    assert rows(page) == ["c", "a", "b", "d"]
    assert flash_texts(page) == ["Đã chuyển “Trang C”."]
    page = post(admin, tree + "@@contents", reorder="c:down").follow()
    assert rows(page) == ["a", "c", "b", "d"]
    page = post(admin, tree + "@@contents", reorder="a:bottom").follow()
    assert rows(page) == ["c", "b", "d", "a"]
    page = post(admin, tree + "@@contents", reorder="d:up").follow()
    assert rows(page) == ["c", "d", "b", "a"]
    assert names(site_access) == ["c", "d", "b", "a"]
    # the folder's own listing follows the order
    titles = [a.get_text() for a in admin.get(tree).html.select(".item-title a")]
    assert titles == ["Trang C", "Thư mục D", "Trang B", "Trang A"]


def test_reorder_with_the_button_of_the_page(admin, tree):
    form = admin.get(tree + "@@contents").forms["contents-form"]
    page = form.submit("reorder", value="b:top").follow()
    assert rows(page) == ["b", "a", "c", "d"]


def test_bad_reorder_is_refused(admin, tree, site_access):
    page = post(admin, tree + "@@contents", reorder="zzz:up").follow()
    assert flash_texts(page) == ["Thao tác không hợp lệ."]
    post(admin, tree + "@@contents", reorder="a:sideways")
    assert names(site_access) == ["a", "b", "c", "d"]


def test_move_selected_items_to_another_folder(admin, tree, site_access):
    form = admin.get(tree + "@@contents").forms["contents-form"]
    form["ids"] = ["a", "c"]
    form["target"] = "/luu-tru"
    page = form.submit("action", value="move").follow()
    assert flash_texts(page) == ["Đã chuyển 2 mục tới “Lưu trữ”."]
    assert rows(page) == ["b", "d"]
    assert names(site_access, "/luu-tru") == ["a", "c"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "Hãy nhập đường dẫn thư mục đích, ví dụ /tin-tuc."),
        ("/khong-co", "Không tìm thấy thư mục “/khong-co”."),
        ("/van-ban/a", "“/van-ban/a” không phải là một thư mục."),
        ("/van-ban/@@edit", "Đường dẫn thư mục đích không hợp lệ."),
    ],
)
def test_move_to_a_bad_target_changes_nothing(admin, tree, site_access, target, message):
    form = admin.get(tree + "@@contents").forms["contents-form"]
    form["ids"] = ["a"]
    form["target"] = target
    page = form.submit("action", value="move").follow()
    assert flash_texts(page) == [message]
    assert page.html.select_one(".flash-messages .alert-error")
    assert page.forms["contents-form"]["target"].value == target  # kept to correct it
    assert names(site_access) == ["a", "b", "c", "d"]


def test_moving_a_folder_into_itself_changes_nothing(admin, tree, site_access):
    form = admin.get(tree + "@@contents").forms["contents-form"]
    form["ids"] = ["a", "d"]  # "a" could move, "d" cannot: neither moves
    form["target"] = "/van-ban/d"
    page = form.submit("action", value="move").follow()
    assert flash_texts(page) == ["Không thể chuyển một thư mục vào chính nó."]
    assert names(site_access) == ["a", "b", "c", "d"]
    assert names(site_access, "/van-ban/d") == ["d1"]


def test_copy_selected_items(admin, tree, site_access):
    form = admin.get(tree + "@@contents").forms["contents-form"]
    form["ids"] = ["d"]
    form["target"] = "http://localhost/luu-tru"  # a full address on this site works too
    page = form.submit("action", value="copy").follow()
    assert flash_texts(page) == ["Đã sao chép 1 mục tới “Lưu trữ”."]
    assert names(site_access) == ["a", "b", "c", "d"]
    assert names(site_access, "/luu-tru") == ["d"]
    assert names(site_access, "/luu-tru/d") == ["d1"]


def test_an_action_without_a_selection_says_so(admin, tree):
    form = admin.get(tree + "@@contents").forms["contents-form"]
    form["target"] = "/luu-tru"
    page = form.submit("action", value="move").follow()
    assert flash_texts(page) == ["Chưa chọn mục nào."]


def test_forged_csrf_token_changes_nothing(admin, tree, site_access):
    response = admin.post(tree + "@@contents", {"reorder": "d:top", "csrf_token": "x"}, status=400)
    assert "Vui lòng tải lại trang" in response.text
    assert names(site_access) == ["a", "b", "c", "d"]


def test_rename_through_the_rename_page(admin, tree, site_access):
    form = admin.get(tree + "@@contents").forms["contents-form"]
    form["ids"] = ["b", "c"]
    page = form.submit("action", value="rename").follow()
    rename = page.forms["rename-form"]
    labels = [label.get_text() for label in page.html.select("#rename-form label")]
    assert labels == ["Tên mới của “Trang B”", "Tên mới của “Trang C”"]
    rename.set("new_names", "trang-b", index=0)
    rename.set("new_names", "trang-c", index=1)
    page = rename.submit().follow()
    assert flash_texts(page) == ["Đã đổi tên 2 mục."]
    assert names(site_access) == ["a", "trang-b", "trang-c", "d"]  # the order is kept


@pytest.mark.parametrize("bad", ["../x", "x/y", "a", "", "có dấu"])
def test_rename_refused_changes_nothing(admin, tree, site_access, bad):
    page = admin.get(tree + "@@rename?ids=c&ids=b")
    form = page.forms["rename-form"]
    form.set("new_names", "trang-c", index=0)  # fine on its own...
    form.set("new_names", bad, index=1)  # ...but this one is refused, so neither is renamed
    page = form.submit()
    assert page.status_int == 200
    error = page.html.select("#rename-form .error-message")
    assert len(error) == 1
    assert page.html.select_one("#rename-1")["aria-invalid"] == "true"
    assert error[0]["id"] in page.html.select_one("#rename-1")["aria-describedby"]
    assert page.forms["rename-form"].get("new_names", index=1).value == bad
    assert names(site_access) == ["a", "b", "c", "d"]


def test_delete_selected_items_after_confirmation(admin, tree, site_access):
    form = admin.get(tree + "@@contents").forms["contents-form"]
    form["ids"] = ["a", "d"]
    page = form.submit("action", value="delete").follow()
    text = page.html.select_one("main").get_text(" ", strip=True)
    assert "Bạn có chắc muốn xoá 2 mục sau?" in text
    assert "Bên trong có 1 mục khác; chúng cũng sẽ bị xoá." in text
    assert names(site_access) == ["a", "b", "c", "d"]  # nothing yet
    page = page.forms["delete-form"].submit().follow()
    assert flash_texts(page) == ["Đã xoá 2 mục."]
    assert rows(page) == ["b", "c"]
    assert names(site_access) == ["b", "c"]


def test_delete_all_or_nothing_when_one_is_not_allowed(testapp, tree, site_access):
    # u1 may delete the page it owns ("b") but not "a": neither is deleted
    add_user(site_access, "u1", local=("/van-ban", ["Contributor"]))
    with site_access() as site:
        site["van-ban"]["b"].local_roles["u1"] = ("Owner",)
    login(testapp, "u1")
    page = testapp.get("/van-ban/@@delete-items?ids=b&ids=a")
    response = page.forms["delete-form"].submit()
    assert response.status_int == 302
    assert names(site_access) == ["a", "b", "c", "d"]
    assert "Bạn không có quyền" in flash_texts(response.follow())[0]
