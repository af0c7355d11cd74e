"""edXML packages and status messages: a round trip keeps every field and every
attachment byte; malformed or hostile input is refused with its reason, and never
with another exception."""

from __future__ import annotations

import base64
import random
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from core.clock import TIMEZONE
from plugins.documents.edxml import (
    RECALL,
    STATUS_CODES,
    EdxmlAttachment,
    EdxmlDocument,
    EdxmlError,
    EdxmlOrgan,
    EdxmlOtherInfo,
    EdxmlResponseFor,
    EdxmlSigner,
    EdxmlStaff,
    EdxmlStatus,
    EdxmlTrace,
    build_package,
    build_status,
    document_id,
    new_content_id,
    parse_package,
    parse_status,
)
from plugins.documents.edxml_build import envelope_xml

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
SENDER = EdxmlOrgan(
    organ_id="000.00.00.H41",
    organization_in_charge="Ủy ban nhân dân tỉnh Nghệ An",
    organ_name="Sở Nội vụ tỉnh Nghệ An",
    organ_add="Số 3, đường Trường Thi, thành phố Vinh",
    email="sonoivu@nghean.gov.vn",
    telephone="0238 3840 418",
    fax="0238 3843 049",
    website="https://sonoivu.nghean.gov.vn",
)
DAY = date(2024, 3, 5)


def full_document() -> EdxmlDocument:
    """A recall with every field filled, Vietnamese everywhere, three files."""
    return EdxmlDocument(
        from_organ=SENDER,
        to_organs=[
            EdxmlOrgan("000.00.01.H41", "Ủy ban nhân dân tỉnh", "Sở Tài chính", "Đường Lê Lợi"),
            EdxmlOrgan("000.00.02.H41", organ_name="Sở Giáo dục và Đào tạo"),
        ],
        code_number="125",
        code_notation="UBND-VP",
        promulgation_place="Thành phố Vinh",
        promulgation_date=DAY,
        document_type=18,
        type_name="Công văn",
        subject="Về việc thu hồi văn bản ban hành sai thẩm quyền",
        content="Nội dung: ủy ban đề nghị các sở, ngành\r\nthu hồi & hủy bỏ <văn bản> số 120.",
        signer=EdxmlSigner("KT. CHỦ TỊCH", "Phó Chủ tịch", "Nguyễn Văn Đức"),
        due_date=date(2024, 3, 20),
        to_places=["Như trên;", "", "Lưu: VT, VP."],
        other_info=EdxmlOtherInfo(
            priority=3,
            sphere_of_promulgation="Toàn tỉnh",
            typer_notation="NVĐ",
            promulgation_amount=12,
            page_amount=4,
            appendixes=["Phụ lục I: Danh sách đơn vị", "Phụ lục II: Biểu mẫu"],
        ),
        response_for=[
            EdxmlResponseFor(
                "000.00.01.H41",
                "88/STC-QLNS",
                date(2024, 2, 27),
                "000.00.01.H41,2024/02/27,88/STC-QLNS",
            )
        ],
        steering_type=1,
        document_id=document_id(SENDER.organ_id, DAY, "125", "UBND-VP"),
        trace=EdxmlTrace(
            RECALL, "Thu hồi vì ban hành nhầm đối tượng", "000.00.00.H41,2024/03/01,120/UBND-VP"
        ),
        attachments=[
            EdxmlAttachment(
                new_content_id(),
                "Công văn 125.pdf",
                "application/pdf",
                "Bản chính có chữ ký số",
                bytes(range(256)) * 5,
            ),
            EdxmlAttachment(
                new_content_id(),
                "Phụ lục – danh sách.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "Phụ lục",
                b"PK\x03\x04" + bytes(reversed(range(256))),
            ),
            EdxmlAttachment("trong@edxml", "Tệp rỗng.txt", "text/plain", "", b""),
        ],
    )


def minimal_document() -> EdxmlDocument:
    return EdxmlDocument(
        from_organ=EdxmlOrgan("000.00.00.H41"),
        code_number="1",
        code_notation="TB-UBND",
        promulgation_date=DAY,
        subject="Thông báo",
        document_id=document_id("000.00.00.H41", DAY, "1", "TB-UBND"),
    )


