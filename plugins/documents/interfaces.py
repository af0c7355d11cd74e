"""The documents plugin's contracts: what its views are registered on."""

from zope.interface import Attribute, Interface

from core.interfaces import IFolder


class IOffice(IFolder):
    """A unit's document office (``<unit>/van-thu``): its incoming and outgoing
    registers, its work files, its exchange inbox."""

    unit_code = Attribute("The code of the unit (subsite) the office belongs to.")


class IRegisteredDocument(Interface):
    """An incoming or outgoing document of a register, reached at
    ``<unit>/van-thu/<id>``; internal to the unit."""

    id = Attribute("The document's id in its office (den-2026-00012, di-…).")
    kind = Attribute("'incoming' or 'outgoing'.")


class IIncomingDocument(IRegisteredDocument):
    """A document the unit received (văn bản đến)."""


class IOutgoingDocument(IRegisteredDocument):
    """A document the unit drafts and issues (văn bản đi)."""
