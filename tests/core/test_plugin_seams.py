"""What a plugin adds through the kernel's seams: a tab of the edit bar
(``config.add_edit_tab``) and its part of ``cong demo`` (``cong_demo_data``)."""

from __future__ import annotations

import pytest
import webtest

from core import main
from core.demo import load_demo
from core.hookspecs import hookimpl
from core.i18n import _
from core.interfaces import IPage
from core.permissions import EDIT
from core.testing import login, make_settings


class SeamsPlugin:
    """A third-party plugin: a "Bản in" tab on pages, and ``"notices"`` in the demo file."""

    @hookimpl
    def cong_configure(self, config):
        config.add_edit_tab("@@ban-in", _("Bản in"), EDIT, context=IPage)

    @hookimpl
    def cong_demo_data(self, request, data, loader):
        for values in data.get("notices", ()):
            loader.add_item(request.root, {"type": "Page", **values})


@pytest.fixture
def seams_app(tmp_path, monkeypatch):
    from core import plugins

    original = plugins.make_plugin_manager

    def with_seams(names):
        pm = original(names)
        pm.register(SeamsPlugin(), name="seams")
        return pm

    monkeypatch.setattr(plugins, "make_plugin_manager", with_seams)
    app = main({}, **make_settings(tmp_path, **{"cong.plugins": ""}))
    yield app
    app.registry._zodb_databases[""].close()


def tabs(page) -> list[tuple[str, str]]:
    """``(title, href)`` of the edit bar's tabs."""
    return [(a.text.strip(), a["href"]) for a in page.html.select(".editbar-tabs a")]


def test_a_plugin_tab_follows_the_kernel_tabs_on_the_objects_it_names(seams_app, model_of):
    with model_of(seams_app) as m:
        load_demo(
            m.request,
            {"content": [{"type": "Folder", "id": "tin", "title": "Tin", "state": "published"}],
             "notices": [{"id": "gioi-thieu", "title": "Giới thiệu", "state": "published"}]},
            echo=lambda line: None,
        )  # fmt: skip
        m.commit()
    client = webtest.TestApp(seams_app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(client)
    page_tabs = tabs(client.get("/gioi-thieu"))
    assert [title for title, _href in page_tabs][:3] == ["Xem", "Sửa", "Bản in"]
    assert page_tabs[2][1] == "http://localhost/gioi-thieu/@@ban-in"
    assert "Bản in" not in [title for title, _href in tabs(client.get("/tin"))]  # not a page
    visitor = webtest.TestApp(seams_app)
    assert "@@ban-in" not in visitor.get("/gioi-thieu").text  # not to those who may not edit


def test_a_plugin_loads_its_part_of_the_demo_file_after_the_content(seams_app, model_of):
    lines = []
    with model_of(seams_app) as m:
        summary = load_demo(
            m.request,
            {"content": [{"type": "Folder", "id": "tin", "title": "Tin"}],
             "notices": [{"id": "lich", "title": "Lịch tiếp dân", "state": "published"},
                         {"id": "tin", "title": "Trùng tên"},
                         {"title": "Không có id"}]},
            echo=lines.append,
        )  # fmt: skip
        assert m.site["lich"].title == "Lịch tiếp dân"
        assert m.site["lich"].workflow_state == "published"
        assert m.site["tin"].type_name == "Folder"  # the kernel's part came first
    assert summary.items == {"Folder": 1, "Page": 1}
    assert lines == [
        "skipped /tin: it already exists",
        "skipped an item in /: it needs a type and an id",
    ]