def mime(xml: bytes, parts=(), start: str | None = "env@x", headers: bytes = b"") -> bytes:
    """A multipart/related package written by hand, the envelope ``xml`` first:
    ``parts`` are (content id, content type, transfer encoding, payload bytes as
    written)."""
    boundary = b"b0undary"
    start_param = f'; start="<{start}>"'.encode() if start else b""
    out = [
        b"MIME-Version: 1.0\r\n",
        b'Content-Type: multipart/related; type="text/xml"; boundary="b0undary"' + start_param,
        b"\r\n" + headers + b"\r\n",
        b"--"
        + boundary
        + b"\r\nContent-Type: text/xml; charset=utf-8\r\nContent-ID: <env@x>\r\n\r\n",
        xml + b"\r\n",
    ]
    for content_id, content_type, encoding, payload in parts:
        cid = f"Content-ID: <{content_id}>\r\n".encode() if content_id else b""
        out.append(
            b"--"
            + boundary
            + f"\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\n".encode()
            + cid
            + b"\r\n"
            + payload
            + b"\r\n"
        )
    out.append(b"--" + boundary + b"--\r\n")
    return b"".join(out)


def with_one_file(
    data: bytes = b"%PDF-1.7 t\xe1\xbb\x87p", content_id: str = "a1@x"
) -> EdxmlDocument:
    return replace(
        minimal_document(),
        attachments=[EdxmlAttachment(content_id, "tệp.pdf", "application/pdf", "", data)],
    )


def refusal(call, *args, **kwargs) -> str:
    """The message (Vietnamese, interpolated) ``call`` is refused with."""
    with pytest.raises(EdxmlError) as caught:
        call(*args, **kwargs)
    return caught.value.message.interpolate()


# -- round trips ----------------------------------------------------------------------


def test_round_trip_keeps_every_field_and_every_byte():
    doc = full_document()
    package = build_package(doc)
    back = parse_package(package)
    assert back == doc
    assert [a.data for a in back.attachments] == [a.data for a in doc.attachments]
    assert back.trace.business_doc_type == RECALL
    assert back.content.count("\r\n") == 1


def test_round_trip_of_a_minimal_document():
    doc = minimal_document()
    assert parse_package(build_package(doc)) == doc


def test_package_layout_follows_qcvn_102():
    package = build_package(full_document())
    head, _sep, _rest = package.partition(b"\r\n\r\n")
    assert b"multipart/related" in head and b'type="text/xml"' in head and b"start=" in head
    envelope = envelope_xml(full_document())
    assert f'<edXML xmlns="{NS}">'.encode() in envelope
    assert f'<edXML:edXMLEnvelope xmlns:edXML="{NS}">'.encode() in envelope
    for element in (
        b"edXMLHeader",
        b"MessageHeader",
        b"TraceHeaderList",
        b"Bussiness",
        b"edXMLManifest",
    ):
        assert b"<edXML:" + element in envelope
    assert b"<edXML:PromulgationDate>2024/03/05</edXML:PromulgationDate>" in envelope
    assert b"<edXML:DocumentId>000.00.00.H41,2024/03/05,125/UBND-VP</edXML:DocumentId>" in envelope
    assert b'xlink:href="cid:trong@edxml"' in envelope
    assert b"Content-ID: <trong@edxml>" in package
    assert package.count(b"Content-Transfer-Encoding: base64") == 3


def test_package_read_with_its_content_type_apart():
    package = build_package(with_one_file())
    head, _sep, body = package.partition(b"\r\n\r\n")
    content_type = head.decode().split("Content-Type: ", 1)[1].replace("\r\n", "")
    assert parse_package(body, content_type=content_type) == with_one_file()
    assert "multipart/related" in refusal(
        parse_package, body, content_type=content_type + "\r\nX: y"
    )


