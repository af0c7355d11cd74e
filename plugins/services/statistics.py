"""Statistics of the catalog: how many procedures are at each online level and
fully or partly online, province-wide, per unit and per field, and the share of
the total each is (the figure provinces report, against their targets).

Everything is counted from the catalog with security (anonymous visitors count
the published procedures): one search per level and per online kind, each with
the counts of its unit keys and fields (facets), so a unit's figures are sums
over its unit keys (:func:`plugins.services.units.keys_of`) and no search is made
per unit. The result is kept until the next commit, per viewer and language
(:meth:`core.ui.UI.cached`).

The targets come from the setting ``cong.services_targets``: ``level=percent``
pairs, ``3=60 4=10`` by default (60 % of procedures at level 3, 10 % at level 4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyramid.exceptions import ConfigurationError
from pyramid.traversal import resource_path

import catalog
from core.ui import get_ui
from plugins.services.catalog_fields import FIELD, LEVEL
from plugins.services.catalog_fields import ONLINE as ONLINE_FIELD
from plugins.services.content import FULL, LEVELS, PARTIAL, SERVICE
from plugins.services.units import UNIT_FIELD, keys_of, unit_filter
from plugins.services.vocabulary import field_items

#: The setting naming the targets, and its default.
TARGETS_SETTING = "cong.services_targets"
DEFAULT_TARGETS = "3=60 4=10"
#: The online levels, in order.
LEVEL_VALUES = tuple(value for value, _label in LEVELS)
#: The online kinds, in order.
ONLINE_KINDS = (FULL, PARTIAL)
_TARGET_RE = re.compile(r"^([1-4])=(\d{1,3}(?:[.,]\d)?)$")


def read_targets(settings) -> dict[int, float]:
    """The targets of ``settings`` (``cong.services_targets``): level -> percent.

    Raises ConfigurationError naming the setting when it cannot be read."""
    text = (settings or {}).get(TARGETS_SETTING, DEFAULT_TARGETS) or ""
    targets: dict[int, float] = {}
    for pair in text.split():
        match = _TARGET_RE.match(pair)
        percent = float(match.group(2).replace(",", ".")) if match else -1.0
        level = int(match.group(1)) if match else 0
        if not match or not 0 <= percent <= 100 or level in targets:
            raise ConfigurationError(
                f"{TARGETS_SETTING}: {pair!r} is not 'level=percent' (a level 1 to 4, "
                f"once, and a percent 0 to 100), e.g. {DEFAULT_TARGETS!r}"
            )
        targets[level] = percent
    return targets


def targets_of(registry) -> dict[int, float]:
    """The registry's targets, read once from its settings."""
    found = getattr(registry, "services_targets", None)
    if found is None:
        found = registry.services_targets = read_targets(registry.settings)
    return found


def share(count: int, total: int) -> float | None:
    """``count`` as a percent of ``total``, one decimal (None when total is 0)."""
    return round(100 * count / total, 1) if total else None


def format_percent(value: float | None) -> str:
    """A percent as people read it in Vietnamese: ``62,5 %`` (``–`` for none)."""
    if value is None:
        return "–"
    text = f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} %"


@dataclass(frozen=True)
class Counts:
    """Procedures per level (1 to 4) and per online kind (toàn trình, một phần)."""

    levels: tuple[int, ...]
    online: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.levels)

    def level(self, level: int) -> int:
        """The procedures at ``level``."""
        return self.levels[LEVEL_VALUES.index(level)]

    def kind(self, kind: str) -> int:
        """The procedures online in way ``kind`` (toàn trình or một phần)."""
        return self.online[ONLINE_KINDS.index(kind)]

    @property
    def offline(self) -> int:
        """The procedures not submitted online (levels 1 and 2)."""
        return self.total - sum(self.online)

    def level_share(self, level: int) -> float | None:
        return share(self.level(level), self.total)

    def kind_share(self, kind: str) -> float | None:
        return share(self.kind(kind), self.total)

    def met(self, level: int, target: float) -> bool:
        """Whether the share at ``level`` reaches ``target`` percent."""
        found = self.level_share(level)
        return found is not None and found >= target

    def as_json(self) -> dict:
        """``{"total", "levels", "online", "shares"}`` with string keys."""
        return {
            "total": self.total,
            "levels": {str(k): self.level(k) for k in LEVEL_VALUES},
            "online": {k: self.kind(k) for k in ONLINE_KINDS},
            "shares": {
                "levels": {str(k): self.level_share(k) for k in LEVEL_VALUES},
                "online": {k: self.kind_share(k) for k in ONLINE_KINDS},
            },
        }


