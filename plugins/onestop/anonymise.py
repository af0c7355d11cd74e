"""Anonymisation of dossiers closed long ago (``cong onestop anonymise``).

A dossier closed more than ``cong.onestop.anonymise_after_days`` days ago
(:data:`DEFAULT_DAYS` without it) keeps what the statistics and the registers
need — its code, procedure, field, channel, units, statuses, dates, steps and
the result's number, signer and outcome — and loses what names or shows the
person:

- the applicant and the representative become :data:`PLACEHOLDER` (the kind of
  identifier stays, its number goes);
- the files handed in and the result's file are dropped: the issued document
  itself is kept by the issuing unit's archive, and a copy here would keep the
  personal data this removes;
- the comments of its history, the reasons of its supplement requests and the
  rating's comment are emptied; the citizen's login is forgotten (``owner``
  and "Hồ sơ của tôi");
- its liên thông sub-dossiers alike.

It is then ``anonymised``: the look-up no longer finds it. Each desk remembers
up to when it was done (``anonymised_until``), so a run reads only the dossiers
closed since the last one (``by_closed``), never every dossier again. Old
revisions stay in the database file until it is packed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from pyramid.exceptions import ConfigurationError

from plugins.onestop.dossier import Dossier, Person
from plugins.onestop.registry import remove_applicant
from plugins.onestop.units import desk_of

SETTING = "cong.onestop.anonymise_after_days"
#: Days after closing, unless the setting says (five years).
DEFAULT_DAYS = 1825
PLACEHOLDER = "(đã ẩn danh)"
PACK_NOTE = "Old revisions stay in the database file until it is packed."


@dataclass
class Counts:
    """What a run did: dossiers anonymised (sub-dossiers included) and files dropped."""

    dossiers: int = 0
    files: int = 0


def days_setting(registry) -> int:
    """The setting's days; ConfigurationError for a value that is not a whole
    number from 1 to 36500."""
    raw = registry.settings.get(SETTING, DEFAULT_DAYS)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 36500:
        raise ConfigurationError(f"{SETTING} must be a whole number of days, not {raw!r}")
    return value


def blank_person(person: Person) -> Person:
    return Person(full_name=PLACEHOLDER, id_type=person.id_type, id_number="")


def anonymise_dossier(site, dossier: Dossier) -> int:
    """Remove the personal data of ``dossier`` (see the module); the number of
    files dropped. Nothing for a dossier done already."""
    if dossier.anonymised:
        return 0
    files = len(dossier.documents)
    remove_applicant(site, dossier)
    dossier.applicant = blank_person(dossier.applicant)
    if dossier.representative is not None:
        dossier.representative = blank_person(dossier.representative)
    dossier.documents = ()
    if dossier.result is not None and dossier.result.document is not None:
        dossier.result = replace(dossier.result, document=None)
        files += 1
    dossier.history = tuple(replace(e, comment="") for e in dossier.history)
    dossier.supplements = tuple(replace(s, reason="") for s in dossier.supplements)
    if dossier.rating is not None:
        dossier.rating = {**dossier.rating, "comment": ""}
    if dossier.owner:
        owned = site.onestop.owners.get(dossier.owner)
        if owned is not None and dossier.code in owned:
            owned.remove(dossier.code)
        dossier.owner = ""
    dossier.anonymised = True
    return files


def anonymise_desk(site, desk, before: datetime, counts: Counts, every: Callable[[], object]):
    """Anonymise the dossiers of ``desk`` closed before ``before`` and since the
    desk's last run; ``every()`` is called after each dossier (to commit now
    and then)."""
    until = before.astimezone(UTC).isoformat()
    since = desk.anonymised_until
    if since >= until:
        return
    for _when, code in list(desk.by_closed.keys((since, ""), (until, ""), excludemax=True)):
        dossier = desk.dossiers.get(code)
        if dossier is None or dossier.anonymised:
            continue
        for sub_code in dossier.subs:
            sub = site.onestop.codes.get(sub_code)
            if sub is not None and not sub.anonymised:
                counts.files += anonymise_dossier(site, sub)
                counts.dossiers += 1
                sub.__parent__.enqueue(sub)  # its queue line, if any, without the name
        counts.files += anonymise_dossier(site, dossier)
        counts.dossiers += 1
        every()
    desk.anonymised_until = until


def anonymise(site, days: int, now: datetime, every: Callable[[], object] = lambda: None) -> Counts:
    """Anonymise every desk's dossiers closed more than ``days`` days before
    ``now``; the counts of what was done."""
    counts = Counts()
    before = now - timedelta(days=days)
    for code in list(site.unit_codes.keys()):
        desk = desk_of(site, code)
        if desk is not None:
            anonymise_desk(site, desk, before, counts, every)
    return counts
