"""The office's lists, newest first, a page at a time, read from its indexes
(:mod:`plugins.documents.office`) without waking more documents than a page needs:

- the incoming register (``incoming_register``: ``(year, arrival number)``);
- the issued outgoing documents (``outgoing_register``: ``(issue time, id)``);
- the drafts: outgoing documents not issued yet, by id (``di-…``, in the order
  they were made).

A page continues below a document (its ``after`` cursor: the key of the last
document shown), so a deep page costs what the first one does. A filter that is
not an index (a status, an urgency) wakes the documents it tests: at most
:data:`MAX_SCAN` for one page, after which the page says the search stopped there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from core.clock import TIMEZONE
from plugins.documents import registered as R

#: Keys read from an index at a time.
CHUNK = 100
#: Documents a page wakes at most to test a filter.
MAX_SCAN = 2000
#: The prefix of outgoing documents' ids (:func:`plugins.documents.numbering.draft_id`).
OUTGOING_PREFIX = "di-"
INCOMING, ISSUED, DRAFTS = "incoming", "issued", "drafts"


@dataclass(frozen=True)
class Listing:
    """One page: its documents; ``after``: the document to continue below (None on
    the last page); ``total``: the documents of the range when no filter woke them
    (else None); ``stopped``: the page is short because :data:`MAX_SCAN` documents
    were tested."""

    documents: list
    after: str | None
    total: int | None
    stopped: bool = False


def key_of(list_name: str, document):
    """``document``'s key in the index of list ``list_name``; None when it is not
    in that list (a draft's key, its id, stays its place after its issue)."""
    if list_name == INCOMING:
        return (document.year, document.arrival_number) if document.kind == R.INCOMING else None
    if document.kind != R.OUTGOING:
        return None
    if list_name == ISSUED:
        return (
            (document.issued.astimezone(UTC).isoformat(), document.id) if document.issued else None
        )
    return document.id


def _bounds(list_name: str, year: int | None) -> tuple:
    if list_name == DRAFTS:
        return OUTGOING_PREFIX, OUTGOING_PREFIX + "\uffff"
    if year is None:
        return None, None
    if list_name == INCOMING:
        return (year, 0), (year + 1, 0)
    start, end = (
        datetime(y, 1, 1, tzinfo=TIMEZONE).astimezone(UTC).isoformat() for y in (year, year + 1)
    )
    return (start, ""), (end, "")


def _tree(office, list_name: str):
    if list_name == INCOMING:
        return office.incoming_register
    if list_name == ISSUED:
        return office.outgoing_register
    return office.documents


def newest_first(tree, low, high, below=None) -> Iterator[tuple]:
    """``(key, value)`` of ``tree`` from ``low`` up to (not including) ``high``,
    newest first, below key ``below`` when given."""
    upper = high
    if below is not None and (high is None or below < high):
        upper = below
    while True:
        chunk = list(tree.items(low, upper, excludemax=upper is not None)[-CHUNK:])
        if not chunk:
            return
        yield from reversed(chunk)
        upper = chunk[0][0]


def listing(
    office,
    list_name: str,
    size: int,
    *,
    year: int | None = None,
    after=None,
    test: Callable | None = None,
) -> Listing:
    """A page of ``size`` documents of ``office``'s list ``list_name``
    (:data:`INCOMING`, :data:`ISSUED`, :data:`DRAFTS`) of ``year`` (all years when
    None), below the document ``after``, that pass ``test``."""
    tree = _tree(office, list_name)
    low, high = _bounds(list_name, year)
    below = key_of(list_name, after) if after is not None else None
    drafts = list_name == DRAFTS
    filtered = drafts or test is not None
    found, woken, last = [], 0, None
    for _key, value in newest_first(tree, low, high, below):
        document = value if drafts else office.documents.get(value)
        if document is None:
            continue
        if filtered:
            woken += 1
            if woken > MAX_SCAN:
                return Listing(found, last.id, None, stopped=True)
        last = document
        if (drafts and document.issued is not None) or (test is not None and not test(document)):
            continue
        if len(found) == size:
            return Listing(found, found[-1].id, _total(tree, low, high, filtered))
        found.append(document)
    return Listing(found, None, _total(tree, low, high, filtered))


def _total(tree, low, high, filtered: bool) -> int | None:
    """The entries of the range (keys only, no document woken); None when a
    filter decides."""
    return None if filtered else len(tree.keys(low, high, excludemax=high is not None))
