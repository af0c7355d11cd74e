"""Provisioning subsites: validation, default structure, CSV and province imports."""

from __future__ import annotations

import pytest
from pyramid.httpexceptions import HTTPForbidden

from core import main
from core import operations as ops
from core.operations import ValidationFailed
from core.tabular import ImportFailed, Row
from core.testing import make_settings
from subsites.provisioning import (
    create_subsite,
    import_rows,
    province_rows,
    provision,
    read_file,
)

TAN_PHU = {
    "title": "UBND xã Tân Phú",
    "unit_kind": "commune",
    "code": "25747",
    "hostnames": ["tanphu.songlam.gov.vn"],
    "address": "Ấp 3, xã Tân Phú",
    "phone": "0251 3861 234",
    "email": "ubnd@tanphu.gov.vn",
}


def subsite_names(site) -> list[str]:
    return [name for name, obj in site.items() if obj.type_name == "Subsite"]


# one subsite ------------------------------------------------------------------------
def test_a_new_subsite_gets_its_default_structure_published_in_order(model):
    subsite = create_subsite(model.request, model.site, TAN_PHU)
    assert subsite.__name__ == "ubnd-xa-tan-phu"
    assert list(subsite.keys()) == [
        "gioi-thieu",
        "tin-tuc",
        "thong-bao",
        "su-kien",
        "lich-cong-tac",
        "lien-he",
    ]
    titles = [(obj.title, obj.type_name, obj.workflow_state) for obj in subsite.values()]
    assert titles == [
        ("Giới thiệu", "Folder", "published"),
        ("Tin tức", "Folder", "published"),
        ("Thông báo", "Folder", "published"),
        ("Sự kiện", "Folder", "published"),
        ("Lịch công tác", "WeeklySchedule", "published"),
        ("Liên hệ", "Page", "published"),
    ]
    pages = [(obj.title, obj.workflow_state) for obj in subsite["gioi-thieu"].values()]
    assert pages == [
        ("Cơ cấu tổ chức", "published"),
        ("Chức năng, nhiệm vụ", "published"),
        ("Lãnh đạo", "published"),
    ]
    leaders = subsite["gioi-thieu"]["lanh-dao"].text
    assert "Chủ tịch UBND" in leaders and 'href="tel:02513861234"' in leaders
    intro = subsite["gioi-thieu"]["co-cau-to-chuc"].text
    assert "UBND xã Tân Phú" in intro and "25747" in intro and "Ấp 3, xã Tân Phú" in intro
    contact = subsite["lien-he"].text
    assert 'href="tel:02513861234"' in contact and "mailto:ubnd@tanphu.gov.vn" in contact
    assert model.site.unit_codes["25747"] == subsite.uid
    assert model.site.hosts["tanphu.songlam.gov.vn"] == subsite.uid


def test_the_intro_names_the_parent_unit(model):
    create_subsite(
        model.request,
        model.site,
        {"title": "UBND huyện Tân Lập", "unit_kind": "other", "code": "700"},
    )
    commune = create_subsite(
        model.request,
        model.site,
        {"title": "UBND xã Tân Hòa", "unit_kind": "commune", "code": "701", "parent_code": "700"},
    )
    assert "trực thuộc UBND huyện Tân Lập" in commune["gioi-thieu"]["co-cau-to-chuc"].text


def test_each_section_comes_from_the_plugin_that_owns_it(tmp_path, model_of):
    """Without the news plugin a subsite has no news sections; the subsites
    package's own pages are there."""
    app = main({}, **make_settings(tmp_path / "var", **{"cong.plugins": "search"}))
    try:
        with model_of(app) as m:
            subsite = create_subsite(m.request, m.site, TAN_PHU)
            assert list(subsite.keys()) == ["gioi-thieu", "lien-he"]
            assert "lanh-dao" in subsite["gioi-thieu"]
    finally:
        app.registry._zodb_databases[""].close()


