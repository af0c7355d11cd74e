"""The outbox through the API, for Managers (:mod:`core.outbox`).

``GET /@outbox?state=<state>&source=<source>&b_start=&b_size=``: the messages in
a state (default: every state), or about one source, newest first, with the
count of each state. A message's text is never part of the answer.
"""

from __future__ import annotations

from core import params
from core.api import api_view
from core.api.errors import ApiError, not_allowed
from core.api.params import BATCH_PARAMS, Param, api_params
from core.api.serialize import iso, url_of
from core.batching import Batch, batch_params
from core.i18n import _
from core.interfaces import ISite
from core.outbox import STATES, Message, outbox_of
from core.permissions import MANAGE_OUTBOX

#: Messages a page holds unless ``b_size`` says.
PAGE_SIZE = 50


def message_json(request, message: Message) -> dict:
    """A message without its text."""
    return {
        "id": message.id,
        "channel": message.channel,
        "recipient": message.recipient,
        "subject": message.subject,
        "key": message.key or None,
        "source": message.source or None,
        "state": message.state,
        "state_title": request.localizer.translate(STATES[message.state]),
        "created": iso(message.created),
        "attempts": message.attempts,
        "last_attempt": iso(message.last_attempt),
        "next_attempt": iso(message.next_attempt),
        "delivered": iso(message.delivered),
        "last_error": message.last_error or None,
    }


def chosen_state(request) -> str | None:
    """The ``state`` asked for (None: every state); 400 for an unknown one."""
    state = params.text(request, "state")
    if state and state not in STATES:
        message = _(
            "Trạng thái không hợp lệ; dùng một trong: ${states}.",
            mapping={"states": ", ".join(STATES)},
        )
        raise ApiError(400, message, "BadRequest")
    return state or None


@api_view(context=ISite, name="@outbox", request_method="GET", permission=MANAGE_OUTBOX)
@api_params(
    Param(
        "state",
        "query",
        _("Chỉ các thư ở trạng thái này"),
        {"type": "string", "enum": list(STATES)},
        example="permanent-failure",
    ),
    Param("source", "query", _("Chỉ các thư về đối tượng này (mã, uid)"), {"type": "string"}),
    *BATCH_PARAMS,
)
def outbox_get(context, request):
    """The outgoing messages, newest first, and how many are in each state."""
    outbox = outbox_of(context)
    state = chosen_state(request)
    source = params.text(request, "source")
    if source:  # the messages about one object: a few
        found = [m for m in outbox.of_source(source) if state in (None, m.state)]
        batch = Batch.from_iterable(reversed(found), request, PAGE_SIZE)
    else:  # a page read from the index, whatever its length
        start, size = batch_params(request, PAGE_SIZE)
        total = len(outbox) if state is None else outbox.count(state)
        batch = Batch(outbox.in_state(state, start, size), total, start, size, request)
    data = batch.as_json([message_json(request, m) for m in batch.items])
    data["@id"] = url_of(request, context) + "/@outbox"
    data["counts"] = {s: outbox.count(s) for s in STATES}
    return data


@api_view(context=ISite, name="@outbox", require_csrf=False)
def outbox_other_methods(context, request):
    """405: ``@outbox`` only answers GET."""
    raise not_allowed("GET")
