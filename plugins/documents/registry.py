"""The province's document records at the site: the partner catalogue (outside
agencies documents are exchanged with, by code) and who is assigned what across
units (a person's dashboard). Created by an evolve step."""

from __future__ import annotations

from dataclasses import dataclass

from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent

#: The evolve step giving the site its document records.
EVOLVE_STEP = "documents-0001-registry"


@dataclass(frozen=True)
class Partner:
    """An outside agency of the exchange catalogue: its code (the national agency
    code, e.g. ``000.00.00.G22``), its name, where its edXML packages go (an HTTP
    address; '' when documents reach it another way) and where the status messages
    on the documents it sends us go (``status_endpoint``; '' for none)."""

    code: str
    name: str
    address: str = ""
    email: str = ""
    endpoint: str = ""
    status_endpoint: str = ""


class Documents(Persistent):
    """``partners``: code -> :class:`Partner`; ``assigned``: handler token
    (``user:<login>``, ``unit:<code>``) -> ``(unit code, document id)`` of the open
    documents they lead or coordinate; ``done``: handler token -> ``("YYYY-MM",
    unit code, document id)`` of the documents they led or coordinated, by the
    month they were finished (Vietnam time)."""

    def __init__(self):
        self.partners = OOBTree()
        self.assigned = OOBTree()
        self.done = OOBTree()


def create_registry(site) -> None:
    """Evolve step: give ``site`` its (empty) document records."""
    if getattr(site, "documents", None) is None:
        site.documents = Documents()


def registry_of(site) -> Documents:
    return site.documents


def assign(site, handler: str, unit_code: str, doc_id: str) -> None:
    found = site.documents.assigned.get(handler)
    if found is None:
        found = site.documents.assigned[handler] = OOTreeSet()
    found.add((unit_code, doc_id))


def unassign(site, handler: str, unit_code: str, doc_id: str) -> None:
    found = site.documents.assigned.get(handler)
    if found is not None and (unit_code, doc_id) in found:
        found.remove((unit_code, doc_id))


def assigned_to(site, handler: str) -> list[tuple[str, str]]:
    """The ``(unit code, document id)`` of the open documents ``handler`` (a
    token) leads or coordinates."""
    found = site.documents.assigned.get(handler) if handler else None
    return list(found) if found is not None else []


def record_done(site, handler: str, month: str, unit_code: str, doc_id: str) -> None:
    found = site.documents.done.get(handler)
    if found is None:
        found = site.documents.done[handler] = OOTreeSet()
    found.add((month, unit_code, doc_id))


def unrecord_done(site, handler: str, month: str, unit_code: str, doc_id: str) -> None:
    found = site.documents.done.get(handler)
    if found is not None and (month, unit_code, doc_id) in found:
        found.remove((month, unit_code, doc_id))


def done_by(site, handler: str, month: str) -> list[tuple[str, str]]:
    """The ``(unit code, document id)`` of the documents ``handler`` (a token) led
    or coordinated that were finished in ``month`` (``"YYYY-MM"``)."""
    found = site.documents.done.get(handler) if handler else None
    if found is None:
        return []
    return [(unit, doc_id) for _m, unit, doc_id in found.keys(min=(month,), max=(month, "\uffff"))]
