"""Links between legal documents, kept both ways.

A document names the documents it ``replaces`` and ``amends`` (uids, checked by
:func:`plugins.documents.library_types.link_errors`); the documents named get the
link back (``replaced_by``, ``amended_by``), and a replaced document the status
"bị thay thế". When a document no longer names one (its links edited, or it is
deleted), the link back goes, and a document no other replaces gets back the
status it had before. What was last applied is kept on the document
(``applied_links``), so an edit changes only what it changed.

The documents at the other end are changed by the system, not by the requester's
edit: their modification is announced (``core.events.object_modified``) so the
catalog indexes them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import events
from core.clock import now
from core.hookspecs import hookimpl
from core.uids import resolve
from plugins.documents.legal import IN_FORCE, REPLACED, ILegalDocument


@dataclass(frozen=True)
class Relation:
    """A kind of link: the attribute naming the targets and their attribute
    naming the source back."""

    forward: str
    back: str


REPLACES = Relation("replaces", "replaced_by")
AMENDS = Relation("amends", "amended_by")
RELATIONS = (REPLACES, AMENDS)


def link(request, relation: Relation, target, source_uid: str) -> None:
    """Give ``target`` the link back to ``source_uid`` (replaced: its status too)."""
    changed = [relation.back]
    setattr(target, relation.back, (*getattr(target, relation.back), source_uid))
    if relation is REPLACES and target.status != REPLACED:
        target.status_before_replacement = target.status
        target.status = REPLACED
        changed.append("status")
    touched(request, target, changed)


def unlink(request, relation: Relation, target, source_uid: str) -> None:
    """Take the link back to ``source_uid`` from ``target``; a document no longer
    replaced by any gets back its status from before."""
    changed = [relation.back]
    remaining = tuple(uid for uid in getattr(target, relation.back) if uid != source_uid)
    setattr(target, relation.back, remaining)
    if relation is REPLACES and not remaining and target.status == REPLACED:
        target.status = target.status_before_replacement or IN_FORCE
        changed.append("status")
    touched(request, target, changed)


def touched(request, target, fields: list[str]) -> None:
    target.modified = now()
    events.object_modified(request, target, fields)


def apply_links(request, document, forget: bool = False) -> None:
    """Make the links back agree with ``document``'s links (with ``forget``: with
    no links, as when it is deleted)."""
    applied = dict(document.applied_links or {})
    for relation in RELATIONS:
        wanted = () if forget else tuple(getattr(document, relation.forward))
        before = tuple(applied.get(relation.forward, ()))
        for uid in wanted:
            target = resolve(request.root, uid)
            if uid not in before and ILegalDocument.providedBy(target):
                link(request, relation, target, document.uid)
        for uid in before:
            target = resolve(request.root, uid)
            if uid not in wanted and ILegalDocument.providedBy(target):
                unlink(request, relation, target, document.uid)
        applied[relation.forward] = wanted
    document.applied_links = applied


def drop_links_to(request, document) -> None:
    """Take ``document`` (being deleted) out of the links of those naming it."""
    for relation in RELATIONS:
        for uid in getattr(document, relation.back):
            source = resolve(request.root, uid)
            if not ILegalDocument.providedBy(source):
                continue
            kept = tuple(u for u in getattr(source, relation.forward) if u != document.uid)
            setattr(source, relation.forward, kept)
            applied = dict(source.applied_links or {})
            applied[relation.forward] = kept
            source.applied_links = applied
            touched(request, source, [relation.forward])


@hookimpl(specname="cong_object_added")
def library_document_added(request, obj, parent):
    """A new document (or a copy: its links are its own) links the documents it names."""
    if ILegalDocument.providedBy(obj):
        obj.applied_links = None
        obj.replaced_by = obj.amended_by = ()
        apply_links(request, obj)


@hookimpl(specname="cong_object_modified")
def library_document_modified(request, obj, fields):
    if ILegalDocument.providedBy(obj) and any(r.forward in fields for r in RELATIONS):
        apply_links(request, obj)


@hookimpl(specname="cong_object_removed")
def library_document_removed(request, obj, parent):
    if ILegalDocument.providedBy(obj):
        apply_links(request, obj, forget=True)
        drop_links_to(request, obj)
