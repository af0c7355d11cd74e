"""Printable forms: A4 pages and PDFs from templates plugins register by name and
version, with QR codes.

A plugin registers each form's template in ``cong_configure``::

    config.add_print_form("onestop.receipt", "cong_onestop:templates/slips/receipt.pt",
                          version="2018", title=_("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))

and answers a print view with :func:`print_response` (the page, or the PDF for
``?format=pdf``), or renders with :func:`render_html` / :func:`render_pdf`.
A province replaces a form with a later version from a plugin of its own, by naming
the version in ``cong.print_forms.<name>``, or with a ``<name>.pt`` in the folder
``cong.print_forms_dir``.

- :mod:`core.printing.forms`: the registry of forms and versions, the directive;
- :mod:`core.printing.render`: the page and the PDF (WeasyPrint, decision 0027);
- :mod:`core.printing.qr`: QR codes as inline SVG;
- :mod:`core.printing.response`: the print view's answer, safe file names.
"""

from pyramid.config import Configurator

from core.printing.forms import (
    PrintForm,
    UnknownForm,
    add_print_form,
    forms_from_settings,
    get_print_forms,
)
from core.printing.qr import qr_svg
from core.printing.render import STATIC_SPEC, render_html, render_pdf
from core.printing.response import content_disposition, print_response, safe_filename

__all__ = [
    "PrintForm",
    "UnknownForm",
    "content_disposition",
    "get_print_forms",
    "print_response",
    "qr_svg",
    "render_html",
    "render_pdf",
    "safe_filename",
]

#: The order of the check of the ``cong.print_forms.<name>`` settings: after every
#: form is registered (registrations run at the default order, 0).
CHECK_ORDER = 10


def includeme(config: Configurator) -> None:
    """The forms' registry (a wrong setting stops start-up), the ``add_print_form``
    directive and the sheet's static files."""
    forms = config.registry.cong_print_forms = forms_from_settings(config.registry.settings)
    config.add_directive("add_print_form", add_print_form)
    config.add_static_view("print-static", STATIC_SPEC, cache_max_age=86400)
    config.action(None, forms.check_settings, order=CHECK_ORDER)
