"""The library through the JSON API and the model, on the known library of
plugins/documents/tests/library_setup.py (anonymous visitors see 7 documents).

What a test adds stays private (anonymous visitors, whom the counts are of, never
see it), so the tests do not depend on their order."""

from __future__ import annotations

import pytest
import webtest

from core.testing import ModelRequest, SiteAccess, add, add_user, api_token, upload
from plugins.documents.legal import today
from plugins.documents.tests.library_setup import (
    PDF_TEXT,
    docx_file,
    library_app,
    pdf_file,
    values,
)

JSON = {"HTTP_ACCEPT": "application/json", "REMOTE_ADDR": "127.0.0.1"}
DEPARTMENT_LIBRARY = "/so-tai-chinh/van-ban-phap-quy"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with library_app(tmp_path_factory.mktemp("var")) as application:
        yield application


@pytest.fixture(scope="module")
def anonymous(app):
    return webtest.TestApp(app, extra_environ=dict(JSON))


@pytest.fixture(scope="module")
def admin_api(app):
    client = webtest.TestApp(app, extra_environ=dict(JSON))
    client.authorization = ("Bearer", api_token(client))
    return client


def numbers(data) -> list[str]:
    return [item["number"] for item in data["items"]]


def counts(data, facet: str) -> dict[str, int]:
    return {item["token"]: item["count"] for item in data["facets"][facet]}


# browsing ------------------------------------------------------------------------------
def test_the_province_lists_the_documents_of_every_unit_with_counts(app, anonymous):
    data = anonymous.get("/@legal-documents").json
    year = str(today().year)
    assert data["items_total"] == 7
    assert numbers(data)[1:] == [  # newest issue first (the first is two days old)
        "15/2026/QĐ-UBND", "09/2026/NQ-HĐND", "210/HD-STC", "12/QĐ-UBND", "45/KH-UBND",
        "01/2025/QĐ-UBND",
    ]  # fmt: skip
    assert counts(data, "unit") == {"/": 4, "/phuong-tan-an": 2, "/so-tai-chinh": 1}
    assert counts(data, "kind") == {"quyet-dinh": 4, "nghi-quyet": 1, "ke-hoach": 1, "huong-dan": 1}
    assert counts(data, "status") == {
        "chua-co-hieu-luc": 1,
        "con-hieu-luc": 3,
        "het-hieu-luc-mot-phan": 1,
        "het-hieu-luc": 1,
        "bi-thay-the": 1,
    }
    assert counts(data, "field") == {
        "dat-dai": 3, "thue-phi-le-phi": 1, "bo-may-hanh-chinh": 1,
        "tai-nguyen-moi-truong": 1, "tai-chinh-ngan-sach": 1,
    }  # fmt: skip
    expected_years = {"2025": 2, "2026": 4}
    expected_years[year] = expected_years.get(year, 0) + 1
    assert counts(data, "year") == expected_years
    assert counts(data, "body")["Phường Tân An"] == 1  # an empty body is the unit's name
    assert [f["title"] for f in data["facets"]["unit"]] == [
        "Cổng thông tin điện tử", "Phường Tân An", "Sở Tài chính",
    ]  # fmt: skip


def test_a_unit_lists_its_own_documents(anonymous):
    data = anonymous.get("/phuong-tan-an/@legal-documents").json
    assert numbers(data) == ["12/QĐ-UBND", "45/KH-UBND"]
    assert "unit" not in data["facets"]
    library = anonymous.get("/phuong-tan-an/van-ban-phap-quy/@legal-documents").json
    assert numbers(library) == numbers(data)


def test_filters_combine_and_count_what_is_left(anonymous):
    data = anonymous.get("/@legal-documents", {"field": "dat-dai", "year": "2026"}).json
    assert numbers(data) == ["15/2026/QĐ-UBND", "12/QĐ-UBND"]
    assert counts(data, "unit") == {"/": 1, "/phuong-tan-an": 1}
    assert anonymous.get("/@legal-documents", {"unit": "/"}).json["items_total"] == 4
    assert numbers(anonymous.get("/@legal-documents", {"unit": "so-tai-chinh"}).json) == [
        "210/HD-STC"
    ]
    assert numbers(anonymous.get("/@legal-documents", {"body": "HĐND tỉnh"}).json) == [
        "09/2026/NQ-HĐND"
    ]


def test_status_filters_tell_in_force_from_not_yet(anonymous):
    pending = anonymous.get("/@legal-documents", {"status": "chua-co-hieu-luc"}).json
    assert [n.split("/")[0] for n in numbers(pending)] == ["30"]
    assert pending["items"][0]["status"] == {
        "token": "chua-co-hieu-luc",
        "title": "Chưa có hiệu lực",
    }
    in_force = anonymous.get("/@legal-documents", {"status": "con-hieu-luc"}).json
    assert numbers(in_force) == ["15/2026/QĐ-UBND", "12/QĐ-UBND", "45/KH-UBND"]
    assert counts(in_force, "status") == {"con-hieu-luc": 3}


