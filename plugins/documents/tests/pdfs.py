"""Small PDF files for the tests, written with pyHanko's writer in a few
milliseconds: one A4 page whose text stays readable in the file's bytes (its content
stream is not compressed), so a test can find and change it."""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils import generic, writer

#: The line of the page made by :func:`small_pdf`, as it stands in the file.
LINE = b"(So: 12/QD-UBND) Tj"


def text_stream(*lines: bytes) -> generic.StreamObject:
    """A content stream writing ``lines`` (PDF text operators) in Helvetica /F1."""
    body = b"BT /F1 14 Tf 72 770 Td 18 TL " + b" T* ".join(lines) + b" ET"
    return generic.StreamObject(stream_data=body)


def helvetica(pdf) -> generic.DictionaryObject:
    """Page resources naming Helvetica /F1 (a standard font: nothing embedded)."""
    font = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Font"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
            generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
        }
    )
    fonts = generic.DictionaryObject({generic.pdf_name("/F1"): pdf.add_object(font)})
    return generic.DictionaryObject({generic.pdf_name("/Font"): fonts})


def small_pdf() -> bytes:
    """A one-page PDF: a decision's number and a line of its text."""
    pdf = writer.PdfFileWriter()
    content = pdf.add_object(text_stream(LINE, b"(Quyet dinh ve viec ban hanh quy che) Tj"))
    pdf.insert_page(writer.PageObject(content, (0, 0, 595, 842), helvetica(pdf)))
    out = BytesIO()
    pdf.write(out)
    return out.getvalue()
