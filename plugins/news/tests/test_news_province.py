"""The portal's news pages (a category, the archive, events) list what the province
lists: an item a unit keeps out of the province's lists shows on the unit's own
pages only."""

from __future__ import annotations

import pytest

from core.testing import add
from subsites.provisioning import create_subsite


@pytest.fixture
def unit(model):
    """A commune with a news item for everyone and one for its own site only."""
    tan_phu = create_subsite(
        model.request, model.site, {"title": "UBND xã Tân Phú", "unit_kind": "commune"}
    )
    add(model, tan_phu["tin-tuc"], "News", "published", title="Khánh thành trường học",
        category="van-hoa-xa-hoi", effective="2025-09-02")  # fmt: skip
    add(model, tan_phu["tin-tuc"], "News", "published", title="Tin nội bộ",
        category="van-hoa-xa-hoi", effective="2025-08-03", exclude_from_province=True)  # fmt: skip
    add(model, tan_phu["su-kien"], "Event", "published", title="Họp nội bộ",
        start="2099-01-05T08:00", exclude_from_province=True)  # fmt: skip
    model.commit()
    return tan_phu


def titles(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.html.select(".news-list .item-title a")]


def test_the_portal_category_and_archive_leave_out_what_units_keep_to_themselves(testapp, unit):
    assert titles(testapp.get("/@@chuyen-muc/van-hoa-xa-hoi")) == ["Khánh thành trường học"]
    own = testapp.get("/ubnd-xa-tan-phu/@@chuyen-muc/van-hoa-xa-hoi")
    assert titles(own) == ["Khánh thành trường học", "Tin nội bộ"]
    months = testapp.get("/@@luu-tru").html.select(".archive-year li a")
    assert [a.get_text(strip=True) for a in months] == ["Tháng 09/2025"]
    testapp.get("/@@luu-tru/2025/08").mustcontain(no="Tin nội bộ")
    assert titles(testapp.get("/ubnd-xa-tan-phu/tin-tuc/@@luu-tru/2025/08")) == ["Tin nội bộ"]


def test_the_portal_events_leave_out_what_units_keep_to_themselves(testapp, unit):
    assert titles(testapp.get("/@@sap-dien-ra")) == []
    assert titles(testapp.get("/ubnd-xa-tan-phu/@@sap-dien-ra")) == ["Họp nội bộ"]
    assert "Họp nội bộ".encode() not in testapp.get("/@@ics").body
    assert "Họp nội bộ".encode() in testapp.get("/ubnd-xa-tan-phu/@@ics").body
