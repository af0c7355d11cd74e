"""The deadlines dashboard (Decree 30/2020, art. 24: the follow-up of incoming
documents): for a unit and for each person, the open incoming documents overdue,
due within three working days, in progress, and those done this month.

Everything is read from the indexes :mod:`plugins.documents.indexing` keeps, never
by going through the documents of an office:

- overdue and due soon: range reads on the office's ``open_due`` (sorted by due
  time), ``O(log n + k)``;
- in progress: the office's ``open_by_status`` sets (every open status but
  *arrived*, which is counted apart: documents another unit sent that the clerk
  has not accepted yet);
- per handler (``user:<login>``, ``unit:<code>``) in a unit: the intersections of
  those with ``open_assigned``, and ``done_handled`` for the month;
- a person across units: the site's ``documents.assigned`` (their open documents,
  which are read for their deadlines: a person's own load) and ``documents.done``.

"Due soon" ends :data:`SOON_DAYS` working days from now on the site's working-day
calendar (:mod:`core.workdays`, shared with the one-stop desk). A figure holds the
keys ``(unit code, document id)`` of its documents in the order they are listed;
the pages and the JSON wake only the page of documents they show.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from BTrees.OOBTree import OOSet, intersection

from core.clock import TIMEZONE, now
from core.workdays import add_working_days, working_calendar
from plugins.documents import registered as R
from plugins.documents.registry import assigned_to, done_by
from plugins.documents.units import office_of

#: How many working days ahead "due soon" looks.
SOON_DAYS = 3
#: The figures of a dashboard, in the order they are shown.
BUCKETS = ("overdue", "due_soon", "in_progress", "done", "arrived")
#: The figures of a person (arrived documents are the clerks').
PERSONAL = BUCKETS[:4]
#: The open statuses counted as in progress (arrived documents are apart).
IN_PROGRESS = (R.REGISTERED, R.SUBMITTED, R.ASSIGNED, R.PROCESSING)
#: Above every document id (the end of a range read on ``(due, id)`` keys).
LAST = "\uffff"

Key = tuple[str, str]  # (unit code, document id)


@dataclass(frozen=True)
class Figures:
    """The documents behind each count, as keys ``(unit code, id)``."""

    overdue: tuple[Key, ...] = ()
    due_soon: tuple[Key, ...] = ()
    in_progress: tuple[Key, ...] = ()
    done: tuple[Key, ...] = ()
    arrived: tuple[Key, ...] = ()

    def counts(self, names: tuple[str, ...] = BUCKETS) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in names}


@dataclass(frozen=True)
class Dashboard:
    """The figures at ``moment``: ``soon`` ends the due-soon window, ``month`` is
    this month (``YYYY-MM``, Vietnam time); ``people``: handler token -> figures
    (a unit's dashboard); ``statuses``: open status -> count."""

    moment: datetime
    soon: datetime
    month: str
    total: Figures
    people: dict[str, Figures] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)


def _window(request) -> tuple[datetime, datetime, str]:
    moment = now()
    soon = add_working_days(working_calendar(request), moment, SOON_DAYS)
    return moment, soon, moment.astimezone(TIMEZONE).strftime("%Y-%m")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _keyed(code: str, ids) -> tuple[Key, ...]:
    return tuple((code, doc_id) for doc_id in ids)


def unit_dashboard(request, office) -> Dashboard:
    """The dashboard of ``office``'s unit now: its totals and each handler's."""
    moment, soon, month = _window(request)
    code = office.unit_code
    overdue = [i for _due, i in office.open_due.keys(max=(_iso(moment),))]
    due_soon = [i for _due, i in office.open_due.keys(min=(_iso(moment),), max=(_iso(soon), LAST))]
    statuses = {s: office.open_by_status.get(s) for s in (*IN_PROGRESS, R.ARRIVED)}
    in_progress = sorted(i for s in IN_PROGRESS if statuses[s] is not None for i in statuses[s])
    arrived = statuses[R.ARRIVED]
    done = office.done_by_month.get(month)
    total = Figures(
        _keyed(code, overdue),
        _keyed(code, due_soon),
        _keyed(code, in_progress),
        _keyed(code, done or ()),
        _keyed(code, arrived or ()),
    )
    rank = {doc_id: n for n, doc_id in enumerate(overdue + due_soon)}
    overdue_set, soon_set = OOSet(overdue), OOSet(due_soon)

    def ranked(found) -> tuple[Key, ...]:
        return _keyed(code, sorted(found or (), key=rank.__getitem__))

    people = {}
    for handler, ids in office.open_assigned.items():
        if len(ids):
            people[handler] = Figures(
                ranked(intersection(overdue_set, ids)),
                ranked(intersection(soon_set, ids)),
                _keyed(code, ids),
            )
    for (_month, handler), ids in office.done_handled.items(min=(month,), max=(month, LAST)):
        if len(ids):
            people[handler] = replace(people.get(handler, Figures()), done=_keyed(code, ids))
    counts = {s: len(found) if found is not None else 0 for s, found in statuses.items()}
    return Dashboard(moment, soon, month, total, people, counts)


def load(site, keys) -> list:
    """The documents of ``keys`` (``(unit code, id)``), in order; those gone are
    left out."""
    offices, found = {}, []
    for code, doc_id in keys:
        if code not in offices:
            offices[code] = office_of(site, code)
        office = offices[code]
        document = office.documents.get(doc_id) if office is not None else None
        if document is not None:
            found.append(document)
    return found


def person_dashboard(request, login: str) -> Dashboard:
    """The dashboard of the person ``login``: the open documents they lead or
    coordinate in person, across units, and those done this month; in progress
    lists overdue ones first, then by deadline (none last)."""
    moment, soon, month = _window(request)
    site = request.root
    token = R.person(login)
    documents = load(site, assigned_to(site, token))
    far = datetime.max.replace(tzinfo=UTC)

    def order(document):
        return (document.deadline or far, document.unit_code, document.id)

    documents.sort(key=order)
    keys = {id(d): (d.unit_code, d.id) for d in documents}

    def keyed(test) -> tuple[Key, ...]:
        return tuple(keys[id(d)] for d in documents if d.deadline is not None and test(d.deadline))

    total = Figures(
        keyed(lambda due: due < moment),
        keyed(lambda due: moment <= due <= soon),
        tuple(keys[id(d)] for d in documents),
        tuple(done_by(site, token, month)),
    )
    return Dashboard(moment, soon, month, total)
