"""The library's pages on the known library of
plugins/documents/tests/library_setup.py: browsing with filters, a document's
page, its files, the forms, the portlet and the province's list, valid HTML."""

from __future__ import annotations

import pytest
import webtest

from core.htmlcheck import csp_violations, java_missing, validate
from core.testing import csrf_token, login
from plugins.documents.tests.library_setup import (
    DOCX,
    LIBRARY,
    PDF_TEXT,
    docx,
    library_app,
)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with library_app(tmp_path_factory.mktemp("var")) as application:
        yield application


def client(app, user: str | None = None) -> webtest.TestApp:
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    if user:
        login(browser, user)
    return browser


@pytest.fixture(scope="module")
def visitor(app):
    return client(app)


@pytest.fixture(scope="module")
def admin(app):
    return client(app, "admin")


def listed(page) -> list[str]:
    return [n.get_text(strip=True) for n in page.html.select(".legal-item .legal-number")]


def options(page, name: str) -> dict[str, str]:
    select = page.html.select_one(f"select[name={name}]")
    return {o["value"]: o.get_text(strip=True) for o in select.select("option") if o["value"]}


def test_the_province_library_filters_by_unit_kind_field_year_and_status(visitor):
    page = visitor.get(LIBRARY)
    assert page.html.select_one(".legal-total").get_text(" ", strip=True) == "Tìm thấy 7 văn bản."
    assert options(page, "unit") == {
        "/": "Cổng thông tin điện tử (4)",
        "/phuong-tan-an": "Phường Tân An (2)",
        "/so-tai-chinh": "Sở Tài chính (1)",
    }
    assert options(page, "status")["chua-co-hieu-luc"] == "Chưa có hiệu lực (1)"
    assert options(page, "kind")["quyet-dinh"] == "Quyết định (4)"
    page = visitor.get(LIBRARY, {"kind": "quyet-dinh", "field": "dat-dai", "q": "ban hanh"})
    assert listed(page) == ["15/2026/QĐ-UBND", "01/2025/QĐ-UBND"]
    chosen = [li.get_text(" ", strip=True) for li in page.html.select(".legal-chosen li")]
    assert chosen[0].startswith("Loại văn bản: Quyết định")
    remove = page.html.select_one(".legal-chosen a")["href"]
    assert "kind=" not in remove and "field=dat-dai" in remove
    data = visitor.get(page.html.select_one("a[type='application/json']")["href"]).json
    assert [item["number"] for item in data["items"]] == listed(page)


def test_a_units_library_lists_its_own(visitor):
    page = visitor.get("/phuong-tan-an/van-ban-phap-quy/")
    assert listed(page) == ["12/QĐ-UBND", "45/KH-UBND"]
    assert page.html.select_one("select[name=unit]") is None


def test_a_bad_filter_is_a_400_page(visitor):
    page = visitor.get(LIBRARY, {"year": "năm ngoái"}, status=400)
    assert "year" in page.html.select_one("main").get_text()


def test_a_documents_page_shows_its_status_links_and_files(app, visitor):
    page = visitor.get(app.paths["01/2025/QĐ-UBND"])
    facts = page.html.select_one(".legal-facts").get_text(" ", strip=True)
    assert "Loại văn bản Quyết định (QĐ)" in facts
    assert "Tình trạng hiệu lực Bị thay thế" in facts
    links = page.html.select_one(".legal-links")
    assert "Bị thay thế bởi" in links.get_text()
    assert links.select_one("a")["href"].endswith(app.paths["15/2026/QĐ-UBND"])
    view, download = (a["href"] for a in page.html.select(".legal-files a"))
    shown = visitor.get(view)
    assert (shown.content_type, shown.body) == ("application/pdf", PDF_TEXT)
    assert shown.headers["Content-Disposition"].startswith("inline;")
    saved = visitor.get(download)
    assert saved.headers["Content-Disposition"].startswith("attachment;")
    new = visitor.get(app.paths["15/2026/QĐ-UBND"])
    assert "Văn bản này thay thế" in new.html.select_one(".legal-links").get_text()
    word = new.html.select(".legal-files a")
    assert len(word) == 1  # a Word file is downloaded, not shown
    visitor.get(app.paths["15/2026/QĐ-UBND"] + "@@xem/van-ban.docx", status=404)
    visitor.get(app.paths["15/2026/QĐ-UBND"] + "@@tai-ve/khong-co.pdf", status=404)


