"""Signed PDFs: a unit signs at issue with its PKCS#12 key, a receiver checks who
signed and when, whether the certificate is trusted, and whether the file changed
since. A small CA of the tests' own (:mod:`plugins.documents.tests.pki`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from pyhanko.pdf_utils import writer
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader
from pyramid.exceptions import ConfigurationError

from core.clock import frozen
from core.formatting import local_date
from plugins.documents.signatures import SigningError, VerificationError, parse_settings
from plugins.documents.signing import sign_pdf
from plugins.documents.tests.pdfs import LINE, helvetica, small_pdf, text_stream
from plugins.documents.tests.pki import PASSPHRASE, UNIT_NAME, UNIT_ORGANISATION, make_pki
from plugins.documents.verification import EXPIRED, NO_TRUST_ROOTS, TRUSTED, UNTRUSTED, verify_pdf

ENV = "CONG_TEST_SIGNING_PASSPHRASE"
UNIT = "000.00.31.H19"
SIGNATURE = {"reason": "Ban hành văn bản", "location": "Tân Phú", "signer_name": "Trần Văn Bình"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def settings(pki):
    """The unit's key as the default one, the impostor's and the expired one for
    units of their own, the CA as trust root; the passphrase in the environment."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, PASSPHRASE)
        yield parse_settings(
            {
                "cong.documents.signing_key": str(pki.unit_p12),
                "cong.documents.signing_key.IMPOSTOR": str(pki.impostor_p12),
                "cong.documents.signing_key.EXPIRED": str(pki.expired_p12),
                "cong.documents.signing_passphrase_env": ENV,
                "cong.documents.trust_roots": f"{pki.root_pem}\n",
            }
        )


@pytest.fixture(scope="module")
def original():
    return small_pdf()


@pytest.fixture(scope="module")
def signed(settings, original):
    before = datetime.now(UTC)
    data = sign_pdf(settings, UNIT, original, **SIGNATURE)
    return data, before, datetime.now(UTC)


def test_a_signed_pdf_is_valid_with_its_signer_and_time(settings, original, signed):
    data, before, after = signed
    assert data.startswith(original)  # an incremental update: the file as it was stays
    (report,) = verify_pdf(settings, data)
    assert report.valid and report.intact and report.trust == TRUSTED
    assert not report.changed_after_signing
    assert (report.signer_name, report.signer_organisation) == (UNIT_NAME, UNIT_ORGANISATION)
    assert before - timedelta(seconds=1) <= report.signing_time <= after + timedelta(seconds=1)
    assert report.valid_from < report.signing_time < report.valid_until
    when = local_date(report.signing_time, with_time=True)
    assert report.summary.interpolate() == f"Hợp lệ: ký bởi {UNIT_NAME} lúc {when}."
    pdf = PdfReader(BytesIO(data))
    assert "12/QD-UBND" in pdf.pages[0].extract_text()
    signature = pdf.get_fields()["ChuKyDonVi"]["/V"]
    assert (signature["/Reason"], signature["/Location"], signature["/Name"]) == (
        "Ban hành văn bản", "Tân Phú", "Trần Văn Bình",
    )  # fmt: skip
    assert signature["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_without_trust_roots_or_with_others_the_signature_is_intact_but_not_trusted(pki, signed):
    data = signed[0]
    (report,) = verify_pdf(parse_settings({}), data)
    assert report.intact and report.trust == NO_TRUST_ROOTS and not report.valid
    assert "chưa cấu hình chứng thư gốc tin cậy" in report.summary.interpolate()
    others = parse_settings({"cong.documents.trust_roots": str(pki.impostor_pem)})
    (report,) = verify_pdf(others, data)
    assert report.intact and report.trust == UNTRUSTED and not report.valid
    assert report.summary.interpolate() == (
        f"Chưa xác thực được: chứng thư số của {UNIT_NAME} không do tổ chức chứng thực tin cậy cấp."
    )


def test_a_self_signed_certificate_with_the_units_name_is_not_trusted(settings, original):
    data = sign_pdf(settings, "IMPOSTOR", original, **SIGNATURE)
    (report,) = verify_pdf(settings, data)
    assert report.signer_name == UNIT_NAME
    assert report.intact and report.trust == UNTRUSTED and not report.valid


def test_bytes_changed_inside_the_signed_range_break_the_signature(settings, signed):
    data = signed[0]
    assert data.count(LINE) == 1
    tampered = data.replace(LINE, LINE.replace(b"12", b"13"))
    (report,) = verify_pdf(settings, tampered)
    assert not report.intact and not report.valid
    assert report.summary.interpolate() == (
        f"Chữ ký không hợp lệ: nội dung tệp không khớp với chữ ký của {UNIT_NAME}."
    )


def _overlay(pdf: IncrementalPdfFileWriter) -> None:
    pdf.add_stream_to_page(0, pdf.add_object(text_stream(b"(So: 13/QD-UBND) Tj")))


def _new_page(pdf: IncrementalPdfFileWriter) -> None:
    content = pdf.add_object(text_stream(b"(Trang them sau khi ky) Tj"))
    pdf.insert_page(writer.PageObject(content, (0, 0, 595, 842), helvetica(pdf)))


@pytest.mark.parametrize("change", [_overlay, _new_page], ids=["new text", "new page"])
def test_an_update_appended_after_signing_shows_the_file_changed(settings, signed, change):
    update = IncrementalPdfFileWriter(BytesIO(signed[0]))
    change(update)
    out = BytesIO()
    update.write(out)
    (report,) = verify_pdf(settings, out.getvalue())
    assert report.intact and report.trust == TRUSTED  # the signed bytes are untouched
    assert report.changed_after_signing and not report.valid
    assert report.summary.interpolate().startswith("Tệp đã bị sửa sau khi ký (chữ ký của ")


def test_a_second_signature_leaves_the_first_valid_and_says_so(settings, signed):
    twice = sign_pdf(settings, UNIT, signed[0], **SIGNATURE)
    first, second = verify_pdf(settings, twice)
    assert (first.field, second.field) == ("ChuKyDonVi", "ChuKyDonVi2")
    assert first.valid and first.signed_again
    assert first.summary.interpolate().endswith("; sau đó tệp được ký thêm.")
    assert second.valid and not second.signed_again


def test_an_expired_certificate_signs_nothing_and_its_signatures_say_expired(settings, original):
    with pytest.raises(SigningError) as refused:
        sign_pdf(settings, "EXPIRED", original, **SIGNATURE)
    assert refused.value.reason == "certificate_expired"
    assert refused.value.message.interpolate().startswith(
        "Chứng thư số của đơn vị EXPIRED đã hết hạn ngày "
    )
    with frozen(datetime.now(UTC) - timedelta(days=380)):  # while it was valid
        data = sign_pdf(settings, "EXPIRED", original, **SIGNATURE)
    (report,) = verify_pdf(settings, data)
    assert report.intact and report.trust == EXPIRED and not report.valid
    assert report.summary.interpolate() == (
        f"Chưa xác thực được: chứng thư số của {UNIT_NAME} đã hết hạn ngày "
        f"{local_date(report.valid_until)}."
    )


def _encrypted(original: bytes) -> bytes:
    locked = writer.PdfFileWriter()
    content = locked.add_object(text_stream(b"(Mat) Tj"))
    locked.insert_page(writer.PageObject(content, (0, 0, 595, 842), helvetica(locked)))
    locked.encrypt("chu", "doc")
    out = BytesIO()
    locked.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda pdf: b"PK\x03\x04 not a PDF", "not_pdf"),
        (lambda pdf: pdf[: len(pdf) // 2], "not_pdf"),
        (lambda pdf: b"%PDF-1.7\n%garbage\n", "not_pdf"),
        (_encrypted, "encrypted"),
    ],
    ids=["zip", "truncated", "header only", "encrypted"],
)
def test_a_file_that_is_not_a_readable_pdf_is_refused_with_a_reason(
    settings, original, make, reason
):
    data = make(original)
    for action, error in (
        (lambda: sign_pdf(settings, UNIT, data, **SIGNATURE), SigningError),
        (lambda: verify_pdf(settings, data), VerificationError),
    ):
        with pytest.raises(error) as refused:
            action()
        assert refused.value.reason == reason
        assert refused.value.message.interpolate().startswith("Tệp ")


