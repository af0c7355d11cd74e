"""Work files (hồ sơ công việc; Decree 30/2020/NĐ-CP, art. 28–30): the records.

A unit lists at the start of each year the files it will keep (the year's list,
danh mục hồ sơ), which a Leader approves at once for the whole year. During the
year its documents are filed into them; a file is then closed (kết thúc hồ sơ) with
its sheet count, and handed to the unit's archive within a year with its index of
documents (mục lục văn bản, :mod:`plugins.documents.workfiles_index`).

A :class:`WorkFile` is kept in its office's ``work_files`` (id -> file); its id
``hs-<year>-<nnn>`` starts with its year, so a year's files are one range of keys.
Its states::

    planned --(the year's list approved)--> approved --> open --> closed --> archived

A document is in at most one file: its ``work_file`` names it. What may be done to
a file, by whom, is :mod:`plugins.documents.workfiles_actions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from persistent import Persistent

from core.i18n import _

PLANNED, APPROVED, OPEN, CLOSED, ARCHIVED = "planned", "approved", "open", "closed", "archived"
#: The states, in their order, with their labels.
STATES = {
    PLANNED: _("Dự kiến (chờ duyệt)"),
    APPROVED: _("Đã duyệt, chưa mở"),
    OPEN: _("Đang lập"),
    CLOSED: _("Đã kết thúc"),
    ARCHIVED: _("Đã nộp lưu"),
}
#: The retention of a file kept for ever (thời hạn bảo quản vĩnh viễn).
PERMANENT = "vinh-vien"
#: The longest retention in years, short of keeping a file for ever.
MAX_RETENTION_YEARS = 100
#: Years after its closing within which a file goes to the archive (art. 30).
HANDOVER_YEARS = 1
#: The earliest year a list is kept for.
FIRST_YEAR = 2000


class WorkFileError(ValueError):
    """A request about work files refused: ``status`` 400 (bad input), 403 (not
    allowed to this person), 404 (no such file or document) or 409 (not in this
    state, a duplicate); ``errors`` by field name."""

    def __init__(self, message, status: int = 400, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {}


@dataclass(frozen=True)
class Filing:
    """A document filed: its id in the office, when and by whom, its sheets
    (``pages``; None when not counted) and a note for the index."""

    document_id: str
    when: datetime
    by: str
    pages: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Closing:
    """How a file was closed: the day, its sheets in all, a note, who and when."""

    day: date
    sheets: int
    note: str
    by: str
    when: datetime


@dataclass(frozen=True)
class Handover:
    """How a file went to the archive: the day, who received it there, a note,
    who handed it and when this was recorded."""

    day: date
    received_by: str
    note: str
    by: str
    when: datetime


class WorkFile(Persistent):
    """A work file of a unit's year: its code (``01.VP``, unique in the unit's
    year), title, retention (years, or :data:`PERMANENT`), the person responsible
    (a login), the documents filed in order (``filings``), its state and what each
    step recorded."""

    __parent__ = None

    def __init__(self, id: str, **values):
        self.id = self.__name__ = id
        self.code: str = values["code"]
        self.title: str = values["title"]
        self.year: int = values["year"]
        self.retention: int | str = values["retention"]
        self.responsible: str = values["responsible"]
        self.note: str = values.get("note", "")
        self.created: datetime = values["created"]
        self.creator: str = values.get("creator", "")
        self.state: str = PLANNED
        self.approved: datetime | None = None
        self.approved_by: str = ""
        self.opened: datetime | None = None
        self.filings: tuple[Filing, ...] = ()
        self.closing: Closing | None = None
        self.handover: Handover | None = None

    @property
    def documents(self) -> tuple[str, ...]:
        """The ids of the documents filed, in filing order."""
        return tuple(filing.document_id for filing in self.filings)

    @property
    def handover_due(self) -> date | None:
        """The last day to hand the closed file to the archive."""
        if self.closing is None:
            return None
        day = self.closing.day
        try:
            return day.replace(year=day.year + HANDOVER_YEARS)
        except ValueError:  # 29 February
            return day.replace(year=day.year + HANDOVER_YEARS, day=28)


def retention_label(retention: int | str):
    """The retention as the list writes it: ``Vĩnh viễn`` or ``10 năm``."""
    if retention == PERMANENT:
        return _("Vĩnh viễn")
    return _("${n} năm", mapping={"n": retention})


def file_id(year: int, number: int) -> str:
    return f"hs-{year}-{number:03d}"


def files_of(office, year: int) -> list[WorkFile]:
    """The files of ``office``'s ``year``, by code (numbers in codes compared as
    numbers: ``2.VP`` before ``10.VP``)."""
    prefix = f"hs-{year}-"
    found = office.work_files.values(min=prefix, max=prefix + "\uffff")
    return sorted(found, key=lambda f: code_key(f.code))


def code_key(code: str) -> tuple:
    """The order of codes: runs of digits as numbers, the rest case-blind."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.findall(r"\d+|\D+", code)
    )


def find_file(office, id: object) -> WorkFile:
    """File ``id`` of ``office``; WorkFileError 404 when there is none."""
    found = office.work_files.get(id) if isinstance(id, str) and id else None
    if found is None:
        raise WorkFileError(_("Không có hồ sơ này."), 404)
    return found


def list_approved(office, year: int) -> bool:
    """Whether ``office``'s list of ``year`` was approved (then none of its files is
    still planned: the approval took them all, later ones were added approved)."""
    return any(f.state != PLANNED for f in files_of(office, year))
