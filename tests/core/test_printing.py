"""Printable forms (``core.printing``): a form a plugin registers, as a page and as
a PDF; the version in use and a province's replacement; safe file names."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import webtest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError

from core import main
from core.clock import TIMEZONE
from core.formatting import written_date
from core.hookspecs import hookimpl
from core.htmlcheck import csp_violations, java_missing, validate
from core.interfaces import ISite
from core.printing import UnknownForm, content_disposition, print_response, render_html
from core.printing.forms import PrintForm, PrintForms
from core.settings import SettingsError
from core.testing import ModelRequest, make_settings

APPLICANT = "Nguyễn Thị Hương Giang"
LOOKUP = "https://dichvucong.songlam.gov.vn/tra-cuu?ma=000.00.12.H01-260304-0001"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FILENAME = "Phiếu in thử: Nguyễn Thị Hương Giang"


def proof_values() -> dict:
    return {
        "number": "000.00.12.H01-260304-0001",
        "written": written_date(datetime(2026, 3, 4, 9, 30, tzinfo=TIMEZONE)),
        "applicant": APPLICANT,
        "lookup_url": LOOKUP,
        "papers": ["Tờ khai đăng ký hộ kinh doanh", "Bản sao căn cước công dân"],
    }


def proof_view(context, request):
    return print_response(request, "test.proof", proof_values(), FILENAME)


class PrintingPlugin:
    """A plugin with forms: one to print, and some in several versions."""

    @hookimpl
    def cong_configure(self, config):
        forms = "tests.core:print_forms/"
        config.add_print_form("test.proof", forms + "proof.pt", title="Phiếu in thử")
        for name in ("test.latest", "test.chosen"):
            config.add_print_form(name, forms + "version.pt", version="2018.2")
            config.add_print_form(name, forms + "version.pt", version="2018.10")
        config.add_print_form("test.replaced", forms + "version.pt")
        config.add_view(proof_view, context=ISite, name="in-thu")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from core import plugins

    replacements = tmp_path_factory.mktemp("mau-in")
    (replacements / "test.replaced.pt").write_text(
        '<html metal:use-macro="print_macros[\'page\']"><p metal:fill-slot="main" class="version">'
        "Mẫu của tỉnh</p></html>",
        encoding="utf-8",
    )
    settings = make_settings(
        tmp_path_factory.mktemp("var"),
        **{
            "cong.plugins": "",
            "cong.print_forms.test.chosen": "2018.2",
            "cong.print_forms_dir": str(replacements),
        },
    )
    original = plugins.make_plugin_manager

    def with_printing(names):
        pm = original(names)
        pm.register(PrintingPlugin(), name="printing")
        return pm

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugins, "make_plugin_manager", with_printing)
        application = main({}, **settings)
    yield application
    application.registry._zodb_databases[""].close()


@pytest.fixture(scope="module")
def client(app):
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})


@pytest.fixture(scope="module")
def pdf(client):
    return client.get("/@@in-thu?format=pdf")


def test_a_form_is_a_valid_page_with_the_national_motto_and_a_qr_code(client, tmp_path):
    page = client.get("/@@in-thu")
    assert page.content_type == "text/html"
    assert page.html.html["lang"] == "vi"
    assert page.html.title.text == "Phiếu in thử"
    motto = page.html.select_one(".letterhead .national-motto")
    assert motto.get_text(" ", strip=True) == f"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM {MOTTO}"
    assert page.html.select_one(".dateline").text == "Sông Lam, ngày 04 tháng 3 năm 2026"
    qr = page.html.select_one(".qr svg.qr-code")
    assert qr.title.text == LOOKUP and qr.path["d"]
    assert page.html.select_one("[data-print]").text == "In"
    assert page.html.select_one(".print-toolbar a")["href"].endswith("/@@in-thu?format=pdf")
    assert "private" in page.headers["Cache-Control"]
    assert csp_violations(page.text, page.headers["Content-Security-Policy"]) == []
    if java_missing():
        pytest.skip("no Java to run the HTML checker")
    assert validate({"form": page.text}, tmp_path) == {"form": []}


def test_the_pdf_is_the_form_on_a4_with_its_vietnamese_text(pdf):
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF-")
    document = PdfReader(io.BytesIO(pdf.body))
    (page,) = document.pages
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)  # A4, pt
    words = " ".join(page.extract_text().split())
    for text in (MOTTO, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", APPLICANT, "Trần Văn Đức"):
        assert text in words
    assert "Tải bản PDF" not in words  # the toolbar is not printed
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f["/DescendantFonts"][0]["/FontDescriptor"] for f in fonts)


def test_the_pdf_is_named_for_every_browser(pdf):
    assert pdf.headers["Content-Disposition"] == (
        "inline; filename=\"Phieu-in-thu-Nguyen-Thi-Huong-Giang.pdf\"; filename*=UTF-8''"
        "Phi%E1%BA%BFu%20in%20th%E1%BB%AD-Nguy%E1%BB%85n%20Th%E1%BB%8B%20H%C6%B0%C6%A1ng"
        "%20Giang.pdf"
    )


def test_an_unknown_format_is_refused(client):
    refused = client.get("/@@in-thu?format=docx", status=400)
    assert "Định dạng “docx” không có" in refused.text


def test_the_version_in_use_is_the_chosen_the_latest_or_the_provinces_file(app):
    model = ModelRequest(app)
    try:
        shown = {
            name: BeautifulSoup(render_html(model.request, name, {}), "html.parser")
            .select_one(".version")
            .text
            for name in ("test.latest", "test.chosen", "test.replaced")
        }
        assert shown == {
            "test.latest": "Phiên bản 2018.10",  # 10 after 2: versions compare as numbers
            "test.chosen": "Phiên bản 2018.2",  # cong.print_forms.test.chosen
            "test.replaced": "Mẫu của tỉnh",  # cong.print_forms_dir/test.replaced.pt
        }
        with pytest.raises(UnknownForm, match="no print form 'test.missing'.*test.proof"):
            render_html(model.request, "test.missing", {})
    finally:
        model.close()


def test_a_setting_naming_an_unregistered_form_or_version_stops_start_up():
    forms = PrintForms({"test.proof": "2020"})
    forms.add(PrintForm("test.proof", "2018", "proof.pt", "Phiếu"))
    with pytest.raises(SettingsError, match=r"cong.print_forms.test.proof = 2020: .*2018"):
        forms.check_settings()
    with pytest.raises(SettingsError, match="cong.print_forms.other names a print form"):
        PrintForms({"other": "2018"}).check_settings()


def test_one_version_of_a_form_registered_twice_is_a_conflict():
    config = Configurator(settings={})
    config.include("core.printing")
    config.add_print_form("test.proof", "tests.core:print_forms/proof.pt")
    config.add_print_form("test.proof", "tests.core:print_forms/version.pt")
    with pytest.raises(ConfigurationConflictError):
        config.commit()


@pytest.mark.parametrize(
    ("filename", "header"),
    [
        ("../../etc/passwd", "inline; filename=\"etc-passwd.pdf\"; filename*=UTF-8''etc-passwd.pdf"),
        ('a"b\r\nSet-Cookie: x', "inline; filename=\"a-b-Set-Cookie-x.pdf\"; "
                                 "filename*=UTF-8''a-b-Set-Cookie-x.pdf"),
        ("", "inline; filename=\"ban-in.pdf\"; filename*=UTF-8''ban-in.pdf"),
        ("Sổ theo dõi.PDF", "inline; filename=\"So-theo-doi.pdf\"; "
                            "filename*=UTF-8''S%E1%BB%95%20theo%20d%C3%B5i.pdf"),
    ],
)  # fmt: skip
def test_file_names_are_safe(filename, header):
    assert content_disposition(filename, "pdf") == header


def test_dates_are_written_as_documents_write_them():
    assert written_date(date(2025, 2, 5)) == "ngày 05 tháng 02 năm 2025"  # 0 before 1 and 2
    assert written_date(date(2025, 12, 15)) == "ngày 15 tháng 12 năm 2025"
    late = datetime(2025, 3, 3, 18, 30, tzinfo=UTC)  # already the 4th in Vietnam
    assert written_date(late) == "ngày 04 tháng 3 năm 2025"
