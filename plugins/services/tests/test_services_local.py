"""A unit's local details of the procedures it shows: stored on the subsite,
checked, replaced whole, and shown only on that unit's pages."""

from __future__ import annotations

import pytest

from core import operations
from core.operations import ValidationFailed
from plugins.services.local import local_details, save_details, stored_details
from plugins.services.vocabulary import add_field
from subsites.provisioning import create_subsite

RECORD = {
    "title": "Đăng ký khai sinh",
    "code": "1.001193",
    "field": "ho-tich",
    "tier": "commune",
    "agency": "UBND cấp xã",
    "methods": "Trực tiếp | 1",
    "address": "Bộ phận một cửa UBND cấp xã",
    "level": "2",
}


@pytest.fixture
def setup(model):
    """A procedure and two communes, committed."""
    add_field(model.site, "Hộ tịch", "ho-tich")
    folder = model.site["thu-tuc-hanh-chinh"]  # the services plugin's own
    service = operations.create(model.request, folder, "Service", RECORD, "form")
    units = [
        create_subsite(model.request, model.site, {"title": t, "unit_kind": "commune", "code": c})
        for t, c in (("Xã Tân Phú", "10001"), ("Xã Hòa Bình", "10002"))
    ]
    model.commit()
    return service, units


def test_overrides_then_defaults_then_the_procedures_address(model, setup):
    service, (unit, other) = setup
    assert local_details(unit, service) == {
        "address": "Bộ phận một cửa UBND cấp xã",
        "phone": "",
        "hours": "",
    }
    save_details(unit, {"address": "Số 1 Trần Phú", "phone": " 0220 3851 234 ", "hours": ""})
    save_details(unit, {"address": "Thôn Đông\r\nxã Tân Phú"}, code=service.code)
    model.commit()
    assert local_details(unit, service) == {
        "address": "Thôn Đông\nxã Tân Phú",
        "phone": "0220 3851 234",
        "hours": "",
    }
    assert local_details(other, service)["address"] == "Bộ phận một cửa UBND cấp xã"
    assert local_details(None, service)["address"] == "Bộ phận một cửa UBND cấp xã"
    assert stored_details(unit) == {"address": "Số 1 Trần Phú", "phone": "0220 3851 234"}


def test_a_refused_value_stores_nothing(model, setup):
    service, (unit, _other) = setup
    save_details(unit, {"address": "Số 1 Trần Phú"})
    with pytest.raises(ValidationFailed) as refused:
        save_details(unit, {"address": "Đường mới", "phone": "0" * 51, "hours": "x" * 501})
    assert set(refused.value.errors) == {"phone", "hours"}
    with pytest.raises(ValidationFailed):
        save_details(unit, {"address": ["not", "text"]})
    assert stored_details(unit) == {"address": "Số 1 Trần Phú"}


def test_details_are_replaced_whole_and_removed_when_empty(model, setup):
    service, (unit, _other) = setup
    save_details(unit, {"address": "A", "phone": "1"}, code=service.code)
    first = unit.service_details[service.code]
    shown = stored_details(unit, service.code)
    shown["address"] = "changed by a caller"
    assert unit.service_details[service.code] == {"address": "A", "phone": "1"}
    save_details(unit, {"address": "B"}, code=service.code)
    assert first == {"address": "A", "phone": "1"}  # the stored dict was not mutated
    assert stored_details(unit, service.code) == {"address": "B"}
    save_details(unit, {"address": "  "}, code=service.code)
    assert service.code not in unit.service_details
    model.commit()
    assert stored_details(unit, service.code) == {}
