"""The statistics pages, their JSON and their chart, on the known catalog of
plugins/services/tests/services_setup.py (anonymous visitors count 9 procedures)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
import webtest

from core.testing import make_settings
from plugins.services.tests.services_setup import known_catalog

STATS = "/thu-tuc-hanh-chinh/@@thong-ke"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def known(model):
    return known_catalog(model)


def unit_path(units, code) -> str:
    return "/" + units[code].__name__


def test_the_province_page_shows_counts_shares_and_targets(testapp, known):
    page = testapp.get(STATS)
    rows = page.html.select("section[aria-labelledby=stats-summary] tbody tr")
    cells = [[c.get_text(" ", strip=True) for c in row.select("th, td")] for row in rows]
    assert cells[2][:3] == ["Mức độ 3", "4", "44,4 %"]
    assert "60 %" in cells[2][3] and "chưa đạt" in cells[2][3]
    assert cells[3][:3] == ["Mức độ 4", "2", "22,2 %"]
    assert "đạt" in cells[3][3] and "chưa" not in cells[3][3]
    assert cells[4][:3] == ["Toàn trình", "3", "33,3 %"]
    assert page.html.select_one("figure svg[role=img]") is not None


def test_the_unit_table_sums_each_units_keys(testapp, known):
    _folder, units = known
    page = testapp.get(STATS)
    table = page.html.select("section[aria-labelledby=stats-units] tbody tr")
    rows = {r.th.a.get_text(strip=True): [td.get_text(" ", strip=True) for td in r("td")]
            for r in table}  # fmt: skip
    assert rows["Sở Xây dựng"][:5] == ["4", "0 (0 %)", "1 (25 %)", "2 (50 %)", "1 (25 %)"]
    assert rows["Xã Hòa Bình"][0] == "4"
    assert rows["Xã Tân Phú"][0] == "3"
    link = page.html.find("a", string="Sở Xây dựng")["href"]
    assert link.endswith(unit_path(units, "20001") + "/@@thong-ke-thu-tuc")
    communes = testapp.get(STATS, {"kind": "commune"}).html
    names = [a.get_text() for a in communes.select("section[aria-labelledby=stats-units] th a")]
    assert names == ["Xã Hòa Bình", "Xã Tân Phú"]


def test_the_unit_table_is_batched(testapp, known):
    page = testapp.get(STATS, {"b_size": "2"})
    assert len(page.html.select("section[aria-labelledby=stats-units] tbody tr")) == 2
    following = page.html.select_one("nav.pagination a[rel=next]")["href"]
    assert (
        len(testapp.get(following).html.select("section[aria-labelledby=stats-units] tbody tr"))
        == 1
    )


def test_the_field_table(testapp, known):
    page = testapp.get(STATS)
    rows = page.html.select("section[aria-labelledby=stats-fields] tbody tr")
    assert [r.th.get_text() for r in rows] == ["Hộ tịch", "Kinh doanh", "Xây dựng"]
    assert [td.get_text(" ", strip=True) for td in rows[1]("td")][:5] == [
        "3", "0 (0 %)", "0 (0 %)", "2 (66,7 %)", "1 (33,3 %)",
    ]  # fmt: skip


def test_the_json_has_stable_keys_and_the_same_numbers(testapp, known):
    data = testapp.get(STATS + ".json").json
    assert data["total"] == 9
    assert data["levels"] == {"1": 1, "2": 2, "3": 4, "4": 2}
    assert data["online"] == {"toan-trinh": 3, "mot-phan": 3}
    assert data["shares"]["levels"]["3"] == 44.4
    assert data["targets"] == {"3": {"percent": 60.0, "met": False},
                               "4": {"percent": 10.0, "met": True}}  # fmt: skip
    department = next(u for u in data["units"] if u["code"] == "20001")
    assert department["levels"] == {"1": 0, "2": 1, "3": 2, "4": 1}
    assert department["kind"] == "department"
    assert [f["token"] for f in data["fields"]] == ["ho-tich", "kinh-doanh", "xay-dung"]


def test_editors_see_private_procedures_counted(admin, known):
    assert admin.get(STATS + ".json").json["total"] == 10
    admin.get("/@@logout")
    anonymous = webtest.TestApp(admin.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    assert anonymous.get(STATS + ".json").json["total"] == 9  # not the editors' cached figures


def test_a_units_page_counts_what_it_shows(testapp, known):
    _folder, units = known
    path = unit_path(units, "10002")
    data = testapp.get(path + "/@@thong-ke-thu-tuc.json").json
    assert (data["total"], data["levels"]["4"], data["units"]) == (4, 1, [])
    page = testapp.get(path + "/@@thong-ke-thu-tuc")
    assert "Xã Hòa Bình" in page.html.h1.get_text()
    assert page.html.find("a", string="Danh sách thủ tục")["href"].endswith(path + "/@@thu-tuc")
    assert page.html.select("section[aria-labelledby=stats-units]") == []


def test_the_chart_is_svg_naming_every_number(testapp, known):
    response = testapp.get(STATS + ".svg")
    assert response.content_type == "image/svg+xml"
    svg = ElementTree.fromstring(response.body)
    assert svg.get("role") == "img"
    description = svg.find(SVG + "desc").text
    for expected in ("Mức độ 3: 4 thủ tục (44,4 %)", "Mục tiêu Mức độ 3: 60 %",
                     "Toàn trình: 3 thủ tục (33,3 %)", "Chưa trực tuyến: 3 thủ tục (33,3 %)"):  # fmt: skip
        assert expected in description
    texts = [t.text for t in svg.iter(SVG + "text")]
    assert "2 thủ tục (22,2 %)" in texts
    assert "Mục tiêu 10 %" in texts


def test_unit_names_are_escaped_in_the_chart(testapp, model, known):
    _folder, units = known
    units["10001"].title = "Xã <Tân> & Phú"
    model.commit()
    body = testapp.get(unit_path(units, "10001") + "/@@thong-ke-thu-tuc.svg").body
    title = ElementTree.fromstring(body).find(SVG + "title").text
    assert "Xã <Tân> & Phú" in title


def test_the_targets_setting(tmp_path, model_of):
    from core import main

    app = main({}, **make_settings(tmp_path / "var", **{"cong.services_targets": "3=40"}))
    try:
        with model_of(app) as model:
            known_catalog(model)
        data = webtest.TestApp(app).get(STATS + ".json").json
        assert data["targets"] == {"3": {"percent": 40.0, "met": True}}
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()


def test_a_bad_targets_setting_stops_start_up(tmp_path):
    from pyramid.exceptions import ConfigurationError

    from core import main

    with pytest.raises(ConfigurationError, match="cong.services_targets"):
        main({}, **make_settings(tmp_path / "var", **{"cong.services_targets": "3=sáu mươi"}))
