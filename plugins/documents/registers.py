"""A unit's registers for a period, with the columns of the forms of Decree
30/2020/NĐ-CP, Appendix IV:

- the incoming register (sổ đăng ký văn bản đến, 9 columns): the documents that
  arrived in the period, in the order of their arrival numbers;
- the outgoing register (sổ đăng ký văn bản đi, 7 columns): the documents issued
  in the period, in the order of issue;
- the follow-up register of incoming documents (sổ theo dõi giải quyết văn bản
  đến, 7 columns): the documents that arrived in the period with a deadline (art.
  24: every incoming document with a deadline is followed up).

The periods are read from the office's indexes (``incoming_by_arrival``, the
outgoing register by issue time), so a register wakes only its own documents; a
period is at most :data:`MAX_DAYS` days, a register at most :data:`MAX_ROWS` rows.
A secret document appears as a line whose summary says only its secrecy ("Mật"),
unless the requester is one of its readers.

The column titles follow the forms as :file:`DOCUMENTS.md` lists them; the follow-up
register's seven titles are written as the decree's form is commonly reproduced,
not checked against the gazette's text. Its column "Số, ký hiệu văn bản trả lời" is
left empty to be written by hand: the model does not link an incoming document to
the outgoing one that answers it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from core import periods
from core.clock import TIMEZONE, now
from core.formatting import local_date
from core.i18n import _
from core.periods import Period
from plugins.documents import registered as R
from plugins.documents.access import can_view
from plugins.documents.doctypes import BY_CODE

#: The longest period of a register, in days (a leap year).
MAX_DAYS = 366
#: The most rows a register gives.
MAX_ROWS = 5000
#: The longest progress note a follow-up line carries.
MAX_NOTE = 300


def parse_period(first: object, last: object, today: date | None = None) -> Period:
    """The period of a register (:func:`core.periods.parse_period`, at most
    :data:`MAX_DAYS` days)."""
    return periods.parse_period(first, last, MAX_DAYS, today)


@dataclass(frozen=True)
class Column:
    key: str
    title: str


INCOMING_COLUMNS = (
    Column("arrival_date", _("Ngày đến")),
    Column("arrival_number", _("Số đến")),
    Column("author", _("Tác giả")),
    Column("notation", _("Số, ký hiệu")),
    Column("document_date", _("Ngày tháng")),
    Column("summary", _("Tên loại và trích yếu nội dung")),
    Column("receiver", _("Đơn vị hoặc người nhận")),
    Column("signature", _("Ký nhận")),
    Column("note", _("Ghi chú")),
)
OUTGOING_COLUMNS = (
    Column("notation", _("Số, ký hiệu văn bản")),
    Column("document_date", _("Ngày tháng văn bản")),
    Column("summary", _("Tên loại và trích yếu nội dung văn bản")),
    Column("signer", _("Người ký")),
    Column("recipients", _("Nơi nhận văn bản")),
    Column("copies", _("Số lượng bản")),
    Column("note", _("Ghi chú")),
)
FOLLOW_UP_COLUMNS = (
    Column("arrival", _("Số, ngày đến")),
    Column("document", _("Tên loại, số, ký hiệu, ngày tháng, trích yếu nội dung")),
    Column("receiver", _("Đơn vị hoặc người nhận")),
    Column("deadline", _("Hạn giải quyết")),
    Column("progress", _("Tiến độ giải quyết")),
    Column("reply", _("Số, ký hiệu văn bản trả lời")),
    Column("note", _("Ghi chú")),
)


@dataclass(frozen=True)
class Register:
    """A register for ``period``: its ``name`` (``incoming``, ``outgoing``,
    ``follow-up``), ``title``, ``columns`` and ``rows`` (a dict per line: a value
    per column key — text, a number or a date — and the document's ``id``);
    ``complete`` is False when :data:`MAX_ROWS` cut it short."""

    name: str
    title: str
    columns: tuple[Column, ...]
    period: Period
    rows: tuple[dict, ...]
    complete: bool = True


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(TIMEZONE).date() if moment is not None else None


def _take(office, ids) -> tuple[list, bool]:
    """The documents of ``ids``, at most :data:`MAX_ROWS`, and whether that was all."""
    found = []
    for doc_id in ids:
        if len(found) == MAX_ROWS:
            return found, False
        found.append(office.documents[doc_id])
    return found, True


def _arrived(office, period: Period) -> tuple[list, bool]:
    """The incoming documents that arrived in ``period``, by arrival number."""
    keys = office.incoming_by_arrival.keys(min=(_iso(period.start),), max=(_iso(period.end),))
    found, complete = _take(office, (doc_id for _moment, doc_id in keys))
    found.sort(key=lambda d: (d.year, d.arrival_number))
    return found, complete


def _issued(office, period: Period) -> tuple[list, bool]:
    """The outgoing documents issued in ``period``, in the order of issue."""
    return _take(
        office, office.outgoing_register.values(min=(_iso(period.start),), max=(_iso(period.end),))
    )


def _labels(request, document) -> str:
    """The marks of the notes column: urgency, secrecy, and a status that ends
    the handling otherwise than by doing it."""
    translate = request.localizer.translate
    marks = [R.URGENCIES.get(document.urgency), R.SECRECIES.get(document.secrecy)]
    if document.status in (R.RETURNED, R.RECALLED, R.ARRIVED):
        statuses = R.INCOMING_STATUSES if document.kind == R.INCOMING else R.OUTGOING_STATUSES
        marks.append(statuses[document.status])
    return "; ".join(translate(m) for m in marks if m)


def _summary(request, document, reference: str = "") -> str:
    """The kind (and ``reference``: its number and date) and the summary; for those
    who may not read a secret document, its secrecy instead of the summary."""
    translate = request.localizer.translate
    kind = BY_CODE.get(document.type_code)
    title = translate(kind.title) if kind is not None else document.type_code
    if reference:
        title = f"{title} {reference}"
    if document.secrecy and not can_view(request, document):
        return f"{title} ({translate(R.SECRECIES.get(document.secrecy, document.secrecy))})"
    return f"{title}: {document.summary}"


def _receiver(document) -> str:
    return document.direction.lead_title if document.direction is not None else ""


def incoming_row(request, document) -> dict:
    """A line of the incoming register."""
    return {
        "id": document.id,
        "arrival_date": _day(document.arrival),
        "arrival_number": document.arrival_number,
        "author": document.sender,
        "notation": document.notation,
        "document_date": document.document_date,
        "summary": _summary(request, document),
        "receiver": _receiver(document),
        "signature": "",
        "note": _labels(request, document),
    }


def _notation_of(office, doc_id: str) -> str:
    other = office.documents.get(doc_id) if doc_id else None
    return (other.notation or other.id) if other is not None else ""


#: The notes of an outgoing document that replaces, corrects or was replaced.
REFERENCES = (
    ("replaces", _("Thay thế văn bản ${notation}")),
    ("corrects", _("Đính chính văn bản ${notation}")),
    ("replaced_by", _("Bị thay thế bởi văn bản ${notation}")),
)


def outgoing_row(request, document) -> dict:
    """A line of the outgoing register."""
    translate = request.localizer.translate
    office = document.__parent__
    signer = document.signer_name
    if document.signer_position:
        signer = f"{signer} ({document.signer_position})" if signer else document.signer_position
    notes = [_labels(request, document)]
    for name, label in REFERENCES:
        notation = _notation_of(office, getattr(document, name))
        if notation:
            notes.append(translate(_(label, mapping={"notation": notation})))
    recipients = [r.name for r in document.recipients] + list(document.places)
    return {
        "id": document.id,
        "notation": document.notation,
        "document_date": document.document_date,
        "summary": _summary(request, document),
        "signer": signer,
        "recipients": "; ".join(dict.fromkeys(recipients)),
        "copies": document.copies,
        "note": "; ".join(n for n in notes if n),
    }


def _progress(request, document) -> str:
    """How the handling stands: its status, when it was done and whether on time,
    overdue when still open past the deadline, and the last progress note."""
    translate = request.localizer.translate
    parts = [translate(R.INCOMING_STATUSES[document.status])]
    deadline = document.deadline
    if document.status == R.DONE and document.finished is not None:
        parts[0] += " " + local_date(document.finished)
        if deadline is not None:
            late = document.finished > deadline
            parts.append(translate(_("quá hạn") if late else _("đúng hạn")))
    elif document.status in R.OPEN and deadline is not None and deadline < now():
        parts.append(translate(_("quá hạn")))
    if not document.secrecy or can_view(request, document):
        note = next((e.comment for e in reversed(document.history) if e.transition == "note"), "")
        if note:
            parts.append(note[:MAX_NOTE])
    return "; ".join(parts)


def follow_up_row(request, document) -> dict:
    """A line of the follow-up register of incoming documents."""
    reference = [f"số {document.notation}"] if document.notation else []
    if document.document_date:
        reference.append(f"ngày {local_date(document.document_date)}")
    return {
        "id": document.id,
        "arrival": f"{document.arrival_number}, {local_date(document.arrival)}",
        "document": _summary(request, document, " ".join(reference)),
        "receiver": _receiver(document),
        "deadline": _day(document.deadline),
        "progress": _progress(request, document),
        "reply": "",
        "note": _labels(request, document),
    }


@dataclass(frozen=True)
class Kind:
    """What makes one register: its title, columns, documents and lines."""

    title: str
    columns: tuple[Column, ...]
    documents: Callable
    row: Callable
    keep: Callable = lambda document: True


KINDS = {
    "incoming": Kind(_("Sổ đăng ký văn bản đến"), INCOMING_COLUMNS, _arrived, incoming_row),
    "outgoing": Kind(_("Sổ đăng ký văn bản đi"), OUTGOING_COLUMNS, _issued, outgoing_row),
    "follow-up": Kind(
        _("Sổ theo dõi giải quyết văn bản đến"),
        FOLLOW_UP_COLUMNS,
        _arrived,
        follow_up_row,
        lambda document: document.deadline is not None,
    ),
}


def register_of(request, office, name: str, period: Period) -> Register:
    """Register ``name`` (a key of :data:`KINDS`) of ``office`` for ``period``, as
    the requester may read it (KeyError for an unknown name)."""
    kind = KINDS[name]
    documents, complete = kind.documents(office, period)
    rows = tuple(kind.row(request, d) for d in documents if kind.keep(d))
    return Register(name, kind.title, kind.columns, period, rows, complete)


def cell_text(value) -> str:
    """A cell as the printed and Excel registers write it."""
    if value is None:
        return ""
    if isinstance(value, date):
        return local_date(value)
    return str(value)


def cell_json(value):
    """A cell in JSON: dates in ISO 8601."""
    return value.isoformat() if isinstance(value, date) else value


def table(request, register: Register) -> list[list[str]]:
    """The register as rows of text: the column titles, then a row per line."""
    translate = request.localizer.translate
    keys = [c.key for c in register.columns]
    head = [translate(c.title) for c in register.columns]
    return [head, *([cell_text(row[k]) for k in keys] for row in register.rows)]
