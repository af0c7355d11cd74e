"""The add and edit forms: widgets from the type's fields, validation, uploads."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from core.testing import add, add_user, flash_texts, login, png_bytes, upload


@pytest.fixture
def folder(model):
    """A published folder ``/van-ban`` with one page in it."""
    folder = add(model, model.site, "Folder", "published", name="van-ban", title="Văn bản")
    add(
        model,
        folder,
        "Page",
        name="trang",
        title="Trang cũ",
        description="Mô tả cũ",
        text="<p>Nội dung cũ</p>",
    )
    model.commit()
    return "/van-ban/"


def stored(site_access, path):
    """The stored object at ``path`` (a copy of its fields), or None."""
    from pyramid.traversal import find_resource

    with site_access() as site:
        try:
            obj = find_resource(site, path)
        except KeyError:
            return None
        return {
            "title": obj.title,
            "description": obj.description,
            "text": getattr(obj, "text", None),
            "names": list(obj.keys()) if hasattr(obj, "keys") else None,
            "filename": getattr(obj, "filename", None),
            "size": getattr(obj, "size", None),
            "url": getattr(obj, "url", None),
            "effective": getattr(obj, "effective", None),
            "state": obj.workflow_state,
        }


def field_error(page, name):
    """The error message shown next to field ``name``, checking how it is linked."""
    widget = page.html.select_one(f"#field-{name}")
    control = widget.select_one(f"[name={name}]")
    message = widget.select_one(".error-message")
    if message is None:
        assert control.get("aria-invalid") is None
        return None
    assert control["aria-invalid"] == "true"
    assert message["id"] in control["aria-describedby"].split()
    return message.get_text(" ", strip=True).removeprefix("Lỗi:").strip()


# the add form -------------------------------------------------------------------------
def test_add_form_is_drawn_from_the_type_fields(admin, folder):
    page = admin.get(folder + "@@add?type=Page")
    html = page.html
    assert html.select_one("main h1").get_text() == "Thêm trang"
    form = html.select_one("form#content-form")
    assert form["method"] == "post" and form["action"].endswith("/van-ban/@@add")
    for name, label in (
        ("title", "Tiêu đề"),
        ("description", "Mô tả"),
        ("text", "Nội dung"),
        ("id", "Tên trong địa chỉ (URL)"),
    ):
        control = form.select_one(f"[name={name}]")
        assert (
            form.select_one(f"label[for={control['id']}]")
            .get_text(" ", strip=True)
            .startswith(label)
        )
    title_label = form.select_one("label[for=form-title]")
    assert title_label.select_one(".required")
    assert form.select_one("[name=title]")["aria-required"] == "true"
    assert not form.select_one("label[for=form-description] .required")
    assert form.select_one("textarea[name=text]")["class"] == ["richtext"]
    help_id = form.select_one("[name=id]")["aria-describedby"]
    assert "để trống" in form.select_one(f"#{help_id}").get_text()
    assert form.select_one("input[name=type]")["value"] == "Page"
    assert not form.get("enctype")  # no upload: a plain form


def test_add_page_redirects_to_it_with_a_message(admin, folder, site_access):
    form = admin.get(folder + "@@add?type=Page").forms["content-form"]
    form["title"] = "Giới thiệu chung về tỉnh"
    form["description"] = "Tóm tắt"
    form["text"] = '<p onclick="x()">Xin chào <script>alert(1)</script><b>bạn</b></p>'
    response = form.submit()
    assert response.status_int == 302
    assert response.location.endswith("/van-ban/gioi-thieu-chung-ve-tinh/")
    page = response.follow()
    assert flash_texts(page) == ["Đã tạo “Giới thiệu chung về tỉnh”."]
    obj = stored(site_access, "/van-ban/gioi-thieu-chung-ve-tinh")
    assert obj["title"] == "Giới thiệu chung về tỉnh" and obj["state"] == "private"
    assert "<script>" not in obj["text"] and "onclick" not in obj["text"]
    assert "<b>bạn</b>" in obj["text"]


def test_add_with_a_chosen_name(admin, folder, site_access):
    form = admin.get(folder + "@@add?type=Folder").forms["content-form"]
    form["title"] = "Lịch công tác"
    form["id"] = "lich-cong-tac-2025"
    assert form.submit().location.endswith("/van-ban/lich-cong-tac-2025/")
    assert "lich-cong-tac-2025" in stored(site_access, "/van-ban")["names"]


@pytest.mark.parametrize("bad", ["../trang", "a/b", "trang", "tên có dấu", ".."])
def test_add_with_a_bad_name_shows_the_error_and_stores_nothing(admin, folder, site_access, bad):
    form = admin.get(folder + "@@add?type=Page").forms["content-form"]
    form["title"] = "Trang mới"
    form["id"] = bad
    page = form.submit()
    assert page.status_int == 200
    assert field_error(page, "id")
    assert page.html.select_one("#error-summary")
    assert page.forms["content-form"]["id"].value == bad  # what was typed is kept
    assert stored(site_access, "/van-ban")["names"] == ["trang"]


def test_required_title_missing_shows_the_error_and_keeps_the_rest(admin, folder, site_access):
    form = admin.get(folder + "@@add?type=Page").forms["content-form"]
    form["title"] = "   "
    form["description"] = "Mô tả đã gõ"
    form["text"] = "<p>Nội dung đã gõ</p>"
    page = form.submit()
    assert page.status_int == 200
    assert field_error(page, "title") == "Bắt buộc nhập."
    assert field_error(page, "description") is None
    summary = page.html.select_one("#error-summary a")
    assert summary["href"] == "#form-title"
    again = page.forms["content-form"]
    assert again["description"].value == "Mô tả đã gõ"
    assert again["text"].value == "<p>Nội dung đã gõ</p>"
    assert stored(site_access, "/van-ban")["names"] == ["trang"]


def test_script_in_a_title_is_stored_as_typed_and_shown_escaped(admin, folder, site_access):
    form = admin.get(folder + "@@add?type=Page").forms["content-form"]
    form["title"] = "<script>alert('x')</script>"
    page = form.submit().follow()
    assert "<script>alert('x')</script>" not in page.text
    assert page.html.select_one("main h1").get_text() == "<script>alert('x')</script>"
    name = stored(site_access, "/van-ban")["names"][-1]
    assert stored(site_access, f"/van-ban/{name}")["title"] == "<script>alert('x')</script>"


def test_unknown_or_not_addable_type_is_a_400_page(admin, folder):
    page = admin.get(folder + "@@add?type=Teapot", status=400)
    assert "Không có loại nội dung “Teapot”." in page.text
    page = admin.get(folder + "@@add?type=Site", status=400)
    assert "Không thể thêm" in page.text
    page = admin.get(folder + "@@add", status=400)
    assert "Không có loại nội dung" in page.text


def test_anonymous_is_sent_to_login_and_a_user_without_rights_gets_403(
    testapp, folder, site_access
):
    response = testapp.get(folder + "@@add?type=Page")
    assert response.status_int == 302 and "/@@login?came_from=" in response.location
    response = testapp.get(folder + "trang/@@edit")
    assert response.status_int == 302 and "/@@login?came_from=" in response.location
    add_user(site_access, "u1")
    login(testapp, "u1")
    page = testapp.get(folder + "@@add?type=Page", status=403)
    assert "Bạn không có quyền truy cập trang này." in page.text
    testapp.get("/van-ban/@@edit", status=403)


def test_forged_csrf_token_is_refused_and_nothing_is_stored(admin, folder, site_access):
    form = admin.get(folder + "@@add?type=Page").forms["content-form"]
    form["title"] = "Trang giả mạo"
    form["csrf_token"] = "forged"
    page = form.submit(status=400)
    assert "Vui lòng tải lại trang và thử lại." in page.text
    assert stored(site_access, "/van-ban")["names"] == ["trang"]


def test_addable_types_menu_lists_only_what_may_be_added(admin, folder):
    html = admin.get(folder).html
    titles = [a.get_text(strip=True) for a in html.select(".add-menu a")]
    assert {"Thư mục", "Trang", "Tệp tin", "Hình ảnh", "Liên kết", "Tin tức"} <= set(titles)
    assert "Cổng thông tin" not in titles


# the edit form ---------------------------------------------------------------------------
def test_edit_form_is_prefilled_and_saves(admin, folder, site_access):
    page = admin.get(folder + "trang/@@edit")
    assert page.html.select_one("main h1").get_text() == "Sửa “Trang cũ”"
    form = page.forms["content-form"]
    assert form["title"].value == "Trang cũ"
    assert form["description"].value == "Mô tả cũ"
    assert form["text"].value == "<p>Nội dung cũ</p>"
    assert "id" not in form.fields  # renaming is done in the contents view
    form["title"] = "Trang mới"
    form["text"] = "<p>Nội dung mới</p>"
    response = form.submit()
    assert response.status_int == 302 and response.location.endswith("/van-ban/trang/")
    assert flash_texts(response.follow()) == ["Đã lưu thay đổi."]
    obj = stored(site_access, "/van-ban/trang")
    assert obj["title"] == "Trang mới" and obj["text"] == "<p>Nội dung mới</p>"


def test_failed_edit_changes_nothing(admin, folder, site_access):
    before = stored(site_access, "/van-ban/trang")
    form = admin.get(folder + "trang/@@edit").forms["content-form"]
    form["title"] = ""
    form["description"] = "Mô tả khác"
    page = form.submit()
    assert page.status_int == 200
    assert field_error(page, "title") == "Bắt buộc nhập."
    assert page.forms["content-form"]["description"].value == "Mô tả khác"
    assert stored(site_access, "/van-ban/trang") == before


def test_edit_the_site_contact_details(admin, site_access):
    form = admin.get("/@@edit").forms["content-form"]
    form["unit_name"] = "UBND tỉnh Sông Lam"
    form["hotline"] = "1900 1234"
    form.submit().follow()
    html = admin.get("/").html
    assert "UBND tỉnh Sông Lam" in html.select_one(".brand").get_text()
    assert "1900 1234" in html.select_one("footer").get_text()


# uploads and other widgets ------------------------------------------------------------------
def test_upload_an_image_and_get_its_thumbnail(admin, folder, site_access):
    form = admin.get(folder + "@@add?type=Image").forms["content-form"]
    assert form.enctype == "multipart/form-data"
    field = admin.get(folder + "@@add?type=Image").html.select_one("input[type=file]")
    assert field["accept"] == "image/*"
    form["title"] = "Ảnh trụ sở"
    form["image"] = ("tru-so.png", png_bytes(600, 400), "image/png")
    response = form.submit()
    assert response.status_int == 302
    thumb = admin.get(response.location + "@@images/thumb")
    assert thumb.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(thumb.body)).size == (128, 85)


def test_upload_that_is_not_an_image_is_refused(admin, folder, site_access):
    form = admin.get(folder + "@@add?type=Image").forms["content-form"]
    form["title"] = "Không phải ảnh"
    form["image"] = ("anh.png", b"this is text", "image/png")
    page = form.submit()
    assert field_error(page, "image") == "Tệp không phải là ảnh hợp lệ."
    assert page.forms["content-form"]["title"].value == "Không phải ảnh"
    assert stored(site_access, "/van-ban")["names"] == ["trang"]


def test_file_is_required_when_adding(admin, folder, site_access):
    form = admin.get(folder + "@@add?type=File").forms["content-form"]
    form["title"] = "Báo cáo"
    page = form.submit()
    assert field_error(page, "file") == "Bắt buộc nhập."
    assert stored(site_access, "/van-ban")["names"] == ["trang"]


def test_editing_a_file_without_a_new_upload_keeps_the_file(admin, model, site_access):
    add(
        model,
        model.site,
        "File",
        name="bao-cao.pdf",
        title="Báo cáo",
        file=upload(b"%PDF-1.4 bao cao", "bao-cao.pdf", "application/pdf"),
    )
    model.commit()
    page = admin.get("/bao-cao.pdf/@@edit")
    current = page.html.select_one(".current-file")
    assert "bao-cao.pdf" in current.get_text()
    form = page.forms["content-form"]
    form["title"] = "Báo cáo tổng kết"
    form.submit().follow()
    obj = stored(site_access, "/bao-cao.pdf")
    assert obj["title"] == "Báo cáo tổng kết"
    assert obj["filename"] == "bao-cao.pdf" and obj["size"] == len(b"%PDF-1.4 bao cao")
    assert admin.get("/bao-cao.pdf/@@download").body == b"%PDF-1.4 bao cao"
    # a new upload replaces it
    form = admin.get("/bao-cao.pdf/@@edit").forms["content-form"]
    form["file"] = ("moi.pdf", b"%PDF-1.4 moi", "application/pdf")
    form.submit()
    assert admin.get("/bao-cao.pdf/@@download").body == b"%PDF-1.4 moi"


def test_link_with_a_bad_address_is_refused(admin, folder, site_access):
    form = admin.get(folder + "@@add?type=Link").forms["content-form"]
    assert admin.get(folder + "@@add?type=Link").html.select_one("input[name=url]")["type"] == "url"
    form["title"] = "Cổng dịch vụ công"
    form["url"] = "javascript:alert(1)"
    page = form.submit()
    assert field_error(page, "url").startswith("Địa chỉ không hợp lệ")
    assert stored(site_access, "/van-ban")["names"] == ["trang"]
    form = page.forms["content-form"]
    form["url"] = "https://dichvucong.gov.vn"
    assert form.submit().status_int == 302
    assert stored(site_access, "/van-ban/cong-dich-vu-cong")["url"] == "https://dichvucong.gov.vn"


def test_datetime_widget_validates_and_stores_a_vietnam_time(admin, folder, site_access):
    page = admin.get(folder + "@@add?type=News")
    assert page.html.select_one("input[name=effective]")["type"] == "datetime-local"
    form = page.forms["content-form"]
    form["title"] = "Tin ngày lễ"
    form["effective"] = "2025-13-45T07:30"
    page = form.submit()
    assert field_error(page, "effective").startswith("Thời điểm không hợp lệ")
    form = page.forms["content-form"]
    assert form["effective"].value == "2025-13-45T07:30"
    form["effective"] = "2025-09-02T07:30"
    form.submit()
    stored_at = stored(site_access, "/van-ban/tin-ngay-le")["effective"]
    assert stored_at == datetime(2025, 9, 2, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    edit = admin.get("/van-ban/tin-ngay-le/@@edit").forms["content-form"]
    assert edit["effective"].value == "2025-09-02T07:30"