def test_a_document_not_yet_in_force_says_so(app, visitor):
    path = next(p for n, p in app.paths.items() if n.startswith("30/"))
    page = visitor.get(path)
    assert page.html.select_one(".legal-status").get_text(strip=True) == "Chưa có hiệu lực"


def test_a_private_document_is_not_shown_to_visitors(app, visitor):
    assert "/@@login" in visitor.get(app.paths["99/2026/QĐ-UBND"], status=302).location
    assert "99/2026/QĐ-UBND" not in listed(visitor.get(LIBRARY, {"b_size": 50}))


def test_the_add_form_takes_several_files(app):
    editor = client(app, "admin")
    form = editor.get("/so-tai-chinh/van-ban-phap-quy/@@add", {"type": "LegalDocument"})
    file_input = form.html.select_one("input[name=attachments]")
    assert file_input.has_attr("multiple")
    fields = [
        ("csrf_token", csrf_token(form)), ("type", "LegalDocument"), ("number", "64/QĐ-STC"),
        ("kind", "quyet-dinh"), ("title", "Quyết định giao dự toán"), ("issue_date", "2026-10-01"),
        ("status", ""), ("field", "tai-chinh-ngan-sach"),
    ]  # fmt: skip
    files = [
        ("attachments", "giao-du-toan.pdf", PDF_TEXT, "application/pdf"),
        ("attachments", "phu-luc.docx", docx("Phụ lục dự toán"), DOCX),
    ]
    added = editor.post("/so-tai-chinh/van-ban-phap-quy/@@add", fields, upload_files=files).follow()
    names = [
        li.select_one(".legal-file-name").get_text() for li in added.html.select(".legal-files li")
    ]
    assert names == ["giao-du-toan.pdf", "phu-luc.docx"]
    edit = editor.get(added.request.path + "@@edit")
    form = edit.forms["content-form"]
    form["title"] = "Quyết định giao dự toán ngân sách"
    saved = form.submit().follow()  # no file chosen: the files stay
    assert len(saved.html.select(".legal-files li")) == 2
    refused = editor.post(
        "/so-tai-chinh/van-ban-phap-quy/@@add",
        fields,
        upload_files=[("attachments", "x.pdf", b"%!PS")],
    )
    assert "không phải văn bản PDF" in refused.html.select_one(".error-summary").get_text()


def test_the_new_documents_portlet_of_a_unit(visitor):
    home = visitor.get("/phuong-tan-an/")
    box = home.html.select_one(".home-box-legal-documents, .portlet-legal-documents")
    assert box is not None
    assert [a.get_text(" ", strip=True) for a in box.select("li a")][:2] == [
        "12/QĐ-UBND Quyết định thu hồi đất làm đường",
        "45/KH-UBND Kế hoạch vệ sinh môi trường",
    ]


def test_the_province_lists_the_units_new_documents(visitor):
    home = visitor.get("/")
    text = home.html.select_one("main").get_text(" ", strip=True)
    assert "Văn bản mới của các đơn vị" in text
    assert "Hướng dẫn quyết toán kinh phí Sở Tài chính" in text


@pytest.mark.skipif(java_missing(), reason="the HTML checker (vnu.jar) needs java")
def test_the_pages_are_valid_html_within_their_policy(app, visitor, admin, tmp_path):
    responses = {
        "province library": visitor.get(LIBRARY, {"kind": "quyet-dinh"}),
        "searched": visitor.get(LIBRARY, {"q": "dat dai", "unit": "/"}),
        "unit library": visitor.get("/phuong-tan-an/van-ban-phap-quy/"),
        "document": visitor.get(app.paths["01/2025/QĐ-UBND"]),
        "replacing": visitor.get(app.paths["15/2026/QĐ-UBND"]),
        "unit home": visitor.get("/phuong-tan-an/"),
        "add form": admin.get("/so-tai-chinh/van-ban-phap-quy/@@add", {"type": "LegalDocument"}),
        "edit form": admin.get(app.paths["12/QĐ-UBND"] + "@@edit"),
    }
    refused = {
        name: csp_violations(page.text, page.headers["Content-Security-Policy"])
        for name, page in responses.items()
    }
    assert {name: found for name, found in refused.items() if found} == {}
    errors = validate({name: page.text for name, page in responses.items()}, tmp_path)
    report = [f"{name}: {error}" for name, found in errors.items() for error in found]
    assert not report, "\n".join(report)
