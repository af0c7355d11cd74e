"""The files of a registered document: ``<document>/@@attachment/<n>`` (its
attachments, from 1) and ``<document>/@@attachment/signed`` (an outgoing
document's signed PDF), to those who may see the document
(:func:`plugins.documents.access.can_view`)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound
from pyramid.view import view_config

from core.api.serialize import url_of
from core.blobs import blob_response
from plugins.documents.access import can_view
from plugins.documents.interfaces import IRegisteredDocument

VIEW = "attachment"
#: The name of an outgoing document's signed PDF among its files.
SIGNED = "signed"


def attachment_url(request, document, name: str) -> str:
    """The address of file ``name`` (``1``, ``2`` … or :data:`SIGNED`) of ``document``."""
    return f"{url_of(request, document)}/@@{VIEW}/{name}"


def attachment_named(document, name: str):
    """The attachment ``name`` names, or None."""
    if name == SIGNED:
        return getattr(document, "signed_pdf", None)
    if name.isdigit() and 1 <= int(name) <= len(document.attachments):
        return document.attachments[int(name) - 1]
    return None


@view_config(context=IRegisteredDocument, name=VIEW, request_method=("GET", "HEAD"))
def attachment_download(context, request):
    """A file of the document; 401/403 to those who may not see the document, 404
    for a file it does not have."""
    if not can_view(request, context):
        raise HTTPForbidden()
    found = attachment_named(context, request.subpath[0]) if len(request.subpath) == 1 else None
    if found is None:
        raise HTTPNotFound()
    return blob_response(request, found.blob, found.content_type, found.filename)
