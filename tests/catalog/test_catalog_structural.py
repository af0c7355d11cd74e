"""The structural catalog: listings exact in the transaction of a change, paths and
depths, subsites, dates, facets, plugin fields, and no content object woken up."""

from __future__ import annotations

from datetime import date

import pytest
from zope.interface import alsoProvides

import catalog
from catalog.fields import CatalogField
from core import events
from core import operations as ops
from core.hookspecs import hookimpl
from core.interfaces import INavigationRoot
from core.site import get_site
from core.testing import ModelRequest, add, make_settings
from core.workflow import workflow_of
from tests.core.test_cli import install_plugin


def titles(request, **query) -> list[str]:
    return [r.title for r in catalog.search(request, **query).records]


def subsite(model, name: str, title: str):
    """A folder that is a navigation root (what a department's subsite is), public."""
    folder = ops.create(model.request, model.site, "Folder", {"title": title}, name=name)
    workflow_of(model.request, folder).transition(model.request, folder, "publish")
    alsoProvides(folder, INavigationRoot)
    events.object_modified(model.request, folder, ["title"])
    return folder


# exact listings -------------------------------------------------------------------------
def test_a_listing_right_after_a_save_is_exact_in_the_same_transaction(model):
    request = model.request
    folder = add(model, model.site, "Folder", title="Tin tức", name="tin-tuc")
    news = add(model, folder, "News", title="Họp báo về giải phóng mặt bằng")
    assert titles(request, path="/tin-tuc", depth=1) == ["Họp báo về giải phóng mặt bằng"]
    ops.edit(request, news, {"title": "Họp báo về bồi thường đất đai"})
    assert titles(request, path="/tin-tuc", depth=1) == ["Họp báo về bồi thường đất đai"]
    ops.delete(request, news)
    assert catalog.search(request, path="/tin-tuc", depth=1).total == 0
    model.commit()
    add(model, folder, "News", title="Lịch tiếp công dân tháng Ba")
    model.commit()
    found = catalog.search(request, path="/tin-tuc", depth=1)
    assert [r.title for r in found.records] == ["Lịch tiếp công dân tháng Ba"]
    assert found.records[0].url(request) == "http://localhost/tin-tuc/lich-tiep-cong-dan-thang-ba/"


def test_path_and_depth_select_a_subtree_or_its_levels(model):
    a = add(model, model.site, "Folder", title="Văn bản", name="van-ban")
    b = add(model, a, "Folder", title="Quyết định", name="quyet-dinh")
    add(model, b, "Page", title="Quyết định số 12", name="qd-12")
    add(model, model.site, "Page", title="Giới thiệu", name="gioi-thieu")
    request = model.request

    def paths(**query):
        return sorted(r.path for r in catalog.search(request, **query).records)

    assert paths(path="/van-ban") == [
        "/van-ban",
        "/van-ban/quyet-dinh",
        "/van-ban/quyet-dinh/qd-12",
    ]
    assert paths(path="/van-ban", depth=0) == ["/van-ban"]
    assert paths(path="/van-ban", depth=1) == ["/van-ban/quyet-dinh"]
    assert paths(path="/van-ban/", depth=2) == ["/van-ban/quyet-dinh", "/van-ban/quyet-dinh/qd-12"]
    # (beside the services plugin's own catalog, made when the plugin first ran)
    assert paths(path="/", depth=1) == ["/gioi-thieu", "/thu-tuc-hanh-chinh", "/van-ban"]
    assert paths(path="/khong-co") == []


def test_moving_a_folder_moves_the_paths_below_it(model):
    a = add(model, model.site, "Folder", title="Cũ", name="cu")
    b = add(model, a, "Folder", title="Phòng", name="phong")
    add(model, b, "Page", title="Nội quy", name="noi-quy")
    target = add(model, model.site, "Folder", title="Mới", name="moi")
    ops.move(model.request, b, target)
    model.commit()
    found = catalog.search(model.request, path="/moi")
    assert sorted(r.path for r in found.records) == ["/moi", "/moi/phong", "/moi/phong/noi-quy"]
    assert catalog.search(model.request, path="/cu", depth=1).total == 0
    ops.rename(model.request, target, "moi-2")
    assert catalog.search(model.request, path="/moi-2/phong", depth=0).total == 1


