"""Statistics of the catalog on a known set (plugins/services/tests/services_setup.py)."""

from __future__ import annotations

import pytest
from pyramid.exceptions import ConfigurationError

from plugins.services.statistics import compute, format_percent, read_targets
from plugins.services.tests.services_setup import known_catalog


@pytest.fixture
def known(model):
    return known_catalog(model)


def test_province_counts_what_anonymous_visitors_see(model, known):
    model.act_as(None)
    stats = compute(model.request)
    counts = stats.counts
    assert counts.total == 9  # the private 1.000010 is not counted
    assert counts.levels == (1, 2, 4, 2)
    assert (counts.kind("toan-trinh"), counts.kind("mot-phan"), counts.offline) == (3, 3, 3)
    assert [counts.level_share(k) for k in (1, 2, 3, 4)] == [11.1, 22.2, 44.4, 22.2]
    assert counts.met(4, 10) and not counts.met(3, 60)


def test_editors_count_private_procedures_too(model, known):
    counts = compute(model.request).counts
    assert counts.total == 10
    assert counts.levels == (1, 2, 4, 3)
    assert counts.level_share(4) == 30.0


def test_each_unit_counts_the_procedures_it_shows(model, known):
    model.act_as(None)
    units = {u.code: u for u in compute(model.request).units}
    assert set(units) == {"10001", "10002", "20001"}
    assert units["10001"].counts.levels == (1, 1, 1, 0)
    assert units["10002"].counts.levels == (1, 1, 1, 1)
    assert units["10002"].counts.level_share(4) == 25.0
    department = units["20001"].counts
    assert department.levels == (0, 1, 2, 1)
    assert (department.kind("toan-trinh"), department.kind("mot-phan")) == (2, 1)
    assert department.level_share(3) == 50.0
    assert units["20001"].title == "Sở Xây dựng"


def test_a_units_own_statistics_are_those_of_its_list(model, known):
    _folder, units = known
    model.act_as(None)
    stats = compute(model.request, units["10002"])
    assert stats.counts.total == 4
    assert stats.units == ()
    assert {f.slug: f.counts.total for f in stats.fields} == {"ho-tich": 2, "kinh-doanh": 2}


def test_fields_are_counted_per_level_in_the_vocabulary_order(model, known):
    model.act_as(None)
    fields = compute(model.request).fields
    assert [(f.slug, f.label) for f in fields] == [
        ("ho-tich", "Hộ tịch"),
        ("kinh-doanh", "Kinh doanh"),
        ("xay-dung", "Xây dựng"),
    ]
    assert [f.counts.levels for f in fields] == [(1, 1, 0, 0), (0, 0, 2, 1), (0, 1, 2, 1)]


def test_an_empty_catalog_has_no_shares(model):
    counts = compute(model.request).counts
    assert counts.total == 0
    assert counts.level_share(3) is None
    assert not counts.met(3, 0)
    assert format_percent(None) == "–"


def test_percents_are_written_with_a_decimal_comma():
    assert format_percent(44.4) == "44,4 %"
    assert format_percent(25.0) == "25 %"


def test_targets_are_read_strictly():
    assert read_targets({}) == {3: 60.0, 4: 10.0}
    assert read_targets({"cong.services_targets": "3=65,5  4=15"}) == {3: 65.5, 4: 15.0}
    assert read_targets({"cong.services_targets": ""}) == {}
    for bad in ("3=160", "5=10", "3:60", "3=60 3=70", "ba=60"):
        with pytest.raises(ConfigurationError, match="cong.services_targets"):
            read_targets({"cong.services_targets": bad})
