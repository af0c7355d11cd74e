"""``@@linh-vuc``: the fields of procedures, their counts and the forms changing
them, on the known catalog of plugins/services/tests/services_setup.py."""

from __future__ import annotations

import pytest

from plugins.services.tests.services_setup import CATALOG, known_catalog
from plugins.services.vocabulary import field_items

PAGE = f"/{CATALOG}/@@linh-vuc"


@pytest.fixture
def known(model):
    return known_catalog(model)


def rows(page) -> dict[str, list[str]]:
    return {
        row.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in row("td")[:2]]
        for row in page.html.select("table.fields-table tbody tr")
    }


def row_form(page, slug: str, action: str):
    """The form of the row of ``slug`` doing ``action``."""
    for form in page.forms.values():
        if (
            form.fields.get("slug")
            and form["slug"].value == slug
            and form["action"].value == action
        ):
            return form
    raise AssertionError(f"no {action} form for {slug}")


def test_the_fields_with_their_counts(admin, known):
    page = admin.get(PAGE)
    assert rows(page) == {
        "Hộ tịch": ["ho-tich", "2"],
        "Kinh doanh": ["kinh-doanh", "3"],
        "Xây dựng": ["xay-dung", "5"],  # the editor counts the private procedure too
    }


def test_add_a_field(admin, known):
    form = admin.get(PAGE).forms["add-field-form"]
    form["label"] = "Đất đai"
    page = form.submit().follow()
    assert rows(page)["Đất đai"] == ["dat-dai", "0"]
    assert "Đã thêm lĩnh vực “Đất đai”." in page.text


def test_an_empty_label_is_refused_next_to_the_field(admin, known, app):
    form = admin.get(PAGE).forms["add-field-form"]
    form["label"] = "   "
    page = form.submit(status=400)
    assert page.html.select_one("#add-field-error").get_text()
    assert page.html.select_one("#add-field-label")["aria-invalid"] == "true"
    assert len(rows(page)) == 3


def test_rename_a_field_keeps_its_procedures(admin, known):
    form = row_form(admin.get(PAGE), "ho-tich", "rename")
    form["label"] = "Hộ tịch, quốc tịch"
    page = form.submit().follow()
    assert rows(page)["Hộ tịch, quốc tịch"] == ["ho-tich", "2"]
    data = admin.get(f"/{CATALOG}/@@thong-ke.json").json
    assert [f["title"] for f in data["fields"]][0] == "Hộ tịch, quốc tịch"


def test_renaming_to_another_fields_name_is_refused(admin, known):
    form = row_form(admin.get(PAGE), "ho-tich", "rename")
    form["label"] = "kinh doanh"
    page = form.submit(status=400)
    error = page.html.select_one("#field-0-rename-error").get_text()
    assert "kinh doanh" in error
    assert page.html.select_one("#field-0-label")["value"] == "kinh doanh"


def test_a_field_in_use_is_not_removed(admin, known, site_access):
    page = row_form(admin.get(PAGE), "xay-dung", "remove").submit(status=400)
    assert "còn 5 thủ tục" in page.html.select_one("#field-2-remove-error").get_text()
    with site_access() as site:
        assert [slug for slug, _label in field_items(site)] == ["ho-tich", "kinh-doanh", "xay-dung"]


def test_an_unused_field_is_removed(admin, known, site_access):
    form = admin.get(PAGE).forms["add-field-form"]
    form["label"] = "Đất đai"
    page = form.submit().follow()
    page = row_form(page, "dat-dai", "remove").submit().follow()
    assert "Đất đai" not in rows(page)
    with site_access() as site:
        assert "dat-dai" not in dict(field_items(site))


def test_a_forged_request_changes_nothing(admin, known, site_access):
    form = admin.get(PAGE).forms["add-field-form"]
    form["label"] = "Đất đai"
    form["csrf_token"] = "forged"
    form.submit(status=400)
    with site_access() as site:
        assert "dat-dai" not in dict(field_items(site))


def test_anonymous_visitors_are_sent_to_log_in(testapp, known, site_access):
    response = testapp.get(PAGE, status=302)
    assert "/@@login?came_from=" in response.headers["Location"]
    testapp.post(PAGE, {"action": "add", "label": "Đất đai"}, status=302)
    with site_access() as site:
        assert "dat-dai" not in dict(field_items(site))
