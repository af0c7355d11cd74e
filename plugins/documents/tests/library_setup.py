"""A known library for the library's tests: the portal and two units, eight
documents whose facets are written out below, on an application a test module
shares.

==========  ======================  ===========  =============  ==========  =====================
where       number                  kind         field          issued      status (anonymous sees)
==========  ======================  ===========  =============  ==========  =====================
portal      01/2025/QĐ-UBND         quyet-dinh   dat-dai        2025-03-10  bi-thay-the (by P2)
portal      15/2026/QĐ-UBND         quyet-dinh   dat-dai        2026-06-01  con-hieu-luc (DOCX)
portal      09/2026/NQ-HĐND         nghi-quyet   thue-phi-...   2026-05-05  het-hieu-luc-mot-phan
portal      30/<this year>/QĐ-UBND  quyet-dinh   bo-may-...     2 days ago  chua-co-hieu-luc
phuong      12/QĐ-UBND              quyet-dinh   dat-dai        2026-02-01  con-hieu-luc
phuong      45/KH-UBND              ke-hoach     tai-nguyen-... 2025-11-20  con-hieu-luc
so          210/HD-STC              huong-dan    tai-chinh-...  2026-04-15  het-hieu-luc
portal      99/2026/QĐ-UBND         quyet-dinh   dat-dai        2026-07-01  (private: not seen)
==========  ======================  ===========  =============  ==========  =====================
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import timedelta

from pyramid.traversal import resource_path

from core import main
from core.testing import ModelRequest, add, make_settings, upload
from plugins.documents.legal import today

PLUGINS = "documents news search"
LIBRARY = "/van-ban-phap-quy/"
WARD, DEPARTMENT = "phuong-tan-an", "so-tai-chinh"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF whose page says ``text`` (ASCII), with its cross-reference
    table, as pypdf reads it."""
    stream = f"BT /F1 12 Tf 10 50 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 400 100]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(stream), stream),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


#: The words of the PDF files of the known library.
PDF_TEXT = pdf_bytes("Quyet dinh ve bang gia dat nam xu ly")
#: The words only the DOCX file of 15/2026/QĐ-UBND holds.
ATTACHMENT_WORDS = "Hệ số điều chỉnh giá đất khu vực ven sông Lam"


def docx(*paragraphs: str) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_file(*paragraphs: str, name: str = "van-ban.docx") -> dict:
    return upload(docx(*paragraphs), name, DOCX)


def pdf_file(name: str = "van-ban.pdf") -> dict:
    return upload(PDF_TEXT, name, "application/pdf")


def values(number: str, kind: str, title: str, issued: str, **extra) -> dict:
    """A document's JSON values (a PDF file unless ``attachments`` is given)."""
    return {
        "number": number,
        "kind": kind,
        "title": title,
        "issue_date": issued,
        "attachments": [pdf_file()],
        **extra,
    }


def known_library(model) -> dict:
    """Make the units and documents above (as the admin) and commit; return the
    documents by number."""
    from subsites.provisioning import create_subsite

    site = model.site
    ward = create_subsite(
        model.request, site, {"title": "Phường Tân An", "unit_kind": "commune", "code": "10001"}
    )
    department = create_subsite(
        model.request, site, {"title": "Sở Tài chính", "unit_kind": "department", "code": "20001"}
    )
    portal = site["van-ban-phap-quy"]
    soon = today() - timedelta(days=2)
    docs = {}

    def put(folder, state="published", **entry):
        doc = add(model, folder, "LegalDocument", state=state, **entry)
        docs[doc.number] = doc
        return doc

    old = put(
        portal,
        **values(
            "01/2025/QĐ-UBND",
            "quyet-dinh",
            "Quyết định ban hành bảng giá các loại đất",
            "2025-03-10",
            issuing_body="UBND tỉnh",
            field="dat-dai",
        ),
    )
    put(
        portal,
        **values(
            "15/2026/QĐ-UBND",
            "QĐ",
            "Quyết định về việc ban hành Bảng giá đất",
            "2026-06-01",
            issuing_body="UBND tỉnh",
            field="dat-dai",
            replaces=[old.uid],
            attachments=[docx_file("Căn cứ Luật Đất đai năm 2024.", ATTACHMENT_WORDS + " là 1,2.")],
        ),
    )
    put(
        portal,
        **values(
            "09/2026/NQ-HĐND",
            "nghi-quyet",
            "Nghị quyết quy định mức thu phí tham quan",
            "2026-05-05",
            issuing_body="HĐND tỉnh",
            field="thue-phi-le-phi",
            status="het-hieu-luc-mot-phan",
        ),
    )
    put(
        portal,
        **values(
            f"30/{soon.year}/QĐ-UBND",
            "quyet-dinh",
            "Quyết định ban hành Quy chế văn thư",
            soon.isoformat(),
            issuing_body="UBND tỉnh",
            field="bo-may-hanh-chinh",
            effective_date=(today() + timedelta(days=10)).isoformat(),
        ),
    )
    put(
        portal,
        state=None,
        **values(
            "99/2026/QĐ-UBND",
            "quyet-dinh",
            "Quyết định chưa công bố",
            "2026-07-01",
            issuing_body="UBND tỉnh",
            field="dat-dai",
        ),
    )
    put(
        ward["van-ban-phap-quy"],
        **values(
            "12/QĐ-UBND",
            "quyet-dinh",
            "Quyết định thu hồi đất làm đường",
            "2026-02-01",
            issuing_body="UBND phường Tân An",
            field="dat-dai",
        ),
    )
    put(
        ward["van-ban-phap-quy"],
        **values(
            "45/KH-UBND",
            "ke-hoach",
            "Kế hoạch vệ sinh môi trường",
            "2025-11-20",
            field="tai-nguyen-moi-truong",
        ),
    )
    put(
        department["van-ban-phap-quy"],
        **values(
            "210/HD-STC",
            "huong-dan",
            "Hướng dẫn quyết toán kinh phí",
            "2026-04-15",
            issuing_body="Sở Tài chính",
            field="tai-chinh-ngan-sach",
            status="het-hieu-luc",
        ),
    )
    model.commit()
    return docs


@contextmanager
def library_app(data_dir):
    """An application holding the known library, made now in ``data_dir``."""
    app = main({}, **make_settings(data_dir, **{"cong.plugins": PLUGINS}))
    model = ModelRequest(app)
    try:
        known = known_library(model)
        app.uids = {number: doc.uid for number, doc in known.items()}
        app.paths = {number: resource_path(doc) + "/" for number, doc in known.items()}
    finally:
        model.close()
    try:
        yield app
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()
