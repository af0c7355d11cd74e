"""The main pages are valid HTML, as the Nu HTML Checker (vnu.jar) reads them, and
each says what it is in its title.

One demo portal, every page fetched through the real application, all checked in
one run of the checker (one Java process, ~10 s)."""

from __future__ import annotations

import re

import pytest

from core.htmlcheck import csp_violations, java_missing, validate
from core.testing import login, web

NEWS = "/tin-tuc/so-ket-chuyen-doi-so-7-thang-2026"
#: Pages anyone sees, by what they are.
VISITOR_PAGES = {
    "portal home": "/",
    "subsite home": "/ubnd-phuong-lam-giang/",
    "folder listing": "/so-ban-nganh/",
    "page": "/gioi-thieu/",
    "news item": NEWS,
    "news listing": "/tin-tuc/",
    "events": "/su-kien/",
    "search with results": "/@@search?SearchableText=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91",
    "login": "/@@login",
    "unit directory": "/@@don-vi",
    "statistics of services": "/thu-tuc-hanh-chinh/@@thong-ke",
    "procedure browse": "/thu-tuc-hanh-chinh/",
    "not found": "/khong-co-trang-nay",
}
#: Pages of people who edit.
EDITOR_PAGES = {
    "sharing": "/tin-tuc/@@sharing",
    "add form": "/tin-tuc/@@add?type=News",
    "edit form": NEWS + "/@@edit",
    "contents": "/tin-tuc/@@contents",
    "users": "/@@users",
    "working calendar": "/@@working-calendar?year=2026",
    "plugins of a subsite": "/ubnd-phuong-lam-giang/@@plugins",
    "history": NEWS + "/@@history",
    "two-factor enrolment": "/@@xac-thuc-hai-buoc",
    "two-factor roles": "/@@xac-thuc-hai-buoc-vai-tro",
    "login sessions": "/@@phien-dang-nhap",
    "user edit": "/@@user-edit?login=admin",
}


@pytest.fixture(scope="module")
def demo_responses(demo_copy) -> dict:
    """The response of every page above, on the demo portal."""
    pages = {}
    with web(demo_copy() / "var") as client:
        for name, path in VISITOR_PAGES.items():
            pages[name] = client.get(path, status="*")
        browse = pages["procedure browse"].text
        procedure = re.search(r'href="http://localhost(/thu-tuc-hanh-chinh/\d[^"]*/)"', browse)
        pages["procedure page"] = client.get(procedure.group(1))
        login(client, "admin", "admin")
        for name, path in EDITOR_PAGES.items():
            pages[name] = client.get(path)
        pages["portal home in English"] = client.get("/?lang=en")  # the last: a cookie
    return pages


@pytest.fixture(scope="module")
def demo_pages(demo_responses) -> dict[str, str]:
    """The HTML of every page above."""
    return {name: response.text for name, response in demo_responses.items()}


def test_the_main_pages_satisfy_their_content_security_policy(demo_responses):
    refused = {
        name: csp_violations(page.text, page.headers["Content-Security-Policy"])
        for name, page in demo_responses.items()
    }
    assert {name: found for name, found in refused.items() if found} == {}


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_every_page_starts_with_its_doctype(demo_pages):
    assert [
        name for name, html in demo_pages.items() if not html.startswith("<!DOCTYPE html>")
    ] == []


def test_each_page_has_a_title_of_its_own_then_the_site(demo_pages):
    titles = {name: title(html) for name, html in demo_pages.items() if "English" not in name}
    assert titles["login"] == "Đăng nhập – Cổng thông tin điện tử tỉnh Sông Lam"
    assert titles["statistics of services"].startswith("Thống kê")
    assert titles["statistics of services"].endswith(" – Cổng thông tin điện tử tỉnh Sông Lam")
    same = {t: [n for n in titles if titles[n] == t] for t in titles.values()}
    assert {t: names for t, names in same.items() if len(names) > 1} == {}


@pytest.mark.skipif(java_missing(), reason="the HTML checker (vnu.jar) needs java")
def test_the_main_pages_have_no_html_errors(demo_pages, tmp_path):
    errors = validate(demo_pages, tmp_path)
    report = [f"{name}: {error}" for name, found in errors.items() for error in found]
    assert not report, "\n".join(report)
