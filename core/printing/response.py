"""The answer of a print view: the form as a page, or as a PDF with ``?format=pdf``.

::

    @view_config(context=IDossier, name="giay-tiep-nhan", permission=VIEW)
    def receipt(context, request):
        return print_response(request, "onestop.receipt", receipt_values(context),
                              f"giấy tiếp nhận {context.code}")
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from pyramid.response import Response

from core.i18n import _
from core.names import fold
from core.params import BadParameter, text
from core.printing.render import render_html, render_pdf

#: The formats a print view answers, the first by default.
FORMATS = ("html", "pdf")
#: Characters of a file name at most (its extension included).
MAX_FILENAME = 120
_UNSAFE = re.compile(r'\s*[\x00-\x1f\x7f"\\/:*?<>|;]+\s*')


def safe_filename(filename: str, extension: str) -> str:
    """``filename`` fit to be saved anywhere, ending in ``.extension``: without
    control characters, quotes, slashes or other characters file systems refuse,
    not starting with a dot, at most :data:`MAX_FILENAME` characters."""
    stem = _UNSAFE.sub("-", filename).strip(" .-")
    suffix = "." + extension
    if stem.lower().endswith(suffix):
        stem = stem[: -len(suffix)]
    stem = stem[: MAX_FILENAME - len(suffix)].rstrip(" .-") or "ban-in"
    return stem + suffix


def ascii_filename(filename: str) -> str:
    """A safe file name in plain ASCII, for clients that ignore ``filename*``:
    Vietnamese without diacritics, spaces and other characters as ``-``."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", fold(filename)).strip("-.")
    return ascii_name or "ban-in"


def content_disposition(filename: str, extension: str, inline: bool = True) -> str:
    """A ``Content-Disposition`` value naming the file ``filename.extension``: an
    ASCII ``filename`` and the exact name, percent-encoded UTF-8, as ``filename*``
    (RFC 6266)."""
    name = safe_filename(filename, extension)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def print_response(request, name: str, namespace: Mapping, filename: str) -> Response:
    """Form ``name`` filled with ``namespace``: the page (``?format=html``, the
    default) or the PDF (``?format=pdf``) named ``filename.pdf``; any other format
    is a 400. The answer is private: forms hold personal data."""
    kind = text(request, "format", FORMATS[0])
    if kind == "html":
        html = render_html(request, name, namespace)
        response = Response(text=html, content_type="text/html", charset="utf-8")
    elif kind == "pdf":
        response = Response(body=render_pdf(request, name, namespace))
        response.content_type = "application/pdf"
        response.headers["Content-Disposition"] = content_disposition(filename, "pdf")
    else:
        raise BadParameter(
            _(
                "Định dạng “${format}” không có: chỉ có html hoặc pdf.",
                mapping={"format": kind[:20]},
            )
        )
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response
