"""The printed slips of the one-stop desk, the forms of TT 01/2018/TT-VPCP:

========  ======================  ===================================================
form      name                    what
========  ======================  ===================================================
Mẫu 01    ``onestop.receipt``     receipt and appointment, with a QR code of the look-up
Mẫu 02    ``onestop.supplement``  request to supplement or complete the dossier
Mẫu 03    ``onestop.refusal``     refusal to receive the dossier
Mẫu 04    ``onestop.apology``     apology and new appointment
Mẫu 05    ``onestop.control``     the process-control sheet that goes with the dossier
Mẫu 06    ``onestop.register``    the desk's tracking register (A4 landscape)
========  ======================  ===================================================

Each is a template of ``templates/slips`` registered as version ``2018`` with
:mod:`core.printing`; a province replaces one with a later version or a file of
``cong.print_forms_dir`` (docs/plugins.md). The functions below give each its
values from a dossier (the register: from dossiers); a print view passes them to
:func:`core.printing.print_response`. Slips 01–05 print on A5, as the circular
designs them; the register on A4.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from core.clock import TIMEZONE, now
from core.formatting import written_date
from core.i18n import _
from plugins.onestop import statuses
from plugins.onestop.apology import appointment
from plugins.onestop.deadlines import timeliness
from plugins.onestop.dossier import RETURN_COUNTER, RETURN_ONLINE, RETURN_POST, Dossier
from plugins.onestop.units import unit_of, unit_title

#: The forms: name, template file, title.
SLIPS = (
    ("onestop.receipt", "receipt.pt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
    ("onestop.supplement", "supplement.pt", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
    ("onestop.refusal", "refusal.pt", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")),
    ("onestop.apology", "apology.pt", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")),
    ("onestop.control", "control.pt", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")),
    ("onestop.register", "register.pt", _("Sổ theo dõi hồ sơ")),
)
VERSION = "2018"
#: Where the result is collected, as Mẫu 01 says it.
RETURN_PLACES = {
    RETURN_COUNTER: "Bộ phận tiếp nhận và trả kết quả",
    RETURN_POST: "Qua dịch vụ bưu chính",
    RETURN_ONLINE: "Trực tuyến (Cổng dịch vụ công)",
}
#: Mẫu 05's words for a step done before, on or after its due day.
TIMELINESS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


def register_slips(config) -> None:
    """Register the six slips (``cong_configure``)."""
    for name, template, title in SLIPS:
        spec = f"plugins.onestop:templates/slips/{template}"
        config.add_print_form(name, spec, version=VERSION, title=title)


def moment_text(moment: datetime | None) -> str:
    """``09 giờ 30 phút, ngày 04 tháng 3 năm 2026`` (the portal's time zone); ''."""
    if moment is None:
        return ""
    local = moment.astimezone(TIMEZONE)
    return f"{local:%H} giờ {local:%M} phút, {written_date(local)}"


def days_text(days: float) -> str:
    """Working days as the slips write them: ``15``, ``2,5`` (a Vietnamese comma)."""
    return f"{days:g}".replace(".", ",")


def _common(request, dossier: Dossier, unit_code: str) -> dict:
    """What every slip has: the dossier, its applicant, the unit issuing the slip
    (title, address, telephone) and today's date as documents write it."""
    unit = unit_of(request.root, unit_code)
    return {
        "dossier": dossier,
        "applicant": dossier.applicant,
        "unit_title": unit_title(request.root, unit_code),
        "unit_phone": getattr(unit, "phone", "") or "",
        "place": "",  # a province's template writes its own place name
        "today": written_date(now()),
    }


def receipt_values(request, dossier: Dossier, lookup_url: str) -> dict:
    """Mẫu 01: the papers handed in (by component: how many files), the processing
    time, when received, when the result is due, where it is collected, and the
    QR code of ``lookup_url`` (the page where the applicant follows the dossier)."""
    files = Counter(document.component or "Giấy tờ khác" for document in dossier.documents)
    form = "Bản điện tử" if dossier.channel == "online" else "Bản chính hoặc bản sao"
    return {
        **_common(request, dossier, dossier.receiving_unit),
        "papers": [{"name": name, "form": form, "count": n} for name, n in files.items()],
        "days": days_text(dossier.days),
        "received": moment_text(dossier.received or dossier.submitted),
        "due": moment_text(appointment(dossier)),
        "return_place": RETURN_PLACES.get(dossier.return_method, ""),
        "lookup_url": lookup_url,
    }


def supplement_values(request, dossier: Dossier) -> dict:
    """Mẫu 02: what the last request to supplement asks for, and whom to call."""
    asked = dossier.supplements[-1] if dossier.supplements else None
    return {
        **_common(request, dossier, dossier.receiving_unit),
        "reasons": [line.strip() for line in (asked.reason if asked else "").splitlines()
                    if line.strip()],
        "requested": written_date(asked.requested if asked else None),
    }  # fmt: skip


def refusal_values(request, dossier: Dossier) -> dict:
    """Mẫu 03: why the dossier was not received (the refusal's comment)."""
    refusal = next((e for e in reversed(dossier.history) if e.transition == "refuse"), None)
    return {
        **_common(request, dossier, dossier.receiving_unit),
        "reason": refusal.comment if refusal else "",
        "refused_by": refusal.actor_title if refusal else "",
    }


def apology_values(request, dossier: Dossier) -> dict:
    """Mẫu 04, from the processing unit: when the dossier was received, the date
    promised, why it is late, and the new appointment (the last apology)."""
    apology = dossier.apologies[-1] if dossier.apologies else None
    return {
        **_common(request, dossier, dossier.processing_unit),
        "received": written_date(dossier.received or dossier.submitted),
        "previous_due": written_date(apology.previous_due if apology else dossier.due),
        "reason": apology.reason if apology else "",
        "new_due": written_date(apology.new_due if apology else None),
    }


def control_values(request, dossier: Dossier) -> dict:
    """Mẫu 05: the units handling the dossier, and each step of its process: the
    unit, when it was handed over (started) and due, when done, and whether before,
    on or after its due day."""
    rows = []
    for step in dossier.steps:
        done_in_time = ""
        if step.done is not None and step.due is not None:
            done_in_time = TIMELINESS[timeliness(step.done, step.due)]
        rows.append(
            {
                "title": step.title,
                "unit": unit_title(request.root, step.unit) if step.unit else "",
                "started": _short(step.started),
                "due": _short(step.due),
                "done": _short(step.done),
                "result": done_in_time,
            }
        )
    partners = sorted(dossier.units - {dossier.processing_unit, dossier.receiving_unit})
    return {
        **_common(request, dossier, dossier.receiving_unit),
        "processing_unit": unit_title(request.root, dossier.processing_unit),
        "partners": [unit_title(request.root, code) for code in partners],
        "steps": rows,
    }


def register_values(request, unit_code: str, dossiers, period: str) -> dict:
    """Mẫu 06: the register of ``unit_code``'s desk over ``period`` (as it is to
    be printed, e.g. ``tháng 3 năm 2026``), a row per dossier in the order given."""
    rows = []
    for dossier in dossiers:
        handed = next((h.when for h in dossier.handovers), None)
        finished = dossier.finished if dossier.status in statuses.FINISHED else None
        contact = ", ".join(p for p in (dossier.applicant.address, dossier.applicant.phone) if p)
        rows.append(
            {
                "code": dossier.code,
                "procedure": dossier.procedure_title,
                "applicant": dossier.applicant.full_name,
                "contact": contact,
                "processing_unit": unit_title(request.root, dossier.processing_unit),
                "received": _short(dossier.received or dossier.submitted),
                "due": _short(appointment(dossier)),
                "handed": _short(handed),
                "finished": _short(finished),
                "returned": _short(dossier.returned),
                "note": request.localizer.translate(dossier.status_info.title),
            }
        )
    unit = unit_of(request.root, unit_code)
    return {
        "unit_title": unit_title(request.root, unit_code),
        "unit_phone": getattr(unit, "phone", "") or "",
        "period": period,
        "rows": rows,
    }


def _short(moment: datetime | None) -> str:
    """``04/03/2026 09:30`` for narrow columns (Mẫu 05, 06); ''."""
    if moment is None:
        return ""
    local = moment.astimezone(TIMEZONE)
    return f"{local.day:02d}/{local.month:02d}/{local.year} {local:%H:%M}"
