"""The JSON Schema of a content type, as plone.restapi's ``@types/<name>`` gives it.

It is made from the fields the forms use (each field describes itself with
:meth:`core.fields.Field.json_schema`), so the schema, the forms and the API's
validation never disagree. The OpenAPI document (:mod:`core.api.openapi`) reuses
it for request and response bodies.
"""

from __future__ import annotations

from core.i18n import _
from core.types import ContentType

#: The id of the one fieldset every type's fields are in.
DEFAULT_FIELDSET = "default"

#: JSON Schema keywords (the rest of a field's schema is plone.restapi's own:
#: ``factory``, ``widget``, ``choices``, ``enumNames``...).
STANDARD_KEYWORDS = frozenset(
    {
        "type",
        "title",
        "description",
        "default",
        "enum",
        "format",
        "items",
        "properties",
        "required",
        "additionalProperties",
        "maxLength",
        "minLength",
        "maxItems",
        "minItems",
        "uniqueItems",
        "minimum",
        "maximum",
    }
)


def type_schema(request, ct: ContentType) -> dict:
    """``{"title", "type": "object", "properties", "required", "fieldsets",
    "layouts"}``: the JSON Schema of ``ct``'s fields."""
    translate = request.localizer.translate
    names = [f.name for f in ct.fields]
    return {
        "title": translate(ct.label),
        "description": translate(ct.description) if ct.description else "",
        "type": "object",
        "properties": {f.name: f.json_schema(request) for f in ct.fields},
        "required": [f.name for f in ct.fields if f.required],
        "fieldsets": [
            {
                "id": DEFAULT_FIELDSET,
                "title": translate(_("Mặc định")),
                "fields": names,
                "behavior": "cong",
            }
        ],
        "layouts": [],
    }


def standard_schema(schema: dict) -> dict:
    """``schema`` with only JSON Schema keywords, nested schemas included (for
    validators and the OpenAPI document)."""
    found = {}
    for key, value in schema.items():
        if key not in STANDARD_KEYWORDS:
            continue
        if key == "properties":
            value = {name: standard_schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            value = standard_schema(value)
        found[key] = value
    return found
