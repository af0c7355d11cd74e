"""Themes override templates by name; the rest comes from the default theme."""

from pathlib import Path

import pytest
import webtest

from core import main
from core.hookspecs import hookimpl
from core.testing import make_settings

FIXTURE_THEME = Path(__file__).parent.parent / "fixtures" / "theme-songlam"


class ThemePlugin:
    @hookimpl
    def cong_configure(self, config):
        config.add_theme("songlam", str(FIXTURE_THEME))


@pytest.fixture
def themed_app(tmp_path, monkeypatch):
    from core import plugins

    original = plugins.make_plugin_manager

    def with_theme(names):
        pm = original(names)
        pm.register(ThemePlugin(), name="theme-songlam")
        return pm

    monkeypatch.setattr(plugins, "make_plugin_manager", with_theme)
    app = main({}, **make_settings(tmp_path, **{"cong.theme": "songlam"}))
    yield app
    app.registry._zodb_databases[""].close()


def test_a_theme_overrides_a_template_and_keeps_the_rest(themed_app, model_of):
    from core import operations as ops
    from core.workflow import workflow_of

    with model_of(themed_app) as m:
        page = ops.create(m.request, m.site, "Page", {"title": "Giới thiệu", "text": "<p>x</p>"})
        folder = ops.create(m.request, m.site, "Folder", {"title": "Tin tức"})
        for obj in (page, folder):
            workflow_of(m.request, obj).transition(m.request, obj, "publish")
        m.commit()
    client = webtest.TestApp(themed_app)
    themed = client.get("/gioi-thieu")
    assert "Giao diện Sông Lam" in themed.text
    assert themed.html.select_one("header") is not None  # the default layout still wraps it
    assert "Giao diện Sông Lam" not in client.get("/tin-tuc").text  # folder.pt from default


def test_an_unknown_theme_stops_start_up(tmp_path):
    with pytest.raises(LookupError, match="'nosuchtheme'"):
        main({}, **make_settings(tmp_path, **{"cong.theme": "nosuchtheme"}))
