"""Text for the full-text index: rich text as a reader sees it, and the text of
attached PDF, Word and plain-text files."""

from __future__ import annotations

import io

from catalog.text import attachment_text, docx_text, html_to_text, pdf_text, plain_text

PDF_LINES = ["Kế hoạch cải cách hành chính năm 2025", "của Ủy ban nhân dân xã Hòa Bình"]
DOCX_PARAGRAPHS = ["Tờ trình về việc thành lập tổ công nghệ số cộng đồng", "Kính gửi: UBND tỉnh"]


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is ``lines``, written by hand: a Type0 font with
    Identity-H codes (UTF-16 code units) and a ToUnicode map, so any Vietnamese text
    is stored as text, as office software does (the font program is not embedded)."""
    content = ["BT", "/F1 12 Tf", "14 TL", "72 770 Td"]
    content += [f"<{line.encode('utf-16-be').hex()}> Tj T*" for line in lines]
    stream = "\n".join([*content, "ET"]).encode("ascii")
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"1 beginbfrange <0000> <FFFF> <0000> endbfrange\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def make_docx(paragraphs: list[str], cells: list[str] = ()) -> bytes:
    """A Word document made with python-docx."""
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if cells:
        table = document.add_table(rows=1, cols=len(cells))
        for cell, text in zip(table.rows[0].cells, cells, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_rich_text_becomes_the_text_a_reader_sees():
    html = (
        "<h2>Thủ tục</h2><p>Nộp hồ sơ tại <strong>bộ phận một cửa</strong>&nbsp;xã.</p>"
        "<ul><li>Tờ khai</li><li>Bản sao CCCD</li></ul><script>var x = 'ẩn';</script>"
        '<p>Xem <img src="a.png" alt="sơ đồ"> &amp; mẫu&#8230;</p>'
    )
    assert html_to_text(html) == (
        "Thủ tục\nNộp hồ sơ tại bộ phận một cửa xã.\nTờ khai\nBản sao CCCD\nXem sơ đồ & mẫu…"
    )
    assert html_to_text("") == ""


def test_the_text_of_a_pdf_is_read():
    data = make_pdf(PDF_LINES)
    assert pdf_text(data) == "\n".join(PDF_LINES)
    assert attachment_text("ke-hoach.pdf", "application/octet-stream", lambda: data).startswith(
        "Kế hoạch cải cách"
    )


def test_the_text_of_a_word_document_is_read():
    data = make_docx(DOCX_PARAGRAPHS, cells=["Họ và tên", "Nguyễn Văn An"])
    assert docx_text(data) == "\n".join(DOCX_PARAGRAPHS) + "\nHọ và tên | Nguyễn Văn An"
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "tổ công nghệ số" in attachment_text("to-trinh", mime, lambda: data)


def test_plain_text_in_utf8_or_the_vietnamese_code_page():
    assert plain_text("Lịch tiếp dân\r\n\r\nthứ Hai".encode()) == "Lịch tiếp dân\nthứ Hai"
    windows_1258 = b"Quy\xea\xect \xf0i\xf2nh"  # "Quyết định": tones as combining marks
    assert plain_text(windows_1258) == "Quyết định"


def test_a_broken_or_unknown_file_gives_no_text_and_no_error(caplog):
    assert attachment_text("hong.pdf", "application/pdf", lambda: b"%PDF-1.4 rubbish") == ""
    assert "hong.pdf" in caplog.text
    assert attachment_text("hong.docx", "", lambda: b"PK not a zip") == ""
    assert attachment_text("anh.png", "image/png", lambda: b"\x89PNG") == ""


def test_an_attachments_text_holds_no_character_text_may_not_hold():
    """A text file saved as UTF-16 reads as the Vietnamese code page, NULs between
    its letters: they are replaced, so the file never stops indexing."""
    utf16 = "Lịch tiếp dân\x07".encode("utf-16")
    text = attachment_text("lich.txt", "text/plain", lambda: utf16)
    assert text and "\x00" not in text and "\x07" not in text and "\ufffd" in text
