"""The procedure record: its fields' validation and the shared catalog's rule."""

from __future__ import annotations

import pytest

import catalog
from core import operations
from core.fields import Invalid
from core.operations import ValidationFailed
from core.workflow import workflow_of
from plugins.services.content import COMPONENTS, FEES, METHODS
from plugins.services.fields import Lines, parse_days
from plugins.services.tests.services_setup import published_catalog
from plugins.services.units import find_by_code, unit_filter, unit_keys
from plugins.services.vocabulary import VocabularyError, add_field, find_field, remove_field

RECORD = {
    "title": "Đăng ký thành lập hộ kinh doanh",
    "code": "1.001612",
    "field": "kinh-doanh",
    "tier": "commune",
    "agency": "UBND cấp xã",
    "methods": "Trực tiếp | 3 | 100.000 đồng\nTrực tuyến | 3",
    "level": "4",
    "online": "toan-trinh",
}


@pytest.fixture
def services(model):
    """The province's catalog with one field, committed."""
    add_field(model.site, "Thành lập và hoạt động của hộ kinh doanh", "kinh-doanh")
    folder = published_catalog(model)
    model.commit()
    return folder


def create(model, folder, **changes):
    return operations.create(model.request, folder, "Service", {**RECORD, **changes}, "form")


def errors_of(model, folder, **changes) -> dict:
    with pytest.raises(ValidationFailed) as failed:
        create(model, folder, **changes)
    return failed.value.errors


def test_a_form_record_is_stored_typed(model, services):
    service = create(model, services)
    assert service.__name__ == "1.001612"
    assert service.level == 4
    assert service.methods == (
        {"channel": "truc-tiep", "days": 3.0, "fee": "100.000 đồng", "note": ""},
        {"channel": "truc-tuyen", "days": 3.0, "fee": "", "note": ""},
    )
    assert service.days == 3.0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "1.00161"}, "code"),
        ({"code": "1.001612.h38"}, "code"),
        ({"code": "<script>"}, "code"),
        ({"level": "5"}, "level"),
        ({"level": "ba"}, "level"),
        ({"level": "2"}, "online"),  # online kinds belong to levels 3 and 4
        ({"level": "3", "online": ""}, "online"),
        ({"methods": "Trực tiếp | mười lăm"}, "methods"),
        ({"methods": "Trực tiếp | 0"}, "methods"),
        ({"methods": "Trực tiếp | 400"}, "methods"),
        ({"methods": "Trực tiếp | 1,3"}, "methods"),
        ({"methods": "Fax | 3"}, "methods"),
        ({"methods": ""}, "methods"),
        ({"field": "khong-co"}, "field"),
        ({"tier": "district"}, "tier"),  # the portal has two tiers
        ({"agency_code": "H38"}, "agency_code"),
    ],
)
def test_invalid_values_are_refused_with_the_field_named(model, services, changes, field):
    assert field in errors_of(model, services, **changes)
    assert find_by_code(model.site, "1.001612") is None


def test_local_variant_codes_and_half_days_are_accepted(model, services):
    service = create(model, services, code="1.000948.H38", methods="Trực tiếp | 0,5 ngày làm việc")
    assert service.code == "1.000948.H38"
    assert service.methods[0]["days"] == 0.5


def test_a_code_is_unique(model, services):
    create(model, services)
    errors = errors_of(model, services, title="Một thủ tục khác")
    assert errors["code"].mapping == {"code": "1.001612"}


def test_tables_name_the_row_and_column_at_fault():
    with pytest.raises(Invalid) as refused:
        COMPONENTS.parse("Tờ khai | 1 | có\nBản sao giấy tờ | hai", "form")
    message = refused.value.message
    assert message.mapping["number"] == 2
    assert "Số bản" in str(message.mapping["message"].mapping["column"])


def test_tables_read_json_objects_and_write_back_lines():
    rows = COMPONENTS.parse(
        [{"name": "Tờ khai", "copies": 2, "required": False, "template": "to-khai.docx"}], "json"
    )
    assert rows == (
        {"name": "Tờ khai", "copies": 2, "required": False, "template": "to-khai.docx"},
    )
    assert COMPONENTS.form_value(rows) == "Tờ khai | 2 | không | to-khai.docx"
    assert FEES.parse("Lệ phí | 1.500.000 đồng | TT 85/2019", "form")[0]["amount"] == 1_500_000
    assert METHODS.parse(COMPONENTS.form_value(()) or "truc tiep | 7", "form")[0]["days"] == 7.0


