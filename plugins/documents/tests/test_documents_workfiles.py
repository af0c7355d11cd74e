"""Work files: the year's list made and approved, documents filed (and refused),
files closed and handed to the archive with their index, printed as a page and a
PDF; the pages and the JSON API for the unit's staff only, and bad input refused.

The model tests leave nothing stored (their transaction is aborted); the page and
API tests each use a year of their own."""

from __future__ import annotations

import pytest
import webtest

from core.htmlcheck import java_missing, validate
from core.testing import USER_PASSWORD, api_token, csrf_token, login
from plugins.documents import workfiles as W
from plugins.documents import workfiles_actions as A
from plugins.documents.tests.documents_setup import province_app
from plugins.documents.tests.test_documents_model import incoming, outgoing
from plugins.documents.transitions import perform
from plugins.documents.units import office_of
from plugins.documents.workfiles_index import index_values, list_values, sheet_numbers
from plugins.documents.workfiles_views import filing_box

THIS_YEAR = A.today().year
OFFICE = "/so-xay-dung/van-thu/"
PAGE = OFFICE + "@@ho-so-cong-viec"
API = OFFICE + "@work-files"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with province_app(tmp_path_factory.mktemp("workfiles") / "var") as application:
        yield application


def client(app, user: str | None = None) -> webtest.TestApp:
    """A browser, logged in as ``user`` when given."""
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    if user:
        login(browser, user)
    return browser


def api_client(app, user: str | None = None) -> webtest.TestApp:
    """A JSON client, with ``user``'s bearer token when given."""
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT": "application/json"}
    api = webtest.TestApp(app, extra_environ=environ)
    if user:
        api.extra_environ["HTTP_AUTHORIZATION"] = "Bearer " + api_token(api, user, USER_PASSWORD)
    return api


def refused(call, *args, **kwargs) -> W.WorkFileError:
    with pytest.raises(W.WorkFileError) as found:
        call(*args, **kwargs)
    return found.value


def new_file(model, code="01.VP", login="vanthu1", year=THIS_YEAR, **extra):
    model.act_as(login)
    raw = {"code": code, "title": f"Hồ sơ {code}", "year": year, "retention": 10, **extra}
    return A.create_file(model.request, office_of(model.site, "20001"), raw)


def open_file(model, code="01.VP", year=THIS_YEAR):
    """A file of the unit 20001 in its approved list (added by the leader once
    the list is approved), opened by its clerk."""
    if W.list_approved(office_of(model.site, "20001"), year):
        work_file = new_file(model, code, login="lanhdao1", year=year)
    else:
        work_file = new_file(model, code, year=year)
        model.act_as("lanhdao1")
        A.approve_list(model.request, work_file.__parent__, year)
    model.act_as("vanthu1")
    A.open_file(model.request, work_file)
    return work_file


def test_the_years_list_is_made_then_approved_by_a_leader(model):
    office = office_of(model.site, "20001")
    first = new_file(model, "02.VP", retention="Vĩnh viễn")
    second = new_file(model, "10.VP", login="lanhdao1", responsible="chuyenvien1")
    new_file(model, "1.VP", year=THIS_YEAR + 1)  # next year's list is apart
    assert [f.code for f in W.files_of(office, THIS_YEAR)] == ["02.VP", "10.VP"]
    assert (first.state, first.retention, first.responsible) == (W.PLANNED, W.PERMANENT, "vanthu1")
    assert second.responsible == "chuyenvien1" and first.id == f"hs-{THIS_YEAR}-001"

    assert refused(new_file, model, "02.vp").status == 409  # the code is the year's
    bad = refused(
        new_file, model, "bad code!", title="", retention="mãi", responsible="vanthu2", year=1990
    )
    assert bad.status == 400
    assert set(bad.errors) == {"code", "title", "retention", "responsible", "year"}
    assert refused(new_file, model, "03.VP", login="chuyenvien1").status == 403
    model.act_as("vanthu1")
    assert refused(A.approve_list, model.request, office, THIS_YEAR).status == 403
    assert refused(A.approve_list, model.request, office, "năm nay").status == 400

    model.act_as("lanhdao1")
    A.approve_list(model.request, office, THIS_YEAR)
    assert {f.state for f in W.files_of(office, THIS_YEAR)} == {W.APPROVED}
    assert refused(A.approve_list, model.request, office, THIS_YEAR).status == 409
    assert refused(A.approve_list, model.request, office, 2001).status == 409  # no file
    late = refused(new_file, model, "03.VP")  # the clerk: the list is approved
    assert late.status == 403 and "lãnh đạo" in model.request.localizer.translate(late.message)
    added = new_file(model, "03.VP", login="lanhdao1")
    assert added.state == W.APPROVED
    printed = list_values(model.request, office, THIS_YEAR)
    assert [row["code"] for row in printed["rows"]] == ["02.VP", "03.VP", "10.VP"]
    assert (printed["count"], printed["permanent"], printed["limited"]) == (3, 1, 2)
    assert printed["approved"].startswith("ngày ")


