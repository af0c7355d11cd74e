"""The fields of procedures (lĩnh vực): a vocabulary the province manages.

It is kept on the site (``site.service_fields``: slug -> label, a B-tree made on
first use) and edited on the catalog's ``@@linh-vuc`` page; a procedure stores its
field's slug, so renaming a field changes no procedure. A field that procedures
use cannot be removed.
"""

from __future__ import annotations

from BTrees.OOBTree import OOBTree

from core.i18n import _
from core.names import NAME_RE, slugify
from plugins.services.fields import folded

#: Characters of a field's label, at most.
MAX_LABEL = 200
#: Fields a site may have, at most.
MAX_FIELDS = 500


class VocabularyError(ValueError):
    """A change of the vocabulary that cannot be made; ``message`` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _mapping(site, create: bool = False):
    found = getattr(site, "service_fields", None)
    if found is None and create:
        found = site.service_fields = OOBTree()
    return found


def field_items(site) -> list[tuple[str, str]]:
    """The fields as ``(slug, label)`` pairs, in the order of their labels."""
    mapping = _mapping(site)
    if not mapping:
        return []
    return sorted(mapping.items(), key=lambda item: folded(item[1]))


def field_label(site, slug: str) -> str:
    """The label of field ``slug`` ('' when there is none)."""
    mapping = _mapping(site)
    return (mapping.get(slug, "") if mapping is not None else "") if slug else ""


def find_field(site, text: str) -> str | None:
    """The slug of the field named ``text`` by its slug or its label (accents and
    case aside), or None."""
    mapping = _mapping(site)
    if not mapping or not text:
        return None
    if text in mapping:
        return text
    wanted = folded(text)
    return next((slug for slug, label in mapping.items() if folded(label) == wanted), None)


def add_field(site, label: str, slug: str = "") -> str:
    """Add a field (its slug made from ``label`` unless given) and return its slug;
    a label already there returns that field's slug."""
    label = " ".join(str(label).split())
    if not label or len(label) > MAX_LABEL:
        raise VocabularyError(
            _("Tên lĩnh vực phải có từ 1 đến ${n} ký tự.", mapping={"n": MAX_LABEL})
        )
    existing = find_field(site, label)
    if existing is not None:
        return existing
    slug = slug or slugify(label)[:80]
    if not NAME_RE.match(slug):
        raise VocabularyError(_("Mã lĩnh vực chỉ gồm chữ không dấu, số và gạch ngang."))
    mapping = _mapping(site, create=True)
    if slug in mapping:
        raise VocabularyError(_("Mã lĩnh vực “${slug}” đã có.", mapping={"slug": slug}))
    if len(mapping) >= MAX_FIELDS:
        raise VocabularyError(_("Đã đủ ${n} lĩnh vực.", mapping={"n": MAX_FIELDS}))
    mapping[slug] = label
    return slug


def rename_field(site, slug: str, label: str) -> None:
    """Give field ``slug`` a new label."""
    label = " ".join(str(label).split())
    mapping = _mapping(site)
    if not mapping or slug not in mapping:
        raise VocabularyError(_("Không có lĩnh vực “${slug}”.", mapping={"slug": slug}))
    if not label or len(label) > MAX_LABEL:
        raise VocabularyError(
            _("Tên lĩnh vực phải có từ 1 đến ${n} ký tự.", mapping={"n": MAX_LABEL})
        )
    other = find_field(site, label)
    if other not in (None, slug):
        raise VocabularyError(_("Đã có lĩnh vực “${label}”.", mapping={"label": label}))
    mapping[slug] = label


def remove_field(site, slug: str, used: int) -> None:
    """Remove field ``slug``, which ``used`` procedures have (refused unless 0)."""
    mapping = _mapping(site)
    if not mapping or slug not in mapping:
        raise VocabularyError(_("Không có lĩnh vực “${slug}”.", mapping={"slug": slug}))
    if used:
        raise VocabularyError(
            _("Lĩnh vực này còn ${n} thủ tục, không thể xóa.", mapping={"n": used})
        )
    del mapping[slug]