def test_a_pdf_without_signatures_has_no_report(settings, original):
    assert verify_pdf(settings, original) == []


def test_a_signature_that_cannot_be_read_is_reported_invalid(settings, signed):
    data = signed[0]
    start = data.index(b"/Contents <") + len(b"/Contents <")
    broken = data[:start] + b"0" * 200 + data[start + 200 :]
    (report,) = verify_pdf(settings, broken)
    assert report.unreadable and not report.valid and report.field == "ChuKyDonVi"
    assert report.summary.interpolate() == "Chữ ký không hợp lệ: không đọc được chữ ký trong tệp."


def test_keys_that_cannot_be_used_are_refused_with_a_message(pki, original, tmp_path):
    def refusal(settings: dict, unit=UNIT):
        with pytest.raises(SigningError) as refused:
            sign_pdf(parse_settings(settings), unit, original, **SIGNATURE)
        return refused.value.reason, refused.value.message.interpolate()

    unit_key = {f"cong.documents.signing_key.{UNIT}": str(pki.unit_p12)}
    assert refusal(unit_key, unit="OTHER") == (
        "no_key", "Đơn vị OTHER chưa được cấu hình khóa ký số.",
    )  # fmt: skip
    assert refusal({"cong.documents.signing_key": str(tmp_path / "missing.p12")}) == (
        "key_unreadable", f"Không đọc được tệp khóa ký số của đơn vị {UNIT}.",
    )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV, raising=False)
        patch.setenv(ENV + "_UNIT", "sai-mat-khau")
        reason, message = refusal(
            {**unit_key, f"cong.documents.signing_passphrase_env.{UNIT}": ENV + "_UNIT",
             "cong.documents.signing_passphrase_env": ENV}
        )  # fmt: skip
        assert reason == "key_locked" and "sai mật khẩu" in message
        assert refusal({**unit_key, "cong.documents.signing_passphrase_env": ENV}) == (
            "no_passphrase", f"Chưa có mật khẩu của tệp khóa ký số của đơn vị {UNIT}.",
        )  # fmt: skip


def test_trust_roots_that_cannot_be_read_stop_the_start_up(pki, tmp_path):
    not_a_certificate = tmp_path / "roots.pem"
    not_a_certificate.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    for roots in (str(tmp_path / "missing.pem"), f"{pki.root_pem} {not_a_certificate}"):
        with pytest.raises(ConfigurationError, match="cong.documents.trust_roots"):
            parse_settings({"cong.documents.trust_roots": roots})
    both = parse_settings({"cong.documents.trust_roots": f"{pki.root_pem}\n{pki.impostor_pem}"})
    assert len(both.trust_roots) == 2
