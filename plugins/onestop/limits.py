"""The one-stop plugin's limits, read from the settings once at start-up (a wrong
value stops it with a message saying what to change)."""

from __future__ import annotations

from pyramid.exceptions import ConfigurationError

#: The largest file of a dossier, in MB, unless ``cong.onestop.max_file_mb`` says.
DEFAULT_MAX_FILE_MB = 10
SETTING = "cong.onestop.max_file_mb"


def read_limits(registry) -> None:
    """Check and keep the limits in the registry."""
    raw = registry.settings.get(SETTING, DEFAULT_MAX_FILE_MB)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 1024:
        raise ConfigurationError(
            f"{SETTING} must be a whole number of MB from 1 to 1024, not {raw!r}"
        )
    registry.onestop_max_file_bytes = value * 1024 * 1024


def max_file_bytes(registry) -> int:
    """The largest file handed in for a dossier (a component, a supplement, a
    result), in bytes."""
    return registry.onestop_max_file_bytes
