"""Queries of the whoosh index: a user's text as whoosh terms, and the filters of a
search (security, path, types, states, subsite, dates, plugin fields) as a whoosh
query turned into a mask of documents (:func:`catalog.backends.whoosh_fast.filter_mask`).

Queries of two or more adjacent syllables are answered by their pairs (``b``), and
widened to the syllables anywhere in the document (``w``) when the pairs find few
documents (see :mod:`catalog.backends.whoosh_search`). Decision note:
docs/decisions/0007-whoosh-vietnamese.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import NamedTuple

from whoosh import query

from catalog.analysis import Syllable, bigrams, syllables
from catalog.backends.whoosh_schema import day_time, local_time, path_prefixes

#: Characters of a query looked at, and syllables used of them.
MAX_QUERY_CHARS = 500
MAX_QUERY_SYLLABLES = 16
#: Multiplier of the score of accent-exact terms when the query carries accents.
EXACT_BOOST = 2.0
#: The kernel's dates, fields of their own (plugin dates are ``d_<name>``).
BUILTIN_DATES = {"created", "modified", "effective", "date"}

_OPERATORS = re.compile(r"\b(?:AND|OR|NOT)\b")


class ParsedQuery(NamedTuple):
    """The understood part of a query: loose syllables and quoted phrases."""

    words: list[Syllable]
    phrases: list[list[Syllable]]

    @property
    def accented(self) -> bool:
        """Whether the user typed any diacritic (then exact accents rank first)."""
        return any(s.normal != s.folded for s in self.syllables)

    @property
    def syllables(self) -> list[Syllable]:
        """Every syllable, loose and quoted."""
        return self.words + [s for phrase in self.phrases for s in phrase]


def parse_query(text: str) -> ParsedQuery:
    """Split a user's query into loose syllables and ``"quoted phrases"``.

    Forgiving: an unclosed quote is ignored, operators (``AND``, ``OR``, ``NOT``)
    and punctuation are dropped, and only the first syllables count.
    """
    text = _OPERATORS.sub(" ", (text or "")[:MAX_QUERY_CHARS])
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an unclosed quote: its text counts as loose words
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    words: list[Syllable] = []
    phrases: list[list[Syllable]] = []
    budget = MAX_QUERY_SYLLABLES
    for i, part in enumerate(parts):
        sylls = syllables(part)[:budget]
        budget -= len(sylls)
        if not sylls:
            continue
        if i % 2:
            phrases.append(sylls)
        else:
            words.extend(sylls)
    return ParsedQuery(words, phrases)


def build_query(parsed: ParsedQuery, adjacent: bool) -> query.Query | None:
    """The whoosh query: folded terms required, accent-exact terms raising the score.

    With ``adjacent``, loose syllables that follow each other are matched as pairs
    (bigram terms); otherwise each syllable is required anywhere (the wider query
    tried when few documents have them adjacent). Quoted phrases are always
    matched as phrases.
    """
    required: dict[tuple[str, str], query.Query] = {}
    optional: dict[tuple[str, str], query.Query] = {}
    exact = parsed.accented

    def need(field, text):
        required.setdefault((field, text), query.Term(field, text))

    def prefer(field, text):
        if (field, text) not in required:
            optional.setdefault((field, text), query.Term(field, text, boost=EXACT_BOOST))

    def pair(left, right):
        folded, normal = f"{left.folded} {right.folded}", f"{left.normal} {right.normal}"
        need("b", folded)
        if exact and normal != folded:
            prefer("b", normal)

    def syllable(syll):
        need("w", syll.folded)
        if exact and syll.normal != syll.folded:
            prefer("w", syll.normal)

    paired: set[int] = set()
    for left, right in bigrams(parsed.words) if adjacent else ():
        pair(left, right)
        paired.update((id(left), id(right)))
    for syll in parsed.words:
        if id(syll) not in paired:
            syllable(syll)

    for phrase in parsed.phrases:
        pairs = bigrams(phrase)
        for left, right in pairs:
            pair(left, right)
        if len(phrase) == 1:
            syllable(phrase[0])
        elif len(phrase) > 2 or not pairs:
            words = [s.folded for s in phrase]
            required[("phrase", " ".join(words))] = query.Phrase("w", words)

    if not required:
        return None
    must = list(required.values())
    q = must[0] if len(must) == 1 else query.And(must)
    if optional:
        q = query.AndMaybe(q, query.Or(list(optional.values())))
    return q


def filter_query(
    principals,
    path=None,
    types=(),
    states=(),
    subsite=None,
    date_ranges=None,
    fields=None,
) -> query.Query:
    """The documents one of ``principals`` may view that pass the filters of a
    search (see :meth:`catalog.backends.ITextBackend.search`)."""
    parts: list[query.Query] = [_any_of("allowed", principals)]
    if path and path.strip("/"):
        parts.append(query.Term("paths", path_prefixes(path)[-1]))
    if types:
        parts.append(_any_of("type_name", types))
    if states:
        parts.append(_any_of("state", states))
    if subsite is not None:
        parts.append(query.Term("subsite", subsite))
    for name, (first, last) in (date_ranges or {}).items():
        field = name if name in BUILTIN_DATES else f"d_{name}"
        low = _bound(first, time.min) if first else None
        high = _bound(last, time.max) if last else None
        if low or high:
            parts.append(query.DateRange(field, low, high))
    for name, value in (fields or {}).items():
        if isinstance(value, datetime | date):
            day = day_time(value)
            parts.append(query.DateRange(f"d_{name}", day, datetime.combine(day, time.max)))
        elif isinstance(value, list | tuple | set | frozenset):
            parts.append(_any_of(f"f_{name}", [str(v) for v in value]))
        elif value is not None:
            parts.append(query.Term(f"f_{name}", str(value)))
    return query.And(parts)


def names(values: Sequence[str] | str) -> tuple[str, ...]:
    """A sequence of names as a tuple (a lone string is one name, not its letters)."""
    return (values,) if isinstance(values, str) else tuple(values)


def frozen(value):
    """``value`` (filters: dicts, lists, sets) as a hashable key."""
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        items = [frozen(v) for v in value]
        return tuple(sorted(items, key=repr)) if not isinstance(value, tuple) else tuple(items)
    return value


def _any_of(field: str, values) -> query.Query:
    values = sorted(set(values))
    if not values:
        return query.NullQuery
    if len(values) == 1:
        return query.Term(field, values[0])
    return query.Or([query.Term(field, value) for value in values])


def _bound(value: date | datetime, at: time) -> datetime:
    """A range bound: a datetime as is (local time), a day at its first or last moment."""
    if isinstance(value, datetime):
        return local_time(value)
    return datetime.combine(value, at)
