"""Suggestions: titles completing what a visitor types, and "did you mean" for a
query that finds little.

Autocompletion reads the title prefixes (``s``): the words typed whole must be
there, the last one, still being typed, as a prefix. A correction replaces each
syllable the index does not have by its nearest folded neighbour in the index's
own words (one edit, two for longer syllables), and is offered only when it finds
more documents the visitor may view; it is written with the accents of the
document it finds.
"""

from __future__ import annotations

from whoosh import query

from catalog.analysis import MAX_PREFIX, WHOLE, fold, normalize, syllables
from catalog.backends.whoosh_query import ParsedQuery, build_query, parse_query

#: Characters of the typed text, and syllables of it, used for autocompletion.
MAX_PREFIX_CHARS = 200
MAX_PREFIX_SYLLABLES = 8


def completion_query(prefix: str) -> query.Query | None:
    """The query of titles whose words start as ``prefix`` (None: nothing typed)."""
    prefix = (prefix or "")[:MAX_PREFIX_CHARS]
    sylls = syllables(prefix)[:MAX_PREFIX_SYLLABLES]
    if not sylls:
        return None
    typing = not prefix[-1].isspace()  # the last word may be incomplete
    terms = dict.fromkeys(s.folded + WHOLE for s in sylls[:-1])
    last = sylls[-1].folded
    terms[last[:MAX_PREFIX] if typing else last + WHOLE] = None
    return query.And([query.Term("s", t) for t in terms])


def completions(searcher, q: query.Query, allowed, limit: int) -> list[tuple[str, str]]:
    """``(uid, title)`` of up to ``limit`` documents passing the filter ``allowed``
    that ``q`` finds, one per distinct title."""
    found: list[tuple[str, str]] = []
    seen = set()
    for hit in searcher.search(q, filter=allowed, limit=limit * 3):
        title = hit.get("title") or ""
        key = normalize(title).strip()
        if key and key not in seen:
            seen.add(key)
            found.append((hit["uid"], title))
        if len(found) >= limit:
            break
    return found


def did_you_mean(searcher, parsed: ParsedQuery, allowed, total: int) -> str | None:
    """A corrected query from the index's own words, if it finds more than ``total``
    documents passing the filter ``allowed``."""
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