def test_latest_published_news_of_one_subsite(model):
    so = subsite(model, "so-tnmt", "Sở Tài nguyên và Môi trường")
    xa = subsite(model, "xa-hoa-binh", "Xã Hòa Bình")
    for day, state in ((3, "published"), (9, "published"), (5, None), (7, "published")):
        add(model, so, "News", state=state, title=f"Tin sở ngày {day}", effective=f"2025-03-0{day}")
    add(model, xa, "News", state="published", title="Tin xã", effective="2025-03-10")
    add(model, model.site, "News", state="published", title="Tin tỉnh", effective="2025-03-11")
    model.commit()
    request = model.act_as(None)
    query = dict(types=["News"], states=["published"], sort_on="effective")
    assert titles(request, subsite="/so-tnmt", size=2, **query) == [
        "Tin sở ngày 9",
        "Tin sở ngày 7",
    ]
    found = catalog.search(request, subsite="/so-tnmt", sort_order="ascending", **query)
    assert found.total == 3
    assert [r.title for r in found.records] == ["Tin sở ngày 3", "Tin sở ngày 7", "Tin sở ngày 9"]
    assert found.records[0].subsite == "/so-tnmt"
    assert titles(request, subsite="", **query) == ["Tin tỉnh"]
    assert titles(request, subsite="/so-tnmt", start=2, size=5, **query) == ["Tin sở ngày 3"]
    assert catalog.search(request, subsite="/so-tnmt", size=0, **query).records == []


def test_date_ranges_and_titles_sort(model):
    for day, title in ((1, "Đề án"), (15, "báo cáo"), (28, "Ân xá")):
        add(model, model.site, "News", title=title, effective=date(2024, 2, day).isoformat())
    request = model.request
    ranged = dict(types=["News"], date_ranges={"effective": (date(2024, 2, 10), date(2024, 2, 28))})
    assert titles(request, sort_on="sortable_title", sort_order="ascending", **ranged) == [
        "Ân xá",
        "báo cáo",
    ]
    news = dict(types=["News"])
    assert titles(request, **news, date_ranges={"effective": (None, date(2024, 2, 1))}) == ["Đề án"]
    assert titles(request, **news, date_ranges={"effective": (date(2024, 3, 1), None)}) == []


def test_facets_count_the_whole_result(model):
    folder = add(model, model.site, "Folder", title="Thông tin", name="thong-tin")
    add(model, folder, "News", title="Tin một", effective="2023-05-01")
    add(model, folder, "News", title="Tin hai", effective="2024-05-01")
    add(model, folder, "Page", title="Trang")
    found = catalog.search(
        model.request, path="/thong-tin", depth=1, size=1, facets=("type_name", "year", "subsite")
    )
    assert found.total == 3 and len(found.records) == 1
    assert found.facets["type_name"] == {"News": 2, "Page": 1}
    assert found.facets["subsite"] == {"": 3}
    assert set(found.facets["year"]) <= {"2023", "2024", str(date.today().year)}
    assert found.facets["year"]["2023"] == 1


def test_an_unknown_index_sort_or_order_is_a_query_error(model):
    with pytest.raises(catalog.QueryError):
        catalog.search(model.request, fields={"khong_co": "x"})
    with pytest.raises(catalog.QueryError):
        catalog.search(model.request, sort_on="khong_co")
    with pytest.raises(catalog.QueryError):
        catalog.search(model.request, sort_order="sideways")
    with pytest.raises(catalog.QueryError):
        catalog.search(model.request, facets=("allowed",))  # not a facet: who may see
    with pytest.raises(catalog.QueryError):
        catalog.search(model.request, text="tin", sort_on="depth")
    with pytest.raises(catalog.QueryError):
        catalog.search(model.request, date_ranges={"type_name": (None, None)})


def test_any_text_is_a_search_and_an_empty_one_a_listing(model):
    add(model, model.site, "News", state="published", title='Tin (((AND "*')
    model.commit()
    request = model.act_as(None)
    for text in ('"', "*", "AND", "(((", "x" * 2000, "tin " * 500):
        assert isinstance(catalog.search(request, text=text).total, int)
    assert titles(request, text="   ") == titles(request) == ['Tin (((AND "*']


def test_a_listing_loads_no_content_object(app, model):
    folder = add(model, model.site, "Folder", "published", title="Tin tức", name="tin-tuc")
    for n in range(5):
        add(model, folder, "News", state="published", title=f"Tin số {n}")
    model.commit()
    model.close()
    m = ModelRequest(app, None)
    try:
        conn = m.site._p_jar
        conn.cacheMinimize()  # every object becomes a ghost
        found = catalog.search(m.request, path="/tin-tuc", types=["News"], sort_on="effective")
        assert found.total == 5
        news = get_site(conn)._data["tin-tuc"]._data.values()
        assert all(obj._p_changed is None for obj in news)  # still ghosts
    finally:
        m.close()


