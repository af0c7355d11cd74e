"""The whoosh full-text backend (package ``whoosh-reloaded``).

One index in a folder, written by one writer at a time (an in-process lock, then
whoosh's file lock with a timeout) and read through one long-lived searcher that is
reopened when another commit has made a new generation. Searches take turns on it:
whoosh readers seek and read shared file objects, and pure-Python searching holds
the GIL anyway, so taking turns costs no throughput.

Text is indexed three ways (see :mod:`catalog.analysis`): syllables in normal and
folded forms (``w``, with positions for phrases), pairs of syllables in both forms
(``b``) and title prefixes (``s``, for autocompletion). Queries of two or more adjacent
syllables are answered by their pairs, and widened to the syllables anywhere in the
document when the pairs find fewer than :data:`MIN_ADJACENT_HITS` documents.
Security, the other filters and the publication window are turned into a mask of
document numbers before scoring (the filters cached per searcher). The common query
shapes are evaluated with numpy on the segments' postings
(:mod:`catalog.backends.whoosh_fast`), the others by whoosh. Decision note: docs/decisions/0007-whoosh-vietnamese.md.
"""

from __future__ import annotations

import html
import os
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from typing import NamedTuple

import numpy as np
from whoosh import columns, fields, formats, index, query, sorting
from whoosh.analysis import Token, Tokenizer
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR

from catalog.analysis import (
    MAX_PREFIX,
    WHOLE,
    Sections,
    Syllable,
    bigrams,
    fold,
    normalize,
    syllables,
)
from catalog.backends import BackendBusy, TextDoc, TextHit, TextResults
from catalog.backends.whoosh_fast import (
    Evaluator,
    Found,
    MaskSet,
    SegmentCache,
    filter_mask,
    leaves,
    shape_of,
)
from catalog.backends.whoosh_scoring import MemoryBM25F
from catalog.backends.whoosh_writing import FastSegmentWriter, PairText, PrefixText, SyllableText
from core.clock import TIMEZONE

#: Name of the whoosh index in its folder; a schema change takes a new name (then reindex).
INDEX_NAME = "cong1"
#: Below this many documents with the query's syllables adjacent, look for them anywhere.
MIN_ADJACENT_HITS = 10
#: Below this many results, offer a spelling correction.
FEW_RESULTS = 3
#: Characters of a query looked at, and syllables used of them.
MAX_QUERY_CHARS = 500
MAX_QUERY_SYLLABLES = 16
#: Characters of the body kept for snippets.
STORED_BODY_CHARS = 30_000
SNIPPET_CHARS = 240
#: Characters of a document looked through for the snippet's words (folding the
#: whole of a long body for each hit cost a fifth of a search).
SNIPPET_SCAN_CHARS = 6_000
#: Largest page a search returns.
MAX_SIZE = 500
#: Filter sets kept per searcher (one per distinct principals and filters).
FILTER_CACHE_SIZE = 64
#: Multiplier of the score of accent-exact terms when the query carries accents.
EXACT_BOOST = 2.0
_DATETIME = fields.DATETIME()
#: The column value of a document without a date (whoosh's default for DATETIME).
_NO_DATE = _DATETIME.default

_OPERATORS = re.compile(r"\b(?:AND|OR|NOT)\b")
_SORTS = {
    "created": "created",
    "modified": "modified",
    "effective": "effective",
    "date": "date",
    "title": "title_key",
}
_BUILTIN_FACETS = {"type_name", "subsite", "year"}
_BUILTIN_DATES = {"created", "modified", "effective", "date"}


