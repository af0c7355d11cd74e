"""The workflows of registered documents: what each transition needs, who may do
it, what it changes. Every transition is in the document's history.

Incoming (văn bản đến):

================ ================================ ============ =====================
transition       from                             to           who
================ ================================ ============ =====================
accept           arrived (exchange)               registered   Clerk
submit           registered                       submitted    Clerk
assign           submitted, assigned, processing  assigned     Leader
start            assigned                         processing   the lead, Leader
note             assigned, processing             (same)       the handlers, Leader
finish           assigned, processing             done         the lead, Leader
return_to_sender arrived, registered, submitted   returned     Clerk, Leader
accept_recall    any but recalled (recall asked)  recalled     Clerk, Leader
refuse_recall    any but recalled (recall asked)  (same)       Clerk, Leader
================ ================================ ============ =====================

Outgoing (văn bản đi):

========= ==================== ================== ===========================
transition from                to                 who
========= ==================== ================== ===========================
submit    draft                awaiting_signature Clerk, Specialist, Leader
reject    awaiting_signature   draft              Leader
sign      awaiting_signature   signed             Leader
issue     signed               issued             Clerk (allocates the number)
send      issued               sent               Clerk
recall    issued, sent         recalled           Clerk, Leader
========= ==================== ================== ===========================

Roles are those held at the document's unit (Managers hold every role); "the
lead" is the person the direction names, or the staff of the unit it names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from core.clock import TIMEZONE, now
from core.fields import Invalid, check_text
from core.i18n import _
from core.workdays import add_working_days, working_calendar
from plugins.documents import registered as R
from plugins.documents.access import has_role, is_handler, is_lead, is_manager, login_of
from plugins.documents.indexing import reindex
from plugins.documents.numbering import DuplicateNumber, allocate
from plugins.documents.registration import actor_title
from plugins.documents.sealing import SealError, seal_at_issue
from plugins.documents.units import unit_of

#: The longest comment, direction or reason.
MAX_COMMENT = 5000


class TransitionError(ValueError):
    """A transition refused: ``status`` 400 (bad data), 403 (not allowed to this
    person), 404 (no such transition) or 409 (not from this status)."""

    def __init__(self, message, status: int = 409, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {}


@dataclass(frozen=True)
class Transition:
    name: str
    title: str
    kind: str
    source: frozenset[str]
    dest: str | None  # None: the status stays
    roles: tuple[str, ...]
    lead: bool = False  # the direction's lead may do it too
    handlers: bool = False  # any handler (lead or coordinator) may do it
    needs_comment: bool = False
    recall: bool = False  # only while the sender asks for a recall


IN, OUT = R.INCOMING, R.OUTGOING
_OPEN_OR_DONE = frozenset({*R.OPEN, R.DONE, R.RETURNED})
TRANSITIONS = {
    (t.kind, t.name): t
    for t in (
        Transition("accept", _("Tiếp nhận"), IN, frozenset({R.ARRIVED}), R.REGISTERED, ("Clerk",)),
        Transition(
            "submit", _("Trình lãnh đạo"), IN, frozenset({R.REGISTERED}), R.SUBMITTED, ("Clerk",)
        ),
        Transition(
            "assign",
            _("Chỉ đạo, giao xử lý"),
            IN,
            frozenset({R.SUBMITTED, R.ASSIGNED, R.PROCESSING}),
            R.ASSIGNED,
            ("Leader",),
        ),
        Transition(
            "start",
            _("Bắt đầu xử lý"),
            IN,
            frozenset({R.ASSIGNED}),
            R.PROCESSING,
            ("Leader",),
            lead=True,
        ),
        Transition(
            "note",
            _("Cập nhật tiến độ"),
            IN,
            frozenset({R.ASSIGNED, R.PROCESSING}),
            None,
            ("Leader",),
            handlers=True,
            needs_comment=True,
        ),
        Transition(
            "finish",
            _("Hoàn thành"),
            IN,
            frozenset({R.ASSIGNED, R.PROCESSING}),
            R.DONE,
            ("Leader",),
            lead=True,
        ),
        Transition(
            "return_to_sender",
            _("Trả lại nơi gửi"),
            IN,
            frozenset({R.ARRIVED, R.REGISTERED, R.SUBMITTED}),
            R.RETURNED,
            ("Clerk", "Leader"),
            needs_comment=True,
        ),
        Transition(
            "accept_recall",
            _("Đồng ý thu hồi"),
            IN,
            _OPEN_OR_DONE,
            R.RECALLED,
            ("Clerk", "Leader"),
            recall=True,
        ),
        Transition(
            "refuse_recall",
            _("Từ chối thu hồi"),
            IN,
            _OPEN_OR_DONE,
            None,
            ("Clerk", "Leader"),
            needs_comment=True,
            recall=True,
        ),
        Transition(
            "submit",
            _("Trình ký"),
            OUT,
            frozenset({R.DRAFT}),
            R.AWAITING_SIGNATURE,
            ("Clerk", "Specialist", "Leader"),
        ),
        Transition(
            "reject",
            _("Trả lại dự thảo"),
            OUT,
            frozenset({R.AWAITING_SIGNATURE}),
            R.DRAFT,
            ("Leader",),
            needs_comment=True,
        ),
        Transition(
            "sign", _("Ký duyệt"), OUT, frozenset({R.AWAITING_SIGNATURE}), R.SIGNED, ("Leader",)
        ),
        Transition(
            "issue", _("Ban hành (cấp số)"), OUT, frozenset({R.SIGNED}), R.ISSUED, ("Clerk",)
        ),
        Transition("send", _("Gửi văn bản"), OUT, frozenset({R.ISSUED}), R.SENT, ("Clerk",)),
        Transition(
            "recall",
            _("Thu hồi"),
            OUT,
            frozenset({R.ISSUED, R.SENT}),
            R.RECALLED,
            ("Clerk", "Leader"),
            needs_comment=True,
        ),
    )
}
#: What a transition does besides changing the status: (kind, name) -> fn(request,
#: document, data), raising TransitionError to refuse (nothing changed yet).
ACTIONS: dict[tuple[str, str], Callable] = {}


def action(kind: str, name: str):
    def register(fn):
        ACTIONS[(kind, name)] = fn
        return fn

    return register


def find(document, name: str) -> Transition:
    found = TRANSITIONS.get((document.kind, name)) if isinstance(name, str) else None
    if found is None:
        raise TransitionError(_("Không có thao tác này."), 404)
    return found


def allowed(request, document, transition: Transition) -> bool:
    """Whether the requester may do ``transition`` on ``document`` (its status
    aside)."""
    if has_role(request, document.unit_code, *transition.roles):
        return not document.secrecy or login_of(request) in document.readers or is_manager(request)
    if transition.lead and is_lead(request, document):
        return True
    return transition.handlers and is_handler(request, document)


def available(request, document) -> list[Transition]:
    """The transitions the requester may do on ``document`` now."""
    return [
        t
        for (kind, _name), t in TRANSITIONS.items()
        if kind == document.kind and _possible(document, t) and allowed(request, document, t)
    ]


def _possible(document, transition: Transition) -> bool:
    if document.status not in transition.source:
        return False
    asked = bool(getattr(document, "recall_requested", ""))
    return asked if transition.recall else True


def _comment(data: dict, required: bool) -> str:
    comment = data.get("comment", "")
    if comment is None:
        comment = ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        raise TransitionError(
            _("Ý kiến phải là văn bản, tối đa ${n} ký tự.", mapping={"n": MAX_COMMENT}),
            400,
            {"comment": _("Không hợp lệ.")},
        )
    try:
        comment = check_text(comment).strip()
    except Invalid as error:
        raise TransitionError(error.message, 400, {"comment": error.message}) from None
    if required and not comment:
        raise TransitionError(
            _("Cần ghi ý kiến hoặc lý do."), 400, {"comment": _("Bắt buộc nhập.")}
        )
    return comment


def perform(request, document, name: str, data: dict | None = None):
    """Do transition ``name`` on ``document`` for the requester, with ``data`` (a
    dict: ``comment`` and what the transition needs). TransitionError leaves the
    document as it was."""
    data = data if isinstance(data, dict) else {}
    transition = find(document, name)
    if not allowed(request, document, transition):
        raise TransitionError(_("Bạn không có quyền thực hiện thao tác này."), 403)
    if not _possible(document, transition):
        raise TransitionError(
            _(
                "Không thực hiện được \u201c${name}\u201d khi văn bản đang ở trạng thái này.",
                mapping={"name": transition.title},
            ),
            409,
        )
    comment = _comment(data, transition.needs_comment)
    act = ACTIONS.get((document.kind, transition.name))
    # ``note`` is what an action adds for the history, never what a requester sends
    given = {k: v for k, v in data.items() if k != "note"} | {"comment": comment}
    if act is not None:
        act(request, document, given)
    if given.get("note"):  # what the action adds for the history
        note = request.localizer.translate(given["note"])
        comment = f"{comment}\n{note}" if comment else note
    source = document.status
    if transition.dest is not None:
        document.status = transition.dest
    document.add_event(
        R.Event(
            now(),
            login_of(request),
            actor_title(request),
            transition.name,
            source,
            document.status,
            comment,
        )
    )
    reindex(request, document)
    return document


# what the transitions do besides changing the status ---------------------------------
def _handler(request, raw, name: str, errors: dict) -> str | None:
    """A handler token from ``raw``: ``user:<login>``, ``unit:<code>``, or a bare
    login or unit code."""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 120:
        errors[name] = _("Cần một người dùng hoặc một đơn vị.")
        return None
    text = raw.strip()
    kind, sep, value = text.partition(":")
    if not sep:
        kind, value = ("unit", text) if unit_of(request.root, text) is not None else ("user", text)
    if kind == "user" and request.root.principals.get_user(value) is not None:
        return R.person(value)
    if kind == "unit" and unit_of(request.root, value) is not None:
        return R.unit(value)
    errors[name] = _(
        "Không có người dùng hoặc đơn vị \u201c${name}\u201d.", mapping={"name": text[:60]}
    )
    return None


def handler_title(request, token: str) -> str:
    kind, _sep, value = token.partition(":")
    if kind == "unit":
        subsite = unit_of(request.root, value)
        return subsite.title if subsite is not None else value
    user = request.root.principals.get_user(value)
    return (getattr(user, "fullname", "") or value) if user is not None else value


def _deadline(request, data: dict, errors: dict) -> datetime | None:
    """The deadline: ``deadline`` (a date: the end of that day) or ``days`` (working
    days from now, on the portal's working-day calendar)."""
    raw, days = data.get("deadline"), data.get("days")
    if raw not in (None, ""):
        try:
            day = date.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            day = None
        if day is None:
            errors["deadline"] = _("Ngày không hợp lệ (định dạng YYYY-MM-DD).")
            return None
        if day < now().astimezone(TIMEZONE).date():
            errors["deadline"] = _("Hạn xử lý không được trước hôm nay.")
            return None
        return R.end_of_day(day)
    if days not in (None, ""):
        if isinstance(days, str) and days.strip().isdigit():
            days = int(days)
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            errors["days"] = _("Số ngày làm việc từ 1 đến 365.")
            return None
        return add_working_days(working_calendar(request), now(), days).astimezone(UTC)
    return None


@action(IN, "assign")
def _assign(request, document, data):
    errors = {}
    text = data.get("direction", data["comment"])
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_COMMENT:
        errors["direction"] = _("Cần ghi ý kiến chỉ đạo.")
    lead = _handler(request, data.get("lead"), "lead", errors)
    raw = data.get("coordinators") or []
    if isinstance(raw, str):
        raw = [v for v in raw.replace(",", "\n").splitlines() if v.strip()]
    coordinators = []
    if not isinstance(raw, list) or len(raw) > 50:
        errors["coordinators"] = _("Cần một danh sách người dùng hoặc đơn vị.")
    else:
        for item in raw:
            token = _handler(request, item, "coordinators", errors)
            if token and token != lead and token not in coordinators:
                coordinators.append(token)
    deadline = _deadline(request, data, errors)
    if errors:
        raise TransitionError(_("Chỉ đạo chưa đủ thông tin."), 400, errors)
    if document.secrecy:
        readers = [*document.readers]
        for token in (lead, *coordinators):
            kind, _sep, value = token.partition(":")
            if kind == "user" and value not in readers:
                readers.append(value)
        document.readers = tuple(readers)
    document.direction = R.Direction(
        text=text.strip(),
        leader=login_of(request),
        leader_title=actor_title(request),
        when=now(),
        lead=lead,
        lead_title=handler_title(request, lead),
        coordinators=tuple(coordinators),
        deadline=deadline or document.deadline,
    )
    if deadline is not None:
        document.deadline = deadline


@action(IN, "finish")
def _finish(request, document, data):
    document.finished = now()


@action(IN, "return_to_sender")
def _return(request, document, data):
    document.return_reason = data["comment"]


@action(IN, "accept_recall")
def _accept_recall(request, document, data):
    """The receiver deletes the electronic document (Decree 30, art. 18): its files
    go, its register line stays."""
    document.attachments = ()
    document.recall_requested = ""


@action(IN, "refuse_recall")
def _refuse_recall(request, document, data):
    document.recall_requested = ""


@action(OUT, "sign")
def _sign(request, document, data):
    errors = {}
    for name, limit in (("signer_name", 200), ("signer_position", 200)):
        value = data.get(name)
        if value in (None, ""):
            continue
        if not isinstance(value, str) or len(value) > limit:
            errors[name] = _("Không hợp lệ.")
        else:
            setattr(document, name, value.strip())
    authority = data.get("authority")
    if authority not in (None,):
        if not isinstance(authority, str) or authority not in R.AUTHORITIES:
            errors["authority"] = _("Thẩm quyền ký: TM., KT., TL., TUQ., Q. hoặc để trống.")
        else:
            document.authority = authority
    if errors:
        raise TransitionError(_("Thông tin người ký chưa đúng."), 400, errors)
    if not document.signer_name:
        document.signer_name = actor_title(request)


@action(OUT, "issue")
def _issue(request, document, data):
    number = data.get("number")
    if number in ("", None):
        number = None
    elif isinstance(number, str) and number.strip().isdigit():
        number = int(number)
    if number is not None and (
        not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 999999
    ):
        raise TransitionError(
            _("Số văn bản là số nguyên dương."), 400, {"number": _("Không hợp lệ.")}
        )
    office = document.__parent__
    moment = now()
    try:
        document.number, document.notation = allocate(
            request.root, office, document, moment, number
        )
    except DuplicateNumber as error:
        raise TransitionError(error.message, 409, {"number": error.message}) from None
    document.issued = moment
    document.document_date = moment.astimezone(TIMEZONE).date()
    subsite = unit_of(request.root, office.unit_code)
    try:
        note = seal_at_issue(request, document, subsite.title if subsite is not None else "")
    except SealError as error:
        raise TransitionError(error.message, 409) from None
    if note:
        data["note"] = note
    for name in ("replaces", "corrects"):
        other = office.documents.get(getattr(document, name)) if getattr(document, name) else None
        if other is not None and name == "replaces":
            other.replaced_by = document.id


@action(OUT, "send")
def _send(request, document, data):
    document.sent = now()


@action(OUT, "recall")
def _recall(request, document, data):
    document.recall_reason = data["comment"]
