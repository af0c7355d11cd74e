"""Input no page or API may accept: text holding control characters or lone
surrogates, ids with line breaks, names the site answers itself, encodings other
than base64, image bombs; and what is written out (feeds, logs) from text stored
before such input was refused."""

from __future__ import annotations

import base64
import logging
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from catalog.fields import get_catalog_fields
from catalog.structural import object_values
from core.testing import flash_texts, login, png_bytes, upload
from tests.core.test_clean_text import png_header

ATOM = "{http://www.w3.org/2005/Atom}"


def names(site_access, path=""):
    from pyramid.traversal import find_resource

    with site_access() as site:
        return list(find_resource(site, path or "/").keys())


def raw_json(client, url, text: str, method="post", status=400):
    """Send ``text`` as the JSON body, as written (escapes such as ``\\ud800`` kept)."""
    return getattr(client, method)(
        url, text.encode("utf-8"), content_type="application/json", status=status
    )


# text ----------------------------------------------------------------------------------
@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\u0000", "\\u001b", "\\u007f"])
def test_the_api_refuses_a_title_with_a_surrogate_or_a_control(api, site_access, escape):
    before = names(site_access)
    body = '{"@type": "Page", "title": "Tin ESCAPE mới"}'.replace("ESCAPE", escape)
    response = raw_json(api, "/", body)
    code = escape[2:].upper()
    assert response.json["type"] == "BadRequest"
    assert response.json["message"] == f"“title” có ký tự không được phép (U+{code})."
    assert names(site_access) == before


@pytest.mark.parametrize(
    "url, body",
    [
        ("/", {"@type": "Page", "title": "Trang", "description": "Mô tả\x00"}),
        ("/", {"@type": "Page", "title": "Trang", "text": "<p>a\x08b</p>"}),
        ("/", {"@type": "Link", "title": "Liên kết", "url": "https://a.vn/\x00"}),
        ("/", {"@type": "News", "title": "Tin", "tags": ["kinh tế", "x\x1f"]}),
        ("/", {"@type": "File", "file": upload(b"abc", "a\x00.txt", "text/plain")}),
        ("/@login", {"login": "admin\x00", "password": "x"}),
        ("/gioi-thieu/@workflow/publish", {"comment": "Duyệt\x07"}),
    ],
)
def test_no_text_of_a_json_body_may_hold_a_control(api, site_access, url, body):
    api.post_json("/", {"@type": "Page", "id": "gioi-thieu", "title": "Giới thiệu"}, status=201)
    before = names(site_access)
    response = api.post_json(url, body, status=400)
    assert "ký tự không được phép (U+00" in response.json["message"]
    assert names(site_access) == before
    assert api.get("/gioi-thieu").json["review_state"] == "private"


def test_an_edit_with_a_control_changes_nothing(api):
    api.post_json("/", {"@type": "Page", "id": "trang", "title": "Trang"}, status=201)
    api.patch_json("/trang", {"title": "Trang\x00 mới"}, status=400)
    assert api.get("/trang").json["title"] == "Trang"


def test_a_form_with_a_control_is_refused_with_a_message_and_stores_nothing(admin, site_access):
    form = admin.get("/@@add?type=Page").forms["content-form"]
    form["title"] = "Thông báo\x00 mới"
    before = names(site_access)
    page = form.submit(status=400)
    assert "“title” có ký tự không được phép (U+0000)." in page.text
    assert names(site_access) == before


def test_a_single_line_field_makes_a_line_break_a_space(api):
    data = api.post_json("/", {"@type": "Page", "title": "Tin\r\nmới\thôm nay"}).json
    assert data["title"] == "Tin mới hôm nay"


# names ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["abc\n", "abc\r\n", "a\tb"])
def test_ids_with_line_breaks_are_refused(api, site_access, name):
    before = names(site_access)
    response = api.post_json("/", {"@type": "Page", "title": "Trang", "id": name}, status=400)
    assert [e["field"] for e in response.json["errors"]] == ["id"]
    assert names(site_access) == before