# plugin fields ------------------------------------------------------------------------
class FieldsPlugin:
    """A plugin declaring a document number (metadata) and its subject areas."""

    fields = [
        CatalogField("so_hieu", lambda obj: getattr(obj, "so_hieu", None), metadata=True),
        CatalogField("linh_vuc", lambda obj: getattr(obj, "linh_vuc", None), kind="keyword"),
        CatalogField("ngay_ky", lambda obj: getattr(obj, "ngay_ky", None), kind="date"),
    ]

    @hookimpl
    def cong_catalog_fields(self):
        return self.fields


FIELDS_PLUGIN = FieldsPlugin()


@pytest.fixture
def fields_plugin(monkeypatch, tmp_path):
    install_plugin(
        monkeypatch, tmp_path, "catalogtest", "tests.catalog.test_catalog_structural:FIELDS_PLUGIN"
    )


def start(data_dir, plugins: str):
    from core import main

    return main({}, **make_settings(data_dir, **{"cong.plugins": plugins}))


def stop(app):
    catalog.close_backend(app.registry)
    for db in app.registry._zodb_databases.values():
        db.close()


def document(model, title, so_hieu, linh_vuc, ngay_ky):
    page = add(model, model.site, "Page", state="published", title=title)
    page.so_hieu, page.linh_vuc, page.ngay_ky = so_hieu, linh_vuc, ngay_ky
    events.object_modified(model.request, page, ["so_hieu", "linh_vuc", "ngay_ky"])
    return page


def test_plugin_fields_are_indexed_filtered_faceted_and_stored(fields_plugin, data_dir, model_of):
    app = start(data_dir, "news catalogtest")
    try:
        with model_of(app) as m:
            document(m, "Quyết định giao đất", "12/QĐ-UBND", ("Đất đai",), date(2025, 1, 6))
            document(m, "Kế hoạch thanh tra", "30/KH-UBND", ("Đất đai", "Xây dựng"), None)
            m.commit()
            request = m.act_as(None)
            found = catalog.search(request, fields={"linh_vuc": "Đất đai"}, facets=("linh_vuc",))
            assert found.total == 2
            assert found.facets["linh_vuc"] == {"Đất đai": 2, "Xây dựng": 1}
            one = catalog.search(request, fields={"so_hieu": ["12/QĐ-UBND", "99/QĐ"]})
            assert [r.metadata for r in one.records] == [{"so_hieu": "12/QĐ-UBND"}]
            signed = catalog.search(
                request, date_ranges={"ngay_ky": (date(2025, 1, 6), date(2025, 1, 6))}
            )
            assert [r.title for r in signed.records] == ["Quyết định giao đất"]
            assert catalog.search(request, fields={"so_hieu": 12}).total == 0  # wrong type: none
    finally:
        stop(app)


def test_a_plugin_installed_later_gets_its_fields_indexed_at_start(
    fields_plugin, data_dir, model_of
):
    app = start(data_dir, "news")
    try:
        with model_of(app) as m:
            page = add(m, m.site, "Page", state="published", title="Quy chế làm việc")
            page.so_hieu = "5/QC"  # a value the plugin will read once installed
            m.commit()
    finally:
        stop(app)
    app = start(data_dir, "news catalogtest")
    try:
        with model_of(app, None) as m:
            found = catalog.search(m.request, fields={"so_hieu": "5/QC"})
            assert [r.title for r in found.records] == ["Quy chế làm việc"]
            assert found.records[0].metadata == {"so_hieu": "5/QC"}
    finally:
        stop(app)


def test_a_plugin_field_named_like_a_kernel_index_stops_start_up(
    fields_plugin, data_dir, monkeypatch
):
    from pyramid.exceptions import ConfigurationError

    monkeypatch.setattr(FIELDS_PLUGIN, "fields", [CatalogField("state", lambda obj: None)])
    with pytest.raises(ConfigurationError, match="state"):
        start(data_dir, "news catalogtest")


# the evolve step ----------------------------------------------------------------------
def test_the_evolve_step_indexes_a_site_made_before_the_catalog(data_dir, model_of):
    app = start(data_dir, "news")
    try:
        with model_of(app) as m:
            add(m, m.site, "News", state="published", title="Tin cũ trước khi có danh mục")
            del m.site.catalog  # as a site made before the catalog existed
            del m.site.evolved[catalog.EVOLVE_STEP]
            m.commit()
    finally:
        stop(app)
    app = start(data_dir, "news")  # auto_evolve is on outside production
    try:
        with model_of(app, None) as m:
            assert titles(m.request) == ["Tin cũ trước khi có danh mục"]
            found = catalog.search(m.request, text="tin cũ")
            assert [r.title for r in found.records] == ["Tin cũ trước khi có danh mục"]
    finally:
        stop(app)
