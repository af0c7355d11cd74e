"""The look of a subsite, chosen in its edit form: theme, colour, logo, banner; and
the unit's name and contact details in the header and footer."""

from __future__ import annotations

from pathlib import Path

import pytest
import webtest

from core import main
from core.hookspecs import hookimpl
from core.testing import ModelRequest, add, login, make_settings, png_bytes
from tests.subsites.subsite_core_setup import TAN_PHU, build_units, close, on

FIXTURE_THEME = Path(__file__).parent.parent / "fixtures" / "theme-songlam"


class ThemePlugin:
    @hookimpl
    def cong_configure(self, config):
        config.add_theme("songlam", str(FIXTURE_THEME))


@pytest.fixture
def looks_app(tmp_path, monkeypatch):
    """The units' portal with a second theme, ``songlam``, installed."""
    from core import plugins

    original = plugins.make_plugin_manager

    def with_theme(names):
        pm = original(names)
        pm.register(ThemePlugin(), name="theme-songlam")
        return pm

    monkeypatch.setattr(plugins, "make_plugin_manager", with_theme)
    app = main({}, **make_settings(tmp_path))
    model = ModelRequest(app)
    try:
        build_units(model)
        add(model, model.site, "Page", "published", name="trang", title="Trang tỉnh", text="x")
        model.commit()
    finally:
        model.close()
    yield app
    close(app)


def test_a_subsite_chooses_its_theme_colour_logo_and_banner(looks_app):
    admin = webtest.TestApp(looks_app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(admin)
    form = admin.get("/tan-phu/@@edit").forms["content-form"]
    assert [o[0] for o in form["theme"].options] == ["", "default", "songlam"]
    form["theme"] = "songlam"
    form["colour"] = "#14613A"
    form["logo"] = ("logo.png", png_bytes(200, 200), "image/png")
    form["banner"] = ("banner.png", png_bytes(1200, 300), "image/png")
    form.submit().follow()

    visitor = webtest.TestApp(looks_app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    page = visitor.get("/gioi-thieu/co-cau-to-chuc", extra_environ=on(TAN_PHU))
    assert page.html.select_one(".songlam-mark") is not None  # the subsite's theme
    assert ":root { --red: #14613a;" in page.html.find("style").text
    assert page.html.select_one(".brand-logo")["src"] == f"http://{TAN_PHU}/@@logo"
    assert page.html.select_one(".site-banner img")["src"] == f"http://{TAN_PHU}/@@banner"
    logo = visitor.get("/@@logo", extra_environ=on(TAN_PHU))
    assert logo.content_type == "image/png"
    assert visitor.get("/@@banner/preview", extra_environ=on(TAN_PHU)).content_type == "image/jpeg"
    visitor.get("/@@banner/huge", extra_environ=on(TAN_PHU), status=404)
    # the portal and the other units keep the portal's look
    portal = visitor.get("/trang")
    assert portal.html.select_one(".songlam-mark") is None
    assert portal.html.find("style") is None
    assert portal.html.select_one(".site-banner") is None
    assert "_static/logo.svg" in portal.html.select_one(".brand-logo")["src"]
    visitor.get("/hoa-binh/@@logo", status=404)


def test_a_colour_that_is_not_a_colour_never_reaches_the_page(looks_app):
    model = ModelRequest(looks_app)
    try:
        model.site["tan-phu"].colour = "red;} body { display: none"  # stored by a script
        model.commit()
    finally:
        model.close()
    visitor = webtest.TestApp(looks_app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    page = visitor.get("/", extra_environ=on(TAN_PHU))
    assert page.html.find("style") is None
    assert "display: none" not in page.text


def test_an_uninstalled_theme_falls_back_to_the_portals(looks_app):
    model = ModelRequest(looks_app)
    try:
        model.site["tan-phu"].theme = "gone"
        model.commit()
    finally:
        model.close()
    visitor = webtest.TestApp(looks_app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    page = visitor.get("/gioi-thieu/co-cau-to-chuc", extra_environ=on(TAN_PHU))
    assert page.html.select_one(".brand-title").text == "UBND xã Tân Phú"


def test_the_header_and_footer_show_the_unit(looks_app):
    visitor = webtest.TestApp(looks_app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    page = visitor.get("/", extra_environ=on(TAN_PHU))
    assert page.html.select_one(".brand-title").text == "UBND xã Tân Phú"
    footer = page.html.select_one(".site-footer")
    assert footer.select_one(".footer-title").text == "UBND xã Tân Phú"
    assert "Số 1 Lê Lợi, xã Tân Phú" in footer.text
    assert footer.find("a", href="tel:0220111222") is not None
    assert footer.find("a", href="mailto:ubnd@tanphu.example.vn") is not None
    portal = visitor.get("/")
    assert portal.html.select_one(".site-footer .footer-title").text == "Cổng thông tin điện tử"
    assert "Lê Lợi" not in portal.html.select_one(".site-footer").text
