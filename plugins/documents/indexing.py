"""The office's indexes of its documents, kept in step with each change.

:func:`reindex` is called after every change of a document (registration, each
transition). It works from what the document is now and what it was indexed as
last (``indexed``, kept on the document), so an index never keeps a stale entry:

- ``open_due``: ``(due ISO UTC, id)`` while an incoming document is open and has a
  deadline;
- ``open_assigned``: handler token (``user:<login>``, ``unit:<code>``) -> ids of
  the open documents they lead or coordinate (the unit's dashboard per person),
  and the site's ``documents.assigned`` (a person's dashboard across units);
- ``done_by_month``: ``"YYYY-MM"`` -> ids finished that month (Vietnam time),
  ``done_handled``: ``(month, handler)`` -> those ids by handler, and the site's
  ``documents.done`` (a person's documents done in a month across units);
- ``open_by_status``: open status -> ids (the counts of the dashboard);
- ``incoming_register`` / ``outgoing_register``: the registers' order, and
  ``incoming_by_arrival``: ``(arrival ISO UTC, id)`` (a register for a period).

Then the listeners other modules registered with ``config.add_documents_listener``
(the exchange's status reports…) are called with ``(request, document)``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from BTrees.OOBTree import OOTreeSet

from core.clock import TIMEZONE
from plugins.documents import registered as R
from plugins.documents.registry import assign, record_done, unassign, unrecord_done


def _due_key(moment: datetime | None, doc_id: str):
    return None if moment is None else (moment.astimezone(UTC).isoformat(), doc_id)


def _month(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(TIMEZONE).strftime("%Y-%m")


def index_keys(document) -> dict:
    """What ``document`` is indexed as, now."""
    if document.kind == R.INCOMING:
        is_open = document.status in R.OPEN
        done = _month(document.finished) if document.status == R.DONE else None
        return {
            "due": _due_key(document.deadline, document.id) if is_open else None,
            "handlers": tuple(document.handlers) if is_open else (),
            "done": done,
            "done_by": tuple((done, h) for h in document.handlers) if done else (),
            "status": document.status if is_open else None,
            "register": (document.year, document.arrival_number),
            "arrival": (document.arrival.astimezone(UTC).isoformat(), document.id),
        }
    issued = document.issued is not None
    return {
        "due": None,
        "handlers": (),
        "done": None,
        "done_by": (),
        "status": None,
        "register": (document.issued.astimezone(UTC).isoformat(), document.id) if issued else None,
        "arrival": None,
    }


def _set_of(tree, key):
    found = tree.get(key)
    if found is None:
        found = tree[key] = OOTreeSet()
    return found


def _discard(tree, key, member) -> None:
    found = tree.get(key)
    if found is not None and member in found:
        found.remove(member)


def _reindex_counts(site, office, document, old: dict, new: dict) -> None:
    """The indexes the dashboard counts and the registers' periods read."""
    if old.get("status") != new["status"]:
        if old.get("status") is not None:
            _discard(office.open_by_status, old["status"], document.id)
        if new["status"] is not None:
            _set_of(office.open_by_status, new["status"]).add(document.id)
    if old.get("arrival") != new["arrival"]:
        if old.get("arrival") is not None and old["arrival"] in office.incoming_by_arrival:
            office.incoming_by_arrival.remove(old["arrival"])
        if new["arrival"] is not None:
            office.incoming_by_arrival.add(new["arrival"])
    before, after = set(old.get("done_by", ())), set(new["done_by"])
    for month, handler in before - after:
        _discard(office.done_handled, (month, handler), document.id)
        unrecord_done(site, handler, month, office.unit_code, document.id)
    for month, handler in after - before:
        _set_of(office.done_handled, (month, handler)).add(document.id)
        record_done(site, handler, month, office.unit_code, document.id)


def reindex(request, document) -> None:
    """Bring the office's indexes in step with ``document``, then tell the
    listeners."""
    office = document.__parent__
    site = request.root
    old = getattr(document, "indexed", None) or {}
    new = index_keys(document)
    if old.get("due") != new["due"]:
        if old.get("due") is not None and old["due"] in office.open_due:
            office.open_due.remove(old["due"])
        if new["due"] is not None:
            office.open_due.add(new["due"])
    if tuple(old.get("handlers", ())) != new["handlers"]:
        for handler in set(old.get("handlers", ())) - set(new["handlers"]):
            found = office.open_assigned.get(handler)
            if found is not None and document.id in found:
                found.remove(document.id)
            unassign(site, handler, office.unit_code, document.id)
        for handler in set(new["handlers"]) - set(old.get("handlers", ())):
            _set_of(office.open_assigned, handler).add(document.id)
            assign(site, handler, office.unit_code, document.id)
    if old.get("done") != new["done"]:
        if old.get("done") is not None:
            found = office.done_by_month.get(old["done"])
            if found is not None and document.id in found:
                found.remove(document.id)
        if new["done"] is not None:
            _set_of(office.done_by_month, new["done"]).add(document.id)
    if old.get("register") != new["register"]:
        tree = office.incoming_register if document.kind == R.INCOMING else office.outgoing_register
        if old.get("register") is not None:
            tree.pop(old["register"], None)
        if new["register"] is not None:
            tree[new["register"]] = document.id
    _reindex_counts(site, office, document, old, new)
    if old != new:
        document.indexed = new
    for listener in getattr(request.registry, "documents_listeners", ()):
        listener(request, document)


def add_listener(config, listener) -> None:
    """The ``config.add_documents_listener(fn)`` directive: ``fn(request,
    document)`` is called after each change of a registered document."""
    config.registry.documents_listeners.append(listener)