def test_tables_refuse_unknown_columns_and_too_many_cells():
    with pytest.raises(Invalid):
        FEES.parse([{"name": "Phí", "rate": 5}], "json")
    with pytest.raises(Invalid):
        FEES.parse("Phí | 5 | căn cứ | thừa", "form")


def test_working_days():
    assert parse_days("15 ngày làm việc") == 15
    assert parse_days(2.5) == 2.5
    for bad in ("-1", "0", True, "1.25", "366"):
        with pytest.raises(Invalid):
            parse_days(bad)


def test_lines_drop_blanks_and_refuse_too_many():
    assert Lines("steps", "Bước").parse("Bước 1\n\n  Bước   2 ", "form") == ("Bước 1", "Bước 2")
    with pytest.raises(Invalid):
        Lines("steps", "Bước", max_items=2).parse(["a", "b", "c"], "json")


def test_vocabulary_finds_fields_by_label_without_accents(model):
    slug = add_field(model.site, "Hộ tịch")
    assert slug == "ho-tich"
    assert find_field(model.site, "ho tich") == "ho-tich"
    assert add_field(model.site, "HỘ TỊCH") == "ho-tich"
    with pytest.raises(VocabularyError):
        remove_field(model.site, "ho-tich", used=3)
    remove_field(model.site, "ho-tich", used=0)
    assert find_field(model.site, "Hộ tịch") is None


def test_units_show_their_own_and_their_tiers_procedures(model, services):
    from subsites.provisioning import create_subsite

    def unit(title, kind, code):
        values = {"title": title, "unit_kind": kind, "code": code}
        return create_subsite(model.request, model.site, values)

    commune = unit("Xã Tân Phú", "commune", "10001")
    other = unit("Xã Hòa Bình", "commune", "10002")
    department = unit("Sở Xây dựng", "department", "20001")
    for code, tier, agency_code in (
        ("1.000001", "commune", ""),
        ("1.000002", "commune", "10002"),
        ("1.000003", "province", "20001"),
        ("1.000004", "province", ""),
    ):
        service = create(model, services, code=code, tier=tier, agency_code=agency_code)
        workflow_of(model.request, service).transition(model.request, service, "publish")
    model.commit()

    def codes(subsite) -> set[str]:
        found = catalog.search(model.request, types=("Service",), fields=unit_filter(subsite))
        return {r.metadata["service_code"] for r in found.records}

    assert codes(commune) == {"1.000001"}
    assert codes(other) == {"1.000001", "1.000002"}
    assert codes(department) == {"1.000003"}
    assert codes(None) == {"1.000001", "1.000002", "1.000003", "1.000004"}
    assert unit_keys(department) == ["province:20001", "district:20001", "commune:20001"]


def test_browse_reads_filters_and_counts_them(model, services):
    from webob.multidict import MultiDict

    from plugins.services.browse import Browse, BrowseError

    for code, level, online in (("1.000001", "2", ""), ("1.000002", "3", "mot-phan")):
        service = create(model, services, code=code, level=level, online=online)
        workflow_of(model.request, service).transition(model.request, service, "publish")
    model.commit()
    found = Browse.from_params(MultiDict(level="3")).run(model.request)
    assert [r.metadata["service_code"] for r in found.records] == ["1.000002"]
    everything = Browse.from_params(MultiDict()).run(model.request)
    assert everything.facets["service_level"] == {"2": 1, "3": 1}
    text = Browse.from_params(MultiDict(q="ho kinh doanh", level="2")).run(model.request)
    assert [r.metadata["service_code"] for r in text.records] == ["1.000001"]
    for bad in ({"level": "9"}, {"tier": "x"}, {"b_start": "-1"}, {"field": "../x"}):
        with pytest.raises(BrowseError):
            Browse.from_params(MultiDict(bad))
    with pytest.raises(BrowseError):
        Browse.from_params(MultiDict([("level", "3"), ("level", "4")]))
