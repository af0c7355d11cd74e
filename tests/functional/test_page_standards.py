"""What every page gives browsers: a favicon, navigation marking the current page,
the security headers and a Content-Security-Policy the page satisfies."""

from __future__ import annotations

import pytest

from tests.functional.content_setup import add


@pytest.fixture
def site(model):
    """A published folder holding a published page."""
    folder = add(model, model.site, "Folder", "published", name="tin-tuc", title="Tin tức")
    add(model, folder, "Page", "published", name="gio-lam-viec", title="Giờ làm việc")
    model.commit()


def test_favicon_at_the_root_and_linked_from_every_page(testapp):
    icon = testapp.get("/favicon.ico")
    assert icon.content_type == "image/x-icon"
    assert icon.body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    linked = testapp.get("/").html.select_one('link[rel="icon"][href$="favicon.ico"]')
    assert testapp.get(linked["href"]).body == icon.body


def current(page) -> list[str]:
    """The texts of the main navigation's links marked as the current page."""
    return [a.get_text(strip=True) for a in page.html.select('.nav-list a[aria-current="page"]')]


def test_aria_current_marks_only_the_page_shown(testapp, site):
    assert current(testapp.get("/")) == ["Trang chủ"]
    assert current(testapp.get("/tin-tuc/")) == ["Tin tức"]
    inside = testapp.get("/tin-tuc/gio-lam-viec")
    assert current(inside) == []  # the section holds the page: a class, not aria-current
    assert inside.html.select_one(".nav-list a.current-section").get_text(strip=True) == "Tin tức"
    assert current(testapp.get("/@@login")) == []  # a view of the site is not its home
    assert len(testapp.get("/tin-tuc/").html.select('[aria-current="page"]')) == 2  # + crumb
