"""edXML over HTTP: an issued outgoing document as a package, packages and status
messages from agencies outside the portal taken in.

- ``GET <outgoing>/@edxml``: the document's package
  (:func:`plugins.documents.edxml_mapping.package_of`), ``Content-Type:
  multipart/related; boundary=…; type="text/xml"; start=…``, ``Content-Disposition:
  attachment; filename="<id>.edxml"``; to those who may see the document
  (:func:`~plugins.documents.access.can_view`; 401 anonymous, 403 others), 409
  before its issue or for a secret document. With or without ``Accept:
  application/json`` (errors are JSON when it is there).
- ``POST <unit>/@edxml`` (or ``<unit>/van-thu/@edxml``), ``Accept:
  application/json``, the body the package: ``Content-Type: multipart/related;
  boundary=…`` (the package's own header) or ``application/octet-stream`` (the
  whole MIME message, its headers first). Taken in by
  :func:`plugins.documents.edxml_receiving.receive_package`: 201 with
  ``Location`` and the document registered as ``POST <unit>/@incoming`` answers it
  (``@id``, ``id``, ``arrival_number``, ``status`` …); a recall package answers
  200 with the document it asks back (``recall_requested``). Refusals: 400 with the reason (the package's
  :class:`~plugins.documents.edxml.EdxmlError`, or a field or file refused, a PDF
  whose signature is broken), 401/403 to anyone but the unit's Clerks (and
  Managers), 404 where the unit has no office or for the document a recall
  names, 409 for a package taken in already, 413 above
  ``cong.documents.max_edxml_mb`` (its Content-Length is checked before the body
  is read; a file above ``cong.documents.max_file_mb`` is 400), 415 for another
  Content-Type.
- ``POST <unit>/@edxml-status`` (or at the office), ``Accept:
  application/json``, the body a status message (``text/xml``,
  ``application/xml`` or ``application/octet-stream``): recorded on the
  recipient of the outgoing document it reports on
  (:func:`plugins.documents.edxml_receiving.receive_status`); 200 with the
  document (its ``recipients`` and their statuses); 400, 401/403, 404, 413, 415 as
  above.

Who may post: the unit's Clerks and Managers, with their own credentials (a
bearer token from ``@login``): the system relaying the packages signs in with a
Clerk's account of the unit; there is no separate connector token.
A refused request stores nothing (the transaction is aborted).
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from pyramid.view import view_config

from core.api import api_view
from core.api.errors import ApiError
from core.errors import error_response
from core.i18n import _
from plugins.documents.access import can_view, has_role
from plugins.documents.api import created, office_of_context
from plugins.documents.api_input import refusal, refuse_unless
from plugins.documents.api_json import document_json
from plugins.documents.edxml import (
    MAX_STATUS_BYTES,
    EdxmlError,
    build_package,
    parse_package,
    parse_status,
)
from plugins.documents.edxml_mapping import NOT_ISSUED, package_of
from plugins.documents.edxml_mime import http_parts
from plugins.documents.edxml_receiving import CLERKS_ONLY, receive_package, receive_status
from plugins.documents.entries import EntryError
from plugins.documents.interfaces import IOffice, IOutgoingDocument
from plugins.documents.limits import max_edxml_bytes, max_file_bytes
from subsites.interfaces import ISubsite

PACKAGE_TYPES = ("multipart/related", "application/octet-stream")
STATUS_TYPES = ("text/xml", "application/xml", "application/octet-stream")


@view_config(context=IOutgoingDocument, name="@edxml", request_method="GET")
def package_get(context, request):
    """The edXML package of an issued outgoing document, to those who may see it."""
    if not can_view(request, context):
        raise HTTPForbidden()
    try:
        if context.issued is None:
            raise EdxmlError(NOT_ISSUED)
        package = build_package(package_of(request, context))
    except EdxmlError as error:
        message = request.localizer.translate(error.message)
        return error_response(request, 409, "Conflict", message)
    content_type, body = http_parts(package)
    response = Response(body=body)
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{context.id}.edxml"'
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response


# taking packages in ------------------------------------------------------------------------
def body_of(request, accepted: tuple[str, ...], limit: int) -> bytes:
    """The request's body, of one of the ``accepted`` media types and at most
    ``limit`` bytes (its Content-Length checked before it is read)."""
    if request.content_type not in accepted:
        raise ApiError(
            415,
            _(
                "Nội dung gửi lên phải có Content-Type ${types}.",
                mapping={"types": ", ".join(accepted)},
            ),
            "UnsupportedMediaType",
        )
    too_large = ApiError(
        413,
        _("Gói tin quá lớn: tối đa ${mb} MB.", mapping={"mb": max(limit // (1024 * 1024), 1)}),
        "RequestEntityTooLarge",
    )
    length = request.content_length
    if length is not None and length > limit:
        raise too_large
    data = request.body
    if len(data) > limit:
        raise too_large
    return data


@api_view(context=ISubsite, name="@edxml", request_method="POST")
@api_view(context=IOffice, name="@edxml", request_method="POST")
def package_post(context, request):
    """Take an edXML package in: the unit's Clerks.

    The body is the package (``Content-Type: multipart/related; boundary=…``, or
    ``application/octet-stream`` with the MIME headers first). 201 with the
    incoming document registered (``arrival_number``); 200 with the document a
    recall package asks back; 400 with the reason, 409 taken in already, 413 too
    large."""
    office = office_of_context(context)
    refuse_unless(request, has_role(request, office.unit_code, "Clerk"), CLERKS_ONLY)
    limit = max_edxml_bytes(request.registry)
    data = body_of(request, PACKAGE_TYPES, limit)
    content_type = (
        request.headers["Content-Type"] if request.content_type == PACKAGE_TYPES[0] else None
    )
    try:
        doc = parse_package(
            data,
            max_bytes=limit,
            max_attachment_bytes=max_file_bytes(request.registry),
            content_type=content_type,
        )
    except EdxmlError as error:
        raise ApiError(400, error.message, "BadRequest") from None
    try:
        document, registered = receive_package(request, office, doc)
    except EntryError as error:
        raise refusal(request, error) from None
    return created(request, document) if registered else document_json(request, document)


@api_view(context=ISubsite, name="@edxml-status", request_method="POST")
@api_view(context=IOffice, name="@edxml-status", request_method="POST")
def status_post(context, request):
    """Take an edXML status message in: the status a partner reports on an
    outgoing document of the unit (the unit's Clerks).

    200 with the document (its recipients and their statuses); 400 with the reason,
    403 from an agency the document was not sent to, 404 for a document unknown."""
    office = office_of_context(context)
    refuse_unless(request, has_role(request, office.unit_code, "Clerk"), CLERKS_ONLY)
    data = body_of(request, STATUS_TYPES, MAX_STATUS_BYTES)
    try:
        status = parse_status(data)
    except EdxmlError as error:
        raise ApiError(400, error.message, "BadRequest") from None
    try:
        document = receive_status(request, office, status)
    except EntryError as error:
        raise refusal(request, error) from None
    return document_json(request, document)
