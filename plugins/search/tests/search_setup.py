"""A portal with the search plugin and Vietnamese content, for the search tests.

Test modules import the fixtures they use (``from plugins.search.tests.search_setup
import app, portal, visitor``): ``app`` replaces the shared one so the search
plugin runs; ``visitor`` is a client of a portal built once per module.
"""

from __future__ import annotations

import pytest
import webtest
from zope.interface import alsoProvides

import plugins.search as search_plugin
from catalog import close_backend
from core import main
from core import plugins as kernel_plugins
from core.interfaces import INavigationRoot
from core.testing import ModelRequest, add, make_settings

#: The subsite (a department's site) of the test portal.
SUBSITE = "so-tnmt"


def make_search_app(data_dir, *more_plugins):
    """The application with the search plugin registered (whatever the settings say)
    and ``more_plugins`` (objects with hook implementations)."""
    original = kernel_plugins.make_plugin_manager

    def with_search(names):
        pm = original(names)
        if pm.get_plugin("search") is None:
            pm.register(search_plugin, name="search")
        for plugin in more_plugins:
            pm.register(plugin)
        return pm

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kernel_plugins, "make_plugin_manager", with_search)
        return main({}, **make_settings(data_dir))


def close(application) -> None:
    """Close the application's full-text index and database."""
    close_backend(application.registry)
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture
def app(data_dir):
    """A fresh application with the search plugin, for tests that add content."""
    application = make_search_app(data_dir)
    yield application
    close(application)


def make_subsite(model, name: str, title: str):
    """A published folder that is a navigation root (a department's site)."""
    folder = add(model, model.site, "Folder", "published", name=name, title=title)
    alsoProvides(folder, INavigationRoot)
    return folder


def build_portal(model):
    """The provincial portal with news, an announcement, a private draft, and a
    department's subsite with news of its own; all committed and indexed."""
    site = model.site
    news = add(model, site, "Folder", "published", name="tin-tuc", title="Tin tức")
    add(
        model,
        news,
        "News",
        "published",
        name="dich-vu-cong",
        title="Tỉnh mở rộng dịch vụ công trực tuyến toàn trình",
        description="Người dân nộp hồ sơ qua mạng, không phải đến trụ sở.",
        effective="2025-03-10",
        text="<p>Từ tháng Tư, hồ sơ cấp giấy phép xây dựng được nhận qua cổng "
        "dịch vụ công của tỉnh.</p>",
    )
    add(
        model,
        news,
        "News",
        "published",
        name="du-lich-he",
        title="Khai mạc mùa du lịch biển Cửa Lò",
        description="Lễ hội mở đầu mùa hè với nhiều hoạt động văn hoá.",
        effective="2024-05-20",
        text="<p>Hàng nghìn du khách đã về dự lễ khai mạc bên bờ biển.</p>",
    )
    add(
        model,
        news,
        "Announcement",
        "published",
        name="tuyen-dung",
        title="Thông báo tuyển dụng viên chức ngành giáo dục",
        description="Chỉ tiêu tuyển dụng năm 2025 của các trường trung học.",
        effective="2024-12-15",
        text="<p>Hồ sơ dự tuyển nộp tại Sở Nội vụ trước ngày 30 tháng 6.</p>",
    )
    add(
        model,
        news,
        "News",
        "published",
        name="ma-doc",
        title="Cảnh báo mã độc trong thư điện tử",
        effective="2023-11-02",
        text="<p>Thư giả mạo có đoạn &lt;script&gt;alert(1)&lt;/script&gt; kèm tệp mã độc.</p>",
    )
    add(
        model,
        news,
        "News",
        name="du-thao",
        title="Dự thảo kế hoạch chuyển đổi số chưa công bố",
        text="<p>Bản nháp nội bộ về dịch vụ công và chuyển đổi số.</p>",
    )
    department = make_subsite(model, SUBSITE, "Sở Tài nguyên và Môi trường")
    department_news = add(
        model, department, "Folder", "published", name="tin-tuc", title="Tin của Sở"
    )
    add(
        model,
        department_news,
        "News",
        "published",
        name="dat-dai",
        title="Cấp giấy chứng nhận quyền sử dụng đất qua dịch vụ công",
        description="Thủ tục đất đai được giải quyết trực tuyến.",
        effective="2025-02-01",
        text="<p>Sở hướng dẫn người dân tra cứu hồ sơ đất đai trên mạng.</p>",
    )
    model.commit()
    return site


@pytest.fixture
def portal(model):
    """:func:`build_portal` in the test's own application."""
    return build_portal(model)


@pytest.fixture(scope="module")
def portal_app(tmp_path_factory):
    """An application holding :func:`build_portal`, shared by a module's tests that
    only read (each gets its own client)."""
    application = make_search_app(tmp_path_factory.mktemp("var"))
    model = ModelRequest(application)
    try:
        build_portal(model)
    finally:
        model.close()
    yield application
    close(application)


@pytest.fixture
def visitor(portal_app):
    """An anonymous client of :func:`portal_app`."""
    return webtest.TestApp(portal_app)
