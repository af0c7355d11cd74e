"""The kinds of units that have a subsite, and the levels of local government.

Since 1 July 2025 local government has two tiers, province and commune; older data
has three, province, district and commune. The setting ``cong.unit_levels`` says
which: ``province commune`` (the default) or ``province district commune``. A kind's
``level`` is how many tiers below the province its units sit: communes are level 2
under districts when districts are used, level 1 (straight under the province)
otherwise, and the ``district`` kind exists only then.

The list of kinds may be replaced with ``cong.unit_kinds``: one kind a line,
``name level label`` (for example ``department 1 Sở, ban, ngành``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from core.i18n import _

THREE_LEVELS = ("province", "district", "commune")
TWO_LEVELS = ("province", "commune")
NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class UnitKind:
    """A kind of unit: ``name`` is stored on subsites, ``label`` is what people read,
    ``level`` the number of tiers below the province."""

    name: str
    label: str
    level: int


def default_kinds(levels: tuple[str, ...]) -> list[UnitKind]:
    """The kinds of units for the structure ``levels``."""
    districts = "district" in levels
    kinds = [UnitKind("department", _("Sở, ban, ngành"), 1)]
    if districts:
        kinds.append(UnitKind("district", _("Huyện, thị xã, thành phố"), 1))
    kinds.append(UnitKind("commune", _("Xã, phường, đặc khu"), 2 if districts else 1))
    kinds.append(UnitKind("other", _("Đơn vị khác"), 1))
    return kinds


def read_levels(value: str) -> tuple[str, ...]:
    """The ``cong.unit_levels`` setting as a tuple; ConfigurationError if unknown."""
    levels = tuple(value.split()) or TWO_LEVELS
    if levels not in (TWO_LEVELS, THREE_LEVELS):
        raise ConfigurationError(
            f"cong.unit_levels must be '{' '.join(TWO_LEVELS)}' or "
            f"'{' '.join(THREE_LEVELS)}', not {value!r}"
        )
    return levels


def read_kinds(value: str) -> list[UnitKind]:
    """Kinds from the ``cong.unit_kinds`` setting (``name level label`` a line)."""
    kinds: list[UnitKind] = []
    for line in value.strip().splitlines():
        parts = line.split(None, 2)
        if not line.strip():
            continue
        if len(parts) != 3 or not NAME_RE.match(parts[0]) or not parts[1].isdigit():
            raise ConfigurationError(
                f"cong.unit_kinds: {line.strip()!r} is not 'name level label' "
                "(e.g. 'department 1 Sở, ban, ngành')"
            )
        if any(k.name == parts[0] for k in kinds):
            raise ConfigurationError(f"cong.unit_kinds: kind {parts[0]!r} is listed twice")
        kinds.append(UnitKind(parts[0], parts[2].strip(), int(parts[1])))
    return kinds


def unit_levels(registry) -> tuple[str, ...]:
    """The tiers of local government, from the province down."""
    return registry.cong_unit_levels


def unit_kinds(registry) -> list[UnitKind]:
    """The kinds of units, in the order forms and directories show them."""
    return list(registry.cong_unit_kinds)


def unit_kind(registry, name: str) -> UnitKind | None:
    """The kind called ``name``, or None."""
    return next((k for k in registry.cong_unit_kinds if k.name == name), None)


def includeme(config: Configurator) -> None:
    settings = config.registry.settings
    levels = read_levels(settings.get("cong.unit_levels", ""))
    custom = settings.get("cong.unit_kinds", "")
    config.registry.cong_unit_levels = levels
    config.registry.cong_unit_kinds = tuple(
        read_kinds(custom) if custom.strip() else default_kinds(levels)
    )
