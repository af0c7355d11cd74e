"""The whoosh analyzers of the Vietnamese text fields: the terms of
:mod:`catalog.analysis` (syllables, pairs, title prefixes) as whoosh tokens, with
positions and section weights.

The index is written by :mod:`catalog.backends.whoosh_writing`, which reads the
terms without tokens; whoosh's own writer and its query parser go through the
analyzers, which must give the same terms (``tests/unit/test_whoosh_writing.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from catalog.analysis import (
    SECTION_GAP,
    Sections,
    Syllable,
    bigram_terms,
    prefix_terms,
    syllable_terms,
    syllables,
)


def _sections(value) -> tuple[list[list[Syllable]], tuple[float, ...]]:
    if isinstance(value, Sections):
        return value.analysed(), Sections.BOOSTS
    return [syllables(value)], (1.0,)


class _VietnameseTokenizer(Tokenizer):
    """Base of the analyzers: takes a string or :class:`Sections`."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        sections, boosts = _sections(value)
        pos = start_pos
        for sylls, boost in zip(sections, boosts, strict=True):
            token.boost = boost
            for text, position, syll in self.terms(sylls):
                token.text = text
                token.stopped = False
                if positions:
                    token.pos = pos + position
                if chars:
                    token.startchar = start_char + syll.start
                    token.endchar = start_char + syll.end
                yield token
            pos += len(sylls) + SECTION_GAP

    def terms(self, sylls: list[Syllable]) -> Iterator[tuple[str, int, Syllable]]:
        """``(term, position, first syllable)`` for one section."""
        raise NotImplementedError


class SyllableTokenizer(_VietnameseTokenizer):
    """Each syllable, normalised, and its folded form at the same position if different."""

    terms = staticmethod(syllable_terms)


class BigramTokenizer(_VietnameseTokenizer):
    """Each pair of joined syllables, folded, and normalised if different ("dịch vụ")."""

    terms = staticmethod(bigram_terms)


class PrefixTokenizer(_VietnameseTokenizer):
    """Every prefix (up to :data:`catalog.analysis.MAX_PREFIX` letters) of each folded
    syllable, and the whole syllable marked with :data:`catalog.analysis.WHOLE`."""

    terms = staticmethod(prefix_terms)


def syllable_analyzer() -> SyllableTokenizer:
    """Analyzer of the syllable field (normal and folded forms)."""
    return SyllableTokenizer()


def bigram_analyzer() -> BigramTokenizer:
    """Analyzer of the syllable-pair field (the shingles)."""
    return BigramTokenizer()


def prefix_analyzer() -> PrefixTokenizer:
    """Analyzer of the autocompletion field (prefixes of folded syllables)."""
    return PrefixTokenizer()
