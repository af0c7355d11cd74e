"""Plone's names of content types, taken for cong's own in the API.

A plone.restapi client creates a page with ``{"@type": "Document"}`` and filters
searches with ``portal_type=Document``: the alias registry maps such names to the
portal's types (``Document`` -> ``Page`` in the kernel; a plugin maps Plone's name
of its type with ``config.add_type_alias("Plone's name", "its type's name")``).
Answers keep the portal's names
(decision 0017).
"""

from __future__ import annotations

from pyramid.config import Configurator

from core.types import get_types

#: The kernel's aliases: Plone's name -> cong's. Folder, File, Image and Link have
#: one name in both.
KERNEL_ALIASES = {"Document": "Page"}


def get_type_aliases(registry) -> dict[str, str]:
    """The aliases: Plone's name -> the portal's type name."""
    return registry.cong_type_aliases


def resolve_type(registry, name):
    """The portal's type for a client's ``name``: a type of that name, else the type
    an alias names (``Document`` -> ``Page``), else ``name`` as it came."""
    if not isinstance(name, str) or name in get_types(registry):
        return name
    return get_type_aliases(registry).get(name, name)


def add_type_alias(config: Configurator, alias: str, type_name: str) -> None:
    """Directive: take ``alias`` (a Plone type name) for the type ``type_name``; two
    aliases with one name are a start-up conflict."""

    def register():
        get_type_aliases(config.registry)[alias] = type_name

    config.action(("cong.type_alias", alias), register)


def includeme(config: Configurator) -> None:
    config.registry.cong_type_aliases = {}
    config.add_directive("add_type_alias", add_type_alias)
    for alias, type_name in KERNEL_ALIASES.items():
        config.add_type_alias(alias, type_name)
