"""Printing an incoming document's handling slip: ``<unit>/van-thu/<id>/@@phieu-xu-ly``
(an A4 page; the PDF with ``?format=pdf``) for those who may see the document."""

from __future__ import annotations

from pyramid.view import view_config

from core.printing import print_response
from plugins.documents.handling_slip import FORM, slip_values
from plugins.documents.interfaces import IIncomingDocument
from plugins.documents.views_common import require_document
from plugins.documents.views_document import SLIP_VIEW


@view_config(context=IIncomingDocument, name=SLIP_VIEW, request_method=("GET", "HEAD"))
def handling_slip(context, request):
    """The slip of the document, as a page or a PDF."""
    document = require_document(request, context)
    return print_response(
        request, FORM, slip_values(request, document), f"phieu-xu-ly-{document.id}"
    )