def test_status_round_trip():
    status = EdxmlStatus(
        response_for=EdxmlResponseFor(
            "000.00.00.H41", "125/UBND-VP", DAY, full_document().document_id
        ),
        status_code=16,
        timestamp=datetime(2024, 3, 5, 3, 4, 5, tzinfo=UTC),
        description="Từ chối thu hồi: văn bản đã được xử lý xong",
        staff_info=EdxmlStaff(
            "Văn thư – Văn phòng", "Nguyễn Thị Ngọc Trâm", "vanthu@nghean.gov.vn", "0912 000 001"
        ),
        from_organ=EdxmlOrgan("000.00.01.H41", organ_name="Sở Tài chính"),
    )
    xml = build_status(status)
    assert b"<edXML:StatusCode>16</edXML:StatusCode>" in xml
    assert b"<edXML:Timestamp>2024/03/05 10:04:05</edXML:Timestamp>" in xml  # Vietnam time
    assert parse_status(xml) == status
    for code in STATUS_CODES:
        assert parse_status(build_status(replace(status, status_code=code))).status_code == code
    bare = EdxmlStatus(
        EdxmlResponseFor("000.00.00.H41", document_id="x"), 1, datetime(2024, 1, 1, tzinfo=TIMEZONE)
    )
    assert parse_status(build_status(bare)) == bare


# -- what cannot be written -----------------------------------------------------------


def test_build_refuses_what_it_could_not_read_back():
    assert "trích yếu" in refusal(build_package, replace(minimal_document(), subject=" "))
    assert "XML" in refusal(build_package, replace(minimal_document(), subject="a\x00b"))
    assert "mã tệp" in refusal(build_package, with_one_file(content_id="có dấu"))
    twice = replace(minimal_document(), attachments=with_one_file().attachments * 2)
    assert "mã tệp" in refusal(build_package, twice)
    nested = replace(
        with_one_file(),
        attachments=[replace(with_one_file().attachments[0], content_type="multipart/mixed")],
    )
    assert "kiểu tệp" in refusal(build_package, nested)
    naive = EdxmlStatus(EdxmlResponseFor("x", document_id="y"), 1, datetime(2024, 1, 1))
    assert "thời điểm" in refusal(build_status, naive)
    assert "mã trạng thái" in refusal(build_status, replace(naive, status_code=7))
    huge = replace(
        with_one_file(),
        attachments=[replace(with_one_file().attachments[0], data=bytes(30 * 1024 * 1024 + 1))],
    )
    assert "quá lớn (tối đa 30 MB)" in refusal(build_package, huge)


# -- hostile and malformed packages ---------------------------------------------------

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol3;</edXML>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&xxe;</edXML>"""
DOCTYPE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML SYSTEM "http://example.invalid/edxml.dtd">
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"/>"""


def envelope(doc: EdxmlDocument | None = None) -> bytes:
    return envelope_xml(doc or with_one_file())


def good_part(data: bytes = b"%PDF-1.7 t\xe1\xbb\x87p") -> tuple:
    return ("a1@x", "application/pdf", "base64", base64.encodebytes(data))


def without(element: bytes, xml: bytes | None = None) -> bytes:
    """The envelope with ``<edXML:element>…</edXML:element>`` taken out."""
    xml = xml or envelope()
    start = xml.index(b"<edXML:" + element + b">")
    end = xml.index(b"</edXML:" + element + b">") + len(element) + 9
    return xml[:start] + xml[end:]


