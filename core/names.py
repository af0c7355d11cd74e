"""Names of content in URLs: made from titles, checked against path tricks."""

from __future__ import annotations

import re
import unicodedata

from core.i18n import _

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
MAX_NAME = 100


class BadName(ValueError):
    """A name that cannot be used; ``message`` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def fold(text: str) -> str:
    """Vietnamese text without diacritics (``Đà Nẵng`` -> ``Da Nang``)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def slugify(title: str) -> str:
    """A URL name from a title: ``Tin tức nổi bật`` -> ``tin-tuc-noi-bat``."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title).lower()).strip("-")
    return slug[:80].rstrip("-") or "noi-dung"


def check_name(folder, name: str) -> str:
    """Return ``name`` if it can be added to ``folder``; raise BadName if not."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise BadName(
            _("Tên không hợp lệ: chỉ dùng chữ không dấu, số, '-', '_', '.', tối đa 100 ký tự.")
        )
    if name in folder:
        raise BadName(_("Tên '${name}' đã được dùng trong thư mục này.", mapping={"name": name}))
    return name


def choose_name(folder, title: str) -> str:
    """A free name in ``folder`` made from ``title`` (``-1``, ``-2``... if taken)."""
    base = slugify(title)
    name, n = base, 1
    while name in folder:
        name = f"{base}-{n}"
        n += 1
    return name
