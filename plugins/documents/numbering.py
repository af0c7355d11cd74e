"""Numbers of the registers (Decree 30/2020, art. 15 and 22).

- Incoming: the arrival number (số đến) follows the unit's incoming register, from
  1 each 1 January (the year of the arrival), drawn from the kernel's sequences so
  two clerks registering at once never get one number.
- Outgoing: at issue, the number comes from the series of the issuing body (the
  unit) for the year: legal normative documents have one series per kind, secret
  documents one of their own, every other document shares the body's common
  series. The notation is ``<number>/<kind abbreviation>-<body>`` (``12/QĐ-UBND``),
  a legal normative document's carries its year (``15/2026/QĐ-UBND``), and a công
  văn's (and a thư công's) is ``<number>/<body>-<drafting unit>`` (``125/UBND-VP``).
  A number + notation issued once by a body in a year is never issued again (the
  secret documents' register apart): a number given by hand that is taken is
  refused (:class:`DuplicateNumber`), and the series skips numbers given by hand.
"""

from __future__ import annotations

from datetime import datetime

from core.clock import TIMEZONE
from core.i18n import _
from core.sequences import next_number
from plugins.documents.doctypes import BY_CODE

INCOMING_SEQUENCE = "documents-incoming"
OUTGOING_SEQUENCE = "documents-outgoing"
DRAFT_SEQUENCE = "documents-draft"


class DuplicateNumber(ValueError):
    """A number and notation the body already issued this year."""

    def __init__(self, notation: str):
        super().__init__(notation)
        self.notation = notation
        self.message = _(
            "Số, ký hiệu ${notation} đã được cấp trong năm.", mapping={"notation": notation}
        )


def arrival_number(site, office, arrival: datetime) -> int:
    """The next number of ``office``'s incoming register in the year of ``arrival``."""
    return next_number(site, INCOMING_SEQUENCE, office.unit_code, period="year", now=arrival)


def incoming_id(arrival: datetime, number: int) -> str:
    return f"den-{arrival.astimezone(TIMEZONE).year}-{number:05d}"


def draft_id(site, office) -> str:
    """An id for a new outgoing document (it has no number before its issue)."""
    return f"di-{next_number(site, DRAFT_SEQUENCE, office.unit_code, period='none'):06d}"


def series_of(document) -> str:
    """The series ``document`` is numbered in."""
    if document.secrecy:
        return "mat"
    if document.legal_normative:
        return f"qppl-{document.type_code}"
    return "chung"


def body_abbreviation(office) -> str:
    return office.body_abbreviation or "UBND"


def format_number(number: int) -> str:
    """Numbers below 10 are written with a leading zero (01 … 09)."""
    return f"{number:02d}"


def notation_of(office, document, number: int, year: int) -> str:
    """``document``'s number and notation with ``number``."""
    kind = BY_CODE.get(document.type_code)
    body = body_abbreviation(office)
    if kind is None or not kind.abbreviation:
        tail = f"{body}-{document.drafting_unit}" if document.drafting_unit else body
    else:
        tail = f"{kind.abbreviation}-{body}"
    if document.legal_normative:
        tail = f"{year}/{tail}"
    return f"{format_number(number)}/{tail}"


def register_key(document, year: int, notation: str) -> tuple[int, str, str]:
    """The key of ``notation`` in the office's ``notations``: the secret register
    keeps its own."""
    return (year, "mat" if document.secrecy else "", notation)


def allocate(
    site, office, document, moment: datetime, number: int | None = None
) -> tuple[int, str]:
    """The number and notation ``document`` is issued with at ``moment``: ``number``
    when given (DuplicateNumber when taken), else the next free one of its series.
    Records them as taken."""
    year = moment.astimezone(TIMEZONE).year
    if number is not None:
        notation = notation_of(office, document, number, year)
        if register_key(document, year, notation) in office.notations:
            raise DuplicateNumber(notation)
    else:
        scope = f"{office.unit_code}:{series_of(document)}"
        while True:
            number = next_number(site, OUTGOING_SEQUENCE, scope, period="year", now=moment)
            notation = notation_of(office, document, number, year)
            if register_key(document, year, notation) not in office.notations:
                break
    office.notations[register_key(document, year, notation)] = document.id
    return number, notation
