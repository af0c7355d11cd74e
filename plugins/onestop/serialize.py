"""Dossiers as the JSON API gives them: whole to those allowed to see them
(:func:`dossier_json`), a queue's line (:func:`queue_item`), and the little a
citizen's look-up may know (:func:`lookup_json`)."""

from __future__ import annotations

from core.api.serialize import iso, url_of
from core.clock import now
from plugins.onestop import statuses
from plugins.onestop.apology import appointment
from plugins.onestop.deadlines import is_overdue
from plugins.onestop.desk import QueueEntry
from plugins.onestop.dossier import Document, Dossier, Event
from plugins.onestop.lookup import PUBLIC_STEPS, asked_of_applicant
from plugins.onestop.persons import person_json
from plugins.onestop.transitions import available
from plugins.onestop.units import desk_of, unit_title

#: The view sending a dossier's files: ``<dossier>/@@document/<n>`` (n from 1) or
#: ``<dossier>/@@document/result``.
DOCUMENT_VIEW = "document"
RESULT = "result"


def status_json(request, code: int) -> dict:
    """``status`` (its name), ``status_code`` and ``status_title`` of a status."""
    info = statuses.STATUSES[code]
    return {
        "status": info.name,
        "status_code": info.code,
        "status_title": request.localizer.translate(info.title),
    }


def unit_json(request, code: str) -> dict:
    return {"code": code, "title": unit_title(request.root, code)}


def event_json(request, event: Event, staff: bool = True) -> dict:
    """A history line; without the actor for the applicant's look-up (``staff``
    False: when, what, where, never who)."""
    found = {
        "time": iso(event.when),
        "action": event.transition,
        "from": statuses.STATUSES[event.source].name if event.source else None,
        "to": statuses.STATUSES[event.dest].name if event.dest else None,
        "to_code": event.dest or None,
        "unit": unit_json(request, event.unit),
        "step": event.step,
    }
    if staff:
        found.update(
            actor=event.actor,
            actor_title=event.actor_title,
            comments=event.comment,
            step_due=iso(event.step_due),
        )
    return found


def document_json(request, dossier: Dossier, document: Document, name: str) -> dict:
    return {
        "component": document.component,
        "filename": document.filename,
        "content_type": document.content_type,
        "size": document.size,
        "download": f"{url_of(request, dossier)}/@@{DOCUMENT_VIEW}/{name}",
    }


def dossier_json(request, dossier: Dossier) -> dict:
    """The whole dossier, for its applicant and the staff handling it."""
    moment = now()
    result = dossier.result
    step = dossier.current_step
    return {
        "@id": url_of(request, dossier),
        "@type": "Dossier",
        "code": dossier.code,
        "national_code": dossier.national_code,
        "origin": dossier.origin,
        "subs": list(dossier.subs),
        "procedure": {"code": dossier.procedure_code, "title": dossier.procedure_title},
        "field": dossier.field,
        "channel": dossier.channel,
        **status_json(request, dossier.status),
        "receiving_unit": unit_json(request, dossier.receiving_unit),
        "processing_unit": unit_json(request, dossier.processing_unit),
        "applicant": person_json(dossier.applicant),
        "representative": person_json(dossier.representative),
        "return_method": dossier.return_method,
        "submitted": iso(dossier.submitted),
        "received": iso(dossier.received),
        "due_date": iso(dossier.due),
        "appointment": iso(appointment(dossier)),
        "overdue": is_overdue(dossier, moment),
        "clock_stopped": iso(dossier.clock_stopped),
        "finished": iso(dossier.finished),
        "returned": iso(dossier.returned),
        "closed": iso(dossier.closed),
        "assignee": dossier.assignee,
        "process_version": dossier.process_version,
        "current_step": step.name if step is not None else None,
        "steps": [
            {
                "name": s.name,
                "title": s.title,
                "role": s.role,
                "unit": unit_json(request, s.unit),
                "days": s.days,
                "started": iso(s.started),
                "due": iso(s.due),
                "done": iso(s.done),
            }
            for s in dossier.steps
        ],
        "history": [event_json(request, e) for e in dossier.history],
        "handovers": [
            {
                "time": iso(h.when),
                "sender_unit": unit_json(request, h.sender_unit),
                "receiver_unit": unit_json(request, h.receiver_unit),
                "step": h.step,
                "due": iso(h.due),
                "sub": h.sub,
                "back": iso(h.back),
            }
            for h in dossier.handovers
        ],
        "supplements": [
            {
                "requested": iso(s.requested),
                "reason": s.reason,
                "previous_due": iso(s.previous_due),
                "supplied": iso(s.supplied),
                "new_due": iso(s.new_due),
            }
            for s in dossier.supplements
        ],
        "apologies": [
            {
                "time": iso(a.when),
                "reason": a.reason,
                "previous_due": iso(a.previous_due),
                "new_due": iso(a.new_due),
            }
            for a in dossier.apologies
        ],
        "documents": [
            document_json(request, dossier, d, str(n))
            for n, d in enumerate(dossier.documents, start=1)
        ],
        "result": None
        if result is None
        else {
            "outcome": result.outcome,
            "number": result.number,
            "signer": result.signer,
            "issued": iso(result.issued),
            "document": None
            if result.document is None
            else document_json(request, dossier, result.document, RESULT),
        },
        "asked_of_applicant": asked_of_applicant(dossier),
        "transitions": transitions_json(request, dossier),
    }


