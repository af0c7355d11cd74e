"""The documents plugin's limits, read from the settings once at start-up (a wrong
value stops it with a message saying what to change)."""

from __future__ import annotations

from pyramid.exceptions import ConfigurationError

#: Settings and their defaults, in MB: the largest attachment of a document, the
#: largest edXML package taken in.
LIMITS = {
    "cong.documents.max_file_mb": ("documents_max_file_bytes", 20),
    "cong.documents.max_edxml_mb": ("documents_max_edxml_bytes", 50),
}


def read_limits(registry) -> None:
    """Check and keep the limits in the registry."""
    for setting, (attribute, default) in LIMITS.items():
        raw = registry.settings.get(setting, default)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 1024:
            raise ConfigurationError(
                f"{setting} must be a whole number of MB from 1 to 1024, not {raw!r}"
            )
        setattr(registry, attribute, value * 1024 * 1024)


def max_file_bytes(registry) -> int:
    """The largest attachment of a registered document, in bytes."""
    return registry.documents_max_file_bytes


def max_edxml_bytes(registry) -> int:
    """The largest edXML package taken in, in bytes."""
    return registry.documents_max_edxml_bytes
