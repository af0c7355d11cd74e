"""Rendering a form: a whole HTML page, or the same page as a PDF.

A form's template fills the ``main`` slot of the sheet's ``page`` macro and may use
its ``letterhead`` and ``national-motto`` macros. Besides the values the caller
gives, it has ``request``, ``ui`` (:class:`core.ui.UI`), ``print_form`` (the
:class:`~core.printing.forms.PrintForm` in use), ``print_macros`` and ``qr_svg``.

The page carries its style sheet (``static/print.css``) in a ``<style>`` element
with the request's nonce and loads its one script from the static files: nothing
inline the Content-Security-Policy would refuse. The PDF is the page as WeasyPrint
lays it out for print (decision 0027); it fetches nothing but ``data:`` addresses,
so a form cannot make the server open a file or another site.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from core.printing.forms import get_print_forms
from core.printing.qr import qr_svg

HERE = os.path.dirname(__file__)
#: The sheet's macros: ``page``, ``letterhead``, ``national-motto``.
PAGE_TEMPLATE = os.path.join(HERE, "templates", "print.pt")
STYLESHEET = os.path.join(HERE, "static", "print.css")
STATIC_SPEC = "core.printing:static/"


@dataclass(frozen=True)
class PrintAssets:
    """What the page macro needs besides the form: its style sheet's text, its
    script's address, the address of the same form as a PDF."""

    css: str
    script_url: str
    pdf_url: str


@functools.cache
def stylesheet() -> str:
    """The text of ``print.css`` (read once)."""
    with open(STYLESHEET, encoding="utf-8") as handle:
        return handle.read()


def pdf_url(request) -> str:
    """The request's address with ``format=pdf`` (its other parameters kept)."""
    query = [(key, value) for key, value in request.GET.items() if key != "format"]
    return request.path_url + "?" + urlencode([*query, ("format", "pdf")])


def render_html(request, name: str, namespace: Mapping) -> str:
    """The form ``name`` in use (:meth:`PrintForms.active`), filled with
    ``namespace``, as a whole HTML page; :class:`~core.printing.forms.UnknownForm`
    when no plugin registered it."""
    from core.theme import translator, with_doctype
    from core.ui import get_ui

    forms = get_print_forms(request.registry)
    form = forms.active(name)
    values = {
        "request": request,
        "ui": get_ui(request),
        "print_form": form,
        "print_macros": forms.template(PAGE_TEMPLATE).macros,
        "print_assets": PrintAssets(
            stylesheet(), request.static_url(STATIC_SPEC + "print.js"), pdf_url(request)
        ),
        "qr_svg": qr_svg,
        **namespace,
    }
    return with_doctype(forms.template(form.path)(translate=translator(request), **values))


def html_to_pdf(html: str) -> bytes:
    """A PDF of the page ``html`` laid out for print; it may fetch ``data:`` only."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_pdf(request, name: str, namespace: Mapping) -> bytes:
    """The form :func:`render_html` renders, as a PDF document (A4, fonts embedded)."""
    return html_to_pdf(render_html(request, name, namespace))
