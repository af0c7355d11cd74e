"""Names of content in URLs: made from titles, checked against path tricks, and
kept clear of the names something else answers (views, static files, generated
files such as ``sitemap.xml``).

A child named like a view of its folder hides the view (traversal finds the child
first): a Page called ``sitemap.xml`` at the root would replace the generated
sitemap for everyone. Pages link to views with ``@@`` (``@@edit``), which no child
hides; but crawlers, feed readers and links in rich text ask the root for
``sitemap.xml``, ``rss`` or ``resolveuid/<uid>`` as they are. So at a navigation
root (the portal, a subsite: where a host's addresses begin) the names of the views
registered for it and the first segment of every route are refused, and anywhere
the names reserved with the ``config.reserve_names`` directive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from zope.interface.interface import InterfaceClass

from core.i18n import _

#: A name: letters without accents, digits, ".", "_", "-"; ``\Z`` (not ``$``, which
#: also matches before a final line break) ends it.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")
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


def check_name(folder, name: str, reserved: Collection[str] = ()) -> str:
    """Return ``name`` if it can be added to ``folder``; raise BadName if not.
    ``reserved``: the names the folder keeps for other things (see
    :func:`reserved_names`)."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise BadName(
            _("Tên không hợp lệ: chỉ dùng chữ không dấu, số, '-', '_', '.', tối đa 100 ký tự.")
        )
    if name in reserved:
        raise BadName(
            _(
                "Tên '${name}' được dành cho một trang của hệ thống ở đây; hãy chọn tên khác.",
                mapping={"name": name},
            )
        )
    if name in folder:
        raise BadName(_("Tên '${name}' đã được dùng trong thư mục này.", mapping={"name": name}))
    return name


def is_taken(folder, name: str, reserved: Collection[str] = ()) -> bool:
    """Whether ``folder`` has a child ``name`` or keeps the name for something else."""
    return name in folder or name in reserved


def choose_name(folder, title: str, reserved: Collection[str] = ()) -> str:
    """A free name in ``folder`` made from ``title`` (``-1``, ``-2``... if taken or
    ``reserved``)."""
    base = slugify(title)
    name, n = base, 1
    while is_taken(folder, name, reserved):
        name = f"{base}-{n}"
        n += 1
    return name


# reserved names -------------------------------------------------------------------------
def reserve_names(config, *names: str, context=None) -> None:
    """Directive ``config.reserve_names("robots.txt", context=INavigationRoot)``: the
    children of objects providing ``context`` (an interface or a class; any folder
    when None) may not take ``names``, which something other than a view answers
    there (the front web server, a tween...). Names of views need no reserving."""
    config.registry.setdefault("cong.reserved_names", []).extend((name, context) for name in names)


def _provides(obj, context) -> bool:
    if context is None:
        return True
    if isinstance(context, InterfaceClass):
        return context.providedBy(obj)
    return isinstance(context, type) and isinstance(obj, context)


def _at_root(context) -> bool:
    """Whether views registered for ``context`` are views of navigation roots."""
    from core.interfaces import INavigationRoot, ISite

    return isinstance(context, InterfaceClass) and (
        context.isOrExtends(INavigationRoot) or context.isOrExtends(ISite)
    )


def _name_claims(registry) -> list[tuple[str, object]]:
    """``(name, context)``: each name something answers below objects of ``context``
    (read once from the configuration, then kept)."""
    claims = registry.get("cong.name_claims")
    if claims is not None:
        return claims
    from core.interfaces import INavigationRoot

    claims = list(registry.get("cong.reserved_names", ()))
    introspector = registry.introspector
    for view in introspector.get_category("views") or ():
        intr = view["introspectable"]
        name = intr["name"] or ""
        if NAME_RE.match(name) and _at_root(intr["context"]):
            claims.append((name, intr["context"]))
    for route in introspector.get_category("routes") or ():
        first = (route["introspectable"]["pattern"] or "").lstrip("/").split("/", 1)[0]
        if NAME_RE.match(first):
            claims.append((first, INavigationRoot))
    registry["cong.name_claims"] = claims
    return claims


def reserved_names(registry, folder) -> frozenset[str]:
    """The names ``folder``'s children may not take: at a navigation root, those of
    its views and the first segment of each route; anywhere, those reserved with
    :func:`reserve_names` for it."""
    return frozenset(name for name, context in _name_claims(registry) if _provides(folder, context))


def includeme(config) -> None:
    """The ``reserve_names`` directive, and the generated files of any website."""
    from core.interfaces import INavigationRoot

    config.add_directive("reserve_names", reserve_names)
    config.reserve_names(
        "robots.txt", "sitemap.xml", "favicon.ico", "humans.txt", context=INavigationRoot
    )
