"""The content-type registry: which types exist and what each one is.

Types are declared as :class:`ContentType` records, by the kernel and by plugins
(the ``cong_content_types`` hook), and registered through the
``config.add_content_type`` directive, whose discriminator makes two types with one
name a start-up error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pyramid.config import Configurator

from core.fields import Field


@dataclass(frozen=True)
class ContentType:
    """What the registry knows of a content type.

    ``addable_to`` lists the type names of the folders it may be added to (``None``:
    any folder); ``add_permission`` is checked on the folder; ``workflow`` names a
    registered workflow; ``label`` is the (translated) name people see.
    ``check(request, folder, obj, values)`` (``obj`` is None when adding), given the
    parsed values, returns errors by field name for values each field accepts but
    the type refuses here (a host name another object has...). ``name_of(obj)``,
    given the new object with its values, proposes its name in the folder (checked
    as a name typed in the add form is; a procedure's code), instead of one made from
    its title.
    """

    name: str
    factory: type
    label: str
    fields: tuple[Field, ...] = ()
    addable_to: tuple[str, ...] | None = None
    add_permission: str = "add"
    workflow: str = "publication"
    description: str = ""
    searchable_text: tuple[str, ...] = field(default=("title", "description"))
    check: Callable | None = None
    allowed_children: tuple[str, ...] | None = None
    name_of: Callable | None = None

    def create(self, **values):
        """A new, unattached instance with the type's defaults."""
        obj = self.factory(**values)
        obj.type_name = self.name
        return obj

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


class TypeRegistry:
    """The content types of this application, by name."""

    def __init__(self):
        self._types: dict[str, ContentType] = {}

    def add(self, ct: ContentType) -> None:
        self._types[ct.name] = ct

    def get(self, name: str) -> ContentType | None:
        return self._types.get(name)

    def __getitem__(self, name: str) -> ContentType:
        return self._types[name]

    def __contains__(self, name: str) -> bool:
        return name in self._types

    def all(self) -> list[ContentType]:
        return list(self._types.values())

    def addable_in(self, folder) -> list[ContentType]:
        """The types that may be added to ``folder`` (before permission checks)."""
        own = self._types.get(folder.type_name)
        allowed = own.allowed_children if own is not None else None
        return [
            ct
            for ct in self._types.values()
            if (ct.addable_to is None or folder.type_name in ct.addable_to)
            and (allowed is None or ct.name in allowed)
        ]


def get_types(registry) -> TypeRegistry:
    """The :class:`TypeRegistry` of a Pyramid registry."""
    return registry.cong_types


def add_content_type(config: Configurator, ct: ContentType) -> None:
    """Directive: register a content type; a second type of one name conflicts."""

    def register():
        get_types(config.registry).add(ct)

    config.action(("cong.content_type", ct.name), register, introspectables=())


def includeme(config: Configurator) -> None:
    config.registry.cong_types = TypeRegistry()
    config.add_directive("add_content_type", add_content_type)
