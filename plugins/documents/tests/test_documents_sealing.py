"""Signatures in the registers: an outgoing document's PDF is signed with its
unit's certificate at issue; an incoming document's PDFs are checked when it is
registered — a changed file is taken and shown so, a broken signature refused."""

from __future__ import annotations

import base64
from io import BytesIO

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from plugins.documents.entries import EntryError
from plugins.documents.signatures import parse_settings
from plugins.documents.signing import sign_pdf
from plugins.documents.tests.documents_setup import documents_settings, province
from plugins.documents.tests.pdfs import LINE, small_pdf, text_stream
from plugins.documents.tests.pki import PASSPHRASE, UNIT_NAME, make_pki
from plugins.documents.tests.test_documents_model import incoming, outgoing
from plugins.documents.transitions import perform
from plugins.documents.units import office_of
from plugins.documents.verification import TRUSTED, verify_pdf

ENV = "CONG_TEST_DOCUMENTS_PASSPHRASE"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, PASSPHRASE)
        yield make_pki(tmp_path_factory.mktemp("pki"))


def signing(pki) -> dict:
    """Unit 20001 has a key; 10001 has none."""
    return {
        "cong.documents.signing_key.20001": str(pki.unit_p12),
        "cong.documents.signing_passphrase_env": ENV,
        "cong.documents.trust_roots": str(pki.root_pem),
    }


@pytest.fixture
def settings(data_dir, pki):
    return documents_settings(data_dir, **signing(pki))


@pytest.fixture
def units(model):
    return province(model)


def attached(data: bytes) -> list[dict]:
    return [{"filename": "van-ban.pdf", "data": base64.b64encode(data).decode()}]


def issued(model, unit="20001", clerk="vanthu1", **extra):
    staff = {"20001": ("chuyenvien1", "lanhdao1"), "10001": ("chuyenvien2", "lanhdao2")}[unit]
    recipients = ["10001" if unit == "20001" else "20001"]
    document = outgoing(model, login=staff[0], unit=unit, recipients=recipients, **extra)
    perform(model.request, document, "submit")
    model.act_as(staff[1])
    perform(model.request, document, "sign")
    model.act_as(clerk)
    return perform(model.request, document, "issue")


def test_issue_signs_the_pdf_with_the_units_certificate(model, units, pki):
    document = issued(model, attachments=attached(small_pdf()))
    signed = document.signed_pdf
    assert signed is not None and signed.filename == "van-ban.signed.pdf"
    (report,) = verify_pdf(parse_settings(signing(pki)), signed.read())
    assert report.valid and report.trust == TRUSTED and report.signer_name == UNIT_NAME
    assert signed.signatures[0].valid  # what the page shows


def test_a_unit_without_a_key_issues_unsigned_and_the_history_says_so(model, units):
    document = issued(model, unit="10001", clerk="vanthu2", attachments=attached(small_pdf()))
    assert document.notation and document.signed_pdf is None
    assert "chưa ký số" in document.history[-1].comment


def test_an_incoming_pdf_changed_after_signing_is_taken_and_shown_so(model, units, pki):
    signed = sign_pdf(
        parse_settings(signing(pki)), "20001", small_pdf(), reason="", location="", signer_name=""
    )
    update = IncrementalPdfFileWriter(BytesIO(signed))
    update.add_stream_to_page(0, update.add_object(text_stream(b"(Them) Tj")))
    changed = BytesIO()
    update.write(changed)
    document = incoming(model, attachments=attached(changed.getvalue()))
    (report,) = document.attachments[0].signatures
    assert report.intact and report.changed_after_signing and not report.valid
    assert "đã bị sửa sau khi ký" in report.summary.interpolate()
    tampered = signed.replace(LINE, LINE.replace(b"12", b"13"))
    before = len(office_of(model.site, "20001").documents)
    with pytest.raises(EntryError) as refused:
        incoming(model, attachments=attached(tampered))
    assert refused.value.status == 400 and "không hợp lệ" in refused.value.message.interpolate()
    assert len(office_of(model.site, "20001").documents) == before
