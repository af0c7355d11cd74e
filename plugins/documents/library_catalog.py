"""The library's catalog fields: what its browse page, portlet and JSON filter,
count and show from catalog records (no document is loaded to list it).

The year of issue is the catalog's own ``year`` (a document's ``effective`` is its
issue date, :class:`plugins.documents.legal.LegalDocument`), its unit the
catalog's ``subsite``. None is offered as a facet of the search page: the
library's browse page shows them with their labels.
"""

from __future__ import annotations

from catalog.fields import CatalogField
from core.hookspecs import hookimpl
from core.i18n import _
from plugins.documents.legal import ILegalDocument

NUMBER, KIND, BODY, FIELD, STATUS, IN_FORCE_FROM, SIGNER = (
    "legal_number",
    "legal_kind",
    "legal_body",
    "legal_field",
    "legal_status",
    "legal_in_force_from",
    "legal_signer",
)


def _of_document(name: str):
    def get(obj):
        return (getattr(obj, name, None) or None) if ILegalDocument.providedBy(obj) else None

    return get


#: The fields, by name: ``(attribute, title, kind)``.
FIELDS = {
    NUMBER: ("number", _("Số, ký hiệu"), "field"),
    KIND: ("kind", _("Loại văn bản"), "field"),
    BODY: ("issuing_body", _("Cơ quan ban hành"), "field"),
    FIELD: ("field", _("Lĩnh vực"), "field"),
    STATUS: ("status", _("Tình trạng hiệu lực"), "field"),
    IN_FORCE_FROM: ("in_force_from", _("Ngày có hiệu lực"), "date"),
    SIGNER: ("signer", _("Người ký"), "field"),
}


@hookimpl(specname="cong_catalog_fields")
def library_catalog_fields():
    """Number and notation, kind, issuing body, field, stored status, the day it
    comes into force and signer of legal documents, each in their records."""
    return [
        CatalogField(name, _of_document(attribute), kind=kind, metadata=True, title=title,
                     facet=False)
        for name, (attribute, title, kind) in FIELDS.items()
    ]  # fmt: skip
