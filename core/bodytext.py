"""Text in request bodies: refused when it holds a character no text may hold.

Fields check their own input (:func:`core.fields.check_text`), but not all the text
a request brings goes through a field: login names, group titles, workflow
comments, schedule rows, ids... This tween checks every string of a JSON body
(keys too) and every name, value and file name of a form body, once, before any
view reads them: a control character (tab and line breaks aside) or a lone
surrogate gets a 400 naming the field and the character, whichever view was asked.
"""

from __future__ import annotations

import json

from pyramid.tweens import INGRESS

from core.cleantext import escape_controls, first_forbidden
from core.i18n import _

#: Methods whose body is read.
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _strings(data, where: str = ""):
    """``(where, text)`` for every string in decoded JSON ``data`` (keys too)."""
    stack = [(where, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            for key, item in value.items():
                inner = f"{where}.{key}" if where else str(key)
                yield inner, key
                stack.append((inner, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{n}]", item) for n, item in enumerate(value))


def _form_strings(request):
    """``(where, text)`` for every name, value and file name of a form body."""
    for name, value in request.POST.items():
        yield name, name
        if isinstance(value, str):
            yield name, value
        elif getattr(value, "filename", None):
            yield name, value.filename


def body_strings(request):
    """``(where, text)``: the text of the request's body, where it is a JSON or a
    form body (nothing for another body, or JSON that does not parse: the view
    that reads it says so)."""
    if request.content_type == "application/json":
        try:
            return _strings(json.loads(request.body))
        except (ValueError, RecursionError):
            return ()
    if request.content_type in FORM_TYPES:
        return _form_strings(request)
    return ()


def forbidden_text(request) -> tuple[str, str] | None:
    """``(where, character)`` for the first forbidden character of the body."""
    for where, text in body_strings(request):
        position = first_forbidden(text)
        if position is not None:
            return where, text[position]
    return None


def body_text_tween_factory(handler, registry):
    """Answer 400 to a request whose body holds forbidden text."""
    from core.errors import error_response

    def body_text_tween(request):
        if request.method in BODY_METHODS:
            found = forbidden_text(request)
            if found is not None:
                where, char = found
                message = _(
                    "“${field}” có ký tự không được phép (U+${code}).",
                    mapping={"field": escape_controls(where)[:100], "code": f"{ord(char):04X}"},
                )
                text = request.localizer.translate(message)
                field = escape_controls(where.split(".", 1)[0].split("[", 1)[0])[:100]
                return error_response(
                    request, 400, "BadRequest", text, errors=[{"field": field, "message": text}]
                )
        return handler(request)

    return body_text_tween


def includeme(config) -> None:
    config.add_tween(
        "core.bodytext.body_text_tween_factory",
        under=("core.tweens.upload_limit_tween_factory", "pyramid_tm.tm_tween_factory", INGRESS),
    )
