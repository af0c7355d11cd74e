"""Facets and filters on a field a plugin adds to the catalog."""

from __future__ import annotations

import pytest
import webtest

from catalog.fields import CatalogField
from core.hookspecs import hookimpl
from core.testing import ModelRequest, add
from core.workflow import workflow_of
from plugins.search.tests.search_setup import close, make_search_app

JSON = {"Accept": "application/json"}


class ProcedureFields:
    """A plugin indexing the domain (lĩnh vực) of news about procedures."""

    @hookimpl
    def cong_catalog_fields(self):
        return [
            CatalogField(
                "linh_vuc", lambda obj: getattr(obj, "linh_vuc", None), "keyword", title="Lĩnh vực"
            ),
            CatalogField("ma_noi_bo", lambda obj: getattr(obj, "ma_noi_bo", None), facet=False),
        ]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    application = make_search_app(tmp_path_factory.mktemp("var"), ProcedureFields())
    model = ModelRequest(application)
    try:
        folder = add(model, model.site, "Folder", "published", name="thu-tuc", title="Thủ tục")
        for name, title, domains in (
            ("cap-so-do", "Thủ tục cấp sổ đỏ lần đầu", ("Đất đai",)),
            ("chuyen-nhuong", "Thủ tục chuyển nhượng quyền sử dụng đất", ("Đất đai",)),
            ("giay-phep", "Thủ tục cấp giấy phép xây dựng nhà ở", ("Xây dựng", "Nhà ở")),
        ):
            item = add(model, folder, "News", name=name, title=title)
            item.linh_vuc = domains
            item.ma_noi_bo = "NB-" + name
            workflow_of(model.request, item).transition(model.request, item, "publish")
        model.commit()
    finally:
        model.close()
    yield webtest.TestApp(application)
    close(application)


def test_the_results_page_has_a_facet_for_the_plugin_field(client):
    page = client.get("/@@search", {"SearchableText": "thủ tục"})
    box = page.html.select_one("section.search-facet:has(#facet-linh_vuc)")
    links = {a.select_one("span").get_text(strip=True): a for a in box.select("a")}
    counts = {k: int(a.select_one(".search-facet-count").text) for k, a in links.items()}
    assert counts == {"Đất đai": 2, "Nhà ở": 1, "Xây dựng": 1}
    filtered = client.get(links["Đất đai"]["href"])
    found = [a.get_text(strip=True) for a in filtered.html.select(".search-results .item-title a")]
    assert sorted(found) == [
        "Thủ tục chuyển nhượng quyền sử dụng đất",
        "Thủ tục cấp sổ đỏ lần đầu",
    ]


def test_the_api_counts_and_filters_the_plugin_field(client):
    data = client.get(
        "/@search", {"SearchableText": "thủ tục", "facets": "linh_vuc"}, headers=JSON
    ).json
    assert data["facets"] == {"linh_vuc": {"Đất đai": 2, "Nhà ở": 1, "Xây dựng": 1}}
    housing = client.get("/@search", {"linh_vuc": "Nhà ở"}, headers=JSON).json
    assert [item["title"] for item in housing["items"]] == ["Thủ tục cấp giấy phép xây dựng nhà ở"]


def test_a_plugin_field_facet_has_its_declared_title(client):
    page = client.get("/@@search", {"SearchableText": "thủ tục"})
    box = page.html.select_one("section.search-facet:has(#facet-linh_vuc)")
    assert box.select_one("#facet-linh_vuc").get_text(strip=True) == "Lĩnh vực"


def test_a_field_declared_without_facet_is_not_offered(client):
    page = client.get("/@@search", {"SearchableText": "thủ tục"})
    assert page.html.select_one("#facet-ma_noi_bo") is None
    data = client.get(
        "/@search", {"SearchableText": "thủ tục", "facets": "ma_noi_bo"}, headers=JSON
    ).json
    assert "ma_noi_bo" not in data["facets"]
