"""The public library of legal documents: the ``LegalDocument`` content item and
the ``LegalLibrary`` section holding a unit's documents (``<unit>/van-ban-phap-quy``,
and the province's at the portal's root).

A legal document is published through the default publication workflow. Its
``kind`` is the code of one of the 29 kinds of Decree 30
(:data:`plugins.documents.doctypes.TYPES`); its issuing unit is the subsite it is
in (the portal for the province's own). Its ``status`` is stored (in force, partly
or wholly expired, replaced), except "not yet in force", which it is while its
effective date is still to come (:meth:`LegalDocument.status_at`). Links between
documents are kept both ways by uid: ``replaces`` and ``amends`` are typed, and
``replaced_by`` and ``amended_by`` follow them (:mod:`plugins.documents.library_links`).

For the catalog a document is dated by its issue date: its ``effective`` (the
catalog's date of an item, which listings sort on and whose year the catalog
counts) is the issue date's midnight, Vietnam time. An issue date is never in the
future, so a published document is always within its publication window.
"""

from __future__ import annotations

from datetime import date, datetime, time

from persistent import Persistent
from zope.interface import Attribute, implementer

from core.blobs import BlobData
from core.clock import TIMEZONE, now
from core.content import Folder, Item
from core.i18n import _
from core.interfaces import IContent, IFolder

DOCUMENT, LIBRARY = "LegalDocument", "LegalLibrary"
#: The library's name in its unit (URL segment), title and description.
SECTION = (
    "van-ban-phap-quy",
    "Văn bản pháp quy",
    "Văn bản quy phạm pháp luật, văn bản chỉ đạo, điều hành của đơn vị.",
)

IN_FORCE, PARTLY_EXPIRED, EXPIRED, REPLACED = (
    "con-hieu-luc",
    "het-hieu-luc-mot-phan",
    "het-hieu-luc",
    "bi-thay-the",
)
#: Not stored: an in-force document whose effective date is still to come.
PENDING = "chua-co-hieu-luc"
#: The statuses an editor chooses from: ``(code, label)``.
STATUSES = (
    (IN_FORCE, _("Còn hiệu lực")),
    (PARTLY_EXPIRED, _("Hết hiệu lực một phần")),
    (EXPIRED, _("Hết hiệu lực toàn bộ")),
    (REPLACED, _("Bị thay thế")),
)
#: Every status a document is shown with, in the order browse pages list them.
ALL_STATUSES = ((PENDING, _("Chưa có hiệu lực")), *STATUSES)
STATUS_LABELS = dict(ALL_STATUSES)


class ILegalDocument(IContent):
    """A published legal or direction document of a unit (văn bản pháp quy)."""

    number = Attribute("Number and notation, as issued: '12/2025/QĐ-UBND'.")
    kind = Attribute("The code of its kind (plugins.documents.doctypes): 'quyet-dinh'.")
    issuing_body = Attribute("The body that issued it (text).")
    issue_date = Attribute("Date of issue (a date).")
    effective_date = Attribute("Date it comes into force (a date), or None: the issue date.")
    status = Attribute("The stored status: one of STATUSES.")
    replaces = Attribute("Uids of the documents it replaces.")
    amends = Attribute("Uids of the documents it amends.")
    replaced_by = Attribute("Uids of the documents replacing it (kept by the links).")
    amended_by = Attribute("Uids of the documents amending it (kept by the links).")
    attachments = Attribute("Tuple of Attachment: its files (PDF, DOCX).")


class ILegalLibrary(IFolder):
    """A library of legal documents (``van-ban-phap-quy``): its default view browses
    the documents of its unit, or of the whole province at the portal's root."""


class Attachment(BlobData, Persistent):
    """A file of a legal document: PDF or DOCX bytes in a blob, its name in the
    document's addresses (``@@tai-ve/<name>``) and the text read from it."""

    name = ""
    text = ""

    def file_info(self) -> dict:
        return {**super().file_info(), "name": self.name}


@implementer(ILegalDocument)
class LegalDocument(Item):
    type_name = DOCUMENT
    number = ""
    kind = ""
    issuing_body = ""
    signer = ""
    signer_position = ""
    issue_date: date | None = None
    effective_date: date | None = None
    status = IN_FORCE
    #: The status a replaced document had before it was replaced (given back when
    #: the last document replacing it no longer does).
    status_before_replacement = IN_FORCE
    field = ""
    replaces: tuple = ()
    amends: tuple = ()
    replaced_by: tuple = ()
    amended_by: tuple = ()
    attachments: tuple = ()
    exclude_from_province = False
    #: The links last applied to the documents named (see library_links).
    applied_links: dict | None = None

    @property
    def effective(self) -> datetime | None:
        """The catalog's date of the document: its issue date at midnight, Vietnam time."""
        if self.issue_date is None:
            return None
        return datetime.combine(self.issue_date, time(), tzinfo=TIMEZONE)

    @property
    def in_force_from(self) -> date | None:
        """The day it comes into force: its effective date, else its issue date."""
        return self.effective_date or self.issue_date

    def status_at(self, day: date) -> str:
        """Its status on ``day``: the stored one, or :data:`PENDING` while an
        in-force document's effective date is after ``day``."""
        start = self.in_force_from
        if self.status == IN_FORCE and start is not None and start > day:
            return PENDING
        return self.status

    @property
    def attachments_text(self) -> str:
        """The text read from its files (searchable through the catalog)."""
        return "\n".join(a.text for a in self.attachments if a.text)


@implementer(ILegalLibrary)
class LegalLibrary(Folder):
    type_name = LIBRARY


def today() -> date:
    """Today in Vietnam time (:func:`core.clock.now`)."""
    return now().astimezone(TIMEZONE).date()