def test_provisioning_again_adds_only_what_is_missing(model):
    subsite = create_subsite(model.request, model.site, TAN_PHU)
    intro = subsite["gioi-thieu"]
    ops.edit(model.request, intro["lanh-dao"], {"text": "<p>Đã sửa</p>"}, partial=True)
    ops.delete(model.request, subsite["tin-tuc"])
    ops.delete(model.request, intro["chuc-nang-nhiem-vu"])
    kept = subsite["thong-bao"]
    provision(model.request, subsite)
    assert sorted(subsite.keys()) == sorted(
        ["gioi-thieu", "tin-tuc", "thong-bao", "su-kien", "lich-cong-tac", "lien-he"]
    )
    assert list(intro.keys()) == ["co-cau-to-chuc", "lanh-dao", "chuc-nang-nhiem-vu"]
    assert intro["lanh-dao"].text == "<p>Đã sửa</p>"
    assert subsite["thong-bao"] is kept


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": ""}, "title"),
        ({"unit_kind": "province"}, "unit_kind"),
        ({"code": "25A47"}, "code"),
        ({"hostnames": ["http://tanphu.gov.vn/"]}, "hostnames"),
        ({"parent_code": "99999"}, "parent_code"),
        ({"parent_code": "25747"}, "parent_code"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_bad_values_are_refused_by_field_and_nothing_is_created(model, values, field):
    before = len(model.site)
    with pytest.raises(ValidationFailed) as refused:
        create_subsite(model.request, model.site, {**TAN_PHU, **values})
    assert field in refused.value.errors
    assert len(model.site) == before
    assert "25747" not in model.site.unit_codes
    assert "tanphu.songlam.gov.vn" not in model.site.hosts


def test_a_code_or_host_another_subsite_has_is_refused(model):
    create_subsite(model.request, model.site, TAN_PHU)
    with pytest.raises(ValidationFailed) as refused:
        create_subsite(model.request, model.site, {**TAN_PHU, "title": "Xã khác"})
    assert set(refused.value.errors) == {"code", "hostnames"}
    assert subsite_names(model.site) == ["ubnd-xa-tan-phu"]


def test_only_managers_add_subsites(model):
    model.site.principals.add_user("bientap", "mat-khau-dai-1", "Biên tập").roles.add("Editor")
    model.act_as("bientap")
    with pytest.raises(HTTPForbidden):
        create_subsite(model.request, model.site, TAN_PHU)
    assert subsite_names(model.site) == []


# CSV files ----------------------------------------------------------------------------
CSV = (
    "title,unit_kind,code,parent_code,hostnames,address,phone,email\n"
    "UBND huyện Tân Lập,other,700,,tanlap.songlam.gov.vn,,,\n"
    'UBND xã Tân Phú,commune,25747,700,"tanphu.songlam.gov.vn www.tanphu.gov.vn",'
    "Ấp 3,0251 3861 234,ubnd@tanphu.gov.vn\n"
)


def test_csv_rows_carry_their_line_numbers_and_a_bom_is_allowed():
    rows = read_file(("\ufeff" + CSV + "\n\n").encode("utf-8"))
    assert [row.line for row in rows] == [2, 3]
    assert rows[1].values["title"] == "UBND xã Tân Phú"
    assert rows[1].values["hostnames"] == "tanphu.songlam.gov.vn www.tanphu.gov.vn"


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", 1, "trống"),
        (b"title,kind\nA,commune\n", 1, "kind"),
        (b"title\nA\n", 1, "unit_kind"),
        (b"title,unit_kind\nA,commune\nB,commune,extra\n", 3, "3 cột"),
        ("title,unit_kind\nA,commune\nB,xã".encode() + b"\xff\n", 3, "UTF-8"),
    ],
)
def test_unreadable_csv_is_refused_with_the_line(data, line, words):
    with pytest.raises(ImportFailed) as failed:
        read_file(data)
    problem = failed.value.problems[0]
    assert problem.line == line
    assert words in problem.message.interpolate()


def test_an_import_creates_parents_and_children_from_one_file(model):
    summary = import_rows(model.request, model.site, read_file(CSV.encode()))
    assert [s.title for s in summary.created] == ["UBND huyện Tân Lập", "UBND xã Tân Phú"]
    tan_phu = model.site["ubnd-xa-tan-phu"]
    assert tan_phu.parent_code == "700"
    assert tan_phu.hostnames == ("tanphu.songlam.gov.vn", "www.tanphu.gov.vn")
    assert "tin-tuc" in tan_phu and "lien-he" in tan_phu


