"""What visitors and editors see: the layout, the view of each type, error pages."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from core.testing import add, add_user, login, png_bytes, upload


@pytest.fixture
def portal(model, site_access):
    """A small portal: published sections and pages, one private page, contacts."""
    site = model.site
    news = add(
        model,
        site,
        "Folder",
        "published",
        name="tin-tuc",
        title="Tin tức",
        description="Tin hoạt động của tỉnh",
    )
    add(model, site, "Folder", "published", name="gioi-thieu", title="Giới thiệu")
    add(model, site, "Folder", name="noi-bo", title="Thư mục nội bộ")
    add(
        model,
        news,
        "Page",
        "published",
        name="bai-1",
        title="Khai mạc hội nghị",
        description="Tóm tắt bài",
        text="<h2>Phần một</h2><p>Nội dung <strong>đậm</strong></p>",
    )
    add(model, news, "Page", name="nhap", title="Bản nháp riêng tư")
    add(
        model,
        news,
        "News",
        "published",
        name="tin-moi",
        title="Tin mới nhất",
        effective="2025-03-08",
    )
    model.commit()
    with site_access() as stored:
        stored.unit_name = "Ủy ban nhân dân tỉnh Sông Lam"
        stored.address = "Số 18 đường Hồng Lĩnh"
        stored.phone = "(0238) 3844 216"
        stored.email = "congthongtin@songlam.gov.vn"
        stored.hotline = "(0238) 3866 999"
    return site


# the layout --------------------------------------------------------------------------
def test_front_page_layout_for_anonymous(testapp, portal):
    page = testapp.get("/")
    html = page.html
    assert html.html["lang"] == "vi"
    skip = html.select_one("a.skip-link")
    assert skip["href"] == "#main" and html.select_one("main#main")
    assert "Ủy ban nhân dân tỉnh Sông Lam" in html.select_one(".brand").get_text()
    assert html.select_one("img.brand-logo")["src"].endswith("/_static/logo.svg")
    nav = html.select_one("nav.main-nav")
    assert nav["aria-label"]
    titles = [a.get_text(strip=True) for a in nav.select("ul a")]
    assert titles == ["Trang chủ", "Tin tức", "Giới thiệu"]  # the private folder is hidden
    assert nav.select_one("a[aria-current=page]").get_text(strip=True) == "Trang chủ"
    footer = html.select_one("footer").get_text(" ", strip=True)
    for text in (
        "Số 18 đường Hồng Lĩnh",
        "(0238) 3844 216",
        "congthongtin@songlam.gov.vn",
        "(0238) 3866 999",
    ):
        assert text in footer
    assert html.select_one("footer a[href^=mailto]")["href"] == "mailto:congthongtin@songlam.gov.vn"
    assert html.select_one("a[hreflang=en]")["href"].endswith("?lang=en")
    assert html.select_one("a[href*='@@login']")
    assert not html.select(".editbar")
    # the front page: introduction and sections, the latest news portlet (among the
    # home page's blocks: no portlet column there)
    sections = [a.get_text(strip=True) for a in html.select(".card-title a")]
    assert sections == ["Tin tức", "Giới thiệu"]
    portlet = html.select_one(".home-portlets .portlet-latest-news")
    assert portlet.select_one("h2").get_text(strip=True) == "Tin mới"
    assert "Tin mới nhất" in portlet.get_text()


def test_static_files_are_served(testapp):
    assert testapp.get("/_static/style.css").content_type == "text/css"
    assert "<svg" in testapp.get("/_static/logo.svg").text
    assert testapp.get("/_static/cong.js").status_int == 200


def test_logged_in_user_gets_edit_bar_logout_and_user_management(admin, portal):
    page = admin.get("/tin-tuc/")
    html = page.html
    tabs = [a.get_text(strip=True) for a in html.select(".editbar-tabs a")]
    assert tabs[:4] == ["Xem", "Sửa", "Nội dung", "Chia sẻ"]
    assert html.select_one(".editbar-tabs a[aria-current=page]").get_text(strip=True) == "Xem"
    assert html.select_one("form[action$='@@logout'] button").get_text(strip=True) == "Đăng xuất"
    assert html.select_one("a[href$='@@users']").get_text(strip=True) == "Quản lý người dùng"
    added = {a.get_text(strip=True): a["href"] for a in html.select(".add-menu a")}
    assert added["Trang"].endswith("/tin-tuc/@@add?type=Page")
    assert html.select_one(".workflow-menu .state").get_text(strip=True) == "Đã xuất bản"
    on_edit = admin.get("/tin-tuc/@@edit").html
    assert on_edit.select_one(".editbar-tabs a[aria-current=page]").get_text(strip=True) == "Sửa"


def test_user_without_user_management_sees_no_such_link(testapp, portal, site_access):
    add_user(site_access, "u1")
    page = login(testapp, "u1")
    assert not page.html.select("a[href$='@@users']")
    assert not page.html.select(".editbar")


def test_breadcrumbs_mark_the_current_page(testapp, portal):
    html = testapp.get("/tin-tuc/bai-1/").html
    crumbs = html.select_one("nav.breadcrumbs")
    assert crumbs["aria-label"]
    assert [li.get_text(strip=True) for li in crumbs.select("li")] == [
        "Cổng thông tin điện tử",
        "Tin tức",
        "Khai mạc hội nghị",
    ]
    assert crumbs.select_one("[aria-current=page]").get_text(strip=True) == "Khai mạc hội nghị"
    # the section is marked in the navigation as holding the current page (a class:
    # aria-current is for the current page only)
    assert html.select_one("nav.main-nav a.current-section").get_text(strip=True) == "Tin tức"
    assert not html.select("nav.main-nav a[aria-current]")


def test_language_switch_shows_the_page_in_english_and_remembers(testapp, portal):
    page = testapp.get("/?lang=en")
    assert page.html.html["lang"] == "en"
    assert testapp.get("/").html.html["lang"] == "en"  # the cookie keeps the choice


# views per type -------------------------------------------------------------------------
def test_page_view_shows_rich_text(testapp, portal):
    html = testapp.get("/tin-tuc/bai-1/").html
    assert html.select_one("main h1").get_text() == "Khai mạc hội nghị"
    assert html.select_one("main .lead").get_text() == "Tóm tắt bài"
    body = html.select_one("main .rich-text")
    assert body.select_one("h2").get_text() == "Phần một"
    assert body.select_one("strong").get_text() == "đậm"


def test_private_page_sends_anonymous_to_login_and_shows_to_admin(testapp, portal):
    response = testapp.get("/tin-tuc/nhap/")
    assert response.status_int == 302
    assert "/@@login?came_from=" in response.location

    login(testapp)
    assert "Bản nháp riêng tư" in testapp.get("/tin-tuc/nhap/").text


def test_folder_lists_only_what_the_visitor_may_view(testapp, admin, portal):
    admin_titles = [a.get_text() for a in admin.get("/tin-tuc/").html.select(".item-title a")]
    assert "Bản nháp riêng tư" in admin_titles  # the admin sees everything...
    admin.reset()
    titles = [a.get_text() for a in testapp.get("/tin-tuc/").html.select(".item-title a")]
    assert titles == ["Khai mạc hội nghị", "Tin mới nhất"]  # ...visitors only what is published
    types = [t.get_text() for t in testapp.get("/tin-tuc/").html.select(".item-type")]
    assert types == ["Trang", "Tin tức"]


def test_folder_listing_is_batched_with_prev_and_next(testapp, model):
    folder = add(model, model.site, "Folder", "published", name="thong-bao", title="Thông báo")
    for n in range(25):
        add(model, folder, "Page", "published", name=f"tb-{n:02d}", title=f"Thông báo số {n:02d}")
    model.commit()
    first = testapp.get("/thong-bao/").html
    titles = [a.get_text() for a in first.select(".item-title a")]
    assert len(titles) == 20 and titles[0] == "Thông báo số 00"
    assert not first.select_one(".pagination a[rel=prev]")
    second_url = first.select_one(".pagination a[rel=next]")["href"]
    second = testapp.get(second_url).html
    assert [a.get_text() for a in second.select(".item-title a")] == [
        f"Thông báo số {n}" for n in range(20, 25)
    ]
    assert second.select_one(".pagination a[rel=prev]")
    assert not second.select_one(".pagination a[rel=next]")


def test_link_redirects_visitors_and_shows_editors_the_address(testapp, admin, model):
    add(
        model,
        model.site,
        "Link",
        "published",
        name="dvc",
        title="Dịch vụ công",
        url="https://dichvucong.gov.vn",
    )
    model.commit()
    page = admin.get("/dvc/")
    assert page.status_int == 200
    assert page.html.select_one(".link-target a")["href"] == "https://dichvucong.gov.vn"
    admin.reset()
    response = testapp.get("/dvc/")
    assert response.status_int == 302
    assert response.location == "https://dichvucong.gov.vn"


def test_file_view_and_download(testapp, model):
    data = b"%PDF-1.4 " + b"x" * 3000
    add(
        model,
        model.site,
        "File",
        name="ke-hoach.pdf",
        title="Kế hoạch năm 2025",
        file=upload(data, "kế hoạch.pdf", "application/pdf"),
    )
    model.commit()
    html = testapp.get("/ke-hoach.pdf/").html
    facts = html.select_one(".file-box").get_text(" ", strip=True)
    assert "kế hoạch.pdf" in facts and "2,9 KB" in facts and "application/pdf" in facts
    link = html.select_one("a[href$='@@download']")
    assert link.get_text(strip=True) == "Tải về"
    response = testapp.get(link["href"])
    assert response.body == data
    assert response.content_type == "application/pdf"
    assert (
        "filename*=UTF-8''k%E1%BA%BF%20ho%E1%BA%A1ch.pdf" in response.headers["Content-Disposition"]
    )


def test_image_view_uses_the_preview_scale_and_links_the_full_image(testapp, model):
    add(
        model,
        model.site,
        "Image",
        name="anh.png",
        title="Ảnh hội nghị",
        image=upload(png_bytes(800, 600), "anh.png", "image/png"),
    )
    model.commit()
    html = testapp.get("/anh.png/").html
    img = html.select_one(".image-figure img")
    assert img["src"].endswith("/anh.png/@@images/preview")
    assert img["alt"] == "Ảnh hội nghị"
    assert "800 × 600 px" in html.select_one(".facts").get_text()
    preview = testapp.get(img["src"])
    assert preview.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(preview.body)).size == (400, 300)
    full = testapp.get(html.select_one("a[href$='@@download']")["href"])
    assert full.content_type == "image/png"
    assert Image.open(io.BytesIO(full.body)).size == (800, 600)
    assert testapp.get("/anh.png/@@images/khong-co", status=404)


def test_resolveuid_redirects_to_the_object(testapp, portal, site_access):
    with site_access() as site:
        uid = site["tin-tuc"]["bai-1"].uid
    response = testapp.get(f"/resolveuid/{uid}")
    assert response.status_int == 302
    assert response.location.endswith("/tin-tuc/bai-1/")
    testapp.get("/resolveuid/khong-co", status=404)


def test_script_in_a_title_is_shown_as_text(testapp, model):
    add(model, model.site, "Page", "published", name="xss", title="<script>alert(1)</script> Tin")
    model.commit()
    page = testapp.get("/xss/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tin" in page.text
    assert page.html.select_one("main h1").get_text() == "<script>alert(1)</script> Tin"
    front = testapp.get("/")
    assert "<script>alert(1)</script>" not in front.text


# error pages -------------------------------------------------------------------------------
def test_not_found_is_a_themed_page(testapp, portal):
    page = testapp.get("/khong-co-trang-nay", status=404)
    assert page.content_type == "text/html"
    assert page.html.select_one("main h1").get_text() == "Không tìm thấy trang"
    assert "Không tìm thấy trang bạn yêu cầu." in page.html.select_one("main").get_text()
    assert page.html.select_one("a.skip-link") and page.html.select_one("footer")


def test_forbidden_is_a_themed_page_for_a_logged_in_user(testapp, portal, site_access):
    add_user(site_access, "u1")
    login(testapp, "u1")
    page = testapp.get("/tin-tuc/nhap/", status=403)
    main = page.html.select_one("main").get_text(" ", strip=True)
    assert "Không có quyền truy cập" in main
    assert "u1" in main
    assert not page.html.select(".editbar")


def test_too_large_upload_is_a_413_page(testapp):
    body = b"x" * (3 * 1024 * 1024)  # the test settings allow 2 MB
    page = testapp.post("/@@login", body, content_type="application/octet-stream", status=413)
    assert "2 MB" in page.text