class _ValuesTokenizer(Tokenizer):
    """Each value of a string or list of strings as one exact term."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __call__(self, value, positions=False, chars=False, mode="", removestops=True, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, text in enumerate(_as_values(value)):
            token.text = text
            token.stopped = False
            if positions:
                token.pos = position
            if chars:
                token.startchar, token.endchar = 0, len(text)
            yield token


class VALUES(fields.FieldType):
    """Exact values, possibly several per document, for filters and facets."""

    def __init__(self, sortable: bool = False):
        self.analyzer = _ValuesTokenizer()
        self.format = formats.Existence()
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None
        if sortable:
            self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value):
        return [text.encode("utf-8") for text in _as_values(value)]

    def from_column_value(self, value):
        return [item.decode("utf-8") for item in value]


def _as_values(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def make_schema() -> fields.Schema:
    """The schema of the index (see the module docstring)."""
    schema = fields.Schema(
        uid=fields.ID(stored=True, unique=True, sortable=True),
        paths=VALUES(),
        type_name=fields.ID(sortable=True),
        state=fields.ID(),
        subsite=fields.ID(sortable=True),
        allowed=VALUES(),
        year=fields.ID(sortable=True),
        created=fields.DATETIME(sortable=True),
        modified=fields.DATETIME(sortable=True),
        effective=fields.DATETIME(sortable=True),
        expires=fields.DATETIME(sortable=True),
        date=fields.DATETIME(sortable=True),
        title=fields.STORED(),
        title_key=fields.COLUMN(columns.VarBytesColumn()),
        description=fields.STORED(),
        body=fields.STORED(),
        w=SyllableText(),
        b=PairText(),
        s=PrefixText(),
    )
    schema.add("f_*", VALUES(sortable=True), glob=True)
    schema.add("d_*", fields.DATETIME(), glob=True)
    return schema


def local_time(value: datetime) -> datetime:
    """A naive datetime in the portal's time zone (days and years are local ones)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TIMEZONE).replace(tzinfo=None)


def path_prefixes(path: str) -> list[str]:
    """``"/a/b"`` → ``["/", "/a", "/a/b"]``: the subtrees a document belongs to."""
    parts = [part for part in path.split("/") if part]
    return ["/"] + ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


# Queries ----------------------------------------------------------------------------


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


# Snippets ---------------------------------------------------------------------------


