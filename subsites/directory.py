"""The directory of units: every subsite, grouped by unit kind and by parent unit,
with counts, and filtered by a text (accents and case ignored).

A directory lists every unit, so building it is O(number of subsites) by nature:
it is built from the catalog (one structural query for the ``Subsite`` type, whose
records carry the unit's kind, codes and hosts as metadata: the catalog fields of
:mod:`subsites.catalog_fields`), never by loading the subsites, and kept until the next commit
(:meth:`core.ui.UI.cached`), so a page view only filters and renders it. The
counts per kind on the home page are facet counts, cheaper still.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from catalog import Record, search
from catalog.analysis import fold
from core.i18n import _
from core.ui import get_ui
from core.uids import resolve
from subsites.catalog_fields import CODE, HOSTS, KIND, PARENT
from subsites.content import TYPE_NAME
from subsites.units import unit_kinds


@dataclass(frozen=True)
class Unit:
    """A unit of the directory: its name, its site's address, kind and codes."""

    title: str
    url: str
    kind: str
    code: str
    parent_code: str
    key: str  # the folded text a filter is matched against

    def matches(self, folded_query: str) -> bool:
        return folded_query in self.key


@dataclass(frozen=True)
class ParentGroup:
    """The units of one kind under one parent unit (``url`` empty: the province)."""

    title: str
    url: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class KindGroup:
    """The units of one kind, by parent unit."""

    name: str
    label: str
    parents: tuple[ParentGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(p.units) for p in self.parents)


@dataclass(frozen=True)
class Directory:
    """Every unit the requester may see, by kind (in the configured order)."""

    kinds: tuple[KindGroup, ...]

    @property
    def count(self) -> int:
        return sum(k.count for k in self.kinds)

    def filtered(self, query: str) -> Directory:
        """The units whose name or code contains ``query`` (accents and case
        ignored); empty groups are dropped."""
        folded = fold_text(query)
        if not folded:
            return self
        kinds = []
        for kind in self.kinds:
            parents = []
            for parent in kind.parents:
                units = tuple(u for u in parent.units if u.matches(folded))
                if units:
                    parents.append(replace(parent, units=units))
            if parents:
                kinds.append(replace(kind, parents=tuple(parents)))
        return Directory(tuple(kinds))


def subsite_by_code(site, code: str):
    """The subsite of administrative code ``code`` (``25747``), or None: one lookup
    in ``site.unit_codes``, whatever the number of subsites."""
    if not isinstance(code, str) or not code:
        return None
    uid = site.unit_codes.get(code)
    return resolve(site, uid) if uid is not None else None


def fold_text(text: str) -> str:
    """``text`` as filters compare it: no diacritics, case-folded, single spaces."""
    return " ".join(fold(text or "").casefold().split())


def unit_url(request, record: Record) -> str:
    """The address of a unit's site: its first host name when it has one, else its
    path on the portal."""
    hosts = record.metadata.get(HOSTS) or ()
    if hosts:
        return f"{request.scheme}://{hosts[0]}/"
    return record.url(request)


def subsite_records(request) -> list[Record]:
    """The catalog records of every subsite the requester may see, by title."""
    query = dict(types=(TYPE_NAME,), sort_on="sortable_title", sort_order="ascending")
    total = search(request, size=0, **query).total
    return search(request, size=total, **query).records if total else []


def build_directory(request) -> Directory:
    """The directory, from the catalog (see the module's docstring)."""
    units = []
    for record in subsite_records(request):
        meta = record.metadata
        code = meta.get(CODE) or ""
        units.append(
            Unit(
                title=record.title,
                url=unit_url(request, record),
                kind=meta.get(KIND) or "",
                code=code,
                parent_code=meta.get(PARENT) or "",
                key=fold_text(f"{record.title} {code}"),
            )
        )
    by_code = {u.code: u for u in units if u.code}
    translate = request.localizer.translate
    province = translate(_("Trực thuộc tỉnh"))
    labels = {k.name: translate(k.label) for k in unit_kinds(request.registry)}
    order = {name: i for i, name in enumerate(labels)}
    kinds: dict[str, dict[str, list[Unit]]] = {}
    for unit in units:
        kinds.setdefault(unit.kind, {}).setdefault(unit.parent_code, []).append(unit)
    groups = []
    for kind in sorted(kinds, key=lambda k: (order.get(k, len(order)), k)):
        parents = []
        for code, members in kinds[kind].items():
            parent = by_code.get(code)
            if not code:
                title, url = province, ""
            elif parent is not None:
                title, url = parent.title, parent.url
            else:
                title, url = translate(_("Đơn vị mã ${code}", mapping={"code": code})), ""
            parents.append((bool(code), fold_text(title), ParentGroup(title, url, tuple(members))))
        parents.sort(key=lambda entry: entry[:2])  # the province first, then by name
        groups.append(KindGroup(kind, labels.get(kind, kind), tuple(p[2] for p in parents)))
    return Directory(tuple(groups))


def directory(request) -> Directory:
    """The directory, built once per commit (and per language and viewer)."""
    return get_ui(request).cached("subsites.directory", lambda: build_directory(request))


def kind_counts(request) -> list[tuple[str, str, int]]:
    """``(kind name, label, number of units)`` of each kind that has units, in the
    configured order (facet counts: the subsites are not listed)."""
    results = search(request, types=(TYPE_NAME,), facets=(KIND,), size=0)
    counts = results.facets.get(KIND, {})
    translate = request.localizer.translate
    found = [
        (k.name, translate(k.label), counts.pop(k.name, 0)) for k in unit_kinds(request.registry)
    ]
    found += [(name, name, n) for name, n in counts.items()]
    return [entry for entry in found if entry[2]]
