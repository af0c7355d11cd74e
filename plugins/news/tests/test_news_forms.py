"""Adding news through the pages and the API: readable names from Vietnamese
titles, the news fields in the forms, refused input."""

from __future__ import annotations

import pytest

from core.testing import add, png_bytes, upload


@pytest.fixture
def sections(model):
    add(model, model.site, "Folder", title="Tin tức", name="tin-tuc")
    add(model, model.site, "Folder", title="Thông báo", name="thong-bao")
    model.commit()


def field_error(page, name: str) -> str:
    found = page.html.select_one(f"#form-{name}-error")
    return found.get_text(" ", strip=True).removeprefix("Lỗi:").strip() if found else ""


def test_the_add_form_names_news_from_its_title(admin, sections):
    page = admin.get("/tin-tuc/@@add?type=News")
    assert [o["value"] for o in page.html.select("select[name=category] option")] == [
        "", "thoi-su", "kinh-te", "van-hoa-xa-hoi", "chinh-quyen",
    ]  # fmt: skip
    form = page.forms["content-form"]
    form["title"] = "Cấp giấy phép xây dựng trực tuyến"
    form["category"] = "chinh-quyen"
    form["tags"] = "xây dựng, dịch vụ công"
    form["image"] = ("anh.png", png_bytes(), "image/png")
    form["image_caption"] = "Bộ phận một cửa"
    response = form.submit()
    assert response.status_int == 302
    assert response.location.endswith("/tin-tuc/cap-giay-phep-xay-dung-truc-tuyen/")
    second = admin.get("/tin-tuc/@@add?type=News").forms["content-form"]
    second["title"] = "Cấp giấy phép xây dựng trực tuyến"
    assert second.submit().location.endswith("/tin-tuc/cap-giay-phep-xay-dung-truc-tuyen-1/")
    edit = admin.get("/tin-tuc/cap-giay-phep-xay-dung-truc-tuyen/@@edit").forms["content-form"]
    assert edit["category"].value == "chinh-quyen"
    assert edit["tags"].value == "xây dựng\ndịch vụ công"


def test_an_expiry_before_the_publication_is_shown_next_to_the_field(admin, sections):
    form = admin.get("/thong-bao/@@add?type=Announcement").forms["content-form"]
    form["title"] = "Thông báo tuyển dụng"
    form["effective"] = "2025-05-10T08:00"
    form["expires"] = "2025-05-01T08:00"
    page = form.submit()
    assert page.status_int == 200
    assert field_error(page, "expires") == "Ngày hết hạn phải sau ngày đăng."
    assert "thong-bao-tuyen-dung" not in admin.get("/thong-bao/").text


def test_the_api_names_news_from_its_title_and_refuses_bad_values(api, sections):
    body = {
        "@type": "News",
        "title": "Đường Điện Biên Phủ được mở rộng",
        "category": "kinh-te",
        "tags": ["giao thông", "đô thị"],
        "image": upload(png_bytes(), "duong.png", "image/png"),
    }
    response = api.post_json("/tin-tuc", body, status=201)
    assert response.json["id"] == "duong-dien-bien-phu-duoc-mo-rong"
    item = api.get("/tin-tuc/duong-dien-bien-phu-duoc-mo-rong").json
    assert item["category"] == "kinh-te" and item["tags"] == ["giao thông", "đô thị"]
    refused = api.post_json("/tin-tuc", {**body, "category": "the-thao"}, status=400)
    assert "category" in refused.text
    assert len(api.get("/tin-tuc").json["items"]) == 1