def make_snippet(text: str, words: set[str], width: int = SNIPPET_CHARS) -> str:
    """An HTML extract of ``text`` around the most query words (given folded).

    The words are wrapped in ``<mark>`` (neighbours in one), everything else escaped.
    """
    composed = unicodedata.normalize("NFC", (text or "")[:SNIPPET_SCAN_CHARS])
    if not composed:
        return ""
    matches = _matches(composed, words) if words else []
    begin = 0
    if matches:
        first = _best_window(matches, width)
        begin = max(0, first - width // 4)
        space = composed.find(" ", begin, first)
        begin = space + 1 if begin and space >= 0 else begin
    end = min(len(composed), begin + width)
    if end < len(composed):
        space = composed.rfind(" ", begin + width // 2, end)
        end = space if space > 0 else end
    out = ["…" if begin else ""]
    cursor = begin
    spans = [(s, e) for s, e, _word in matches if s >= begin and e <= end]
    for start, stop in _merge(spans, composed):
        out.append(html.escape(composed[cursor:start]))
        out.append("<mark>" + html.escape(composed[start:stop]) + "</mark>")
        cursor = stop
    out.append(html.escape(composed[cursor:end]))
    out.append("…" if end < len(composed) else "")
    return "".join(out)


def _matches(composed: str, words: set[str]) -> list[tuple[int, int, str]]:
    """``(start, end, folded word)`` of each syllable of ``composed`` among ``words``."""
    folded = fold(normalize(composed))
    if len(folded) == len(composed):
        pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return [
            (m.start(), m.end(), m.group())
            for m in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", folded)
        ]
    return [(s.start, s.end, s.folded) for s in syllables(composed) if s.folded in words]


def _best_window(matches: list[tuple[int, int, str]], width: int) -> int:
    """Start of the first match of the ``width`` characters holding the most distinct words."""
    counts: Counter[str] = Counter()
    best_start, best = matches[0][0], 0
    left = 0
    for _start, end, word in matches:
        counts[word] += 1
        while matches[left][0] < end - width:
            gone = matches[left][2]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
            left += 1
        if len(counts) > best:
            best, best_start = len(counts), matches[left][0]
    return best_start


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _spell_like(parsed: ParsedQuery, corrected: list[str], hit) -> str:
    """The corrected query written with the accents found in the document it finds."""
    found = []
    for source in (hit.get("title") or "", (hit.get("body") or "")[:5000]):
        found.extend(syllables(source))
    spelled = {}
    for syll in found:
        spelled.setdefault(syll.folded, syll.normal)
    count = len(corrected)
    for i in range(len(found) - count + 1):
        if [s.folded for s in found[i : i + count]] == corrected:
            spelled.update({s.folded: s.normal for s in found[i : i + count]})
            break
    keep_accents = parsed.accented
    words = []
    for original, replacement in zip(parsed.syllables, corrected, strict=True):
        if keep_accents and replacement == original.folded:
            words.append(original.normal)
        else:
            words.append(spelled.get(replacement, replacement))
    return " ".join(words)


# The backend ------------------------------------------------------------------------


class WhooshBackend:
    """The full-text index in the folder ``path`` (created if missing).

    Thread-safe: writes are serialized by a lock (and across processes by whoosh's
    file lock, waited for up to ``write_timeout`` seconds, then :class:`BackendBusy`);
    searches share one searcher, reopened when the index has a new generation.
    """

    def __init__(self, path: str, *, write_timeout: float = 30.0):
        self.path = str(path)
        self.write_timeout = write_timeout
        self._write_lock = threading.Lock()
        self._search_lock = threading.Lock()
        self._searcher = None
        self._generation = -1
        self._filters: OrderedDict = OrderedDict()
        self._weighting = MemoryBM25F()
        self._cache = SegmentCache()
        self._ix = self._open()

    def _open(self):
        os.makedirs(self.path, exist_ok=True)
        schema = make_schema()
        if index.exists_in(self.path, indexname=INDEX_NAME):
            return index.open_dir(self.path, indexname=INDEX_NAME, schema=schema)
        lock = FileStorage(self.path).lock(f"{INDEX_NAME}_WRITELOCK")
        if not try_for(lock.acquire, timeout=self.write_timeout, delay=0.1):
            raise BackendBusy(f"whoosh index {self.path} is locked")
        try:
            if index.exists_in(self.path, indexname=INDEX_NAME):
                return index.open_dir(self.path, indexname=INDEX_NAME, schema=schema)
            return index.create_in(self.path, schema, indexname=INDEX_NAME)
        finally:
            lock.release()

    # writing ------------------------------------------------------------------------

    def _writer(self):
        try:
            # Separate segment files: opening a compound one copies it into memory.
            return FastSegmentWriter(
                self._ix, timeout=self.write_timeout, delay=0.1, limitmb=256, compound=False
            )
        except LockError as error:
            raise BackendBusy(f"whoosh index {self.path} is locked") from error

    def index(self, docs: Iterable[TextDoc]) -> None:
        """Add the documents, replacing any already indexed under the same uid."""
        docs = iter(docs)
        first = next(docs, None)
        if first is None:
            return
        with self._write_lock:
            writer = self._writer()
            seen: set[str] = set()
            try:
                for doc in _chain(first, docs):
                    if doc.uid in seen:  # whoosh can't replace a document it hasn't written
                        writer.commit()
                        writer, seen = self._writer(), set()
                    seen.add(doc.uid)
                    writer.update_document(**self._document(doc))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def _document(self, doc: TextDoc) -> dict:
        created, modified = local_time(doc.created), local_time(doc.modified)
        effective = local_time(doc.effective) if doc.effective else None
        day = effective or modified
        sections = Sections(doc.title or "", doc.description or "", doc.body or "")
        values = {
            "uid": doc.uid,
            "paths": path_prefixes(doc.path),
            "type_name": doc.type_name,
            "state": doc.state,
            "subsite": doc.subsite,
            "allowed": list(doc.allowed),
            "year": str(day.year),
            "created": created,
            "modified": modified,
            "date": day,
            "title": doc.title or "",
            "title_key": fold(normalize(doc.title or "")).encode("utf-8"),
            "description": doc.description or "",
            "body": unicodedata.normalize("NFC", (doc.body or "")[:STORED_BODY_CHARS]),
            "w": sections,
            "b": sections,
            "s": doc.title or "",
        }
        if effective:
            values["effective"] = effective
        if doc.expires:
            values["expires"] = local_time(doc.expires)
        for name, value in (doc.fields or {}).items():
            if value is None:
                continue
            if isinstance(value, datetime | date):
                values[f"d_{name}"] = _day_time(value)
            elif isinstance(value, list | tuple | set | frozenset):
                if value:
                    values[f"f_{name}"] = sorted(str(v) for v in value)
            else:
                values[f"f_{name}"] = [str(value)]
        return values

    def unindex(self, uids: Iterable[str]) -> None:
        """Remove the documents with these uids."""
        uids = list(uids)
        if not uids:
            return
        with self._write_lock:
            writer = self._writer()
            try:
                for uid in uids:
                    writer.delete_by_term("uid", uid)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def clear(self) -> None:
        """Remove every document."""
        with self._write_lock:
            self._writer().commit(mergetype=CLEAR)

    # reading ------------------------------------------------------------------------

    def _current(self):
        """The searcher on the latest generation (call with the search lock held)."""
        generation = self._ix.latest_generation()
        if self._searcher is None or self._generation != generation:
            old, self._searcher = self._searcher, self._ix.searcher(weighting=self._weighting)
            self._generation = generation
            self._filters.clear()
            if old is not None:
                old.close()
        return self._searcher

    def _allowed(self, searcher, principals, active_at: datetime | None = None, **filters):
        """Document numbers passing security, the filters and, with ``active_at``, the
        publication window: a boolean array over the searcher's documents (deleted
        ones never pass)."""
        key = (frozenset(principals), _freeze(filters))
        if key in self._filters:
            self._filters.move_to_end(key)
            mask = self._filters[key]
        else:
            mask = filter_mask(searcher, self._cache, _filter_query(principals, **filters))
            self._filters[key] = mask
            if len(self._filters) > FILTER_CACHE_SIZE:
                self._filters.popitem(last=False)
        if active_at is not None and mask.any():
            mask = mask & ~self._inactive(searcher, active_at)
        return mask

    def _inactive(self, searcher, when: datetime) -> np.ndarray:
        """Documents outside their publication window at ``when``: effective after it,
        or expiring at or before it (the columns of every segment, compared at once)."""
        moment = _DATETIME.to_column_value(local_time(when))
        hidden = np.zeros(searcher.doc_count_all(), dtype=bool)
        for sub, offset in leaves(searcher):
            reader = sub.reader()
            size = reader.doc_count_all()
            window = hidden[offset : offset + size]
            for name, hide in (("effective", _starts_after), ("expires", _ended_by)):
                moments = self._cache.moments(reader, name)
                if moments is not None:
                    window |= hide(moments, moment)
        return hidden

    def search(
        self,
        text: str,
        *,
        principals: Iterable[str],
        path: str | None = None,
        types: Sequence[str] = (),
        states: Sequence[str] = (),
        subsite: str | None = None,
        date_ranges: dict[str, tuple[date | None, date | None]] | None = None,
        fields: dict[str, object] | None = None,
        sort_on: str = "relevance",
        reverse: bool = True,
        start: int = 0,
        size: int = 20,
        facets: Sequence[str] = (),
        active_at: datetime | None = None,
    ) -> TextResults:
        """Ranked documents matching ``text`` that one of ``principals`` may view.

        See :class:`catalog.backends.FullTextBackend`. ``sort_on`` is
        ``relevance`` (``reverse`` then ignored: best first), ``created``,
        ``modified``, ``effective``, ``date`` (effective, else modified) or
        ``title``; anything else sorts by relevance.
        """
        start = max(0, int(start))
        size = min(max(1, int(size)), MAX_SIZE)
        empty = TextResults(0, [], {name: {} for name in facets}, None)
        parsed = parse_query(text)
        principals = frozenset(principals)
        if not parsed.syllables or not principals:
            return empty
        with self._search_lock:
            searcher = self._current()
            allowed = self._allowed(
                searcher,
                principals,
                active_at,
                path=path,
                types=_names(types),
                states=_names(states),
                subsite=subsite,
                date_ranges=date_ranges or {},
                fields=fields or {},
            )
            if not allowed.any():
                return empty
            run = _Runner(searcher, self._cache, self._weighting, allowed, sort_on, reverse, facets)
            results = run(build_query(parsed, adjacent=True), max(start + size, MIN_ADJACENT_HITS))
            found = results.top
            if results.total < MIN_ADJACENT_HITS and bigrams(parsed.words):
                # Few documents have the syllables side by side: add those having them
                # anywhere, after the adjacent ones when ranking by relevance.
                wider = run(build_query(parsed, adjacent=False), start + size + results.total)
                if wider.total > results.total:
                    if run.by_relevance:
                        first = {docnum for docnum, _score in found}
                        found += [hit for hit in wider.top if hit[0] not in first]
                    else:
                        found = wider.top
                    results = wider
            total = results.total
            page = []
            for docnum, score in found[start : start + size]:
                stored = searcher.stored_fields(docnum)
                page.append((stored["uid"], score, stored.get("body") or stored.get("description")))
            counts = _facet_counts(results.counts, facets)
            suggestion = None
            if total < FEW_RESULTS:
                suggestion = self._did_you_mean(searcher, parsed, _whoosh_filter(allowed), total)
        words = {s.folded for s in parsed.syllables}
        hits = [TextHit(uid, score, make_snippet(text or "", words)) for uid, score, text in page]
        return TextResults(total, hits, counts, suggestion)

    def _did_you_mean(self, searcher, parsed: ParsedQuery, allowed, total: int) -> str | None:
        """A corrected query from the index's own words, if it finds more viewable documents."""
        reader = searcher.reader()
        corrected, changed = [], False
        for syll in parsed.syllables:
            if reader.doc_frequency("w", syll.folded):
                corrected.append(syll.folded)
                continue
            best = None
            for distance in (1, 2):
                if distance > 1 and len(syll.folded) < 4:
                    break
                candidates = [
                    term
                    for term in reader.terms_within("w", syll.folded, distance, prefix=1)
                    if term == fold(term) and term != syll.folded
                ]
                if candidates:
                    best = max(candidates, key=lambda t: (reader.doc_frequency("w", t), t))
                    break
            corrected.append(best or syll.folded)
            changed = changed or best is not None
        if not changed:
            return None
        fixed = parse_query(" ".join(corrected))
        q = build_query(fixed, adjacent=False)
        results = searcher.search(q, filter=allowed, limit=1, optimize=False)
        if not results or len(results) <= total:
            return None
        return _spell_like(parsed, corrected, results[0])

    def suggest(self, prefix: str, *, principals: Iterable[str], limit: int = 8) -> list[str]:
        """Titles of viewable documents whose words start as typed (autocompletion)."""
        return [
            title
            for _uid, title in self.suggest_documents(prefix, principals=principals, limit=limit)
        ]

    def suggest_documents(
        self, prefix: str, *, principals: Iterable[str], limit: int = 8
    ) -> list[tuple[str, str]]:
        """``(uid, title)`` of viewable documents whose title words start as typed."""
        prefix = (prefix or "")[:200]
        sylls = syllables(prefix)[:8]
        principals = frozenset(principals)
        if not sylls or not principals or limit < 1:
            return []
        typing = not prefix[-1].isspace()  # the last word may be incomplete
        terms = dict.fromkeys(s.folded + WHOLE for s in sylls[:-1])
        last = sylls[-1].folded
        terms[last[:MAX_PREFIX] if typing else last + WHOLE] = None
        q = query.And([query.Term("s", t) for t in terms])
        found: list[tuple[str, str]] = []
        with self._search_lock:
            searcher = self._current()
            allowed = self._allowed(searcher, principals)
            if not allowed.any():
                return []
            seen = set()
            for hit in searcher.search(q, filter=_whoosh_filter(allowed), limit=limit * 3):
                title = hit.get("title") or ""
                key = normalize(title).strip()
                if key and key not in seen:
                    seen.add(key)
                    found.append((hit["uid"], title))
                if len(found) >= limit:
                    break
        return found

    def stats(self) -> dict:
        """``documents``, ``segments``, ``generation``, ``bytes`` on disk, ``path``."""
        with self._search_lock:
            searcher = self._current()
            reader = searcher.reader()
            segments = len(reader.leaf_readers()) if searcher.doc_count_all() else 0
            documents = searcher.doc_count()
            generation = self._generation
        size = sum(entry.stat().st_size for entry in os.scandir(self.path) if entry.is_file())
        return {
            "documents": documents,
            "segments": segments,
            "generation": generation,
            "bytes": size,
            "path": self.path,
        }

    def uids(self) -> set[str]:
        """The uid of every indexed document."""
        with self._search_lock:
            reader = self._current().reader()
            if not reader.doc_count():
                return set()
            column = reader.column_reader("uid")
            return {column[docnum] for docnum in reader.all_doc_ids()}

    def close(self) -> None:
        """Close the searcher and the index."""
        with self._write_lock, self._search_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._filters.clear()
            self._cache.clear()
            self._ix.close()


class _Runner:
    """Runs queries with one filter, sort order and facets.

    The common shapes (terms required, accent-exact terms optional) are evaluated
    with numpy on whoosh's segments (:mod:`catalog.backends.whoosh_fast`). Other
    shapes (phrases) go through whoosh: one pass that keeps the top ``limit`` in a
    heap, counts every match and groups the facets
    (docs/decisions/0007-whoosh-vietnamese.md).
    """

    def __init__(self, searcher, cache, weighting, allowed, sort_on, reverse, facets):
        self.searcher = searcher
        self.allowed = allowed
        self.facets = tuple(facets)
        column = _SORTS.get(sort_on)
        self.by_relevance = column is None
        columns = {name: _facet_column(name) for name in self.facets}
        self.fast = Evaluator(searcher, cache, weighting, column, reverse, columns)
        self.options: dict = {"filter": _whoosh_filter(allowed), "optimize": False}
        if column:
            self.options["sortedby"] = sorting.FieldFacet(column, reverse=reverse)
        if facets:
            groupedby = sorting.Facets()
            for name in facets:
                overlap = name not in _BUILTIN_FACETS
                groupedby.add_facet(
                    name, sorting.FieldFacet(_facet_column(name), allow_overlap=overlap)
                )
            self.options.update(groupedby=groupedby, maptype=sorting.Count)

    def __call__(self, q, limit: int) -> Found:
        shape = shape_of(q)
        if shape is not None:
            return self.fast(shape, self.allowed, limit)
        collector = self.searcher.collector(limit=limit, **self.options)
        inner = collector
        while hasattr(inner, "child"):
            inner = inner.child
        # whoosh replaces matchers that cannot beat the heap's lowest score even with
        # block quality off, which drops documents from the total (an AndMaybe of 457
        # matches counted 42): counting needs every match.
        inner.replace = 0
        self.searcher.search_with_collector(q, collector)
        results = collector.results()
        counts = {
            name: {_facet_key(k): n for k, n in results.groups(name).items() if k is not None}
            for name in self.facets
        }
        # sorted hits carry their sort key as score in whoosh: a score only by relevance
        relevance = self.by_relevance
        top = [(hit.docnum, float(hit.score or 0.0) if relevance else 0.0) for hit in results]
        return Found(len(results), top, counts)


def _facet_column(name: str) -> str:
    return name if name in _BUILTIN_FACETS else f"f_{name}"


def _whoosh_filter(allowed: np.ndarray):
    """The filter mask as whoosh takes it (None when every document passes)."""
    return None if allowed.all() else MaskSet(allowed)


def _facet_counts(groups: dict[str, dict], names: Sequence[str]) -> dict[str, dict[str, int]]:
    """``{facet: {value: count}}``, largest counts first (empty values dropped,
    except the portal's own subsite ``""``)."""
    counts = {}
    for name in names:
        counts[name] = {
            key: count
            for key, count in sorted(groups[name].items(), key=lambda item: -item[1])
            if key != "" or name == "subsite"
        }
    return counts


def _starts_after(values: np.ndarray, moment: int) -> np.ndarray:
    return (values != _NO_DATE) & (values > moment)


def _ended_by(values: np.ndarray, moment: int) -> np.ndarray:
    return values <= moment


def _filter_query(
    principals,
    path=None,
    types=(),
    states=(),
    subsite=None,
    date_ranges=None,
    fields=None,
) -> query.Query:
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
        field = name if name in _BUILTIN_DATES else f"d_{name}"
        low = _bound(first, time.min) if first else None
        high = _bound(last, time.max) if last else None
        if low or high:
            parts.append(query.DateRange(field, low, high))
    for name, value in (fields or {}).items():
        if isinstance(value, datetime | date):
            day = _day_time(value)
            parts.append(query.DateRange(f"d_{name}", day, datetime.combine(day, time.max)))
        elif isinstance(value, list | tuple | set | frozenset):
            parts.append(_any_of(f"f_{name}", [str(v) for v in value]))
        elif value is not None:
            parts.append(query.Term(f"f_{name}", str(value)))
    return query.And(parts)


def _names(values: Sequence[str] | str) -> tuple[str, ...]:
    """A sequence of names as a tuple (a lone string is one name, not its letters)."""
    return (values,) if isinstance(values, str) else tuple(values)


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


def _day_time(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return local_time(value).replace(hour=0, minute=0, second=0, microsecond=0)
    return datetime.combine(value, time.min)


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        items = [_freeze(v) for v in value]
        return tuple(sorted(items, key=repr)) if not isinstance(value, tuple) else tuple(items)
    return value


def _facet_key(key) -> str:
    if isinstance(key, bytes):
        return key.decode("utf-8")
    return str(key)


def _chain(first, rest: Iterator):
    yield first
    yield from rest
