"""The staff's pages of the registers, through HTTP: the office for its staff only
(visitors asked to log in, never shown it in menus or sitemaps), a clerk
registering through the form, bad input refused with messages and nothing stored,
a leader directing on the document's page, an outgoing document drafted, signed
and issued, the handling slip, the settings and the partner catalogue; the pages
valid HTML."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
import webtest
from pyhanko.pdf_utils import writer
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from core.htmlcheck import csp_violations, java_missing, validate
from core.testing import SiteAccess, add_user, csrf_token, flash_texts, login
from plugins.documents.signatures import KEY, parse_settings
from plugins.documents.signing import sign_pdf
from plugins.documents.tests.documents_setup import PDF, province_app
from plugins.documents.tests.pdfs import helvetica, small_pdf, text_stream
from plugins.documents.tests.pki import PASSPHRASE, UNIT_NAME, make_pki
from plugins.documents.units import office_of

OFFICE = "/so-xay-dung/van-thu/"
OTHER_OFFICE = "/xa-tan-phu/van-thu/"
REGISTER = OFFICE + "@@vao-so-van-ban-den"
DRAFT = OFFICE + "@@soan-van-ban-di"
PASSPHRASE_ENV = "CONG_TEST_PAGES_PASSPHRASE"
#: A Windows program: what a clerk must not attach.
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """The tests' own CA, the trust root of the application below."""
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def app(tmp_path_factory, pki):
    """The small province, shared by the module's tests, trusting the tests' CA, with
    a SiteAdmin of Sở Xây dựng holding no staff role."""
    roots = {"cong.documents.trust_roots": str(pki.root_pem)}
    with province_app(tmp_path_factory.mktemp("var"), **roots) as application:
        add_user(
            lambda: SiteAccess(application), "quantri1", local=("/so-xay-dung", ("SiteAdmin",))
        )
        yield application


def client(app, user: str | None = None) -> webtest.TestApp:
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    if user:
        login(browser, user)
    return browser


def pdf(name: str = "cong-van.pdf") -> webtest.Upload:
    return webtest.Upload(name, PDF, "application/pdf")


def stored(app, unit: str = "20001") -> int:
    """How many documents unit ``unit``'s office keeps."""
    with SiteAccess(app) as site:
        return len(office_of(site, unit).documents)


def register(browser, **values):
    """The registration form filled (a công văn from UBND tỉnh with a PDF), posted."""
    form = browser.get(REGISTER).forms["entry-form"]
    fields = {
        "sender": "UBND tỉnh",
        "notation": "125/UBND-KT",
        "summary": "Về việc rà soát hồ sơ cấp phép xây dựng",
        "urgency": "khan",
        **values,
    }
    for key, value in fields.items():
        form[key] = value
    form["attachments"] = [pdf()]
    return form.submit(status="*")


def offered(page) -> set[str]:
    """The transitions a document's page offers."""
    return {form.id.removeprefix("transition-") for form in page.forms.values() if form.id}


def act(page, transition, status="*", **fields):
    form = page.forms[f"transition-{transition}"]
    for key, value in fields.items():
        form[key] = value
    return form.submit(status=status)


@pytest.fixture(scope="module")
def incoming(app):
    """A document the clerk registered and submitted to the leader: its address."""
    clerk = client(app, "vanthu1")
    page = register(clerk).follow()
    act(page, "submit", status=302)
    return page.request.path


def test_the_office_is_its_staffs_only(app):
    clerk = client(app, "vanthu1")
    document = register(clerk).follow().request.path
    visitor = client(app)
    for path in (OFFICE, document, REGISTER, DRAFT):
        assert "/@@login" in visitor.get(path, status=302).location
    home = visitor.get("/so-xay-dung/")
    assert OFFICE not in {
        a.get("href", "").removeprefix("http://localhost") for a in home.html.select("a")
    }
    assert "van-thu" not in visitor.get("/so-xay-dung/sitemap.xml").text
    for outsider in ("vanthu2", "nguoingoai"):
        browser = client(app, outsider)
        browser.get(OFFICE, status=403)
        browser.get(document, status=403)
        browser.get(document + "@@attachment/1", status=403)
        browser.get(REGISTER, status=403)
    staff = client(app, "chuyenvien1")
    page = staff.get("/so-xay-dung/")
    assert any(a["href"].endswith(OFFICE) for a in page.html.select("nav a[href]"))
    registers = staff.get(OFFICE)
    assert registers.headers["Cache-Control"].count("no-store") == 1
    assert "Vào sổ văn bản đến" not in registers.text  # a specialist does not register
    for link in registers.html.select(".office-pages a"):  # the office's other pages
        staff.get(link["href"])
    admin_only = client(app, "quantri1").get(OFFICE)
    assert admin_only.html.select_one("#incoming-register") is None
    assert admin_only.html.select_one("a[href$='@@cai-dat']") is not None