def test_a_file_with_bad_rows_changes_nothing_and_names_every_bad_line(model):
    create_subsite(model.request, model.site, {"title": "Sở Y tế", "unit_kind": "department"})
    model.commit()
    bad = CSV + (
        "Xã trùng mã,commune,25747,,,,,\n"  # line 4: code of line 3
        "Xã sai loại,thon,25748,,,,,\n"  # line 5: unknown kind
        "Xã trùng miền,commune,25749,,tanlap.songlam.gov.vn,,,\n"  # line 6: host of line 2
        "Xã cha lạ,commune,25750,123,,,,\n"  # line 7: no unit 123
        ",commune,25751,,,,,\n"  # line 8: no title
    )
    with pytest.raises(ImportFailed) as failed:
        import_rows(model.request, model.site, read_file(bad.encode()))
    found = {(p.line, p.field) for p in failed.value.problems}
    assert found == {
        (4, "code"),
        (5, "unit_kind"),
        (6, "hostnames"),
        (7, "parent_code"),
        (8, "title"),
    }
    assert subsite_names(model.site) == ["so-y-te"]
    assert "700" not in model.site.unit_codes


def test_a_child_may_come_before_its_parent_in_the_file(model):
    rows = read_file(
        (
            "title,unit_kind,code,parent_code\n"
            "UBND xã Tân Phú,commune,25747,700\n"
            "UBND huyện Tân Lập,other,700,7\n"
            "Vùng Tân,other,7,\n"
        ).encode()
    )
    summary = import_rows(model.request, model.site, rows)
    assert [s.code for s in summary.created] == ["7", "700", "25747"]
    assert model.site["ubnd-xa-tan-phu"].parent_code == "700"


def test_parent_codes_that_loop_are_refused(model):
    rows = read_file(b"title,unit_kind,code,parent_code\nA,other,1,2\nB,other,2,1\nC,other,3,\n")
    with pytest.raises(ImportFailed) as failed:
        import_rows(model.request, model.site, rows)
    assert {(p.line, p.field) for p in failed.value.problems} == {
        (2, "parent_code"),
        (3, "parent_code"),
    }
    assert subsite_names(model.site) == []


def test_importing_again_updates_by_code_and_changes_nothing_else(model):
    rows = read_file(CSV.encode())
    import_rows(model.request, model.site, rows)
    model.commit()
    tan_phu = model.site["ubnd-xa-tan-phu"]
    modified = tan_phu.modified
    again = import_rows(model.request, model.site, rows)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 2)
    assert tan_phu.modified == modified
    changed = CSV.replace("Ấp 3", "Ấp 4")
    summary = import_rows(model.request, model.site, read_file(changed.encode()))
    assert [s.title for s in summary.updated] == ["UBND xã Tân Phú"]
    assert tan_phu.address == "Ấp 4"
    assert len(subsite_names(model.site)) == 2


def test_a_row_without_code_is_matched_by_title(model):
    rows = [Row(2, {"title": "Sở Y tế", "unit_kind": "department"})]
    import_rows(model.request, model.site, rows)
    again = import_rows(model.request, model.site, rows)
    assert len(again.unchanged) == 1 and subsite_names(model.site) == ["so-y-te"]


# the real units ------------------------------------------------------------------------
def test_province_rows_are_the_real_communes_of_the_province():
    rows = province_rows("12", hosts_domain="gov.vn")  # Lai Châu: 38 units since 2025
    assert len(rows) == 38
    doan_ket = next(r.values for r in rows if r.values["code"] == "03388")
    assert doan_ket == {
        "title": "Phường Đoàn Kết",
        "unit_kind": "commune",
        "code": "03388",
        "parent_code": "",
        "hostnames": "doanket.laichau.gov.vn",
    }
    assert all(r.values["code"].isdigit() and len(r.values["code"]) == 5 for r in rows)
    assert len({r.values["hostnames"] for r in rows}) == 38
    assert "hostnames" not in province_rows("12")[0].values


def test_importing_a_province_twice_creates_each_commune_once(model):
    rows = province_rows("12")
    first = import_rows(model.request, model.site, rows)
    again = import_rows(model.request, model.site, rows)
    assert (len(first.created), len(again.created), len(again.unchanged)) == (38, 0, 38)
    doan_ket = model.site.uids[model.site.unit_codes["03388"]]
    assert (doan_ket.title, doan_ket.__name__) == ("Phường Đoàn Kết", "phuong-doan-ket")
