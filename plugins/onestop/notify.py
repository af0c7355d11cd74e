"""Telling the applicant: an e-mail (and a short SMS) on every change of their
dossier they should know of, queued in the kernel's outbox (:mod:`core.outbox`) in
the change's transaction, so a change rolled back tells nobody, and each message
goes once (its key is the dossier's code and the length of its history)."""

from __future__ import annotations

import logging

from core.clock import TIMEZONE
from core.i18n import _
from core.outbox import OutboxError, queue
from plugins.onestop.apology import appointment
from plugins.onestop.dossier import Dossier

log = logging.getLogger(__name__)

#: What the applicant is told, by the transition that made the change.
NEWS = {
    "submit": _("Hệ thống đã nhận hồ sơ của ông/bà; hồ sơ chờ cán bộ tiếp nhận."),
    "receive": _("Hồ sơ đã được tiếp nhận. Ngày hẹn trả kết quả: ${due}."),
    "refuse": _("Hồ sơ không được tiếp nhận. Lý do: ${comment}"),
    "request_supplement": _("Hồ sơ cần bổ sung: ${comment}"),
    "supplement": _("Hồ sơ đã được bổ sung. Ngày hẹn trả kết quả: ${due}."),
    "request_payment": _("Ông/bà cần nộp phí, lệ phí: ${fee} đồng."),
    "pay": _("Đã nhận phí, lệ phí; hồ sơ tiếp tục được giải quyết."),
    "approve": _("Hồ sơ đã giải quyết xong; kết quả sẵn sàng để trả."),
    "deny": _("Hồ sơ đã giải quyết xong: không chấp thuận. Lý do: ${comment}"),
    "suspend": _("Hồ sơ bị dừng xử lý. Lý do: ${comment}"),
    "withdraw": _("Hồ sơ đã được rút theo đề nghị."),
    "return_result": _("Kết quả đã được trả."),
    "apologize": _(
        "Hồ sơ giải quyết chậm hơn hẹn; xin lỗi ông/bà. Ngày hẹn mới: ${due}. Lý do: ${comment}"
    ),
}


def local_text(moment) -> str:
    return moment.astimezone(TIMEZONE).strftime("%H:%M ngày %d/%m/%Y") if moment else ""


def lookup_url(request, dossier: Dossier) -> str:
    return request.application_url + "/@@tra-cuu?code=" + dossier.code


def tell_applicant(request, dossier: Dossier) -> None:
    """Listener: queue the mail and the SMS of the dossier's last change."""
    if dossier.origin or dossier.anonymised or not dossier.history:
        return
    event = dossier.history[-1]
    news = NEWS.get(event.transition)
    if news is None:
        return
    translate = request.localizer.translate
    mapping = {
        "due": local_text(appointment(dossier)),
        "comment": event.comment,
        "fee": f"{dossier.fee_total:,}".replace(",", "."),
    }
    text = translate(_(news, mapping=mapping))
    subject = translate(_("Hồ sơ ${code}: ${status}", mapping={"code": dossier.code,
                                                              "status": translate(dossier.status_info.title)}))  # fmt: skip
    key = f"onestop:{dossier.code}:{len(dossier.history)}"
    applicant = dossier.applicant
    body = "\n\n".join(
        (
            translate(_("Kính gửi ông/bà ${name},", mapping={"name": applicant.full_name})),
            text,
            translate(_("Thủ tục: ${title}", mapping={"title": dossier.procedure_title})),
            translate(_("Tra cứu hồ sơ: ${url}", mapping={"url": lookup_url(request, dossier)})),
        )
    )
    for channel, recipient, content in (
        ("mail", applicant.email, body),
        ("sms", applicant.phone, f"{dossier.code}: {text}"[:300]),
    ):
        if not recipient:
            continue
        try:
            queue(
                request,
                channel,
                recipient,
                subject,
                content,
                key=f"{key}:{channel}",
                source=dossier.code,
            )
        except OutboxError:  # an address the transport cannot use: nobody to tell there
            log.warning("dossier %s: no %s sent (address refused)", dossier.code, channel)