def transitions_json(request, dossier: Dossier) -> list[dict]:
    """The transitions the requester may make now, each with its address."""
    base = url_of(request, dossier) + "/@workflow/"
    translate = request.localizer.translate
    return [
        {"@id": base + t.name, "name": t.name, "title": translate(t.title)}
        for t in available(request, dossier)
    ]


def change_json(request, dossier: Dossier, event: Event) -> dict:
    """What a transition answers: the dossier's new status, due date and the
    history line it added."""
    return {
        "@id": url_of(request, dossier),
        "code": dossier.code,
        **status_json(request, dossier.status),
        "due_date": iso(dossier.due),
        "appointment": iso(appointment(dossier)),
        "history_entry": event_json(request, event),
    }


class DossierUrls:
    """The addresses of queued dossiers, from their home desk's code, without
    waking the dossiers."""

    def __init__(self, request):
        self.request = request
        self.desks: dict[str, str] = {}

    def __call__(self, entry: QueueEntry) -> str | None:
        home = entry.home
        if home not in self.desks:
            desk = desk_of(self.request.root, home)
            self.desks[home] = url_of(self.request, desk) if desk is not None else ""
        base = self.desks[home]
        return f"{base}/{entry.code}" if base else None


def queue_item(request, entry: QueueEntry, url: str | None, moment) -> dict:
    """A line of a desk's queue (what :class:`QueueEntry` holds)."""
    return {
        "@id": url,
        "code": entry.code,
        **status_json(request, entry.status),
        "procedure": {"code": entry.procedure_code, "title": entry.procedure_title},
        "applicant": entry.applicant,
        "submitted": iso(entry.submitted),
        "received": iso(entry.received),
        "due_date": iso(entry.due),
        "overdue": entry_overdue(entry, moment),
        "step": {
            "title": entry.step,
            "role": entry.step_role,
            "unit": entry.step_unit,
            "due": iso(entry.step_due),
        },
        "assignee": entry.assignee,
        "home": entry.home,
        "origin": entry.origin,
    }


def entry_overdue(entry: QueueEntry, moment) -> bool:
    """Past its due date while the unit holds it (as :func:`deadlines.is_overdue`)."""
    return entry.due is not None and entry.status in statuses.RUNNING and moment > entry.due


def lookup_json(request, dossier: Dossier) -> dict:
    """What the applicant's look-up tells: the status, the steps done (when, what,
    at which unit: never who), the due date, what is asked of the applicant and
    whether the result is ready. The only personal data is the applicant's name."""
    result = dossier.result
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure_code, "title": dossier.procedure_title},
        "applicant": dossier.applicant.full_name,
        **status_json(request, dossier.status),
        "submitted": iso(dossier.submitted),
        "received": iso(dossier.received),
        "due_date": iso(appointment(dossier)),
        "steps_done": [
            event_json(request, e, staff=False)
            for e in dossier.history
            if e.transition in PUBLIC_STEPS
        ],
        "asked_of_applicant": asked_of_applicant(dossier),
        "result": {
            "ready": dossier.status == statuses.RESULT_READY,
            "returned": iso(dossier.returned),
            "outcome": result.outcome if result is not None else None,
        },
    }