def test_a_secret_document_is_its_readers_only(app):
    form = client(app, "vanthu1").get(REGISTER).forms["entry-form"]
    form["sender"], form["summary"], form["secrecy"] = "Công an tỉnh", "Kế hoạch bảo vệ", "mat"
    for box in form.fields["readers"]:
        box.checked = getattr(box, "_value", "") == "lanhdao1"
    document = form.submit().follow().request.path
    assert "Kế hoạch bảo vệ" in client(app, "lanhdao1").get(document).text
    specialist = client(app, "chuyenvien1")
    specialist.get(document, status=403)
    row = specialist.get(OFFICE).html.find("td", class_="office-secret")
    assert row.get_text() == "Văn bản mật"
    assert row.find_previous("th").find("a") is None


def test_the_register_pages_newest_first_with_filters(app):
    clerk = client(app, "vanthu2")
    for summary, urgency in (("Thứ nhất", "khan"), ("Thứ hai", ""), ("Thứ ba", "khan")):
        form = clerk.get(OTHER_OFFICE + "@@vao-so-van-ban-den").forms["entry-form"]
        form["sender"], form["summary"], form["urgency"] = "Sở Nội vụ", summary, urgency
        form.submit(status=302)

    def summaries(page):
        return [td.get_text() for td in page.html.select("#incoming-register td:nth-of-type(4)")]

    first = clerk.get(OTHER_OFFICE, {"b_size": "2"})
    assert summaries(first) == ["Thứ ba", "Thứ hai"]
    assert "3 văn bản" in first.html.select_one(".office-count").get_text()
    older = clerk.get(first.html.select_one("a[rel=next]")["href"])
    assert summaries(older) == ["Thứ nhất"] and older.html.select_one("a[rel=next]") is None
    urgent = clerk.get(OTHER_OFFICE, {"do-khan": "khan", "b_size": "1"})
    assert summaries(urgent) == ["Thứ ba"]
    assert summaries(clerk.get(urgent.html.select_one("a[rel=next]")["href"])) == ["Thứ nhất"]
    assert summaries(clerk.get(OTHER_OFFICE, {"trang-thai": "done"})) == []
    for bad in ({"trang-thai": "xong"}, {"nam": "tam"}, {"sau": "den-1900-00001"}):
        clerk.get(OTHER_OFFICE, bad, status=400)


def test_a_clerk_registers_a_document_through_the_form(app):
    clerk = client(app, "vanthu1")
    done = register(clerk, summary="Về việc cấp phép xây dựng nhà ở riêng lẻ")
    assert done.status_int == 302
    page = done.follow()
    year, number = re.search(r"/den-(\d{4})-(\d{5})/$", page.request.path).groups()
    assert flash_texts(page) == [f"Đã vào sổ văn bản đến số {int(number)}/{year}."]
    assert "Về việc cấp phép xây dựng nhà ở riêng lẻ" in page.text
    assert "Khẩn" in page.html.select_one(".office-facts").get_text()
    file = clerk.get(page.html.select_one(".office-files a")["href"])
    assert file.body == PDF and "cong-van.pdf" in file.headers["Content-Disposition"]
    listed = clerk.get(OFFICE).html.select_one("#incoming-register tbody")
    assert "Về việc cấp phép xây dựng nhà ở riêng lẻ" in listed.get_text()


