"""Vietnamese text analysis for full-text search.

Vietnamese is written in syllables separated by spaces; words are mostly one or two
syllables. Search compares syllables in two forms:

* the *normal* form (:func:`normalize`): NFC, lowercase, one tone placement
  ("hoà" and "hòa" are one syllable);
* the *folded* form (:func:`fold`): without diacritics, "đ" as "d", so that
  ``dich vu cong`` finds ``dịch vụ công``.

The terms below index both forms of each syllable (at one position, so phrases
work on either), the pairs of adjacent syllables in both forms (bigrams: a query of
two to four syllables is answered by a few rare pair terms instead of many common
syllables) and, for titles, the prefixes of folded syllables (autocompletion). They
belong to no engine: the whoosh analyzers (:mod:`catalog.backends.whoosh_analysis`)
yield them as whoosh tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

#: Weight of a title syllable relative to a body syllable.
TITLE_BOOST = 3.0
#: Weight of a description syllable relative to a body syllable.
DESCRIPTION_BOOST = 1.5
#: Position gap between sections (title, description, body), so phrases don't span them.
SECTION_GAP = 100
#: Longest syllable prefix indexed for autocompletion.
MAX_PREFIX = 12
#: Marks a whole syllable among the prefixes ("da$" is "đà" or "da", not "dân").
WHOLE = "$"

_WORD = re.compile(r"\w+")
#: Characters allowed between two syllables that still form a pair (bigram).
_JOINERS = " \t\r\n\u00a0\u2009\u202f-\u2010\u2011"

# One tone placement. In an open syllable ending in "oa", "oe" or "uy" the tone mark
# goes either on the first vowel ("hòa", "thúy": the older, most common style in the
# press) or on the second ("hoà", "thuý"). We keep the first. "qu" is a consonant, so
# "quý" is written one way only; a misplaced "qúy" is mended too.
_TONED = {
    "a": "àáảãạ",
    "e": "èéẻẽẹ",
    "y": "ỳýỷỹỵ",
    "o": "òóỏõọ",
    "u": "ùúủũụ",
}


def _tone_table() -> dict[str, str]:
    table = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in range(5):
            new_style = first + _TONED[second][tone]
            old_style = _TONED[first][tone] + second
            table[new_style] = old_style
    for tone in range(5):
        table["q" + _TONED["u"][tone] + "y"] = "qu" + _TONED["y"][tone]
    return table


_TONE_TABLE = _tone_table()
_TONE_PATTERN = re.compile(
    r"(?:q[ùúủũụ]y|o[àáảãạèéẻẽẹ]|(?<!q)u[ỳýỷỹỵ])(?!\w)",
)


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x2000):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    for char, base in (("đ", "d"), ("Đ", "D"), ("ð", "d"), ("Ð", "D")):
        table[ord(char)] = base
    return table


_FOLD = _fold_table()
# Combining marks left over after NFC (a mark with no precomposed letter) are dropped.
_FOLD_MARKS = {code: None for code in range(0x0300, 0x0370)}
# "Ð" (eth) is what some old Vietnamese encodings produce for "Đ".
_LOWER_FIXES = str.maketrans({"ð": "đ"})


def normalize(text: str) -> str:
    """NFC, lowercase, one tone placement: ``normalize("Hoà BÌNH") == "hòa bình"``."""
    text = unicodedata.normalize("NFC", text).lower().translate(_LOWER_FIXES)
    return _TONE_PATTERN.sub(lambda match: _TONE_TABLE[match.group()], text)


def fold(text: str) -> str:
    """Remove diacritics, ``đ`` becoming ``d``: ``fold("Đà Nẵng") == "Da Nang"``.

    Works on composed text (apply :func:`normalize` first for decomposed input).
    """
    return text.translate(_FOLD).translate(_FOLD_MARKS)


class Syllable(NamedTuple):
    """One syllable of a text."""

    normal: str  #: normalised form (see :func:`normalize`)
    folded: str  #: folded form (see :func:`fold`)
    start: int  #: offset of the syllable in the NFC form of the text
    end: int  #: offset just after it
    joined: bool  #: only spaces or a hyphen separate it from the previous syllable


def syllables(text: str) -> list[Syllable]:
    """The syllables of ``text``, with offsets into ``unicodedata.normalize("NFC", text)``.

    A syllable is a run of letters and digits. ``joined`` is false for the first
    syllable and after punctuation: such a syllable starts no pair with the one before.
    """
    composed = unicodedata.normalize("NFC", text)
    normal = normalize(composed)
    folded = fold(normal)
    aligned = len(normal) == len(composed) and len(folded) == len(normal)
    result = []
    previous_end = -1
    for match in _WORD.finditer(composed):
        start, end = match.span()
        if aligned:
            word, bare = normal[start:end], folded[start:end]
        else:
            word = normalize(match.group())
            bare = fold(word)
        joined = previous_end >= 0 and not composed[previous_end:start].strip(_JOINERS)
        result.append(Syllable(word, bare, start, end, joined))
        previous_end = end
    return result


def bigrams(sylls: list[Syllable]) -> list[tuple[Syllable, Syllable]]:
    """The pairs of joined syllables (the terms of the pair field)."""
    return [(left, right) for left, right in zip(sylls, sylls[1:], strict=False) if right.joined]


class Sections(str):
    """The texts of one document to index in one field: title, description, body.

    A string (a text engine takes it for text; whoosh takes lists as ready-made
    tokens) equal to the texts joined by blank lines; the analyzers read the
    sections, weighting title and description, and compute the syllables once for
    every field given the same object.
    """

    BOOSTS = (TITLE_BOOST, DESCRIPTION_BOOST, 1.0)

    def __new__(cls, title: str = "", description: str = "", body: str = ""):
        self = super().__new__(cls, "\n\n".join((title, description, body)))
        self.texts = (title, description, body)
        return self

    def analysed(self) -> list[list[Syllable]]:
        """Syllables of each section (cached)."""
        cached = self.__dict__.get("_analysed")
        if cached is None:
            cached = self.__dict__["_analysed"] = [syllables(text) for text in self.texts]
        return cached


def syllable_terms(sylls: list[Syllable]) -> Iterator[tuple[str, int, Syllable]]:
    """``(term, position, syllable)`` of the syllable field: each syllable folded,
    and normalised at the same position when different."""
    for position, syll in enumerate(sylls):
        yield syll.folded, position, syll
        if syll.normal != syll.folded:
            yield syll.normal, position, syll


def bigram_terms(sylls: list[Syllable]) -> Iterator[tuple[str, int, Syllable]]:
    """``(term, position, first syllable)`` of the pair field: each pair of joined
    syllables folded, and normalised when different ("dịch vụ")."""
    for position, (left, right) in enumerate(bigrams(sylls)):
        folded = f"{left.folded} {right.folded}"
        yield folded, position, left
        normal = f"{left.normal} {right.normal}"
        if normal != folded:
            yield normal, position, left


def prefix_terms(sylls: list[Syllable]) -> Iterator[tuple[str, int, Syllable]]:
    """``(term, position, syllable)`` of the autocompletion field: every prefix (up
    to :data:`MAX_PREFIX` letters) of each folded syllable, and the whole syllable
    marked with :data:`WHOLE` (for the words already typed)."""
    for position, syll in enumerate(sylls):
        word = syll.folded
        for length in range(1, min(len(word), MAX_PREFIX) + 1):
            yield word[:length], position, syll
        yield word + WHOLE, position, syll