def test_documents_are_filed_once_and_the_closed_file_is_archived_with_its_index(model):
    work_file = open_file(model)
    assert refused(A.open_file, model.request, work_file).status == 409
    letter = incoming(model, notation="125/UBND-KT", document_date="2026-03-02")
    other_file = open_file(model, "05.VP")
    A.file_document(model.request, work_file, letter, 3, "Bản chính")
    assert letter.work_file == work_file.id
    again = refused(A.file_document, model.request, other_file, letter)
    assert again.status == 409 and "01.VP" in again.message.mapping["code"]
    abroad = incoming(model, login="vanthu2", unit="10001")
    assert refused(A.file_document, model.request, work_file, abroad).status == 400
    model.act_as("vanthu1")
    office = work_file.__parent__
    assert refused(A.find_document, model.request, office, "den-0000-00000").status == 404
    assert refused(A.find_document, model.request, office, abroad.id, "10001").status == 404

    # a specialist files only what they lead
    assigned = incoming(model, summary="Về việc góp ý dự thảo quy hoạch")
    perform(model.request, assigned, "submit")
    model.act_as("chuyenvien1")
    assert refused(A.file_document, model.request, work_file, assigned).status == 403
    model.act_as("lanhdao1")
    perform(model.request, assigned, "assign", {"direction": "Xử lý", "lead": "chuyenvien1"})
    model.act_as("chuyenvien1")
    assert A.may_file(model.request, work_file, assigned)
    A.file_document(model.request, work_file, assigned, note="")
    model.act_as("vanthu1")
    reply = outgoing(model)
    model.act_as("vanthu1")
    assert refused(A.file_document, model.request, work_file, reply, "ba").status == 400
    A.file_document(model.request, work_file, reply, "2")
    assert work_file.documents == (letter.id, assigned.id, reply.id)

    bad = refused(A.close_file, model.request, work_file, {"closed": "2999-01-01", "sheets": 0})
    assert bad.status == 400 and set(bad.errors) == {"closed", "sheets"}
    A.close_file(model.request, work_file, {"sheets": 6, "note": "Đủ"})
    assert work_file.state == W.CLOSED and work_file.handover_due.year == THIS_YEAR + 1
    late = refused(A.file_document, model.request, work_file, incoming(model))
    assert late.status == 409
    assert refused(A.unfile, model.request, work_file, reply.id).status == 409
    assert refused(A.archive_file, model.request, work_file, {}).errors.keys() == {"received_by"}
    A.archive_file(model.request, work_file, {"received_by": "Lưu trữ cơ quan"})
    assert work_file.state == W.ARCHIVED and work_file.handover.received_by == "Lưu trữ cơ quan"

    index = index_values(model.request, work_file)
    rows = index["rows"]
    assert [r["notation"] for r in rows] == ["125/UBND-KT", "125/UBND-KT", ""]
    assert [r["sheets"] for r in rows] == ["01-03", "", "2 tờ"]
    assert rows[0]["summary"].startswith("Công văn: Về việc rà soát")
    assert rows[0]["author"] == "UBND tỉnh" and rows[2]["author"] == "Sở Xây dựng"
    assert rows[0]["date"] == "02/03/2026" and rows[0]["note"] == "Bản chính"
    assert index["sheets"] == 6 and index["received_by"] == "Lưu trữ cơ quan"


def test_sheet_numbers_follow_the_counted_documents():
    counted = [W.Filing("a", None, "", 1), W.Filing("b", None, "", 4), W.Filing("c", None, "")]
    assert sheet_numbers(counted) == ["01", "02-05", ""]


def test_a_document_is_taken_out_of_an_open_file_and_its_page_offers_the_open_files(model):
    work_file = open_file(model, "07.VP")
    letter = incoming(model)
    model.request.context = letter
    box = filing_box(model.request, letter)
    assert 'name="file"' in box and "07.VP" in box
    A.file_document(model.request, work_file, letter)
    assert "07.VP" in filing_box(model.request, letter) and "<select" not in filing_box(
        model.request, letter
    )
    model.act_as("chuyenvien1")
    assert refused(A.unfile, model.request, work_file, letter.id).status == 403
    model.act_as("vanthu1")
    assert refused(A.unfile, model.request, work_file, "den-0000-00000").status == 404
    A.unfile(model.request, work_file, letter.id)
    assert work_file.documents == () and letter.work_file == ""
    model.act_as("vanthu2")  # another unit's clerk is offered nothing
    assert filing_box(model.request, letter) == ""


