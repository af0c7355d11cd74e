"""Registering documents: an incoming document in the unit's incoming register
(numbered there), a new outgoing document (a draft of the unit).

Both check who registers (:mod:`plugins.documents.access`) and what is entered
(:mod:`plugins.documents.entries`) before anything is stored.
"""

from __future__ import annotations

from core.clock import now
from core.i18n import _
from plugins.documents import registered as R
from plugins.documents.access import has_role, login_of
from plugins.documents.entries import EntryError
from plugins.documents.indexing import reindex
from plugins.documents.numbering import arrival_number, draft_id, incoming_id
from plugins.documents.registry import registry_of
from plugins.documents.sealing import checked_attachments
from plugins.documents.units import unit_of

#: Who names the portal for what it does itself (an exchange's delivery).
SYSTEM = "Hệ thống"


def actor_title(request) -> str:
    user = request.identity
    return (getattr(user, "fullname", "") or user.login) if user is not None else SYSTEM


def _event(request, transition: str, source: str, dest: str, comment: str = "") -> R.Event:
    return R.Event(
        now(), login_of(request), actor_title(request), transition, source, dest, comment
    )


def check_readers(request, readers: tuple[str, ...]) -> None:
    principals = request.root.principals
    unknown = [login for login in readers if principals.get_user(login) is None]
    if unknown:
        raise EntryError(
            _("Không có người dùng: ${names}.", mapping={"names": ", ".join(unknown[:5])}),
            400,
            {"readers": _("Không có người dùng này.")},
        )


def register_incoming(
    request, office, values: dict, *, origin: tuple[str, str] | None = None, check: bool = True
):
    """Number and keep a new incoming document of ``office`` from ``values``
    (:func:`plugins.documents.entries.parse_incoming`). A document the exchange
    delivers (``origin``: the sending unit and its outgoing id) waits for the
    clerk's confirmation (``arrived``); one a clerk registers is ``registered``.
    ``check``: whether the requester must be the unit's Clerk."""
    if check and not has_role(request, office.unit_code, "Clerk"):
        raise EntryError(_("Chỉ văn thư của đơn vị được vào sổ văn bản đến."), 403)
    readers = tuple(values.get("readers", ()))
    if values.get("secrecy"):
        check_readers(request, readers)
        login = login_of(request)
        if login and login not in readers:
            readers = (login, *readers)
    values = {**values, "attachments": checked_attachments(request, values.get("attachments", ()))}
    site = request.root
    arrival = values["arrival"]
    number = arrival_number(site, office, arrival)
    status = R.ARRIVED if origin else R.REGISTERED
    fields = {k: v for k, v in values.items() if k not in ("arrival", "readers")}
    document = R.IncomingDocument(
        incoming_id(arrival, number),
        arrival_number=number,
        arrival=arrival,
        origin=origin,
        readers=readers,
        created=now(),
        creator=login_of(request),
        status=status,
        **fields,
    )
    document.__parent__ = office
    office.documents[document.id] = document
    document.add_event(_event(request, "register", "", status))
    reindex(request, document)
    return document


def resolve_recipients(request, codes: tuple[str, ...]) -> tuple[R.Recipient, ...]:
    """The recipients named by ``codes``: units of the portal (their code) and
    agencies of the partner catalogue."""
    site = request.root
    partners = registry_of(site).partners
    found, unknown = [], []
    for code in codes:
        unit = unit_of(site, code)
        if unit is not None:
            found.append(R.Recipient(code, unit.title, True))
        elif code in partners:
            found.append(R.Recipient(code, partners[code].name, False))
        else:
            unknown.append(code)
    if unknown:
        raise EntryError(
            _("Không có đơn vị nhận: ${codes}.", mapping={"codes": ", ".join(unknown[:5])}),
            400,
            {"recipients": _("Không có trong danh mục đơn vị.")},
        )
    return tuple(found)


def check_reference(office, doc_id: str, name: str) -> None:
    """``doc_id`` names an issued outgoing document of ``office`` (or nothing)."""
    if not doc_id:
        return
    other = office.documents.get(doc_id)
    if other is None or other.kind != R.OUTGOING or other.issued is None:
        raise EntryError(
            _("Cần mã của một văn bản đi đã ban hành."),
            400,
            {name: _("Không có văn bản đi đã ban hành với mã này.")},
        )


def create_outgoing(request, office, values: dict):
    """Keep a new draft of ``office`` from ``values``
    (:func:`plugins.documents.entries.parse_outgoing`). Clerks, Specialists and
    Leaders of the unit draft."""
    if not has_role(request, office.unit_code, "Clerk", "Specialist", "Leader"):
        raise EntryError(_("Chỉ cán bộ của đơn vị được soạn văn bản đi."), 403)
    values = dict(values)
    recipients = resolve_recipients(request, values.pop("recipient_codes", ()))
    readers = tuple(values.pop("readers", ()))
    if values.get("secrecy"):
        check_readers(request, readers)
        login = login_of(request)
        if login and login not in readers:
            readers = (login, *readers)
    if office.unit_code in {r.code for r in recipients}:
        raise EntryError(
            _("Đơn vị không gửi văn bản cho chính mình."), 400, {"recipients": _("Bỏ đơn vị mình.")}
        )
    check_reference(office, values.get("replaces", ""), "replaces")
    check_reference(office, values.get("corrects", ""), "corrects")
    values.pop("notation", None)  # given at issue
    document = R.OutgoingDocument(
        draft_id(request.root, office),
        recipients=recipients,
        readers=readers,
        created=now(),
        creator=login_of(request),
        status=R.DRAFT,
        **values,
    )
    document.__parent__ = office
    office.documents[document.id] = document
    document.add_event(_event(request, "create", "", R.DRAFT))
    reindex(request, document)
    return document
