"""Reading JSON request bodies, as plone.restapi clients send them."""

from __future__ import annotations

import json

from core.api.errors import ApiError
from core.fields import Field, RichText
from core.i18n import _


def read_json(request, required: bool = False) -> dict:
    """The request body as a JSON object (``{}`` for an empty body, unless
    ``required``).

    Raise :class:`ApiError`: 415 for a body that is not ``application/json``, 400
    for malformed JSON or JSON that is not an object.
    """
    if not request.body and not required:
        return {}
    if request.content_type != "application/json":
        raise ApiError(
            415,
            _("Nội dung gửi lên phải là JSON (Content-Type: application/json)."),
            "UnsupportedMediaType",
        )
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        raise ApiError(400, _("Nội dung JSON không hợp lệ."), "BadRequest") from None
    if not isinstance(data, dict):
        raise ApiError(400, _("Nội dung JSON phải là một đối tượng {...}."), "BadRequest")
    return data


def field_input(fields: tuple[Field, ...], body: dict) -> dict:
    """``body`` with values in plone.restapi's richer forms made plain for the fields:
    rich text may come as ``{"data": "<p>...</p>", "content-type": "text/html"}``."""
    data = dict(body)
    for f in fields:
        value = data.get(f.name)
        if isinstance(f, RichText) and isinstance(value, dict) and "data" in value:
            data[f.name] = value["data"]
    return data