# pages ---------------------------------------------------------------------------------
def _post(browser, page, **fields):
    return browser.post(PAGE, {"csrf_token": csrf_token(page), **fields}, status="*")


def test_the_clerk_and_the_leader_keep_the_files_through_the_pages(app, model_of):
    year = THIS_YEAR - 1
    clerk, leader = client(app, "vanthu1"), client(app, "lanhdao1")
    page = clerk.get(PAGE, {"year": year})
    assert "chưa có hồ sơ nào" in page.text
    form = page.forms["add-form"]
    form["code"], form["title"], form["retention"] = "01.TC", "Hồ sơ tài chính", "vinh-vien"
    page = form.submit().follow()
    assert "Đã thêm hồ sơ 01.TC" in page.text and "Vĩnh viễn" in page.text
    duplicate = _post(clerk, page, action="add", year=str(year), code="01.tc", title="X")
    assert duplicate.status_int == 400 and "Thời hạn bảo quản: Số năm" in duplicate.text
    assert 'value="X"' in duplicate.text  # the form keeps what was typed
    duplicate = _post(
        clerk, page, action="add", year=str(year), code="01.tc", title="X", retention="5"
    )
    assert duplicate.status_int == 409 and "đã có trong danh mục" in duplicate.text
    assert "approve-form" not in page.text  # a clerk does not approve
    page = leader.get(PAGE, {"year": year}).forms["approve-form"].submit().follow()
    assert "Danh mục đã được duyệt" in page.text

    with model_of(app) as model:  # a document registered meanwhile
        letter = incoming(model, summary="Về việc quyết toán ngân sách")
        model.commit()
        letter_id = letter.id
    file_id = f"hs-{year}-001"
    page = clerk.get(f"{PAGE}/{file_id}").forms["open-form"].submit().follow()
    form = page.forms["file-form"]
    form["document"], form["pages"] = letter_id, "4"
    page = form.submit().follow()
    assert "Về việc quyết toán ngân sách" in page.text and "01-04" in page.text
    wrong = _post(clerk, page, action="file", file=file_id, document="den-0000-00000")
    assert wrong.status_int == 404 and "Không có văn bản này" in wrong.text
    form = page.forms["close-form"]
    form["sheets"] = "4"
    page = form.submit().follow()
    form = page.forms["archive-form"]
    form["received_by"] = "Nguyễn Văn Lưu"
    page = form.submit().follow()
    assert "Đã nộp lưu" in page.text and "Nguyễn Văn Lưu" in page.text

    printed = clerk.get(f"{OFFICE}@@muc-luc-van-ban/{file_id}")
    assert "Mục lục văn bản" in printed.text and "Về việc quyết toán ngân sách" in printed.text
    assert "Hồ sơ này gồm có 4 tờ" in printed.text
    pdf = clerk.get(f"{OFFICE}@@muc-luc-van-ban/{file_id}", {"format": "pdf"})
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF")
    listed = clerk.get(f"{OFFICE}@@danh-muc-ho-so", {"year": year})
    assert "Danh mục hồ sơ năm" in listed.text and "01.TC" in listed.text
    clerk.get(f"{OFFICE}@@muc-luc-van-ban/hs-1999-001", status=404)
    clerk.get(PAGE, {"year": "hôm qua"}, status=400)


@pytest.mark.slow  # the checker's Java takes seconds to start
@pytest.mark.skipif(java_missing(), reason="the HTML checker (vnu.jar) needs java")
def test_the_pages_are_valid_html(app, model_of, tmp_path):
    year = THIS_YEAR - 4
    with model_of(app) as model:
        work_file = open_file(model, "01.HC", year=year)
        A.file_document(model.request, work_file, incoming(model), 2, "Bản sao")
        model.commit()
        file_id = work_file.id
    clerk = client(app, "vanthu1")
    pages = {
        "list": clerk.get(PAGE, {"year": year}),
        "file": clerk.get(f"{PAGE}/{file_id}"),
        "index": clerk.get(f"{OFFICE}@@muc-luc-van-ban/{file_id}"),
        "list printed": clerk.get(f"{OFFICE}@@danh-muc-ho-so", {"year": year}),
    }
    errors = validate({name: page.text for name, page in pages.items()}, tmp_path)
    assert {name: found for name, found in errors.items() if found} == {}


