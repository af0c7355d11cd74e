"""Values as people read them: sizes of files."""

from __future__ import annotations

from core.i18n import _


def human_size(size: int, request) -> str:
    """A byte count for people: ``850 byte``, ``12,3 KB``, ``4,5 MB`` (Vietnamese commas)."""
    if size < 1024:
        return request.localizer.translate(_("${n} byte", mapping={"n": size}))
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if request.locale_name == "vi":
        text = text.replace(".", ",")
    return f"{text} {unit}"
