"""Local details of the procedures a unit shows: where, when and whom to call.

A procedure lives once, in the province's catalog; a unit (a subsite) that shows
it may say where its own office receives dossiers, its phone and its opening
hours, for its pages only. They are kept on the subsite
(``subsite.service_details``, a B-tree made on first save): under ``""`` the
unit's defaults for all its procedures, under a procedure's code that
procedure's overrides. Each value is a plain dict, replaced whole on every save
and never changed in place. The unit's page of a procedure shows the override,
else the unit's default, else (for the address) the procedure's own.
"""

from __future__ import annotations

from BTrees.OOBTree import OOBTree

from core.fields import Field, Invalid, Text, TextLine
from core.i18n import _
from core.operations import ValidationFailed

#: The key of a unit's defaults (a procedure's overrides are under its code).
DEFAULTS = ""
FIELDS: tuple[Field, ...] = (
    Text("address", _("Địa chỉ tiếp nhận hồ sơ"), max_length=500),
    TextLine("phone", _("Điện thoại"), max_length=50, default=""),
    Text("hours", _("Thời gian tiếp nhận hồ sơ"), max_length=500),
)
NAMES = tuple(f.name for f in FIELDS)


def _mapping(subsite, create: bool = False):
    found = getattr(subsite, "service_details", None)
    if found is None and create:
        found = subsite.service_details = OOBTree()
    return found


def stored_details(subsite, code: str = DEFAULTS) -> dict:
    """What ``subsite`` keeps under ``code`` (its defaults for ``""``), a copy."""
    mapping = _mapping(subsite)
    found = mapping.get(code) if mapping is not None else None
    return dict(found or {})


def save_details(subsite, values: dict, code: str = DEFAULTS) -> dict:
    """Store ``values`` (field name -> text) as ``subsite``'s details under ``code``
    and return what is stored; empty values are left out, and nothing at all
    removes the entry. Raises :class:`ValidationFailed` (nothing stored) when a
    value is refused."""
    details, errors = {}, {}
    for f in FIELDS:
        try:
            value = f.parse(values.get(f.name), "form")
        except Invalid as exc:
            errors[f.name] = exc.message
            continue
        if value:
            details[f.name] = value
    if errors:
        raise ValidationFailed(errors)
    mapping = _mapping(subsite, create=bool(details))
    if details:
        mapping[code] = details
    elif mapping is not None and code in mapping:
        del mapping[code]
    return details


def local_details(subsite, service) -> dict:
    """The details a page of ``service`` shows: on a unit's page (``subsite``)
    each of ``address``, ``phone`` and ``hours`` from the procedure's override,
    else the unit's default; the address else the procedure's own. On the
    province's page (``subsite`` None) the procedure's address alone."""
    shown = {name: "" for name in NAMES}
    shown["address"] = service.address
    if subsite is None:
        return shown
    defaults = stored_details(subsite)
    overrides = stored_details(subsite, service.code)
    for name in NAMES:
        value = overrides.get(name) or defaults.get(name)
        if value:
            shown[name] = value
    return shown
