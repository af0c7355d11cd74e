"""The printed slips (Mẫu 01–06 of TT 01/2018/TT-VPCP) of a dossier's life: what
each says, the receipt on A5 and the register on A4 landscape."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from core.clock import frozen
from core.fields import Upload
from core.printing import render_html, render_pdf
from plugins.onestop import slips
from plugins.onestop.apology import apologize
from plugins.onestop.intake import Submission, submit
from plugins.onestop.persons import parse_person
from plugins.onestop.tests.onestop_setup import APPLICANT, PDF, onestop_settings, province
from plugins.onestop.transitions import perform

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LOOKUP = "https://dichvucong.example.vn/tra-cuu?ma="


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def settings(data_dir):
    return onestop_settings(data_dir)


def counter(model, receive=True):
    person, _errors = parse_person(APPLICANT, "json")
    documents = [
        (name, Upload("scan.pdf", "application/pdf", PDF)) for name in ("Đơn đề nghị", "Bản vẽ")
    ]
    model.act_as("tiepnhan3")
    submission = Submission("1.000005", person, "counter", "counter", "20001", documents=documents)
    return submit(model.request, submission, receive=receive)


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").select_one("main").get_text(" ").split())


def test_the_slips_of_a_dossier_say_what_the_circular_asks(model):
    province(model)
    request = model.request
    with frozen(at(2026, 3, 2, 8, 0)):
        dossier = counter(model)
        refused = counter(model, receive=False)
        perform(request, refused, "refuse", {"comment": "Thủ tục không thuộc thẩm quyền"})
    with frozen(at(2026, 3, 3, 9, 0)):
        model.act_as("chuyenvien3")
        perform(request, dossier, "assign", {})
        perform(request, dossier, "request_supplement", {"comment": "Bản vẽ mặt đứng\nSổ đỏ"})
    with frozen(at(2026, 3, 10, 9, 0)):
        model.act_as("tiepnhan3")
        perform(request, dossier, "supplement", {})
    with frozen(at(2026, 3, 31, 9, 0)):
        model.act_as("chuyenvien3")
        apologize(request, dossier, "Chờ ý kiến của Sở Tài nguyên", at(2026, 4, 3, 16, 0))
        values = {
            "onestop.receipt": slips.receipt_values(request, dossier, LOOKUP + dossier.code),
            "onestop.supplement": slips.supplement_values(request, dossier),
            "onestop.refusal": slips.refusal_values(request, refused),
            "onestop.apology": slips.apology_values(request, dossier),
            "onestop.control": slips.control_values(request, dossier),
            "onestop.register": slips.register_values(
                request, "20001", [dossier, refused], "Tháng 3 năm 2026"
            ),
        }
        pages = {name: render_html(request, name, v) for name, v in values.items()}
        receipt_pdf = render_pdf(request, "onestop.receipt", values["onestop.receipt"])
        register_pdf = render_pdf(request, "onestop.register", values["onestop.register"])
    said = {name: text_of(html) for name, html in pages.items()}
    code = dossier.code
    assert (
        f"Mã hồ sơ: {code} Sở Xây dựng tiếp nhận hồ sơ của: Nguyễn Thị Lan"
        in said["onestop.receipt"]
    )
    assert (
        "1 Đơn đề nghị Bản chính hoặc bản sao 01 2 Bản vẽ Bản chính hoặc bản sao 01"
        in (said["onestop.receipt"])
    )
    assert (
        "4. Thời gian nhận hồ sơ: 08 giờ 00 phút, ngày 02 tháng 3 năm 2026"
        in (said["onestop.receipt"])
    )
    assert (
        "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 03 tháng 4 năm 2026"
        in (said["onestop.receipt"])
    )
    qr = BeautifulSoup(pages["onestop.receipt"], "html.parser").select_one("svg.qr-code title")
    assert qr.text == LOOKUP + code
    assert "1. Bản vẽ mặt đứng 2. Sổ đỏ" in said["onestop.supplement"]
    assert "lý do cụ thể như sau: Thủ tục không thuộc thẩm quyền" in said["onestop.refusal"]
    assert "Lý do: Chờ ý kiến của Sở Tài nguyên" in said["onestop.apology"]
    assert "vào ngày 03 tháng 4 năm 2026" in said["onestop.apology"]
    assert "1. Tiếp nhận hồ sơ Sở Xây dựng" in said["onestop.control"]
    rows = BeautifulSoup(pages["onestop.register"], "html.parser").select("table.register tbody tr")
    assert [row.find_all("td")[1].text for row in rows] == [code, refused.code]
    receipt = PdfReader(io.BytesIO(receipt_pdf)).pages[0]
    assert (round(receipt.mediabox.width), round(receipt.mediabox.height)) == (420, 595)  # A5
    assert "Nguyễn Thị Lan" in receipt.extract_text() and code in receipt.extract_text()
    register = PdfReader(io.BytesIO(register_pdf)).pages[0]
    assert (round(register.mediabox.width), round(register.mediabox.height)) == (842, 595)