def test_text_search_without_accents_reads_titles_and_files(anonymous):
    found = anonymous.get("/@legal-documents", {"q": "quyet dinh dat dai"}).json
    assert numbers(found) == ["15/2026/QĐ-UBND"]  # "Quyết định" in its title, "Đất đai" in its file
    found = anonymous.get("/@legal-documents", {"q": "he so dieu chinh ven song lam"}).json
    assert numbers(found) == ["15/2026/QĐ-UBND"]  # in its Word file only
    found = anonymous.get("/@legal-documents", {"q": "nam xu ly", "unit": "/phuong-tan-an"}).json
    assert numbers(found) == ["12/QĐ-UBND", "45/KH-UBND"]  # in their PDF files
    assert counts(found, "kind") == {"quyet-dinh": 1, "ke-hoach": 1}


def test_a_page_of_documents_links_the_next(anonymous):
    data = anonymous.get("/@legal-documents", {"b_size": "3", "b_start": "3"}).json
    assert data["items_total"] == 7 and len(data["items"]) == 3
    assert "b_start=6" in data["batching"]["next"]


def test_private_documents_are_listed_only_for_those_who_may_see_them(anonymous, admin_api):
    assert "99/2026/QĐ-UBND" not in numbers(anonymous.get("/@legal-documents", {"b_size": 50}).json)
    listed = numbers(admin_api.get("/@legal-documents", {"b_size": 50}).json)
    assert "99/2026/QĐ-UBND" in listed


@pytest.mark.parametrize(
    "query",
    [{"kind": "quyet"}, {"status": "moi"}, {"year": "20x6"}, {"field": "<b>"}, {"unit": "../x"}],
)
def test_a_bad_filter_is_a_400(anonymous, query):
    data = anonymous.get("/@legal-documents", query, status=400).json
    assert data["type"] == "BadRequest" and data["message"]


# a document's JSON --------------------------------------------------------------------
def test_a_documents_json_has_every_field_links_and_files(app, anonymous):
    new = anonymous.get(app.paths["15/2026/QĐ-UBND"]).json
    assert new["kind"] == {"token": "quyet-dinh", "title": "Quyết định", "abbreviation": "QĐ"}
    assert new["status"] == {"token": "con-hieu-luc", "title": "Còn hiệu lực"}
    assert (new["number"], new["issue_date"], new["issuing_body"]) == (
        "15/2026/QĐ-UBND", "2026-06-01", "UBND tỉnh",
    )  # fmt: skip
    assert new["field"] == {"token": "dat-dai", "title": "Đất đai"}
    assert new["unit"] == {"@id": "http://localhost", "title": "Cổng thông tin điện tử"}
    ward = anonymous.get(app.paths["12/QĐ-UBND"]).json["unit"]
    assert ward == {"@id": "http://localhost/phuong-tan-an", "title": "Phường Tân An"}
    old_url = "http://localhost" + app.paths["01/2025/QĐ-UBND"].rstrip("/")
    assert [(d["@id"], d["number"]) for d in new["replaces"]] == [(old_url, "01/2025/QĐ-UBND")]
    (file,) = new["attachments"]
    assert file["download"].endswith("/15-2026-qd-ubnd/@@tai-ve/van-ban.docx")
    assert "view" not in file  # only a PDF is shown in the browser
    old = anonymous.get(old_url).json
    assert old["status"]["token"] == "bi-thay-the"
    assert [d["number"] for d in old["replaced_by"]] == ["15/2026/QĐ-UBND"]
    assert old["attachments"][0]["view"].endswith("/@@xem/van-ban.pdf")
    assert anonymous.get(old["attachments"][0]["download"]).body == PDF_TEXT


def test_the_vocabularies_of_kinds_and_fields(anonymous):
    kinds = anonymous.get("/@vocabularies/cong.documents.kinds", {"b_size": 50}).json
    assert kinds["items_total"] == 29
    assert {"token": "quy-dinh", "title": "Quy định"} in kinds["items"]
    assert anonymous.get("/@vocabularies/cong.documents.fields").json["items_total"] == 20


# adding through the API ----------------------------------------------------------------
def post(client, body, status=201):
    return client.post_json(DEPARTMENT_LIBRARY, {"@type": "LegalDocument", **body}, status=status)


def refused(client, body) -> dict[str, str]:
    data = post(client, body, status=400).json
    return {e["field"]: e["message"] for e in data["errors"]}


