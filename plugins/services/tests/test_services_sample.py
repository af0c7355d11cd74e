"""The sample catalog (etc/services/sample.json) is valid with the real model.

It guards the sample when the procedure's fields change: every record is created
through :func:`core.operations.create` as a JSON import would, then found in the
catalog with the values the file gives.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import catalog
from core import operations
from plugins.services.content import FIELDS, ONLINE_LEVELS
from plugins.services.tests.services_setup import published_catalog
from plugins.services.units import find_by_code
from plugins.services.vocabulary import add_field, field_items

REPOSITORY = Path(__file__).resolve().parents[3]
SAMPLE = REPOSITORY / "etc" / "services" / "sample.json"
DEMO = REPOSITORY / "etc" / "demo" / "portal.json"
#: The share of procedures at each group of levels the sample keeps (per cent):
#: about 10 % at levels 1-2, 60 % at level 3, 30 % at level 4.
LEVEL_SHARES = {(1, 2): (5, 15), (3,): (55, 65), (4,): (25, 35)}


def read_json(path: Path) -> dict:
    """``path`` parsed, or the test fails saying where the JSON is broken."""
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = text.splitlines()[exc.lineno - 1] if exc.lineno <= len(text.splitlines()) else ""
        pytest.fail(f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}, "
                    f"column {exc.colno}: {line.strip()[:120]!r}")  # fmt: skip


@pytest.fixture(scope="module")
def sample() -> dict:
    return read_json(SAMPLE)


def records(sample) -> list[dict]:
    return [{k: v for k, v in record.items() if k != "state"} for record in sample["services"]]


def test_read_json_names_the_line_of_a_syntax_error(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "cong-services/1",\n "services": [,]}', encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"line 2, column 15"):
        read_json(broken)


def test_the_sample_has_the_import_format(sample):
    assert sample["format"] == "cong-services/1"
    assert set(sample) == {"format", "fields", "services", "forms"}
    field_names = {field.name for field in FIELDS}
    for record in sample["services"]:
        assert set(record) <= field_names, record["code"]


def test_the_sample_covers_enough_procedures_with_unique_codes_and_every_field(sample):
    services = sample["services"]
    assert len(services) >= 45
    codes = Counter(record["code"] for record in services)
    assert [code for code, n in codes.items() if n > 1] == []
    assert sum(code.count(".") == 2 for code in codes) >= 2  # local variants: 1.000948.H38
    slugs = [field["id"] for field in sample["fields"]]
    assert len(slugs) == len(set(slugs))
    assert set(slugs) == {record["field"] for record in services}


def test_every_record_fills_every_section_of_its_page(sample):
    texts = ("description", "agency", "deciding_agency", "applicants", "conditions", "result",
             "address", "validity")  # fmt: skip
    sizes = {"steps": (3, 7), "methods": (1, 3), "components": (2, 6), "legal_basis": (2, 5)}
    for record in sample["services"]:
        assert all(record[name].strip() for name in texts), record["code"]
        for name, (low, high) in sizes.items():
            assert low <= len(record[name]) <= high, (record["code"], name)
        assert record["fees"] and all(fee["basis"] for fee in record["fees"]), record["code"]
    downloadable = [
        any(component["template"] for component in record["components"])
        for record in sample["services"]
        if record["level"] >= 2
    ]
    assert sum(downloadable) >= 0.75 * len(downloadable)  # level 2: forms to download


def test_every_template_is_a_form_and_every_form_is_used(sample):
    used = {
        component["template"]
        for record in sample["services"]
        for component in record["components"]
        if component["template"]
    }
    assert used == set(sample["forms"])
    for name, form in sample["forms"].items():
        assert form["title"], name
        assert 6 <= len(form["paragraphs"]) <= 15, name


def test_the_levels_are_mixed_as_provinces_report_them(sample):
    levels = Counter(record["level"] for record in sample["services"])
    total = sum(levels.values())
    for group, (low, high) in LEVEL_SHARES.items():
        share = 100 * sum(levels[level] for level in group) / total
        assert low <= share <= high, (group, share)
    online = Counter(r["online"] for r in sample["services"] if r["level"] in ONLINE_LEVELS)
    assert online["toan-trinh"] and online["mot-phan"]


def test_unit_codes_are_the_demo_provinces_departments(sample):
    demo = read_json(DEMO)
    departments = {s["code"] for s in demo["subsites"] if s["unit_kind"] == "department"}
    used = {r["agency_code"] for r in sample["services"] if r["agency_code"]}
    assert used and used <= departments
    assert all(not r["agency_code"] for r in sample["services"] if r["tier"] == "commune")
    assert {s["id"]: s.get("services") for s in demo["content"]}["thu-tuc-hanh-chinh"] == "sample"


def test_every_record_is_created_by_the_model_as_written(model, sample):
    for field in sample["fields"]:
        assert add_field(model.site, field["title"], field["id"]) == field["id"]
    folder = published_catalog(model)
    for record in records(sample):
        try:
            operations.create(model.request, folder, "Service", record, source="json")
        except operations.ValidationFailed as exc:
            pytest.fail(f"{record['code']} is refused: {exc.errors}")
    model.commit()

    assert len(field_items(model.site)) == len(sample["fields"])
    found = catalog.search(model.request, types=("Service",))
    assert found.total == len(sample["services"])
    for record in records(sample):
        service = find_by_code(model.site, record["code"])
        assert service.__name__ == record["code"]
        stored = {field.name: field.serialize(service) for field in FIELDS}
        assert stored == {**stored, **record}, record["code"]  # nothing dropped or rewritten
