"""The one-stop plugin's contracts: what its views are registered on."""

from zope.interface import Attribute, Interface

from core.interfaces import IFolder


class IDesk(IFolder):
    """A unit's one-stop desk (``<unit>/mot-cua``): its queue, its dossiers
    below it, its statistics."""

    unit_code = Attribute("The code of the unit (subsite) the desk belongs to.")


class IDossier(Interface):
    """A dossier, reached at ``<processing unit>/mot-cua/<code>``."""

    code = Attribute("The dossier's code: <unit code>-YYMMDD-NNNN or the national MaHoSo.")
    status = Attribute("Its national status code, 1 to 10.")