EXE = b"MZ\x90\x00\x03" + b"\x00" * 200


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"kind": "quyet-dinh-moi"}, "kind", "29 loại"),
        ({"kind": "QD"}, "kind", "29 loại"),  # abbreviations are exact: QĐ
        ({"issue_date": "2026-02-30"}, "issue_date", "Ngày không hợp lệ"),
        ({"issue_date": "2999-01-01"}, "issue_date", "sau hôm nay"),
        ({"effective_date": "2026-03-01"}, "effective_date", "trước ngày ban hành"),
        ({"number": "12-QĐ-STC"}, "number", "có dạng"),
        ({"number": "12/CT-STC"}, "number", "“QĐ”"),
        ({"title": "<script>alert(1)</script>"}, "title", "thẻ HTML"),
        ({"attachments": [upload(EXE, "van-ban.pdf", "application/pdf")]}, "attachments", "PDF"),
        ({"attachments": [upload(b"just text", "a.docx", "text/plain")]}, "attachments", "a.docx"),
        ({"attachments": []}, "attachments", "ít nhất một tệp"),
        ({"replaces": ["0" * 32]}, "replaces", "Không có văn bản"),
        ({"replaces": ["not a uid"]}, "replaces", "UID"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_added(admin_api, change, field, words):
    body = {**values("88/QĐ-STC", "quyet-dinh", "Quyết định thử", "2026-03-10"), **change}
    before = admin_api.get(DEPARTMENT_LIBRARY).json["items_total"]
    errors = refused(admin_api, body)
    assert field in errors
    assert words in errors[field]
    assert admin_api.get(DEPARTMENT_LIBRARY).json["items_total"] == before


def test_a_duplicate_number_of_the_same_year_is_refused(app, admin_api):
    body = values("210/HD-STC", "huong-dan", "Hướng dẫn khác", "2026-09-09")
    assert "Năm 2026 đã có văn bản số 210/HD-STC" in refused(admin_api, body)["number"]


def test_a_document_is_added_private_with_its_files(admin_api, anonymous):
    body = values(
        "77/QĐ-STC", "Quyết định", "Quyết định về danh mục tài sản", "2026-08-08",
        attachments=[pdf_file("Quyết định 77.pdf"), docx_file("Danh mục tài sản công.")],
    )  # fmt: skip
    created = post(admin_api, body)
    assert created.headers["Location"].endswith("/so-tai-chinh/van-ban-phap-quy/77-qd-stc-2026")
    data = admin_api.get(created.headers["Location"]).json
    assert data["review_state"] == "private"
    assert data["issuing_body"] == "Sở Tài chính"  # the unit's name
    assert data["kind"]["token"] == "quyet-dinh"
    assert [(f["filename"], f["name"]) for f in data["attachments"]] == [
        ("Quyết định 77.pdf", "quyet-dinh-77.pdf"), ("van-ban.docx", "van-ban.docx"),
    ]  # fmt: skip
    anonymous.get(created.headers["Location"], status=401)
    anonymous.get(created.headers["Location"] + "/@@tai-ve/van-ban.docx", status=401)


# links, in the model ----------------------------------------------------------------------
@pytest.fixture
def model(app):
    m = ModelRequest(app)
    yield m
    m.close()  # nothing is committed


def test_replacing_marks_the_old_document_and_removing_the_link_undoes_it(app, model):
    from core import operations

    library = model.site["so-tai-chinh"]["van-ban-phap-quy"]
    old = add(
        model,
        library,
        "LegalDocument",
        **values("1/QĐ-STC", "QĐ", "Cũ", "2026-01-05", status="het-hieu-luc-mot-phan"),
    )
    new = add(
        model,
        library,
        "LegalDocument",
        **values("2/QĐ-STC", "QĐ", "Mới", "2026-02-05", replaces=[old.uid], amends=[old.uid]),
    )
    assert (old.status, old.replaced_by, old.amended_by) == (
        "bi-thay-the", (new.uid,), (new.uid,),
    )  # fmt: skip
    assert old.modified >= new.created
    operations.edit(model.request, new, {"replaces": []}, "json", partial=True)
    assert (old.status, old.replaced_by, old.amended_by) == (
        "het-hieu-luc-mot-phan",
        (),
        (new.uid,),
    )
    operations.edit(model.request, new, {"replaces": [old.uid]}, "json", partial=True)
    assert old.status == "bi-thay-the"
    operations.delete(model.request, new)
    assert (old.status, old.replaced_by, old.amended_by) == ("het-hieu-luc-mot-phan", (), ())


def test_deleting_a_replaced_document_takes_it_out_of_the_links(app, model):
    from core import operations

    library = model.site["so-tai-chinh"]["van-ban-phap-quy"]
    old = add(model, library, "LegalDocument", **values("3/QĐ-STC", "QĐ", "Cũ", "2026-01-05"))
    new = add(
        model,
        library,
        "LegalDocument",
        **values("4/QĐ-STC", "QĐ", "Mới", "2026-02-05", replaces=[old.uid]),
    )
    operations.delete(model.request, old)
    assert new.replaces == ()
    operations.edit(model.request, new, {"title": "Mới hơn"}, "json", partial=True)  # still fine


def test_a_document_cannot_link_to_itself_or_back(app, model):
    from core import operations

    library = model.site["so-tai-chinh"]["van-ban-phap-quy"]
    first = add(model, library, "LegalDocument", **values("5/QĐ-STC", "QĐ", "Một", "2026-01-05"))
    second = add(
        model,
        library,
        "LegalDocument",
        **values("6/QĐ-STC", "QĐ", "Hai", "2026-02-05", amends=[first.uid]),
    )
    with pytest.raises(operations.ValidationFailed) as itself:
        operations.edit(model.request, first, {"replaces": [first.uid]}, "json", partial=True)
    assert "replaces" in itself.value.errors
    with pytest.raises(operations.ValidationFailed) as back:
        operations.edit(model.request, first, {"replaces": [second.uid]}, "json", partial=True)
    assert "liên kết ngược" in model.request.localizer.translate(back.value.errors["replaces"])


def test_a_linked_document_the_requester_may_not_change_is_refused(app):
    from core import operations

    add_user(lambda: SiteAccess(app), "bientap",
             local=("/phuong-tan-an/van-ban-phap-quy", ("Editor", "Contributor")))  # fmt: skip
    editor = ModelRequest(app, "bientap")
    try:
        library = editor.site["phuong-tan-an"]["van-ban-phap-quy"]
        body = values("7/QĐ-UBND", "QĐ", "Thay văn bản của Sở", "2026-03-03",
                      replaces=[app.uids["210/HD-STC"]])  # fmt: skip
        with pytest.raises(operations.ValidationFailed) as refusal:
            operations.create(editor.request, library, "LegalDocument", body, "json")
        message = editor.request.localizer.translate(refusal.value.errors["replaces"])
        assert "không có quyền" in message
    finally:
        editor.close()


# the demo --------------------------------------------------------------------------------
def test_the_demo_library_loads_with_its_links(app, model):
    from core.demo import DemoLoader, read_demo
    from plugins.documents.library import library_demo_data
    from subsites.provisioning import create_subsite

    for title, code in (("UBND phường Lam Giang", "90001"), ("Sở Tài chính tỉnh", "90004")):
        create_subsite(
            model.request, model.site, {"title": title, "unit_kind": "commune", "code": code}
        )
    loader = DemoLoader(model.request, echo=lambda line: None)
    library_demo_data(model.request, read_demo(), loader)
    assert loader.summary.skipped == []
    assert loader.summary.items["LegalDocument"] == 16
    portal = model.site["van-ban-phap-quy"]
    old = portal["bang-gia-dat-giai-doan-truoc"]
    assert old.status == "bi-thay-the" and old.replaced_by == (portal["bang-gia-dat"].uid,)
    assert portal["phan-cap-quan-ly-duong-bo"].amended_by == (
        portal["sua-doi-phan-cap-duong-bo"].uid,
    )
    assert portal["quy-che-van-thu-luu-tru"].status_at(today()) == "chua-co-hieu-luc"
    assert {a.content_type for a in portal["bang-gia-dat"].attachments} == {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    }
    assert "hệ số điều chỉnh" in portal["bang-gia-dat"].attachments_text
    assert old.attachments[0].text.startswith("28/")  # a PDF, its text read


def test_units_get_their_library_when_the_plugin_first_runs_or_is_enabled(app, anonymous):
    from core.operations import delete
    from core.structure import ensure_structures, record_name
    from subsites.plugins import disable, enable
    from subsites.provisioning import create_subsite

    model = ModelRequest(app)
    try:
        values = {"title": "Xã Bình Minh", "unit_kind": "commune"}
        unit = create_subsite(model.request, model.site, values)
        delete(model.request, unit["van-ban-phap-quy"])  # a unit made before the library was
        del model.site.evolved[record_name("documents")]
        model.commit()
        assert ensure_structures(app.registry) == ["documents"]
        model.commit()  # a new transaction: it sees what the structure made
        assert "van-ban-phap-quy" in unit
        disable(model.request, unit, "documents")
        delete(model.request, unit["van-ban-phap-quy"])
        enable(model.request, unit, "documents")
        model.commit()
    finally:
        model.close()
    assert anonymous.get("/xa-binh-minh/van-ban-phap-quy/@legal-documents").json["items_total"] == 0
