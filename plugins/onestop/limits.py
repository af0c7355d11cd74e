"""The one-stop plugin's limits, from the settings."""

from __future__ import annotations

#: The largest file of a dossier, in MB, unless ``cong.onestop.max_file_mb`` says.
DEFAULT_MAX_FILE_MB = 10


def max_file_bytes(registry) -> int:
    """The largest file handed in for a dossier (a component, a supplement, a
    result), in bytes."""
    value = registry.settings.get("cong.onestop.max_file_mb", DEFAULT_MAX_FILE_MB)
    return int(value) * 1024 * 1024
