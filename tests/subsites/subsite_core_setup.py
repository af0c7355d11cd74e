"""A portal with units' sites, for the tests of hosting, isolation, plugins per
subsite and redirects (``test_hosting_*``, ``test_subsite_*``, ``test_redirects_*``).

``build_units`` makes, as the admin, through :mod:`core.operations`:

- the portal's ``tin-tuc`` with a published news item;
- ``tan-phu`` (host ``tanphu.example.vn``): ``tin-tuc`` with a published news item
  "Lễ hội ..." and a private draft, ``gioi-thieu`` (a page);
- ``tan-phu/thon-b`` (a unit below it with its own host ``thonb.example.vn``) and
  ``tan-phu/thon-c`` (one without a host);
- ``hoa-binh`` (host ``hoabinh.example.vn``) with its own published news.
"""

from __future__ import annotations

import pytest
import webtest

from catalog import close_backend
from core import main
from core.testing import ModelRequest, add, make_settings

TAN_PHU = "tanphu.example.vn"
HOA_BINH = "hoabinh.example.vn"
THON_B = "thonb.example.vn"


def on(host: str, **environ) -> dict:
    """``extra_environ`` for a request to ``host``."""
    return {"HTTP_HOST": host, **environ}


def add_unit(model, folder, name, title, hosts=(), **values):
    """A Subsite added by the admin."""
    data = {"title": title, "unit_kind": "commune", "hostnames": list(hosts), **values}
    return add(model, folder, "Subsite", name=name, **data)


def section(model, folder, name, title, type_name="Folder"):
    """The published child ``name`` of ``folder`` titled ``title``: the one the
    default structure of a new subsite made, or a new one."""
    from core import operations

    existing = folder.get(name)
    if existing is None:
        return add(model, folder, type_name, "published", name=name, title=title)
    operations.edit(model.request, existing, {"title": title}, "json", partial=True)
    return existing


def build_units(model):
    """The portal described in the module docstring, committed."""
    site = model.site
    portal_news = add(model, site, "Folder", "published", name="tin-tuc", title="Tin tỉnh")
    add(
        model,
        portal_news,
        "News",
        "published",
        name="hoi-nghi",
        title="Hội nghị tỉnh",
        text="<p>Hội nghị tổng kết của tỉnh.</p>",
    )
    tan_phu = add_unit(
        model,
        site,
        "tan-phu",
        "UBND xã Tân Phú",
        [TAN_PHU],
        code="100",
        address="Số 1 Lê Lợi, xã Tân Phú",
        phone="0220 111 222",
        email="ubnd@tanphu.example.vn",
    )
    news = section(model, tan_phu, "tin-tuc", "Tin xã")
    add(
        model,
        news,
        "News",
        "published",
        name="le-hoi",
        title="Lễ hội làng Tân Phú",
        text="<p>Lễ hội truyền thống mùa xuân.</p>",
    )
    add(model, news, "News", name="nhap", title="Bản nháp của xã")
    section(model, tan_phu, "gioi-thieu", "Giới thiệu xã", "Page")
    add_unit(model, tan_phu, "thon-b", "Thôn B", [THON_B], code="101")
    thon_c = add_unit(model, tan_phu, "thon-c", "Thôn C", code="102")
    section(model, thon_c, "trang", "Trang của thôn C", "Page")
    hoa_binh = add_unit(model, site, "hoa-binh", "UBND xã Hoà Bình", [HOA_BINH], code="200")
    hb_news = section(model, hoa_binh, "tin-tuc", "Tin Hoà Bình")
    add(
        model,
        hb_news,
        "News",
        "published",
        name="mua-lua",
        title="Lễ hội mùa lúa Hoà Bình",
        text="<p>Lễ hội mừng mùa lúa mới.</p>",
    )
    model.commit()
    return site


def make_app(data_dir, **settings):
    """The application with extra ``cong.*`` settings."""
    return main({}, **make_settings(data_dir, **settings))


def close(application) -> None:
    close_backend(application.registry)
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture(scope="module")
def units_app(tmp_path_factory):
    """An application holding :func:`build_units`, shared by a module's tests that
    only read (each gets its own client)."""
    application = make_app(tmp_path_factory.mktemp("var"))
    model = ModelRequest(application)
    try:
        build_units(model)
    finally:
        model.close()
    yield application
    close(application)


@pytest.fixture
def visitor(units_app):
    """An anonymous client of :func:`units_app`."""
    return webtest.TestApp(units_app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})


@pytest.fixture
def units(model):
    """:func:`build_units` in the test's own application (for tests that change it)."""
    return build_units(model)