MALFORMED = {
    "billion laughs": (mime(BOMB), "thực thể"),
    "external entity": (mime(EXTERNAL), "thực thể"),
    "doctype": (mime(DOCTYPE), "DOCTYPE"),
    "wrong namespace": (
        mime(envelope().replace(NS.encode(), b"http://example.org/edxml"), [good_part()]),
        "namespace",
    ),
    "not edXML": (
        mime(b"<?xml version='1.0'?><soap:Envelope xmlns:soap='urn:x'/>"),
        "edXMLEnvelope",
    ),
    "no header": (mime(f'<edXML xmlns="{NS}"><edXMLEnvelope/></edXML>'.encode()), "edXMLHeader"),
    "not XML": (mime(b"Xin chao, day khong phai XML"), "không phải XML"),
    "broken XML": (mime(envelope()[:-40], [good_part()]), "không phải XML"),
    "invalid UTF-8": (
        mime(envelope().replace("Thông báo".encode(), b"Th\xf4ng b\xe1o"), [good_part()]),
        "UTF-8",
    ),
    "truncated MIME": (build_package(with_one_file(bytes(300)))[:-60], "cắt cụt"),
    "missing cid part": (mime(envelope()), "không có trong gói tin"),
    "part not referenced": (
        mime(envelope(), [good_part(), ("b2@x", "text/plain", "8bit", b"x")]),
        "không được khai báo",
    ),
    "part without Content-ID": (
        mime(envelope(), [good_part(), ("", "text/plain", "8bit", b"x")]),
        "Content-ID",
    ),
    "duplicate part": (mime(envelope(), [good_part(), good_part()]), "trùng"),
    "bad base64": (
        mime(envelope(), [("a1@x", "application/pdf", "base64", b"JVBERi0x!!*\r\n")]),
        "base64",
    ),
    "bad base64 padding": (
        mime(envelope(), [("a1@x", "application/pdf", "base64", b"JVBERi0")]),
        "base64",
    ),
    "unknown transfer encoding": (
        mime(envelope(), [("a1@x", "application/pdf", "x-uuencode", b"x")]),
        "mã hóa",
    ),
    "no envelope part": (mime(envelope(), [good_part()], start="a1@x"), "phong bì"),
    "start names nothing": (mime(envelope(), [good_part()], start="nowhere@x"), "phong bì"),
    "not multipart": (b"Content-Type: text/xml\r\n\r\n" + envelope(), "multipart/related"),
    "multipart/mixed": (
        mime(envelope(), [good_part()]).replace(b"multipart/related", b"multipart/mixed"),
        "multipart/related",
    ),
    "not MIME at all": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "multipart/related"),
    "empty": (b"", "multipart/related"),
    "no subject": (mime(without(b"Subject"), [good_part()]), "trích yếu"),
    "no sender": (mime(without(b"From"), [good_part()]), "cơ quan gửi"),
    "no document id": (mime(without(b"DocumentId"), [good_part()]), "mã định danh văn bản"),
    "no date": (mime(without(b"PromulgationInfo"), [good_part()]), "ngày ban hành"),
    "no notation": (mime(without(b"Code"), [good_part()]), "số văn bản"),
    "no message header": (mime(without(b"MessageHeader"), [good_part()]), "MessageHeader"),
    "bad date": (
        mime(envelope().replace(b"2024/03/05<", b"2024/02/30<"), [good_part()]),
        "ngày ban hành",
    ),
    "date not a date": (
        mime(envelope().replace(b"2024/03/05<", b"5 March<"), [good_part()]),
        "ngày ban hành",
    ),
    "bad number": (
        mime(envelope().replace(b"Priority>0<", b"Priority>hai<"), [good_part()]),
        "độ khẩn",
    ),
    "huge number": (
        mime(envelope().replace(b"Priority>0<", b"Priority>" + b"9" * 5000 + b"<"), [good_part()]),
        "độ khẩn",
    ),
    "priority out of range": (
        mime(envelope().replace(b"Priority>0<", b"Priority>7<"), [good_part()]),
        "độ khẩn",
    ),
    "nested parts": (
        mime(
            envelope(), [("a1@x", "multipart/mixed; boundary=q", "7bit", b"--q\r\n\r\nx\r\n--q--")]
        ),
        "lồng",
    ),
    "nested parts, CR line ends": (
        mime(envelope(), [good_part(), ("b@x", "message/rfc822", "7bit", b"")]).replace(
            b"\r\n", b"\r"
        ),
        "lồng",
    ),
    "nested parts after a false end": (
        mime(
            envelope(),
            [
                ("a1@x", "application/pdf", "base64", b"QUJD\r\n--b0undary--x"),
                ("b@x", "multipart/mixed; boundary=q", "7bit", b""),
            ],
        ),
        "lồng",
    ),
    "too many short lines": (
        mime(envelope(), [("a1@x", "text/plain", "8bit", b"\n" * 20000)]),
        "quá nhiều dòng",
    ),
    "long part headers": (
        mime(envelope(), [("a1@x", "application/pdf; x=" + "y" * 9000, "base64", b"QUJD")]),
        "cắt cụt",
    ),
    "long package headers": (
        mime(envelope(), [good_part()], headers=b"X-Long: " + b"a" * 9000 + b"\r\n"),
        "multipart/related",
    ),
    "unknown business type": (
        mime(envelope().replace(b"BussinessDocType>0<", b"BussinessDocType>9<"), [good_part()]),
        "nghiệp vụ",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_package_is_refused_with_its_reason(case):
    package, reason = MALFORMED[case]
    assert reason in refusal(parse_package, package)


def test_limits():
    two = replace(minimal_document(), attachments=full_document().attachments[:2])
    package = build_package(two)
    assert "quá lớn" in refusal(parse_package, package, max_bytes=len(package) - 1)
    assert parse_package(package, max_bytes=len(package)) == two
    assert "quá nhiều tệp" in refusal(parse_package, package, max_attachments=1)
    assert "quá lớn" in refusal(parse_package, package, max_attachment_bytes=1000)
    assert parse_package(package, max_attachment_bytes=1280) == two
    assert "quá lớn (tối đa 50 MB)" in refusal(parse_package, b" " * (50 * 1024 * 1024 + 1))


def test_mangled_packages_give_a_document_or_a_reason():
    """Cut, flipped or shuffled bytes: the answer is a document or EdxmlError."""
    package = build_package(full_document())
    chance = random.Random(15)
    for _round in range(150):
        data = bytearray(package)
        for _flip in range(chance.randint(1, 8)):
            data[chance.randrange(len(data))] = chance.randrange(256)
        if chance.random() < 0.3:
            data = data[: chance.randrange(len(data))]
        try:
            parse_package(bytes(data))
        except EdxmlError:
            pass


# -- hostile and malformed status messages --------------------------------------------


def status_xml(**changes) -> bytes:
    status = EdxmlStatus(
        EdxmlResponseFor("000.00.00.H41", "1/TB-UBND", DAY, "000.00.00.H41,2024/03/05,1/TB-UBND"),
        1,
        datetime(2024, 3, 5, 8, tzinfo=TIMEZONE),
    )
    return build_status(replace(status, **changes))


STATUS_CASES = {
    "billion laughs": (BOMB, "thực thể"),
    "external entity": (EXTERNAL, "thực thể"),
    "doctype": (DOCTYPE, "DOCTYPE"),
    "wrong namespace": (status_xml().replace(NS.encode(), b"urn:other"), "namespace"),
    "not XML": (b"01 Da den", "không phải XML"),
    "invalid UTF-8": (status_xml(description="Đã đến").replace("Đã".encode(), b"\xc4"), "UTF-8"),
    "unknown code": (status_xml().replace(b"StatusCode>01<", b"StatusCode>07<"), "mã trạng thái"),
    "code not a number": (
        status_xml().replace(b"StatusCode>01<", "StatusCode>một<".encode()),
        "mã trạng thái",
    ),
    "no code": (
        status_xml().replace(b"<edXML:StatusCode>01</edXML:StatusCode>", b""),
        "mã trạng thái",
    ),
    "bad timestamp": (
        status_xml().replace(b"2024/03/05 08:00:00", b"2024/13/05 08:00:00"),
        "thời điểm",
    ),
    "no timestamp": (without(b"Timestamp", status_xml()), "thời điểm"),
    "no document": (without(b"ResponseFor", status_xml()), "phúc đáp"),
    "no status": (without(b"Status", status_xml()), "Status"),
    "too large": (b" " * (256 * 1024 + 1), "quá lớn"),
}


@pytest.mark.parametrize("case", STATUS_CASES)
def test_malformed_status_is_refused_with_its_reason(case):
    data, reason = STATUS_CASES[case]
    assert reason in refusal(parse_status, data)
