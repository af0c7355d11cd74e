"""``@services`` and procedures through the generic JSON API, on the known catalog
of plugins/services/tests/services_setup.py (anonymous visitors see 9 procedures)."""

from __future__ import annotations

import pytest
import webtest

from plugins.services.tests.services_setup import CATALOG, known_catalog, record

JSON = {"HTTP_ACCEPT": "application/json", "REMOTE_ADDR": "127.0.0.1"}
HUGE = "9" * 5000


@pytest.fixture
def known(model):
    return known_catalog(model)


@pytest.fixture
def anonymous(app):
    return webtest.TestApp(app, extra_environ=JSON)


def codes(data) -> list[str]:
    return [item["code"] for item in data["items"]]


def test_services_lists_the_portals_procedures_with_counts(anonymous, known):
    data = anonymous.get("/@services", {"level": "3"}).json
    assert data["items_total"] == 4
    assert codes(data) == ["1.000003", "1.000005", "1.000006", "1.000009"]  # by title
    item = data["items"][1]
    assert item == {
        "@id": f"http://localhost/{CATALOG}/1.000005",
        "@type": "Service",
        "title": "Thủ tục số 05",
        "code": "1.000005",
        "field": {"token": "xay-dung", "title": "Xây dựng"},
        "level": 3,
        "online": "toan-trinh",
        "tier": "province",
        "agency": "Sở Xây dựng",
        "days": 5.0,
        "review_state": "published",
    }
    assert data["facets"]["field"] == [
        {"token": "kinh-doanh", "title": "Kinh doanh", "count": 2},
        {"token": "xay-dung", "title": "Xây dựng", "count": 2},
    ]
    assert data["facets"]["online"] == [
        {"token": "mot-phan", "title": "Một phần", "count": 3},
        {"token": "toan-trinh", "title": "Toàn trình", "count": 1},
    ]
    assert "batching" not in data


def test_a_unit_lists_what_it_shows(anonymous, known):
    _folder, units = known
    data = anonymous.get(f"/{units['10002'].__name__}/@services").json
    assert codes(data) == ["1.000001", "1.000002", "1.000003", "1.000004"]
    levels = {f["token"]: f["count"] for f in data["facets"]["level"]}
    assert levels == {"1": 1, "2": 1, "3": 1, "4": 1}


def test_services_are_batched(anonymous, known):
    data = anonymous.get("/@services", {"b_size": "4", "b_start": "4"}).json
    assert data["items_total"] == 9
    assert codes(data) == ["1.000005", "1.000006", "1.000007", "1.000008"]
    assert "b_start=8" in data["batching"]["next"]


def test_text_search_without_accents(anonymous, known):
    data = anonymous.get("/@services", {"q": "thu tuc so 07"}).json
    assert codes(data)[0] == "1.000007"


@pytest.mark.parametrize("query", [{"level": "5"}, {"tier": "x"}, {"online": "moi"}])
def test_a_bad_filter_is_a_400(anonymous, known, query):
    data = anonymous.get("/@services", query, status=400).json
    assert data["type"] == "BadRequest"
    assert data["message"]


@pytest.mark.parametrize("param", ["b_start", "b_size"])
def test_a_number_of_5000_digits_answers_400_naming_it(anonymous, testapp, known, param):
    data = anonymous.get("/@services", {param: HUGE}, status=400).json
    assert data["type"] == "BadRequest" and param in data["message"]
    page = testapp.get("/" + CATALOG, {param: HUGE}, status=400)
    assert f"Tham số “{param}” phải là một số nguyên" in page.text


def test_other_methods_are_not_allowed(api, known):
    response = api.post_json("/@services", {}, status=405)
    assert response.headers["Allow"] == "GET"


def test_a_procedure_in_json(api, known):
    data = api.get(f"/{CATALOG}/1.000004").json
    assert data["@type"] == "Service"
    assert data["level"] == 4
    assert data["methods"] == [{"channel": "truc-tiep", "days": 5.0, "fee": "", "note": ""}]
    assert data["steps"] == []
    assert (data["field"], data["tier"], data["agency_code"]) == ("kinh-doanh", "commune", "10002")


def test_a_procedure_is_created_changed_and_deleted(api, known):
    body = {
        "@type": "Service",
        **record("1.000020", "ho-tich", "commune", "", 2, ""),
        "steps": ["Nộp hồ sơ", "Nhận kết quả"],
        "fees": [{"name": "Lệ phí", "amount": 50000, "basis": "TT 85/2019"}],
    }
    created = api.post_json(f"/{CATALOG}", body, status=201)
    assert created.headers["Location"].endswith(f"/{CATALOG}/1.000020")
    data = created.json
    assert data["steps"] == ["Nộp hồ sơ", "Nhận kết quả"]
    assert data["fees"] == [{"name": "Lệ phí", "amount": 50000, "basis": "TT 85/2019"}]
    api.patch_json(f"/{CATALOG}/1.000020", {"level": 3, "online": "mot-phan"}, status=204)
    assert api.get(f"/{CATALOG}/1.000020").json["level"] == 3
    found = api.get("/@services", {"level": "3", "field": "ho-tich"}).json
    assert codes(found) == ["1.000020"]
    api.delete(f"/{CATALOG}/1.000020", status=204)
    api.get(f"/{CATALOG}/1.000020", status=404)


def test_a_bad_row_names_the_field(api, known):
    body = {"@type": "Service", **record("1.000021", "ho-tich", "commune", "", 1, "")}
    body["methods"] = [{"channel": "fax", "days": 3}]
    data = api.post_json(f"/{CATALOG}", body, status=400).json
    assert data["type"] == "BadRequest"
    fields = {e["field"]: e["message"] for e in data["errors"]}
    assert fields["methods"].startswith("Dòng 1: Hình thức nộp: “fax” không nằm trong danh sách")
    api.get(f"/{CATALOG}/1.000021", status=404)


def test_a_duplicate_code_is_refused(api, known):
    body = {"@type": "Service", **record("1.000001", "ho-tich", "commune", "", 1, "")}
    data = api.post_json(f"/{CATALOG}", body, status=400).json
    assert [e["field"] for e in data["errors"]] == ["code"]


def test_anonymous_visitors_cannot_create(anonymous, known):
    body = {"@type": "Service", **record("1.000022", "ho-tich", "commune", "", 1, "")}
    anonymous.post_json(f"/{CATALOG}", body, status=401)
