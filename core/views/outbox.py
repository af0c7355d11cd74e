"""The outbox page, for Managers (:mod:`core.outbox`).

``@@outbox`` on the site lists the messages waiting (created, sending, temporary
failure), those that could not be sent (permanent failure) and the latest
delivered, with counts; recipients and subjects are shown, never a message's
text. A failed message has a button posting to ``@@outbox-retry`` (CSRF-checked)
that makes it due now. ``@@outbox-sandbox`` shows what the sandbox SMS provider
recorded instead of sending (test installations: it shows the texts).
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from core.i18n import _
from core.interfaces import ISite
from core.outbox import STATES, OutboxError, outbox_of, send_again
from core.outbox.message import DELIVERED, FAILED, PERMANENT_FAILURE, WAITING
from core.outbox.sms import sandbox_records
from core.permissions import MANAGE_OUTBOX
from core.views.forms import flash

#: Messages each section of the page shows, newest first.
SHOWN = 100
#: The page's sections: id, heading, the states of their messages.
SECTIONS = (
    ("waiting", _("Đang chờ gửi"), WAITING),
    ("failed", _("Không gửi được"), (PERMANENT_FAILURE,)),
    ("delivered", _("Đã gửi gần đây"), (DELIVERED,)),
)


def rows(request, outbox, states: tuple[str, ...]) -> list[dict]:
    """The page's rows for the messages in ``states`` (no bodies)."""
    translate = request.localizer.translate
    found = [m for state in states for m in outbox.in_state(state, 0, SHOWN)]
    found.sort(key=lambda m: m.id, reverse=True)
    return [
        {
            "id": m.id,
            "state": m.state,
            "state_title": translate(STATES[m.state]),
            "channel": m.channel,
            "recipient": m.recipient,
            "subject": m.subject,
            "source": m.source,
            "created": m.created,
            "attempts": m.attempts,
            "next_attempt": m.next_attempt if m.state in WAITING else None,
            "delivered": m.delivered,
            "last_error": m.last_error,
            "retry": m.state in FAILED,
        }
        for m in found[:SHOWN]
    ]


def page_values(request, message=None) -> dict:
    outbox = outbox_of(request.root)
    translate = request.localizer.translate
    return {
        "counts": [(translate(title), outbox.count(state)) for state, title in STATES.items()],
        "sections": [
            {"id": id, "title": translate(title), "rows": rows(request, outbox, states)}
            for id, title, states in SECTIONS
        ],
        "shown": SHOWN,
        "message": message,
    }


@view_config(
    context=ISite,
    name="outbox",
    renderer="outbox.pt",
    permission=MANAGE_OUTBOX,
    request_method=("GET", "HEAD"),
)
def outbox_page(context, request):
    """The messages waiting, failed and delivered."""
    return page_values(request)


@view_config(
    context=ISite,
    name="outbox-retry",
    renderer="outbox.pt",
    permission=MANAGE_OUTBOX,
    request_method="POST",
)
def retry(context, request):
    """Send a failed message again now."""
    id = request.POST.get("id")
    found = outbox_of(context).get(id) if isinstance(id, str) else None
    try:
        if found is None:
            raise OutboxError("no such message")
        send_again(request, found)
    except OutboxError:
        request.response.status = 400
        return page_values(request, _("Không có thư lỗi nào với mã này để gửi lại."))
    flash(request, _("Đã đưa thư ${id} vào hàng chờ gửi lại.", mapping={"id": found.id}))
    return HTTPFound(request.resource_url(context, "@@outbox"))


@view_config(
    context=ISite,
    name="outbox-sandbox",
    renderer="outbox_sandbox.pt",
    permission=MANAGE_OUTBOX,
    request_method=("GET", "HEAD"),
)
def sandbox_page(context, request):
    """What the sandbox SMS provider would have sent, newest first."""
    return {"records": sandbox_records(context)[:SHOWN], "shown": SHOWN}
