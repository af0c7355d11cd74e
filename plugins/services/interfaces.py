"""The public-service plugin's contracts: what its views are registered on."""

from zope.interface import Attribute

from core.interfaces import IFolder


class IServiceCatalog(IFolder):
    """The province's catalog of procedures (``/thu-tuc-hanh-chinh``): a folder of
    :class:`IService`; its default view browses them."""


class IService(IFolder):
    """A procedure (thủ tục hành chính) with its full record. Its form templates are
    the File objects inside it, named by its dossier components."""

    code = Attribute("The procedure's code: national 1.002425 or local 1.000948.H38.")
    field = Attribute("The slug of its field (lĩnh vực) in the site's vocabulary.")
    tier = Attribute("'province', 'district' or 'commune': the government tier.")
    agency = Attribute("The implementing agency's name.")
    agency_code = Attribute("The implementing unit's code ('' : every unit of the tier).")
    level = Attribute("The online level, 1 to 4.")
    online = Attribute("'toan-trinh', 'mot-phan' or '' (not offered online).")
    methods = Attribute("Rows: channel, days (working days), fee, note.")
    components = Attribute("Rows: name, copies, required, template (a File's name).")
    fees = Attribute("Rows: name, amount (đồng), basis.")
