"""Checking a row's values as the forms and the JSON API check them: with the
fields of a content type and its check, nothing stored anywhere."""

from __future__ import annotations

from core.fields import apply_values
from core.types import ContentType


def parse_values(
    request, content_type: ContentType, folder, values: dict, source: str, existing=None
) -> tuple[dict, dict]:
    """``(parsed, errors)``: ``values`` (input as ``source``, ``form`` or
    ``json``, gives it) parsed by ``content_type``'s fields, then checked by its
    check as adding to ``folder`` would (or editing ``existing``: only the fields
    given). ``errors`` maps field names to messages; ``parsed`` holds the values
    when every field took its own (the check may still refuse some)."""
    parsed: dict = {}

    def check(found: dict) -> dict:
        parsed.update(found)
        if content_type.check is None:
            return {}
        return content_type.check(request, folder, existing, found) or {}

    errors = apply_values(
        content_type.fields,
        content_type.create(),
        values,
        source,
        partial=existing is not None,
        check=check,
    )
    return parsed, dict(errors)
