"""The provincial portal's home page lists the newest published items of every unit
of the types plugins name (``cong_province_lists``), whatever plugin declares them."""

from __future__ import annotations

import pytest
import webtest
from zope.interface import implementer

from core import main, operations
from core.contenttypes import BODY, DESCRIPTION, TITLE, Page
from core.hookspecs import hookimpl
from core.interfaces import IPage, IRichText
from core.testing import make_settings
from core.types import ContentType
from core.workflow import workflow_of
from subsites.provisioning import create_subsite


@implementer(IPage, IRichText)
class Notice(Page):
    """A notice of a plugin that is not the news plugin; it has the flag the
    provincial lists read, so it may be listed."""

    type_name = "Notice"
    exclude_from_province = False


class NoticesPlugin:
    @hookimpl
    def cong_content_types(self):
        return [ContentType("Notice", Notice, "Niêm yết", fields=(TITLE, DESCRIPTION, BODY))]

    @hookimpl
    def cong_province_lists(self):
        return [("Notice", "Niêm yết của các đơn vị")]


@pytest.fixture
def notices_app(tmp_path, monkeypatch):
    from core import plugins

    original = plugins.make_plugin_manager

    def with_notices(names):
        pm = original(names)
        pm.register(NoticesPlugin(), name="notices")
        return pm

    monkeypatch.setattr(plugins, "make_plugin_manager", with_notices)
    app = main({}, **make_settings(tmp_path, **{"cong.plugins": ""}))  # no news plugin
    yield app
    app.registry._zodb_databases[""].close()


def test_the_home_page_lists_the_types_plugins_name(notices_app, model_of):
    with model_of(notices_app) as m:
        unit = create_subsite(
            m.request, m.site, {"title": "UBND xã Tân Phú", "unit_kind": "commune"}
        )
        for title, publish in (("Niêm yết giá đất", True), ("Bản nháp", False)):
            notice = operations.create(m.request, unit, "Notice", {"title": title})
            if publish:
                workflow_of(m.request, notice).transition(m.request, notice, "publish")
        m.commit()
    home = webtest.TestApp(notices_app).get("/")
    lists = home.html.select("section.province-list")
    assert [s.h2.text for s in lists] == ["Niêm yết của các đơn vị"]  # no news: none named
    assert "Niêm yết giá đất" in lists[0].text
    assert "UBND xã Tân Phú" in lists[0].text  # the item's unit
    assert "Bản nháp" not in lists[0].text
