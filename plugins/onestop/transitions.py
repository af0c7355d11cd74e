"""The dossier's workflow: the national statuses and the transitions between them
(the JSON API's names), each allowed to a role at the unit it concerns, each
recorded in the history.

=================== ===================== ====== ============================ ==========
transition          from                  to     who                          where
=================== ===================== ====== ============================ ==========
receive             1                     2      Receptionist                 receiving
refuse              1                     3      Receptionist                 receiving
assign              2, 4                  4      Specialist, Leader           the step's
transfer            4                     4      Specialist, Leader           the step's
request_supplement  1, 2, 4               5      Receptionist (1, 2),         receiving /
                                                 Specialist, Leader (4)       the step's
supplement          5                     before applicant, Receptionist      receiving
request_payment     2, 4                  6      Receptionist, Specialist     the step's
pay                 6                     before Receptionist (at the counter) receiving
approve             4                     9      Leader                       the step's
deny                4                     9      Leader                       the step's
suspend             2, 4, 5, 6            8      Leader                       processing
withdraw            1, 2, 4, 5, 6         7      applicant, Receptionist      receiving
return_result       9                     10     Receptionist                 receiving
=================== ===================== ====== ============================ ==========

"The step's" unit is the unit of the dossier's current step (the processing unit,
or the unit a liên thông step is with). Managers may do every transition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ZODB.blob import Blob

from core.clock import now
from core.fields import Upload
from core.i18n import _
from core.sniffing import NotADocument, check_document
from plugins.onestop import deadlines, statuses
from plugins.onestop.access import is_applicant, is_manager, login_of, roles_at
from plugins.onestop.dossier import Document, Dossier, Event, Result, Supplement
from plugins.onestop.fees import FeeError, ask_for_fees
from plugins.onestop.indexing import reindex
from plugins.onestop.limits import max_file_bytes

S = statuses
RECEIVING, PROCESSING, STEP = "receiving", "processing", "step"
#: Who the history names for what the portal does itself.
SYSTEM = "Hệ thống"


class TransitionError(ValueError):
    """A transition refused: ``status`` 400 (bad data), 403 (not allowed to this
    person) or 409 (not from this status); ``message`` says why."""

    def __init__(self, message, status: int = 409, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {}


@dataclass(frozen=True)
class Transition:
    name: str
    title: str
    source: frozenset[int]
    dest: int | None  # None: back to the status before the wait
    roles: tuple[str, ...]
    where: str
    applicant: bool = False
    needs_comment: bool = False


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "receive",
            _("Tiếp nhận"),
            frozenset({S.SUBMITTED}),
            S.RECEIVED,
            ("Receptionist",),
            RECEIVING,
        ),
        Transition(
            "refuse",
            _("Từ chối tiếp nhận"),
            frozenset({S.SUBMITTED}),
            S.REFUSED,
            ("Receptionist",),
            RECEIVING,
            needs_comment=True,
        ),
        Transition(
            "assign",
            _("Chuyển xử lý"),
            frozenset({S.RECEIVED, S.PROCESSING}),
            S.PROCESSING,
            ("Specialist", "Leader"),
            STEP,
        ),
        Transition(
            "transfer",
            _("Chuyển liên thông"),
            frozenset({S.PROCESSING}),
            S.PROCESSING,
            ("Specialist", "Leader"),
            STEP,
        ),
        Transition(
            "request_supplement",
            _("Yêu cầu bổ sung"),
            frozenset({S.SUBMITTED, S.RECEIVED, S.PROCESSING}),
            S.SUPPLEMENT,
            ("Receptionist", "Specialist", "Leader"),
            STEP,
            needs_comment=True,
        ),
        Transition(
            "supplement",
            _("Bổ sung hồ sơ"),
            frozenset({S.SUPPLEMENT}),
            None,
            ("Receptionist",),
            RECEIVING,
            applicant=True,
        ),
        Transition(
            "request_payment",
            _("Yêu cầu nộp phí, lệ phí"),
            frozenset({S.RECEIVED, S.PROCESSING}),
            S.PAYMENT,
            ("Receptionist", "Specialist"),
            STEP,
        ),
        Transition(
            "pay",
            _("Đã nộp phí, lệ phí"),
            frozenset({S.PAYMENT}),
            None,
            ("Receptionist",),
            RECEIVING,
        ),
        Transition(
            "approve", _("Phê duyệt"), frozenset({S.PROCESSING}), S.RESULT_READY, ("Leader",), STEP
        ),
        Transition(
            "deny",
            _("Từ chối giải quyết"),
            frozenset({S.PROCESSING}),
            S.RESULT_READY,
            ("Leader",),
            STEP,
            needs_comment=True,
        ),
        Transition(
            "suspend",
            _("Dừng xử lý"),
            frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT}),
            S.SUSPENDED,
            ("Leader",),
            PROCESSING,
            needs_comment=True,
        ),
        Transition(
            "withdraw",
            _("Rút hồ sơ"),
            frozenset({S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT}),
            S.WITHDRAWN,
            ("Receptionist",),
            RECEIVING,
            applicant=True,
        ),
        Transition(
            "return_result",
            _("Trả kết quả"),
            frozenset({S.RESULT_READY}),
            S.RETURNED,
            ("Receptionist",),
            RECEIVING,
        ),
    )
}


def unit_concerned(transition: Transition, dossier: Dossier) -> str:
    """The code of the unit where ``transition`` is done on ``dossier``."""
    if transition.where == RECEIVING:
        return dossier.receiving_unit
    if transition.where == PROCESSING:
        return dossier.processing_unit
    if transition.name == "request_supplement" and dossier.status != S.PROCESSING:
        return dossier.receiving_unit
    step = dossier.current_step
    return step.unit if step is not None else dossier.processing_unit


def may(request, dossier: Dossier, transition: Transition) -> bool:
    """Whether the requester may do ``transition`` on ``dossier`` (whatever its status)."""
    if transition.applicant and is_applicant(request, dossier):
        return True
    if is_manager(request):
        return True
    roles = roles_at(request, unit_concerned(transition, dossier))
    if transition.name == "request_supplement" and dossier.status != S.PROCESSING:
        return "Receptionist" in roles
    return bool(roles & set(transition.roles))


def available(request, dossier: Dossier) -> list[Transition]:
    """The transitions the requester may do now."""
    return [
        t
        for t in TRANSITIONS.values()
        if dossier.status in t.source and may(request, dossier, t) and _fits(t, dossier)
    ]


def _fits(transition: Transition, dossier: Dossier) -> bool:
    if transition.name in ("assign", "transfer", "approve", "deny") and any(
        h.back is None for h in dossier.handovers
    ):
        return False  # the dossier is with another unit (liên thông)
    if transition.name == "assign":  # only while a step is left before approval
        step = dossier.current_step
        return step is not None and step.role != "Leader" or dossier.status == S.RECEIVED
    return True


#: Extra work a transition does, by name: ``(request, dossier, data, when) -> comment``.
ACTIONS: dict[str, Callable] = {}


def action(name: str):
    def register(function):
        ACTIONS[name] = function
        return function

    return register


def perform(
    request, dossier: Dossier, name: str, data: dict | None = None, system: bool = False
) -> Event:
    """Do transition ``name`` on ``dossier`` for the requester with ``data`` (a
    ``comment`` and what the transition needs); :class:`TransitionError` when
    refused, leaving the dossier as it was. ``system``: done by the portal itself
    (a payment reported paid), whoever the requester is."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError(_("Không có thao tác ${name}.", mapping={"name": name}), 404)
    data = data if isinstance(data, dict) else {}
    comment = data.get("comment", "")
    if (
        not isinstance(comment, str)
        or len(comment) > 2000
        or any(ord(c) < 32 and c not in "\t\r\n" for c in comment)
    ):
        raise TransitionError(
            _("Ý kiến là văn bản, tối đa 2000 ký tự."), 400, {"comment": "invalid"}
        )
    comment = comment.strip()
    if dossier.status not in transition.source:
        raise TransitionError(
            _(
                "Không thể ${action} hồ sơ ở trạng thái “${status}”.",
                mapping={"action": transition.title, "status": dossier.status_info.title},
            ),
            409,
        )
    if not system and not may(request, dossier, transition):
        raise TransitionError(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."), 403)
    if not _fits(transition, dossier):
        raise TransitionError(
            _("Hồ sơ đang ở đơn vị liên thông, hoặc bước hiện tại cần được phê duyệt."), 409
        )
    if transition.needs_comment and not comment:
        raise TransitionError(_("Cần ghi rõ lý do."), 400, {"comment": "required"})
    when = deadlines.stored(now())
    source = dossier.status
    extra = ACTIONS.get(name)
    if extra is not None:
        comment = extra(request, dossier, data, when) or comment
    if transition.dest is None:
        dest = dossier.resume_status if dossier.resume_status else S.PROCESSING
    else:
        dest = transition.dest
    dossier.status = dest
    if dest in S.CLOSED and dossier.closed is None:
        dossier.closed = when
    step = dossier.current_step
    event = Event(
        when=when,
        actor="" if system else login_of(request),
        actor_title=SYSTEM if system else _actor_title(request),
        unit=unit_concerned(transition, dossier),
        transition=name,
        source=source,
        dest=dest,
        comment=comment,
        step=step.title if step is not None else "",
        step_due=step.due if step is not None else None,
    )
    dossier.add_event(event)
    reindex(request, dossier)
    return event


def _actor_title(request) -> str:
    user = request.identity
    return (getattr(user, "fullname", "") or user.login) if user is not None else ""


# what the transitions do besides changing the status ------------------------------------
@action("receive")
def _receive(request, dossier, data, when):
    deadlines.start_clock(request, dossier, when)


@action("assign")
def _assign(request, dossier, data, when):
    assignee = data.get("assignee", "")
    if not isinstance(assignee, str) or len(assignee) > 100:
        raise TransitionError(_("Người được giao là tên đăng nhập."), 400, {"assignee": "invalid"})
    if assignee and request.root.principals.users.get(assignee) is None:
        raise TransitionError(_("Không có người dùng ${login}.", mapping={"login": assignee}), 400)
    dossier.assignee = assignee
    if dossier.status == S.PROCESSING:  # received: the processing step is under way already
        deadlines.advance(request, dossier, when)


@action("request_supplement")
def _request_supplement(request, dossier, data, when):
    dossier.resume_status = dossier.status
    deadlines.stop_clock(dossier, when)
    dossier.supplements = (
        *dossier.supplements,
        Supplement(when, data["comment"].strip(), dossier.due),
    )


def _uploads(request, data: dict, key: str) -> list[Document]:
    """The files of ``data[key]``: ``(component, Upload)`` pairs, each checked as
    intake checks them (a document by its content, not too large)."""
    pairs = data.get(key) or []
    if not isinstance(pairs, list | tuple) or len(pairs) > 50:
        raise TransitionError(_("Danh sách tệp không hợp lệ."), 400, {key: "invalid"})
    limit = max_file_bytes(request.registry)
    kept = []
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != 2 or not isinstance(pair[1], Upload):
            raise TransitionError(_("Danh sách tệp không hợp lệ."), 400, {key: "invalid"})
        component, upload = pair
        if len(upload.data) > limit:
            raise TransitionError(_("Tệp quá lớn."), 413, {key: "too-large"})
        try:
            media_type = check_document(upload.data)
        except NotADocument as error:
            raise TransitionError(error.message, 400, {key: "not-a-document"}) from None
        kept.append(
            Document(
                str(component)[:300],
                upload.filename,
                media_type,
                len(upload.data),
                Blob(upload.data),
            )
        )
    return kept


@action("supplement")
def _supplement(request, dossier, data, when):
    added = _uploads(request, data, "documents")
    if added:  # a component handed in again replaces the earlier file
        replaced = {d.component for d in added}
        dossier.documents = (*(d for d in dossier.documents if d.component not in replaced), *added)
    previous, new = deadlines.restart_clock(request, dossier, when)
    if dossier.supplements:
        last = dossier.supplements[-1]
        updated = Supplement(last.requested, last.reason, previous, when, new)
        dossier.supplements = (*dossier.supplements[:-1], updated)


@action("request_payment")
def _request_payment(request, dossier, data, when):
    try:
        ask_for_fees(request, dossier, data.get("fees"))
    except FeeError as error:
        raise TransitionError(error.message, 400, error.errors) from None
    dossier.resume_status = dossier.status


@action("approve")
def _approve(request, dossier, data, when):
    dossier.result = _result(request, data, "approved")
    _finish(request, dossier, when)


@action("deny")
def _deny(request, dossier, data, when):
    dossier.result = _result(request, data, "denied")
    _finish(request, dossier, when)


def _finish(request, dossier, when):
    dossier.finished = when
    while dossier.current_step is not None and dossier.current_step.role != "Receptionist":
        if deadlines.advance(request, dossier, when) is None:
            break


def _result(request, data: dict, outcome: str) -> Result:
    """The result document: number and notation, signer, date of issue and file
    (``data["result_file"]``, an Upload), all optional."""
    number, signer = data.get("result_number", ""), data.get("signer", "")
    for key, value in (("result_number", number), ("signer", signer)):
        if not isinstance(value, str) or len(value) > 200 or any(ord(c) < 32 for c in value):
            raise TransitionError(
                _("Số, ký hiệu và người ký là văn bản ngắn."), 400, {key: "invalid"}
            )
    upload = data.get("result_file")
    document = None
    if upload is not None:
        (document,) = _uploads(request, {"result_file": [("result", upload)]}, "result_file")
    return Result(
        number=number.strip(),
        signer=signer.strip(),
        issued=now().date(),
        outcome=outcome,
        document=document,
    )


@action("return_result")
def _return_result(request, dossier, data, when):
    dossier.returned = when
    deadlines.advance(request, dossier, when)


@action("withdraw")
def _withdraw(request, dossier, data, when):
    deadlines.stop_clock(dossier, when)


@action("suspend")
def _suspend(request, dossier, data, when):
    deadlines.stop_clock(dossier, when)
