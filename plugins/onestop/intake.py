"""Intake: one dossier whichever way it comes, from this portal's online form, a
counter's Receptionist, or the national public-service portal.

:func:`submit` checks the procedure (known; offered online for the online form),
routes the dossier to the unit that processes it (a procedure received "phi địa
giới", anywhere in the province, goes to its processing unit; others only at
that unit's own desk), checks the files (one per component, the required ones
present, each a document by its content, not too large), gives it its code and
keeps it at the processing unit's desk. At the counter it is received at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ZODB.blob import Blob

from core.clock import now
from core.fields import Upload
from core.i18n import _
from core.sniffing import NotADocument, check_document
from plugins.onestop import codes, statuses
from plugins.onestop.deadlines import plan_steps, stored
from plugins.onestop.dossier import (
    CHANNEL_NATIONAL,
    CHANNEL_ONLINE,
    RETURN_METHODS,
    Document,
    Dossier,
    Event,
    Person,
)
from plugins.onestop.indexing import reindex
from plugins.onestop.limits import max_file_bytes
from plugins.onestop.process import current_process, settings_of
from plugins.onestop.registry import add_applicant, add_owned
from plugins.onestop.transitions import perform
from plugins.onestop.units import desk_of, unit_of

#: The online levels at which a procedure takes dossiers online (Decree 43/2011).
ONLINE_LEVELS = (3, 4)
#: The channel of each way in, as the procedures' methods name it.
METHOD_OF_CHANNEL = {"online": "truc-tuyen", "counter": "truc-tiep", "national": "truc-tuyen"}


class IntakeError(ValueError):
    """A dossier refused at intake: ``status`` (400, 404, 409, 413), ``message``
    and ``errors`` by field."""

    def __init__(self, message, status: int = 400, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {}


@dataclass
class Submission:
    """What is handed in, checked already field by field."""

    procedure_code: str
    applicant: Person
    return_method: str
    channel: str
    receiving_unit: str
    representative: Person | None = None
    documents: list[tuple[str, Upload | Reuse]] = field(default_factory=list)
    processing_unit: str = ""
    owner: str = ""
    code: str = ""  # a national dossier's MaHoSo
    submitted: datetime | None = None


def find_procedure(request, code):
    """The procedure of ``code``; :class:`IntakeError` 400 when there is none."""
    procedure = None
    if isinstance(code, str) and code.strip():
        procedure = request.registry.cong_plugins.hook.cong_procedure(
            request=request, code=code.strip()
        )
    if procedure is None:
        raise IntakeError(
            _("Không có thủ tục mã “${code}”.", mapping={"code": str(code)[:40]}),
            400,
            {"service": "unknown"},
        )
    return procedure


def processing_days(procedure, channel: str) -> float:
    """The working days of ``procedure`` for ``channel`` (the method of that
    channel, else the shortest); IntakeError when it has none."""
    wanted = METHOD_OF_CHANNEL.get(channel)
    days = [
        m["days"]
        for m in procedure.methods
        if m.get("channel") == wanted and m.get("days") is not None
    ]
    if not days:
        days = [m["days"] for m in procedure.methods if m.get("days") is not None]
    if not days:
        raise IntakeError(_("Thủ tục chưa có thời hạn giải quyết: chưa thể tiếp nhận hồ sơ."), 409)
    return float(min(days))


def route(request, procedure, receiving: str, chosen: str = "") -> str:
    """The code of the unit processing a dossier of ``procedure`` received at
    ``receiving`` (``chosen``: the unit the applicant named, for a procedure every
    unit of a tier processes)."""
    settings = settings_of(request.root, procedure.code)
    anywhere = bool(settings and settings.anywhere)
    target = (settings.processing_unit if settings else "") or procedure.agency_code or ""
    if not target:
        target = chosen if (anywhere and chosen) else receiving
    if target != receiving and not anywhere:
        raise IntakeError(
            _(
                "Thủ tục này không được tiếp nhận phi địa giới: hãy nộp tại đơn vị giải quyết (${unit}).",
                mapping={"unit": _unit_name(request, target)},
            ),
            409,
            {"processing_unit": "not-here"},
        )
    if desk_of(request.root, target) is None:
        raise IntakeError(
            _("Đơn vị giải quyết chưa có một cửa điện tử."), 409, {"processing_unit": "no-desk"}
        )
    return target


def _unit_name(request, code: str) -> str:
    subsite = unit_of(request.root, code)
    return subsite.title if subsite is not None else code


@dataclass(frozen=True)
class Reuse:
    """A component given by the result of an earlier dossier of the same citizen
    (Thông tư 01/2023/TT-VPCP art. 24: results kept in the citizen's store are
    reused, not uploaded again): that dossier's code."""

    code: str


def reused_result(request, owner: str, code: str) -> Document | None:
    """The result file of the citizen ``owner``'s dossier ``code``, or None."""
    dossier = request.root.onestop.codes.get(code) if owner and isinstance(code, str) else None
    if dossier is None or dossier.owner != owner or dossier.result is None:
        return None
    return dossier.result.document


