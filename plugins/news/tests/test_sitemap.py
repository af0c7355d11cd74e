"""sitemap.xml and robots.txt: only what anyone may read, with its last change."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from pyramid.authorization import Deny, Everyone

from catalog import catalog_of, reindex_security
from core.permissions import VIEW
from core.testing import add

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def content(model):
    from subsites.provisioning import create_subsite

    folder = add(model, model.site, "Folder", "published", name="tin-tuc", title="Tin tức")
    add(model, folder, "News", "published", name="hoi-cho", title="Khai mạc hội chợ")
    add(model, folder, "News", name="ban-nhap", title="Bản nháp")
    with_host = create_subsite(
        model.request,
        model.site,
        {"title": "Tân Phú", "unit_kind": "commune", "hostnames": ["tanphu.example.vn"]},
    )
    add(model, with_host["tin-tuc"], "News", "published", name="hop-dan", title="Họp dân")
    add(model, with_host["tin-tuc"], "News", name="nhap-xa", title="Nháp của xã")
    without_host = create_subsite(
        model.request, model.site, {"title": "Tân An", "unit_kind": "commune"}
    )
    add(model, without_host, "Page", "published", name="lich-su", title="Lịch sử")
    closed = create_subsite(
        model.request,
        model.site,
        {"title": "Nội bộ", "unit_kind": "department", "hostnames": ["noibo.example.vn"]},
    )
    closed.__acl__ = ((Deny, Everyone, VIEW),)  # a unit closed to the public
    reindex_security(model.request, catalog_of(model.site), closed)
    model.commit()


def locations(body: bytes) -> dict[str, str]:
    root = ET.fromstring(body)
    assert root.tag == NS + "urlset"
    return {
        url.find(NS + "loc").text: url.find(NS + "lastmod").text for url in root.iter(NS + "url")
    }


def index_entries(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    assert root.tag == NS + "sitemapindex"
    return [entry.find(NS + "loc").text for entry in root.iter(NS + "sitemap")]


def test_the_portal_sitemap_indexes_its_pages_and_the_public_subsites(testapp, content):
    response = testapp.get("/sitemap.xml")
    assert response.content_type == "application/xml"
    assert index_entries(response.body) == [
        "http://localhost/sitemap.xml?trang=1",
        "http://localhost/tan-an/sitemap.xml",
        "http://tanphu.example.vn/sitemap.xml",
    ]  # not the closed unit's
    urls = locations(testapp.get("/sitemap.xml?trang=1").body)
    assert "http://localhost/" in urls
    assert "http://localhost/tin-tuc/hoi-cho/" in urls
    assert not any("ban-nhap" in url for url in urls)  # private
    assert not any("tan-phu" in url or "tan-an" in url for url in urls)  # the subsites' own
    assert urls["http://localhost/tin-tuc/hoi-cho/"][:4].isdigit()  # an ISO date and time
    testapp.get("/sitemap.xml?trang=2", status=404)
    testapp.get("/sitemap.xml?trang=x", status=404)


def test_a_subsite_sitemap_on_its_host_lists_only_its_public_items(testapp, content):
    response = testapp.get("/sitemap.xml", extra_environ={"HTTP_HOST": "tanphu.example.vn"})
    urls = locations(response.body)
    assert "http://tanphu.example.vn/" in urls
    assert "http://tanphu.example.vn/tin-tuc/hop-dan/" in urls
    assert all(url.startswith("http://tanphu.example.vn/") for url in urls)
    assert not any("nhap-xa" in url for url in urls)
    assert not any("hoi-cho" in url for url in urls)
    tan_an = locations(testapp.get("/tan-an/sitemap.xml").body)
    assert "http://localhost/tan-an/lich-su/" in tan_an


def test_a_logged_in_editor_gets_the_public_sitemap(admin, content):
    urls = locations(admin.get("/sitemap.xml?trang=1").body)
    assert "http://localhost/tin-tuc/hoi-cho/" in urls
    assert not any("ban-nhap" in url for url in urls)


def test_robots_txt_points_to_the_sitemap(testapp, content):
    response = testapp.get("/robots.txt")
    assert response.content_type == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in response.text
    on_host = testapp.get("/robots.txt", extra_environ={"HTTP_HOST": "tanphu.example.vn"})
    assert "Sitemap: http://tanphu.example.vn/sitemap.xml" in on_host.text


def test_pages_carry_open_graph_and_canonical_tags(testapp, model):
    from core.testing import png_bytes, upload

    folder = add(model, model.site, "Folder", "published", name="tin-tuc", title="Tin tức")
    add(
        model,
        folder,
        "News",
        "published",
        name="hoi-cho",
        title="Khai mạc hội chợ",
        description="Hội chợ nông sản khai mạc.",
        image=upload(png_bytes(), "anh.png", "image/png"),
    )
    model.commit()
    page = testapp.get("/tin-tuc/hoi-cho/")
    head = page.html.head

    def meta(name):
        found = head.find("meta", attrs={"property": name})
        return found["content"] if found else None

    assert head.find("link", rel="canonical")["href"] == "http://localhost/tin-tuc/hoi-cho/"
    assert meta("og:title") == "Khai mạc hội chợ"
    assert meta("og:description") == "Hội chợ nông sản khai mạc."
    assert meta("og:url") == "http://localhost/tin-tuc/hoi-cho/"
    assert meta("og:type") == "article"
    assert meta("og:image") == "http://localhost/tin-tuc/hoi-cho/@@images/preview"
    folder_head = testapp.get("/tin-tuc/").html.head
    assert folder_head.find("meta", attrs={"property": "og:image"}) is None
    assert folder_head.find("meta", attrs={"property": "og:type"})["content"] == "website"


def test_scheduled_and_expired_items_are_left_out(testapp, model):
    from datetime import UTC, datetime, timedelta

    from core.clock import frozen

    moment = datetime(2025, 3, 19, 2, 0, tzinfo=UTC)
    with frozen(moment):
        folder = add(model, model.site, "Folder", "published", name="tin-tuc", title="Tin tức")
        add(
            model,
            folder,
            "News",
            "published",
            name="hen-gio",
            title="Hẹn giờ",
            effective=(moment + timedelta(days=2)).isoformat(),
        )
        add(
            model,
            folder,
            "News",
            "published",
            name="het-han",
            title="Hết hạn",
            expires=(moment + timedelta(days=1)).isoformat(),
        )
        model.commit()
        urls = locations(testapp.get("/sitemap.xml?trang=1").body)
    assert "http://localhost/tin-tuc/het-han/" in urls
    assert "http://localhost/tin-tuc/hen-gio/" not in urls
    with frozen(moment + timedelta(days=3)):
        urls = locations(testapp.get("/sitemap.xml?trang=1").body)
    assert "http://localhost/tin-tuc/hen-gio/" in urls
    assert "http://localhost/tin-tuc/het-han/" not in urls
