"""Reading XML that came from outside, safely: the one place defusedxml is used.

:func:`parse_xml` refuses, with the reason, what could make the parser read files
or the network, or blow up in memory (a document type declaration, entity
declarations: the "billion laughs" bomb, external entities), text that is not
UTF-8, and XML that is not well-formed.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import fromstring
from pyramid.i18n import TranslationString

from core.i18n import _


class UnsafeXml(ValueError):
    """XML refused: ``message`` says why, as people read it."""

    def __init__(self, message: TranslationString):
        super().__init__(message)
        self.message = message


def parse_xml(data: bytes) -> Element:
    """The root element of the UTF-8 XML document ``data``, read with no document
    type declaration, no entity and no external reference allowed; else
    :class:`UnsafeXml`."""
    try:
        # read as text: an encoding the XML declaration names is not looked up
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsafeXml(_("Tệp XML không phải văn bản UTF-8.")) from None
    try:
        return fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DTDForbidden, EntitiesForbidden) as exc:
        # the doctype is met before the entities it declares: tell which it was
        if isinstance(exc, EntitiesForbidden) or b"<!ENTITY" in data:
            raise UnsafeXml(
                _("Tệp XML khai báo thực thể (entity): không được chấp nhận.")
            ) from None
        raise UnsafeXml(_("Tệp XML có khai báo DOCTYPE: không được chấp nhận.")) from None
    except DefusedXmlException:
        raise UnsafeXml(
            _("Tệp XML tham chiếu tài nguyên bên ngoài: không được chấp nhận.")
        ) from None
    except ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise UnsafeXml(
            _("Tệp không phải XML hợp lệ (dòng ${line}).", mapping={"line": line})
        ) from None