@pytest.mark.parametrize(
    "name", ["sitemap.xml", "robots.txt", "favicon.ico", "resolveuid", "rss", "login", "search"]
)
def test_names_the_root_answers_itself_are_reserved(api, site_access, name):
    before = names(site_access)
    response = api.post_json("/", {"@type": "Page", "title": "Trang", "id": name}, status=400)
    assert response.json["errors"] == [
        {
            "field": "id",
            "message": f"Tên '{name}' được dành cho một trang của hệ thống ở đây; "
            "hãy chọn tên khác.",
        }
    ]
    assert names(site_access) == before


def test_generated_files_stay_reachable_and_titles_take_another_name(api, testapp):
    created = api.post_json("/", {"@type": "Page", "title": "RSS"}, status=201).json
    assert created["id"] == "rss-1"
    assert testapp.get("/rss").content_type == "application/rss+xml"
    assert testapp.get("/sitemap.xml").content_type.endswith("xml")
    api.post_json("/", {"@type": "Folder", "id": "tai-lieu", "title": "Tài liệu"}, status=201)
    inner = {"@type": "Page", "title": "Trang", "id": "robots.txt"}
    assert api.post_json("/tai-lieu", inner, status=201).json["id"] == "robots.txt"


def test_copies_and_moves_to_the_root_take_another_name(api, site_access):
    api.post_json("/", {"@type": "Folder", "id": "tai-lieu", "title": "Tài liệu"}, status=201)
    api.post_json("/tai-lieu", {"@type": "Page", "id": "sitemap.xml", "title": "Sơ đồ"})
    copied = api.post_json("/@copy", {"source": "/tai-lieu/sitemap.xml"}, status=200).json
    assert copied[0]["target"] == "http://localhost/sitemap-xml"
    moved = api.post_json("/@move", {"source": "/tai-lieu/sitemap.xml"}, status=200).json
    assert moved[0]["target"] == "http://localhost/so-do"
    assert "sitemap.xml" not in names(site_access)


# files -----------------------------------------------------------------------------------
def test_only_base64_is_accepted_as_an_encoding(api, site_access):
    before = names(site_access)
    body = {"data": "uryyb", "encoding": "rot13", "filename": "a.txt"}
    response = api.post_json("/", {"@type": "File", "file": body}, status=400)
    assert response.json["errors"] == [
        {"field": "file", "message": 'Dữ liệu tệp phải được mã hóa base64 ("encoding": "base64").'}
    ]
    assert names(site_access) == before
    plain = {"data": base64.b64encode(b"hello").decode(), "filename": "a.txt"}
    assert (
        api.post_json("/", {"@type": "File", "file": plain}, status=201).json["file"]["size"] == 5
    )


def test_a_file_named_with_5000_characters_gets_a_title_within_the_limit(admin, site_access):
    form = admin.get("/@@add?type=File").forms["content-form"]
    form["file"] = ("Quyết định " * 500 + ".pdf", b"%PDF-1.4 x")
    response = form.submit(status=302)
    page = response.follow()
    [name] = [n for n in names(site_access) if n.startswith("quyet-dinh")]
    with site_access() as site:
        obj = site[name]
        title, filename = obj.title, obj.filename
    assert len(title) <= 300 and title.startswith("Quyết định Quyết định")
    assert len(filename) <= 255 and filename.endswith("Quyết….pdf")
    assert "Đã tạo “Quyết định" in page.text


def test_messages_quoting_long_titles_never_overflow_the_session_cookie(admin, site_access):
    """The messages of several forms wait in the session's cookie (4 KB) until a page
    shows them: each is cut short, so that the answer after saving is never an error
    (which came after the object was stored)."""
    title = ("Quyết định về việc phê duyệt kế hoạch " * 8)[:300]
    form = admin.get("/@@add?type=Page").forms["content-form"]
    form["title"] = title
    for _ in range(8):
        form.submit(status=302)  # no page shown between: the messages pile up
    created = sorted(n for n in names(site_access) if n.startswith("quyet-dinh"))
    assert len(created) == 8
    shown = flash_texts(admin.get("/"))  # the latest three
    assert len(shown) == 3 and all(len(m) == 160 and m.endswith("…") for m in shown)


# images ----------------------------------------------------------------------------------
BOMB = png_header(13_000, 13_000)
TOO_LARGE = "Ảnh quá lớn: tối đa 50 triệu điểm ảnh (chiều rộng × chiều cao)."


