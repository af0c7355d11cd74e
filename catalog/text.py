"""Plain text for the full-text index: from rich text (HTML) and from attachments
(PDF through pypdf, Word ``.docx`` through python-docx, plain text).

Extraction never fails: a file that cannot be read gives an empty text (and a
log line), so one broken attachment cannot stop the index queue.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

from core.cleantext import scrub

log = logging.getLogger(__name__)

#: Characters of text kept from one attachment (a 1,000-page report is cut here).
MAX_ATTACHMENT_TEXT = 1_000_000

PDF_TYPES = ("application/pdf",)
DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
TEXT_TYPES = ("text/plain", "text/csv", "text/markdown")

#: Elements whose content is not text a reader sees.
SKIPPED = frozenset({"script", "style", "template", "noscript", "head", "title"})
#: Elements that break a line (so words of two paragraphs are not glued together).
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def tidy(text: str) -> str:
    """``text`` with runs of blanks made one space and of blank lines one line break."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{2,}", "\n", "\n".join(line for line in lines if line)).strip()


def html_to_text(html: str) -> str:
    """The text a reader sees in ``html`` (paragraphs on their own lines)."""
    if not html:
        return ""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return tidy(unescape("".join(parser.parts)))


def pdf_text(data: bytes) -> str:
    """The text of a PDF document."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")  # most "encrypted" public PDFs only restrict printing
    parts, size = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_ATTACHMENT_TEXT:
            break
    return tidy("\n".join(parts))


def docx_text(data: bytes) -> str:
    """The text of a Word (``.docx``) document: paragraphs, then table cells."""
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return tidy("\n".join(parts))


def plain_text(data: bytes) -> str:
    """A text file's content (UTF-8, else Windows-1258, the Vietnamese code page,
    whose tone marks are combining characters: the text is composed, NFC)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")
    return tidy(unicodedata.normalize("NFC", text))


def extractor_for(filename: str, content_type: str):
    """The function reading text from a file of this name and type, or None."""
    name = (filename or "").lower()
    content_type = (content_type or "").split(";")[0].strip().lower()
    if content_type in PDF_TYPES or name.endswith(".pdf"):
        return pdf_text
    if content_type in DOCX_TYPES or name.endswith(".docx"):
        return docx_text
    if content_type in TEXT_TYPES or name.endswith((".txt", ".csv", ".md")):
        return plain_text
    return None


def attachment_text(filename: str, content_type: str, read) -> str:
    """The text of an attached file; ``read()`` returns its bytes. Empty for a type
    we cannot read, and for a file that fails to parse. Characters no text may hold
    (a PDF's text can have lone surrogates, a text file NULs) are replaced."""
    extract = extractor_for(filename, content_type)
    if extract is None:
        return ""
    try:
        return scrub(extract(read())[:MAX_ATTACHMENT_TEXT])
    except Exception:  # noqa: BLE001 - a broken file must not stop indexing
        log.warning("no text could be read from %r (%s)", filename, content_type, exc_info=True)
        return ""