def signed_pdfs(pki) -> tuple[bytes, bytes]:
    """A PDF signed with the unit key of the tests' CA, and the same PDF with a page
    added after signing."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PASSPHRASE_ENV, PASSPHRASE)
        settings = parse_settings(
            {KEY: str(pki.unit_p12), "cong.documents.signing_passphrase_env": PASSPHRASE_ENV}
        )
        signed = sign_pdf(
            settings, "10001", small_pdf(), reason="Ban hành", location="Tân Phú", signer_name=""
        )
    update = IncrementalPdfFileWriter(BytesIO(signed))
    content = update.add_object(text_stream(b"(Trang them sau khi ky) Tj"))
    update.insert_page(writer.PageObject(content, (0, 0, 595, 842), helvetica(update)))
    changed = BytesIO()
    update.write(changed)
    return signed, changed.getvalue()


def test_the_signatures_of_received_pdfs_are_shown(app, pki):
    signed, changed = signed_pdfs(pki)
    form = client(app, "vanthu1").get(REGISTER).forms["entry-form"]
    form["sender"], form["summary"] = UNIT_NAME, "Quyết định đã ký số"
    form["attachments"] = [
        webtest.Upload("da-ky.pdf", signed, "application/pdf"),
        webtest.Upload("da-sua.pdf", changed, "application/pdf"),
    ]
    page = form.submit().follow()
    valid = page.html.select(".office-signature-valid")
    assert len(valid) == 1
    assert valid[0].get_text(" ", strip=True).startswith(f"✔ Hợp lệ: ký bởi {UNIT_NAME} lúc")
    problem = page.html.select_one(".office-signature-problem").get_text()
    assert "Tệp đã bị sửa sau khi ký" in problem


def test_bad_input_comes_back_with_messages_and_nothing_is_stored(app):
    clerk = client(app, "vanthu1")
    before = stored(app)
    form = clerk.get(REGISTER).forms["entry-form"]
    form["sender"] = "UBND tỉnh"
    form["summary"] = "<script>alert(1)</script> Về việc"
    form["arrival"] = "2099-01-01T08:00"
    form["type"].force_value("khong-co-loai-nay")
    form["attachments"] = [pdf()]
    refused = form.submit(status=400)
    messages = refused.html.select_one("#error-summary").get_text()
    assert "Ngày đến không được sau thời điểm hiện tại." in messages
    assert "Loại văn bản không có trong danh mục" in messages
    assert refused.html.select_one("#field-arrival .error-message") is not None
    assert "<script>alert(1)</script>" not in refused.text
    assert (
        refused.html.select_one("#form-summary").get_text() == "<script>alert(1)</script> Về việc"
    )
    form = clerk.get(REGISTER).forms["entry-form"]
    form["sender"], form["summary"] = "UBND tỉnh", "Tệp là một chương trình"
    form["attachments"] = [webtest.Upload("vanban.exe", PROGRAM, "application/octet-stream")]
    refused = form.submit(status=400)
    assert refused.html.select_one("#field-attachments .error-message") is not None
    assert stored(app) == before
    forged = {"csrf_token": "forged", "sender": "X", "summary": "Y", "type": "cong-van"}
    clerk.post(REGISTER, forged, status=400)
    client(app, "chuyenvien1").get(REGISTER, status=403)
    assert stored(app) == before


def test_a_leader_directs_on_the_documents_page(app, incoming):
    leader = client(app, "lanhdao1")
    page = leader.get(incoming)
    assert "submit" not in offered(page)
    refused = act(page, "assign", direction="", lead="")
    assert refused.status_int == 400
    assert "Chỉ đạo chưa đủ thông tin." in refused.html.select_one("#error-summary").get_text()
    assert refused.html.select_one("#transition-assign .error-message") is not None
    form = refused.forms["transition-assign"]
    form["direction"] = "Giao chuyên viên xử lý, báo cáo trước hạn."
    form["lead"] = "user:chuyenvien1"
    form["coordinators"] = ["unit:10001"]
    form["days"] = "3"
    page = form.submit().follow()
    direction = page.html.select_one("section[aria-labelledby=direction-title]")
    assert "Giao chuyên viên xử lý" in direction.get_text()
    assert "Đã giao xử lý" in page.html.select_one(".office-status").get_text()
    specialist = client(app, "chuyenvien1").get(incoming)
    assert {"start", "note", "finish"} <= offered(specialist)
    coordinating = client(app, "chuyenvien2").get(incoming)  # the coordinating unit's staff
    assert offered(coordinating) == {"note"}
    note = act(coordinating, "note", comment="")
    assert note.status_int == 400 and "Cần ghi ý kiến" in note.text
    clerk = client(app, "vanthu1")
    finish = {"transition": "finish", "csrf_token": csrf_token(clerk.get(incoming))}
    wrong = clerk.post(incoming + "@@thao-tac", finish, status=403)
    assert "Bạn không có quyền" in wrong.html.select_one("#error-summary").get_text()


def draft(browser, **values):
    """The drafting form filled (a decision to Tân Phú and Bộ Xây dựng), posted."""
    form = browser.get(DRAFT).forms["entry-form"]
    fields = {
        "type": "quyet-dinh",
        "summary": "Quyết định phê duyệt kế hoạch kiểm tra",
        "recipients": ["10001", "000.00.00.G22"],
        "places": "Như trên;\nLưu: VT, QLXD.",
        "copies": "3",
        **values,
    }
    for key, value in fields.items():
        form[key] = value
    return form.submit(status="*")


def signed(app) -> str:
    """A decision drafted by the specialist, submitted, signed by the leader: its
    address."""
    page = draft(client(app, "chuyenvien1")).follow()
    assert flash_texts(page) == ["Đã lưu dự thảo văn bản đi."]
    assert "Lưu: VT, QLXD." in page.text
    path = act(page, "submit").follow().request.path
    page = act(
        client(app, "lanhdao1").get(path), "sign", authority="KT.", signer_position="Phó Giám đốc"
    )
    assert "KT. Phó Giám đốc" in page.follow().html.select_one(".office-facts").get_text()
    return path


def test_an_outgoing_document_is_drafted_signed_and_issued(app):
    clerk = client(app, "vanthu1")
    page = act(clerk.get(signed(app)), "issue").follow()
    notation = page.html.select_one("h1").get_text().split()[-1]
    assert re.fullmatch(r"\d{2,}/QĐ-SXD", notation)
    assert flash_texts(page) == [f"Đã ban hành văn bản số {notation}."]
    recipients = page.html.select_one("section[aria-labelledby=recipients-title]").get_text()
    assert "Xã Tân Phú" in recipients and "Bộ Xây dựng" in recipients
    issued = clerk.get(OFFICE, {"so": "di"}).html.select_one("#outgoing-register")
    assert notation in issued.get_text()
    second = clerk.get(signed(app))
    taken = act(second, "issue", number=notation.split("/")[0])
    assert taken.status_int == 409
    assert f"{notation} đã được cấp" in taken.html.select_one("#error-summary").get_text()
    assert "issue" in offered(taken)  # still signed, not issued
    clerk.get(OFFICE, {"so": "khong-co"}, status=400)


def test_the_handling_slip_prints(app, incoming):
    leader = client(app, "lanhdao1")
    slip = leader.get(incoming + "@@phieu-xu-ly")
    text = slip.html.get_text()
    for part in ("I. Thông tin văn bản", "II. Ý kiến chỉ đạo", "III. Xử lý văn bản"):
        assert part in text
    assert "Về việc rà soát hồ sơ cấp phép xây dựng" in text
    assert leader.get(incoming + "@@phieu-xu-ly", {"format": "pdf"}).body.startswith(b"%PDF")
    client(app, "nguoingoai").get(incoming + "@@phieu-xu-ly", status=403)


def test_settings_and_partners(app):
    path = OFFICE + "@@cai-dat"
    client(app, "vanthu1").get(path, status=403)
    siteadmin = client(app, "quantri1")
    form = siteadmin.get(path).forms["settings-form"]
    form["body_abbreviation"] = "sxd"
    assert "chữ in hoa" in form.submit(status=400).html.select_one("#error-summary").get_text()
    form["body_abbreviation"] = "SXD"
    assert flash_texts(form.submit().follow()) == ["Đã lưu cài đặt văn thư."]
    siteadmin.post(path, {"csrf_token": "forged", "body_abbreviation": "XX"}, status=400)

    partners = "/@@doi-tac-van-ban"
    client(app, "vanthu1").get(partners, status=403)
    admin = client(app, "admin")
    form = admin.get(partners).forms["partner-form"]
    form["code"], form["name"], form["endpoint"] = (
        "000.00.00.H26",
        "Bộ Tư pháp",
        "ftp://example.org/",
    )
    refused = form.submit(status=400)
    assert "http://" in refused.html.select_one("#field-endpoint .error-message").get_text()
    form = refused.forms["partner-form"]
    form["endpoint"] = "https://edoc.example.org/nhan"
    page = form.submit().follow()
    assert "000.00.00.H26" in page.html.select_one("#partners").get_text()
    form = page.forms["partner-form"]
    form["code"], form["name"] = "20001", "Trùng mã đơn vị"
    assert "mã của một đơn vị" in form.submit(status=400).text
    removal = {"action": "remove", "code": "000.00.00.H26", "csrf_token": "forged"}
    admin.post(partners, removal, status=400)
    removal["csrf_token"] = csrf_token(page)
    page = admin.post(partners, removal).follow()
    assert "000.00.00.H26" not in page.html.select_one("#partners").get_text()


@pytest.mark.skipif(java_missing(), reason="the HTML checker (vnu.jar) needs java")
def test_the_pages_are_valid_html_within_their_policy(app, incoming, tmp_path):
    clerk = client(app, "vanthu1")
    form = clerk.get(REGISTER).forms["entry-form"]
    form["sender"] = ""
    responses = {
        "registers": clerk.get(OFFICE),
        "outgoing": clerk.get(OFFICE, {"so": "di"}),
        "register form": clerk.get(REGISTER),
        "refused form": form.submit(status=400),
        "draft form": clerk.get(DRAFT),
        "draft": draft(clerk).follow(),
        "drafts": clerk.get(OFFICE, {"so": "du-thao"}),
        "incoming": client(app, "lanhdao1").get(incoming),
        "slip": clerk.get(incoming + "@@phieu-xu-ly"),
        "settings": client(app, "admin").get(OFFICE + "@@cai-dat"),
        "partners": client(app, "admin").get("/@@doi-tac-van-ban"),
    }
    refused = {
        name: csp_violations(page.text, page.headers["Content-Security-Policy"])
        for name, page in responses.items()
    }
    assert {name: found for name, found in refused.items() if found} == {}
    errors = validate({name: page.text for name, page in responses.items()}, tmp_path)
    report = [f"{name}: {error}" for name, found in errors.items() for error in found]
    assert not report, "\n".join(report)
