"""The registers of March 2026 at Sở Xây dựng: the incoming register, the outgoing
register and the follow-up register of incoming documents, with their columns,
the period's edges in Vietnam time, secret lines; as JSON, Excel and print (page
and PDF), for the unit's staff only; bad periods refused."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import webtest
from openpyxl import load_workbook

from core.clock import frozen
from core.periods import PeriodError
from core.testing import USER_PASSWORD, ModelRequest, api_token, login
from plugins.documents.entries import parse_incoming, parse_outgoing
from plugins.documents.registers import parse_period, register_of
from plugins.documents.registration import create_outgoing, register_incoming
from plugins.documents.tests.documents_setup import province_app
from plugins.documents.transitions import perform
from plugins.documents.units import office_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
API = "/so-xay-dung/@registers/"
PAGES = "/so-xay-dung/van-thu/"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def incoming(model, notation: str, **extra):
    model.act_as("vanthu1")
    raw = {"sender": "UBND tỉnh", "notation": notation, "type": "Công văn", **extra}
    raw.setdefault("summary", f"Về việc {notation}")
    values = parse_incoming(model.request, raw, "json")
    return register_incoming(model.request, office_of(model.site, "20001"), values)


def act(model, login: str, document, name: str, **data):
    model.act_as(login)
    return perform(model.request, document, name, data)


def issued(model, summary: str, **extra):
    model.act_as("chuyenvien1")
    raw = {"type": "QĐ", "summary": summary, "recipients": ["10001", "000.00.00.G22"], **extra}
    document = create_outgoing(
        model.request,
        office_of(model.site, "20001"),
        parse_outgoing(model.request, raw, "json"),
    )
    act(model, "chuyenvien1", document, "submit")
    act(
        model,
        "lanhdao1",
        document,
        "sign",
        signer_name="Trần Văn B",
        signer_position="Phó Giám đốc",
    )
    return act(model, "vanthu1", document, "issue")


def build(app) -> None:
    model = ModelRequest(app)
    try:
        with frozen(at(2026, 2, 27, 23, 30)):
            incoming(model, "X1-february")
            issued(model, "Quyết định của tháng Hai")
        with frozen(at(2026, 3, 1, 0, 10)):  # 28 February in UTC
            first = incoming(model, "X2-first-day", urgency="khan", document_date="2026-02-26")
            act(model, "vanthu1", first, "submit")
            act(model, "lanhdao1", first, "assign", direction="Xử lý", lead="chuyenvien1",
                deadline="2026-03-06")  # fmt: skip
            issued(model, "Quyết định phê duyệt kế hoạch", copies=5, places=["Lưu: VT"])
        with frozen(at(2026, 3, 5, 14, 0)):
            act(model, "chuyenvien1", first, "note", comment="Đã rà soát hồ sơ.")
            act(model, "chuyenvien1", first, "finish")
        with frozen(at(2026, 3, 10, 9, 0)):
            incoming(
                model, "X5-secret", secrecy="mat", readers=["lanhdao1"], summary="Nội dung mật"
            )
        with frozen(at(2026, 3, 31, 23, 50)):
            last = incoming(model, "X3-last-day")
            act(model, "vanthu1", last, "submit")
            act(model, "lanhdao1", last, "assign", direction="Xử lý", lead="10001",
                deadline="2026-04-03")  # fmt: skip
        with frozen(at(2026, 4, 1, 0, 5)):
            incoming(model, "X4-april")
            issued(model, "Quyết định tháng Tư")
        model.commit()
    finally:
        model.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with province_app(tmp_path_factory.mktemp("var")) as application:
        build(application)
        yield application


@pytest.fixture
def model(app):
    found = ModelRequest(app)
    yield found
    found.close()


@pytest.fixture(autouse=True)
def at_now():
    with frozen(at(2026, 4, 10, 9, 0)):
        yield


def register(model, name: str, login: str = "chuyenvien1"):
    model.act_as(login)
    period = parse_period(MARCH["from"], MARCH["to"])
    return register_of(model.request, office_of(model.site, "20001"), name, period)


def test_the_incoming_register_of_a_period_in_vietnam_time(model):
    found = register(model, "incoming")
    assert [c.key for c in found.columns] == [
        "arrival_date", "arrival_number", "author", "notation", "document_date", "summary",
        "receiver", "signature", "note",
    ]  # fmt: skip
    assert [(r["arrival_number"], r["notation"]) for r in found.rows] == [
        (2, "X2-first-day"), (3, "X5-secret"), (4, "X3-last-day")
    ]  # fmt: skip
    first = found.rows[0]
    assert first["arrival_date"] == date(2026, 3, 1) and first["document_date"] == date(2026, 2, 26)
    assert first["summary"] == "Công văn: Về việc X2-first-day"
    assert (first["author"], first["receiver"], first["signature"]) == (
        "UBND tỉnh",
        "chuyenvien1",
        "",
    )
    assert first["note"] == "Khẩn"
    assert found.rows[1]["summary"] == "Công văn (Mật)"  # not a reader
    assert found.rows[2]["receiver"] == "Xã Tân Phú"
    readable = register(model, "incoming", "lanhdao1")
    assert readable.rows[1]["summary"] == "Công văn: Nội dung mật"


def test_the_outgoing_register_and_the_follow_up_register(model):
    outgoing = register(model, "outgoing")
    assert [c.title for c in outgoing.columns] == [
        "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản",
        "Người ký", "Nơi nhận văn bản", "Số lượng bản", "Ghi chú",
    ]  # fmt: skip
    [line] = outgoing.rows
    assert line["notation"] == "02/QĐ-SXD" and line["document_date"] == date(2026, 3, 1)
    assert line["summary"] == "Quyết định: Quyết định phê duyệt kế hoạch"
    assert line["signer"] == "Trần Văn B (Phó Giám đốc)"
    assert line["recipients"] == "Xã Tân Phú; Bộ Xây dựng; Lưu: VT"
    assert line["copies"] == 5

    follow_up = register(model, "follow-up")
    assert [c.title for c in follow_up.columns] == [
        "Số, ngày đến", "Tên loại, số, ký hiệu, ngày tháng, trích yếu nội dung",
        "Đơn vị hoặc người nhận", "Hạn giải quyết", "Tiến độ giải quyết",
        "Số, ký hiệu văn bản trả lời", "Ghi chú",
    ]  # fmt: skip
    done, late = follow_up.rows  # the secret one has no deadline to follow
    assert done["arrival"] == "2, 01/03/2026"
    assert done["document"] == "Công văn số X2-first-day ngày 26/02/2026: Về việc X2-first-day"
    assert done["deadline"] == date(2026, 3, 6)
    assert done["progress"] == "Hoàn thành 05/03/2026; đúng hạn; Đã rà soát hồ sơ."
    assert late["progress"] == "Đã giao xử lý; quá hạn" and late["receiver"] == "Xã Tân Phú"


def test_periods_are_checked():
    assert parse_period("2028-01-01", "2028-12-31").last == date(2028, 12, 31)  # 366 days
    for first, last in (
        ("2026-03-32", "2026-04-01"),
        ("01/03/2026", "2026-04-01"),
        ("2026-04-02", "2026-04-01"),
        ("2026-01-01", "2027-01-02"),
    ):
        with pytest.raises(PeriodError):
            parse_period(first, last)
    assert parse_period(None, "", today=date(2026, 4, 10)).first == date(2026, 4, 1)


def client(app, user: str | None = None, json: bool = False) -> webtest.TestApp:
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    if user and json:
        browser.authorization = ("Bearer", api_token(browser, user, USER_PASSWORD))
    elif user:
        login(browser, user)
    if json:
        browser.extra_environ["HTTP_ACCEPT"] = "application/json"
    return browser


def test_registers_in_json_and_excel_for_the_units_staff_only(app):
    clerk = client(app, "vanthu1", json=True)
    found = clerk.get(API + "incoming", MARCH).json
    assert (found["from"], found["to"], found["items_total"]) == ("2026-03-01", "2026-03-31", 3)
    assert found["rows"][0]["arrival_date"] == "2026-03-01"
    assert found["rows"][1]["summary"] == "Công văn: Nội dung mật"  # the clerk registered it
    assert len(clerk.get(API + "follow-up", MARCH).json["columns"]) == 7
    assert clerk.get(API + "outgoing", MARCH).json["rows"][0]["notation"] == "02/QĐ-SXD"

    workbook = clerk.get(API + "incoming", {**MARCH, "format": "xlsx"})
    assert workbook.content_type.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(workbook.body)).active
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Ngày đến", "Số đến", "Tác giả"] and len(rows[0]) == 9
    assert rows[1][:4] == ["01/03/2026", "2", "UBND tỉnh", "X2-first-day"]
    plain = client(app).get(API + "outgoing", {**MARCH, "format": "xlsx"}, status=302)
    assert "@@login" in plain.location  # a browser is sent to sign in

    bad = clerk.get(API + "incoming", {"from": "2026-03-01", "to": "2027-03-31"}, status=400)
    assert "366" in bad.json["message"]
    bad = clerk.get(API + "incoming", {"from": "1/3/2026"}, status=400)
    assert "YYYY-MM-DD" in bad.json["message"]
    clerk.get(API + "nothing", MARCH, status=404)
    client(app, "vanthu2", json=True).get(API + "incoming", MARCH, status=403)
    client(app, json=True).get(API + "incoming", MARCH, status=401)


def test_registers_print_as_pages_and_pdf(app):
    clerk = client(app, "vanthu1")
    page = clerk.get(PAGES + "@@so-van-ban-den", MARCH)
    sheet = page.html.select_one(".sheet")
    assert sheet.select_one("h1").get_text() == "Sổ đăng ký văn bản đến"
    assert (
        "Sở Xây dựng" in sheet.get_text()
        and "Từ ngày 01/03/2026 đến ngày 31/03/2026" in sheet.get_text()
    )
    assert [td.get_text() for td in sheet.select("tbody tr")[0].select("td")][:2] == [
        "01/03/2026",
        "2",
    ]
    assert "Thủ trưởng cơ quan, đơn vị" in sheet.select_one(".signatures").get_text()
    assert page.html.select_one("form.print-toolbar input[name=from]")["value"] == "2026-03-01"
    pdf = clerk.get(PAGES + "@@so-theo-doi-van-ban-den", {**MARCH, "format": "pdf"})
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF")
    workbook = clerk.get(PAGES + "@@so-van-ban-di", {**MARCH, "format": "xlsx"})
    assert load_workbook(io.BytesIO(workbook.body)).active["A2"].value == "02/QĐ-SXD"
    bad = clerk.get(
        PAGES + "@@so-van-ban-di", {"from": "2026-04-01", "to": "2026-03-01"}, status=400
    )
    assert "Ngày bắt đầu phải trước ngày kết thúc" in bad.text
    client(app, "chuyenvien2").get(PAGES + "@@so-van-ban-den", MARCH, status=403)