def test_the_api_refuses_an_image_bomb_before_decoding_it(api, site_access):
    before = names(site_access)
    body = {"@type": "Image", "title": "Bản đồ", "image": upload(BOMB, "ban-do.png", "image/png")}
    response = api.post_json("/", body, status=400)
    assert response.json["errors"] == [{"field": "image", "message": TOO_LARGE}]
    assert names(site_access) == before


def test_the_form_refuses_an_image_bomb(admin, site_access):
    form = admin.get("/@@add?type=Image").forms["content-form"]
    form["title"] = "Bản đồ"
    form["image"] = ("ban-do.png", BOMB, "image/png")
    before = names(site_access)
    page = form.submit()
    assert TOO_LARGE in page.text
    assert names(site_access) == before


def test_the_pixel_limit_is_a_setting(data_dir):
    import webtest

    from core import main
    from core.images import pixel_limit
    from core.testing import api_token, make_settings

    app = main({}, **make_settings(data_dir, **{"cong.max_image_pixels": "10000"}))
    try:
        client = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
        client.authorization = ("Bearer", api_token(client))
        small = {"@type": "Image", "image": upload(png_bytes(100, 100), "a.png", "image/png")}
        client.post_json("/", small, status=201)
        large = {"@type": "Image", "image": upload(png_bytes(101, 100), "b.png", "image/png")}
        with pytest.warns(Image.DecompressionBombWarning):  # Pillow's, set from the setting
            response = client.post_json("/", large, status=400)
        assert "tối đa 0.01 triệu điểm ảnh" in response.json["message"]
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()
    main({}, **make_settings(data_dir.parent / "other"))  # the default again
    assert pixel_limit() == 50_000_000


# what is written out -----------------------------------------------------------------------
def test_feeds_survive_titles_stored_before_controls_were_refused(api, testapp, site_access):
    api.post_json("/", {"@type": "Folder", "id": "tin-tuc", "title": "Tin tức"}, status=201)
    api.post_json("/tin-tuc/@workflow/publish", {})
    api.post_json(
        "/tin-tuc", {"@type": "News", "id": "tin", "title": "Tin", "description": "Mô tả"}
    )
    api.post_json("/tin-tuc/tin/@workflow/publish", {})
    with site_access() as site:  # written behind validation, as older versions could
        news = site["tin-tuc"]["tin"]
        news.title, news.description = "Tin\x00 nóng\x0b", "Mô\ud800 tả\x1b"
        site.catalog.index(object_values(news, get_catalog_fields(api.app.registry)))
    rss = testapp.get("/@@rss", status=200)
    item = ET.fromstring(rss.body).find("channel/item")
    assert item.find("title").text == "Tin\ufffd nóng\ufffd"
    assert item.find("description").text == "Mô\ufffd tả\ufffd"
    atom = testapp.get("/@@atom", status=200)
    entry = ET.fromstring(atom.body).find(ATOM + "entry")
    assert entry.find(ATOM + "title").text == "Tin\ufffd nóng\ufffd"


def test_a_login_name_cannot_forge_a_log_line(testapp, caplog):
    with caplog.at_level(logging.INFO):
        login(testapp, "bob\nINFO [core.auth] admin logged in from 10.0.0.1", "sai", status=200)
    failed = [m for m in caplog.messages if m.startswith("failed login for bob")]
    assert failed == ["failed login for bob\\ninfo [core.auth] admin logged in from 10.0.0.1 "
                      "from 127.0.0.1"]  # fmt: skip
    assert not any(m.startswith("INFO") for m in caplog.messages)


def test_the_messages_are_in_english_when_asked(api):
    response = api.post_json("/?lang=en", {"@type": "Page", "title": "a\x00"}, status=400)
    assert response.json["message"] == "“title” contains a character that is not allowed (U+0000)."
    body = {"@type": "Page", "title": "T", "id": "robots.txt"}
    response = api.post_json("/?lang=en", body, status=400)
    assert response.json["errors"][0]["message"] == (
        "The name 'robots.txt' is reserved for a page of the system here; choose another name."
    )
