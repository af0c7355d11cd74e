"""Folder listings come from the catalog, in the folder's order, without loading children."""

from __future__ import annotations

import pytest

from catalog import add_position_index, catalog_of
from core import operations as ops
from core.testing import add


@pytest.fixture
def folder(model):
    section = add(model, model.site, "Folder", "published", name="van-ban", title="Văn bản")
    for name in ("mot", "hai", "ba", "bon"):
        add(model, section, "Page", "published", name=name, title=f"Trang {name}")
    add(model, section, "Page", name="nhap", title="Bản nháp riêng")
    model.commit()
    return section


def titles(page) -> list[str]:
    return [a.text for a in page.html.select(".item-list .item-title a")]


def test_a_visitor_sees_the_published_children_in_order(testapp, folder):
    page = testapp.get("/van-ban/")
    assert titles(page) == ["Trang mot", "Trang hai", "Trang ba", "Trang bon"]
    assert page.html.select_one(".item-list a")["href"].endswith("/van-ban/mot/")


def test_the_listing_follows_a_reorder(testapp, model, folder):
    ops.reorder(model.request, folder, "bon", 0)
    model.commit()
    assert titles(testapp.get("/van-ban/")) == ["Trang bon", "Trang mot", "Trang hai", "Trang ba"]


def test_the_listing_follows_reorders_that_renumber_the_folder(testapp, model, folder):
    ops.delete(model.request, folder["mot"])  # the order keys no longer count 1, 2, 3...
    untouched = folder.order_key("bon")
    while folder.order_key("bon") == untouched:  # bisecting one gap until it runs out
        ops.reorder(model.request, folder, "ba", 0)  # renumbers every child
        ops.reorder(model.request, folder, "hai", 0)
    ops.reorder(model.request, folder, "ba", 2)  # a new key among the renumbered ones
    model.commit()
    expected = [folder[name].title for name in folder.keys() if name != "nhap"]
    assert expected == ["Trang hai", "Trang bon", "Trang ba"]
    assert titles(testapp.get("/van-ban/")) == expected
    api = testapp.get("/van-ban", headers={"Accept": "application/json"}).json
    assert [item["title"] for item in api["items"]] == expected


def test_the_listing_is_batched(testapp, folder):
    page = testapp.get("/van-ban/?b_size=3")
    assert titles(page) == ["Trang mot", "Trang hai", "Trang ba"]
    assert titles(page.click(href="b_start=3")) == ["Trang bon"]


def test_an_editor_also_sees_the_private_child_marked(admin, folder):
    page = admin.get("/van-ban/")
    assert titles(page)[-1] == "Bản nháp riêng"
    assert page.html.select_one(".item-list .state-private") is not None


def test_a_catalog_made_before_the_position_index_gets_it(testapp, model, folder):
    catalog = catalog_of(model.site)
    del catalog.indexes["position"]
    model.commit()
    add_position_index(model.site)
    model.commit()
    assert titles(testapp.get("/van-ban/")) == ["Trang mot", "Trang hai", "Trang ba", "Trang bon"]
