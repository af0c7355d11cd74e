"""The library's part of ``cong demo`` (:mod:`core.demo`): the demo file's
``"legal_documents"``, a list of documents::

    {"unit": "90001" (a subsite's code; "" for the province), "id", "state",
     "number": "05/{year}/QĐ-UBND" ({year}: the year of issue), "kind", "title",
     "issuing_body", "signer", "signer_position", "issue_date", "effective_date",
     "field", "status", "description", "replaces": [ids], "amends": [ids],
     "file": {"format": "pdf" | "docx", "paragraphs": [...]}}

Dates may be written ``{"days_from_now": -30}`` (from the day of the load), so
the library stays current; ``replaces`` and ``amends`` name documents listed
before. Each document is added to its unit's library through the model, as the
kernel adds the demo's content (a document already there is skipped); its file is
made now, a PDF (WeasyPrint) or a Word document (python-docx) of its title and
paragraphs.
"""

from __future__ import annotations

import base64
import io
from html import escape

from core.hookspecs import hookimpl
from plugins.documents.legal import DOCUMENT
from plugins.documents.library_fields import DOCX, PDF
from plugins.documents.library_structure import ensure_library
from subsites.directory import subsite_by_code

KEY = "legal_documents"
#: The keys of an entry that are not the document's fields.
PLACING = ("unit", "file")


def pdf_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A PDF of ``title`` and ``paragraphs``."""
    from weasyprint import HTML

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    page = f'<html lang="vi"><body><h1>{escape(title)}</h1>{body}</body></html>'
    return HTML(string=page).write_pdf()


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A Word document of ``title`` and ``paragraphs``."""
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attachment(entry: dict, number: str) -> dict:
    """The file of ``entry`` as the JSON API takes it."""
    spec = entry.get("file") or {}
    paragraphs = [str(p) for p in spec.get("paragraphs") or ()]
    title = f"{number} – {entry.get('title', '')}"
    name = number.replace("/", "-")
    if spec.get("format") == "pdf":
        data, filename, media_type = pdf_bytes(title, paragraphs), f"{name}.pdf", PDF
    else:
        data, filename, media_type = docx_bytes(title, paragraphs), f"{name}.docx", DOCX
    return {
        "data": base64.b64encode(data).decode("ascii"),
        "encoding": "base64",
        "filename": filename,
        "content-type": media_type,
    }


def library_of(request, loader, code: str):
    """The library of unit ``code`` ('' : the province), made if it is missing."""
    site = request.root
    unit = subsite_by_code(site, code) if code else site
    if unit is None:
        loader.skip(f"legal documents of unit {code}", "no such unit")
        return None
    return ensure_library(request, unit)


def add_document(request, loader, entry: dict, uids: dict) -> None:
    """Add one document of the demo file to its library."""
    library = library_of(request, loader, str(entry.get("unit") or ""))
    if library is None:
        return
    values = {k: loader.moment(v) for k, v in entry.items() if k not in PLACING}
    issued = str(values.get("issue_date") or "")
    number = str(values.get("number") or "").replace("{year}", issued[:4])
    values.update(type=DOCUMENT, number=number, attachments=[attachment(entry, number)])
    for name in ("replaces", "amends"):
        values[name] = [uids[key] for key in entry.get(name, ()) if key in uids]
    loader.add_item(library, values)
    added = library.get(str(entry.get("id")))
    if added is not None:
        uids[entry["id"]] = added.uid


@hookimpl(specname="cong_demo_data", trylast=True)
def library_demo_data(request, data, loader):
    """After the subsites: the legal documents of the province and its units."""
    uids: dict[str, str] = {}
    for entry in data.get(KEY, ()):
        if isinstance(entry, dict):
            add_document(request, loader, entry, uids)