def check_documents(
    request, procedure, documents: list[tuple[str, Upload | Reuse]], owner: str = ""
) -> tuple[Document, ...]:
    """The files as kept: one per component of the procedure, required ones
    present, each a document by its first bytes and within the size limit, or the
    result of an earlier dossier of ``owner`` (:class:`Reuse`)."""
    components = {row["name"]: row for row in procedure.components}
    limit = max_file_bytes(request.registry)
    errors, seen, kept = {}, set(), []
    for component, upload in documents:
        if isinstance(upload, Reuse):
            earlier = reused_result(request, owner, upload.code)
            if earlier is None or component not in components or component in seen:
                errors[component[:100] or "documents"] = _(
                    "Không dùng lại được kết quả này: chỉ kết quả của hồ sơ của chính bạn."
                )
                continue
            seen.add(component)
            kept.append(
                Document(
                    component, earlier.filename, earlier.content_type, earlier.size, earlier.blob
                )
            )
            continue
        if component not in components:
            errors[component[:100] or "documents"] = _(
                "Không có thành phần hồ sơ này trong thủ tục."
            )
            continue
        if component in seen:
            errors[component] = _("Mỗi thành phần hồ sơ nộp một tệp.")
            continue
        seen.add(component)
        if len(upload.data) > limit:
            errors[component] = _(
                "Tệp quá lớn: tối đa ${n} MB.", mapping={"n": limit // (1024 * 1024)}
            )
            continue
        try:
            media_type = check_document(upload.data)
        except NotADocument as error:
            errors[component] = error.message
            continue
        kept.append(
            Document(component, upload.filename, media_type, len(upload.data), Blob(upload.data))
        )
    for name, row in components.items():
        if row.get("required", True) and name not in seen and name not in errors:
            errors[name] = _("Thiếu thành phần hồ sơ bắt buộc.")
    if errors:
        status = (
            413 if any("quá lớn" in str(m) for m in errors.values()) and len(errors) == 1 else 400
        )
        raise IntakeError(_("Hồ sơ chưa đủ hoặc có tệp không hợp lệ."), status, errors)
    return tuple(kept)


def submit(request, submission: Submission, receive: bool = False) -> Dossier:
    """Keep a new dossier (status 1), received at once (status 2) when
    ``receive`` (at the counter). :class:`IntakeError` leaves nothing stored."""
    procedure = find_procedure(request, submission.procedure_code)
    online = submission.channel in (CHANNEL_ONLINE, CHANNEL_NATIONAL)
    if online and procedure.level not in ONLINE_LEVELS:
        raise IntakeError(
            _("Thủ tục này không nhận hồ sơ trực tuyến."), 400, {"service": "not-online"}
        )
    if submission.return_method not in RETURN_METHODS:
        raise IntakeError(
            _("Hình thức nhận kết quả không hợp lệ."), 400, {"return_method": "invalid"}
        )
    if desk_of(request.root, submission.receiving_unit) is None:
        raise IntakeError(_("Đơn vị tiếp nhận chưa có một cửa điện tử."), 409, {"unit": "no-desk"})
    days = processing_days(procedure, submission.channel)
    processing = route(request, procedure, submission.receiving_unit, submission.processing_unit)
    documents = check_documents(request, procedure, submission.documents, submission.owner)
    when = stored(submission.submitted or now())
    code = submission.code or codes.new_code(request.root, submission.receiving_unit, now())
    registry = request.root.onestop
    if code in registry.codes:
        raise IntakeError(_("Mã hồ sơ đã có."), 409, {"code": "duplicate"})
    dossier = Dossier(
        code=code,
        procedure_code=procedure.code,
        procedure_title=procedure.title,
        field=getattr(procedure, "field", "") or "",
        channel=submission.channel,
        receiving_unit=submission.receiving_unit,
        processing_unit=processing,
        applicant=submission.applicant,
        return_method=submission.return_method,
        submitted=when,
        days=days,
    )
    dossier.representative = submission.representative
    dossier.documents = documents
    dossier.owner = submission.owner
    if submission.code:
        dossier.national_code = submission.code
    version, steps = current_process(request.root, procedure.code)
    dossier.process_version = version
    dossier.steps = plan_steps(dossier, steps)
    desk = desk_of(request.root, processing)
    dossier.__parent__ = desk
    desk.dossiers[code] = dossier
    registry.codes[code] = dossier
    if submission.owner:
        add_owned(request.root, submission.owner, code)
    add_applicant(request.root, dossier)
    actor = request.identity.login if request.identity is not None else ""
    dossier.add_event(
        Event(when, actor, "", submission.receiving_unit, "submit", 0, statuses.SUBMITTED, "")
    )
    if receive:
        perform(request, dossier, "receive", {})
    else:
        reindex(request, dossier)
    return dossier
