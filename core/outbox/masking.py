"""Recipients as logs show them: enough to tell two apart, not enough to reach anyone."""

from __future__ import annotations

from urllib.parse import urlsplit


def mask(recipient: str) -> str:
    """``nguyen.van.a@example.vn`` -> ``n***@example.vn``; ``0912345678`` ->
    ``09*****678``; a URL -> its scheme and host; anything else -> ``***``."""
    if recipient.startswith(("http://", "https://")):
        parts = urlsplit(recipient)
        return f"{parts.scheme}://{parts.hostname or ''}/…"
    local, at, domain = recipient.partition("@")
    if at:
        return f"{local[:1]}***@{domain}"
    digits = recipient.lstrip("+")
    if digits.isdigit() and len(digits) >= 7:
        return recipient[: len(recipient) - len(digits) + 2] + "*" * (len(digits) - 5) + digits[-3:]
    return "***"


def masked_reason(reason: str, recipient: str) -> str:
    """``reason`` (a server's answer) with the recipient in it masked."""
    return reason.replace(recipient, mask(recipient)) if recipient else reason
