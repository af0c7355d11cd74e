"""Highlights: the extract of a document shown under a result, the query's words
marked.

Matching is by folded syllable (``dich vu`` marks ``dịch vụ``), on the start of the
body only (:data:`SNIPPET_SCAN_CHARS`: folding the whole of a long body for each hit
cost a fifth of a search).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter

from catalog.analysis import fold, normalize, syllables

SNIPPET_CHARS = 240
#: Characters of a document looked through for the snippet's words.
SNIPPET_SCAN_CHARS = 6_000


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