@dataclass(frozen=True)
class UnitRow:
    """A unit (a subsite) and the counts of the procedures it shows."""

    title: str
    path: str
    subsite: str
    kind: str
    code: str
    counts: Counts

    def url(self, request) -> str:
        """The unit's address (its own host when it has one)."""
        from subsites.hosting import path_url

        return path_url(request, self.path, self.subsite)


@dataclass(frozen=True)
class FieldRow:
    """A field (lĩnh vực) and the counts of its procedures."""

    slug: str
    label: str
    counts: Counts


@dataclass(frozen=True)
class Statistics:
    """The counts of a scope (the province or a unit), per unit and per field."""

    counts: Counts
    units: tuple[UnitRow, ...]
    fields: tuple[FieldRow, ...]

    def as_json(self, request, targets: dict[int, float]) -> dict:
        """The JSON of the statistics pages (stable keys; see :class:`Counts`)."""
        data = self.counts.as_json()
        data["targets"] = {
            str(level): {"percent": percent, "met": self.counts.met(level, percent)}
            for level, percent in sorted(targets.items())
        }
        data["units"] = [
            {
                "title": u.title,
                "@id": u.url(request),
                "kind": u.kind,
                "code": u.code,
                **u.counts.as_json(),
            }
            for u in self.units
        ]
        data["fields"] = [
            {"token": f.slug, "title": f.label, **f.counts.as_json()} for f in self.fields
        ]
        return data


class _Tally:
    """The facet counts of one search per level and per online kind."""

    def __init__(self, request, scope: dict, facets: tuple[str, ...]):
        def facet_counts(name, value) -> dict:
            found = catalog.search(
                request, types=(SERVICE,), fields={**scope, name: value}, size=0, facets=facets
            )
            return {"": found.total, **{f: found.facets.get(f, {}) for f in facets}}

        self.levels = [facet_counts(LEVEL, level) for level in LEVEL_VALUES]
        self.online = [facet_counts(ONLINE_FIELD, kind) for kind in ONLINE_KINDS]

    def total(self) -> Counts:
        return Counts(
            tuple(found[""] for found in self.levels), tuple(found[""] for found in self.online)
        )

    def of(self, facet: str, keys) -> Counts:
        """The counts of the procedures whose ``facet`` value is one of ``keys``."""

        def summed(found: dict) -> int:
            counts = found[facet]
            return sum(counts.get(key, 0) for key in keys)

        return Counts(tuple(map(summed, self.levels)), tuple(map(summed, self.online)))


def compute(request, subsite=None) -> Statistics:
    """The statistics of what ``subsite`` shows (None: the province, with a row per
    unit), for the requester, counted afresh (see :func:`statistics`)."""
    from subsites.catalog_fields import CODE, KIND
    from subsites.directory import subsite_records

    province = subsite is None
    tally = _Tally(request, unit_filter(subsite), (UNIT_FIELD, FIELD) if province else (FIELD,))
    units = []
    if province:
        for record in subsite_records(request):
            code, kind = record.metadata.get(CODE) or "", record.metadata.get(KIND) or ""
            keys = keys_of(code, kind)
            if keys:
                counts = tally.of(UNIT_FIELD, keys)
                units.append(UnitRow(record.title, record.path, record.subsite, kind, code, counts))
    labels = dict(field_items(request.root))
    slugs = {slug for found in tally.levels for slug in found[FIELD]}
    position = {slug: index for index, slug in enumerate(labels)}
    fields = [
        FieldRow(slug, labels.get(slug, slug), tally.of(FIELD, (slug,)))
        for slug in sorted(slugs, key=lambda slug: (position.get(slug, len(position)), slug))
    ]
    return Statistics(tally.total(), tuple(units), tuple(fields))


def statistics(request, subsite=None) -> Statistics:
    """The statistics of what ``subsite`` shows (None: the province), shared until
    the next commit by requesters who see the same procedures."""
    scope = resource_path(subsite) if subsite is not None else ""
    return get_ui(request).cached("services.statistics " + scope, lambda: compute(request, subsite))
