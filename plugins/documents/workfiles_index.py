"""What work files print: a file's index of documents (mục lục văn bản) and a
unit's list of files of a year (danh mục hồ sơ), after the forms of Decree
30/2020/NĐ-CP, Appendix V.

- ``documents.workfile_index``: the index of a file (``workfiles/index.pt``,
  :func:`index_values`);
- ``documents.workfile_list``: the year's list (``workfiles/list_print.pt``,
  :func:`list_values`).

Both are registered as version ``2020`` with :mod:`core.printing` (a province
replaces one as docs/plugins.md says); the pages and JSON show the same rows.
"""

from __future__ import annotations

from core.formatting import local_date, written_date
from core.i18n import _
from plugins.documents import registered as R
from plugins.documents import workfiles as W
from plugins.documents.access import can_view
from plugins.documents.doctypes import BY_CODE
from plugins.documents.units import unit_title

INDEX_FORM = "documents.workfile_index"
LIST_FORM = "documents.workfile_list"
VERSION = "2020"
FORMS = (
    (INDEX_FORM, "index.pt", _("Mục lục văn bản")),
    (LIST_FORM, "list_print.pt", _("Danh mục hồ sơ")),
)
#: What the index shows of a secret document instead of its summary, to those who
#: are not among its readers.
SECRET = _("(Văn bản mật)")


def includeme(config) -> None:
    """Register the two forms."""
    for name, template, title in FORMS:
        spec = f"plugins.documents:templates/workfiles/{template}"
        config.add_print_form(name, spec, version=VERSION, title=title)


def person_title(request, login: str) -> str:
    """A person's name (their login when they have none or are gone)."""
    user = request.root.principals.get_user(login) if login else None
    return (getattr(user, "fullname", "") or login) if user is not None else login


def sheet_numbers(filings) -> list[str]:
    """Each document's sheets in the file (tờ số: ``01-04``), counted while every
    document before it has its sheets counted; its own count alone after one that
    has none (``3 tờ``); '' when it has none."""
    numbers, first = [], 1
    for filing in filings:
        if filing.pages is None:
            numbers.append("")
            first = None
        elif first is None:
            numbers.append(f"{filing.pages} tờ")
        else:
            last = first + filing.pages - 1
            numbers.append(f"{first:02d}" if last == first else f"{first:02d}-{last:02d}")
            first = last + 1
    return numbers


def _author(request, document) -> str:
    if document.kind == R.INCOMING:
        return document.sender
    return unit_title(request.root, document.unit_code)


def _summary(request, document) -> str:
    if document.secrecy and not can_view(request, document):
        return request.localizer.translate(SECRET)
    kind = BY_CODE.get(document.type_code)
    title = request.localizer.translate(kind.title) if kind is not None else ""
    return f"{title}: {document.summary}" if title else document.summary


def index_rows(request, work_file) -> list[dict]:
    """The index's rows: each document filed, in order, with its number and
    notation, date, kind and summary, author, sheets and note."""
    office = work_file.__parent__
    rows = []
    for filing, sheets in zip(work_file.filings, sheet_numbers(work_file.filings), strict=True):
        document = office.documents.get(filing.document_id)
        if document is None:
            continue
        rows.append(
            {
                "id": document.id,
                "kind": document.kind,
                "notation": document.notation,
                "date": local_date(document.document_date),
                "summary": _summary(request, document),
                "author": _author(request, document),
                "pages": filing.pages,
                "sheets": sheets,
                "note": filing.note,
                "filed": filing.when,
            }
        )
    return rows


def index_values(request, work_file) -> dict:
    """The index of ``work_file`` as its form prints it."""
    translate = request.localizer.translate
    closing, handover = work_file.closing, work_file.handover
    return {
        "unit_title": unit_title(request.root, work_file.__parent__.unit_code),
        "work_file": work_file,
        "retention": translate(W.retention_label(work_file.retention)),
        "responsible": person_title(request, work_file.responsible),
        "rows": index_rows(request, work_file),
        "opened": written_date(work_file.opened),
        "closed": written_date(closing.day) if closing else "",
        "sheets": closing.sheets if closing else None,
        "handed": written_date(handover.day) if handover else "",
        "received_by": handover.received_by if handover else "",
    }


def list_rows(request, files) -> list[dict]:
    """The list's rows: code, title, retention, who keeps the file, note."""
    translate = request.localizer.translate
    return [
        {
            "id": f.id,
            "code": f.code,
            "title": f.title,
            "retention": translate(W.retention_label(f.retention)),
            "responsible": person_title(request, f.responsible),
            "note": f.note,
        }
        for f in files
    ]


def list_values(request, office, year: int) -> dict:
    """The list of ``office``'s files of ``year`` as its form prints it: approved
    when and by whom (the first approval), how many files kept for ever and how
    many for a time."""
    files = W.files_of(office, year)
    approvals = sorted((f.approved, f.approved_by) for f in files if f.approved)
    permanent = sum(1 for f in files if f.retention == W.PERMANENT)
    return {
        "unit_title": unit_title(request.root, office.unit_code),
        "year": year,
        "rows": list_rows(request, files),
        "approved": written_date(approvals[0][0]) if approvals else "",
        "approver": person_title(request, approvals[0][1]) if approvals else "",
        "count": len(files),
        "permanent": permanent,
        "limited": len(files) - permanent,
    }
