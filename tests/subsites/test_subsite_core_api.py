"""``GET /@subsites``: the units' sites listed from the catalog, batched and filtered."""

from __future__ import annotations

from tests.subsites import subsite_core_setup
from tests.subsites.subsite_core_setup import HOA_BINH, TAN_PHU, THON_B

# the fixtures this module uses
units = subsite_core_setup.units


def test_subsites_are_listed_with_kind_parent_code_and_hosts(units, api):
    api.patch_json("/tan-phu/thon-b", {"parent_code": "100", "unit_kind": "other"}, status=204)
    data = api.get("/@subsites").json
    assert data["items_total"] == 4
    assert data["items"] == [
        {
            "@id": "http://localhost/tan-phu/thon-b",
            "@type": "Subsite",
            "title": "Thôn B",
            "unit_kind": "other",
            "parent_code": "100",
            "code": "101",
            "hostnames": [THON_B],
        },
        {
            "@id": "http://localhost/tan-phu/thon-c",
            "@type": "Subsite",
            "title": "Thôn C",
            "unit_kind": "commune",
            "parent_code": "",
            "code": "102",
            "hostnames": [],
        },
        {
            "@id": "http://localhost/hoa-binh",
            "@type": "Subsite",
            "title": "UBND xã Hoà Bình",
            "unit_kind": "commune",
            "parent_code": "",
            "code": "200",
            "hostnames": [HOA_BINH],
        },
        {
            "@id": "http://localhost/tan-phu",
            "@type": "Subsite",
            "title": "UBND xã Tân Phú",
            "unit_kind": "commune",
            "parent_code": "",
            "code": "100",
            "hostnames": [TAN_PHU],
        },
    ]
    assert "batching" not in data


def test_filters_and_batches(units, api):
    api.patch_json("/tan-phu/thon-b", {"parent_code": "100", "unit_kind": "other"}, status=204)

    def titles(query):
        return [i["title"] for i in api.get("/@subsites" + query).json["items"]]

    assert titles("?unit_kind=other") == ["Thôn B"]
    assert titles("?parent_code=100") == ["Thôn B"]
    assert titles("?unit_kind=commune&parent_code=") == [
        "Thôn C",
        "UBND xã Hoà Bình",
        "UBND xã Tân Phú",
    ]
    assert titles("?unit_kind=department") == []
    page = api.get("/@subsites?b_size=2&b_start=2").json
    assert [i["title"] for i in page["items"]] == ["UBND xã Hoà Bình", "UBND xã Tân Phú"]
    assert page["items_total"] == 4
    assert "prev" in page["batching"]
    # renamed and re-hosted units are listed as they are now
    api.patch_json("/hoa-binh", {"hostnames": ["hoabinh.gov.vn"]}, status=204)
    listed = {i["title"]: i for i in api.get("/@subsites").json["items"]}
    assert listed["UBND xã Hoà Bình"]["hostnames"] == ["hoabinh.gov.vn"]
    api.post_json("/@subsites", {}, status=405)


def test_visitors_get_the_list_too(units, testapp):
    data = testapp.get("/@subsites", headers={"Accept": "application/json"}).json
    assert data["items_total"] == 4