def test_a_document_is_filed_from_its_page(app, model_of):
    year = THIS_YEAR - 2
    with model_of(app) as model:
        work_file = open_file(model, "02.KH", year=year)
        letter = incoming(model)
        model.commit()
        file_id, letter_id = work_file.id, letter.id
    clerk = client(app, "vanthu1")
    token = csrf_token(clerk.get(PAGE))
    url = f"{OFFICE}{letter_id}/@@luu-ho-so"
    done = clerk.post(url, {"csrf_token": token, "file": file_id, "pages": "2"})
    assert done.status_int == 302 and done.location.endswith(f"/van-thu/{letter_id}/")
    twice = clerk.post(url, {"csrf_token": token, "file": file_id}, status=409)
    assert "02.KH" in twice.text
    clerk.post(url, {"file": file_id}, status=400)  # no CSRF token
    stranger = client(app, "vanthu2")
    token = csrf_token(stranger.get("/xa-tan-phu/van-thu/@@ho-so-cong-viec"))
    stranger.post(url, {"csrf_token": token, "file": file_id}, status=404)


def test_only_the_units_staff_reach_the_pages_and_the_api(app):
    anonymous = client(app)
    assert "/@@login" in anonymous.get(PAGE, status=302).location
    other = client(app, "vanthu2")
    for path in (PAGE, f"{OFFICE}@@danh-muc-ho-so", f"{OFFICE}@@muc-luc-van-ban/hs-2026-001"):
        other.get(path, status=403)
    api_client(app).get(API, status=401)
    other_json = api_client(app, "vanthu2")
    assert other_json.get(API, status=403).json["type"] == "Forbidden"
    other_json.post_json(API, {"code": "99.X", "title": "X", "retention": 5}, status=403)


# JSON ----------------------------------------------------------------------------------
def test_the_json_api_keeps_a_file_from_the_list_to_the_archive(app, model_of):
    year = THIS_YEAR - 3
    clerk, leader = api_client(app, "vanthu1"), api_client(app, "lanhdao1")
    body = {"code": "04.VP", "title": "Hồ sơ hội nghị", "year": year, "retention": "vinh-vien"}
    response = clerk.post_json(API, body, status=201)
    made = response.json
    assert made["state"] == "planned" and made["retention"] == "vinh-vien"
    assert response.location == made["@id"]
    bad = clerk.post_json(API, {"code": "", "retention": 0, "year": year}, status=400).json
    assert bad["type"] == "BadRequest"
    assert {e["field"] for e in bad["errors"]} == {"code", "title", "retention"}
    assert clerk.post_json(API, body, status=409).json["type"] == "Conflict"
    clerk.post(API, "{", content_type="application/json", status=400)
    clerk.post_json(API + "/approve", {"year": year}, status=403)
    assert leader.post_json(API + "/approve", {"year": year}).json["approved"] == 1
    url = f"{API}/{made['id']}"
    with model_of(app) as model:
        letter_id = incoming(model).id
        model.commit()
    clerk.post_json(url + "/file", {"document": letter_id}, status=409)  # not open yet
    clerk.post_json(url + "/open", {})
    missing = clerk.post_json(url + "/file", {"document": "den-0000-00000"}, status=404)
    assert missing.json["message"] == "Không có văn bản này."
    filed = clerk.post_json(url + "/file", {"document": letter_id, "pages": 2}).json
    assert [d["id"] for d in filed["documents"]] == [letter_id]
    clerk.post_json(url + "/file", {"document": letter_id}, status=409)
    clerk.post_json(url + "/close", {"sheets": "nhiều"}, status=400)
    clerk.post_json(url + "/close", {"sheets": 2})
    clerk.post_json(url + "/frobnicate", {}, status=404)
    archived = clerk.post_json(url + "/archive", {"received_by": "Phòng lưu trữ"}).json
    assert (
        archived["state"] == "archived" and archived["handover"]["received_by"] == "Phòng lưu trữ"
    )
    listing = clerk.get(API, {"year": year}).json
    assert listing["approved"] and [f["code"] for f in listing["items"]] == ["04.VP"]
    assert listing["items"][0]["documents_count"] == 1
    assert clerk.get(url).json["documents"][0]["sheets"] == "01-02"
    clerk.get(API + "/hs-1999-001", status=404)
    clerk.get(API, {"year": "1990"}, status=400)
