"""A synthetic Vietnamese corpus for the benchmarks, generated from real articles.

The articles are read from a folder given on the command line (by default
``../shared/data/seed-articles`` beside the repository); they never enter the
repository. An order-2 Markov chain over their syllables writes new sentences with
the syllable frequencies and word pairs of real administrative Vietnamese, so
posting lists have realistic lengths and common phrases ("dịch vụ công") recur.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from pathlib import Path

#: The default source of raw text, beside the repository.
DEFAULT_SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "seed-articles"

_SENTENCE = re.compile(r"[^.!?;:\n]+")
_TOKEN = re.compile(r"\w+|[,]")


class MarkovText:
    """Sentences generated from the syllables of the texts in ``source``."""

    def __init__(self, source: Path = DEFAULT_SOURCE, seed: int = 1):
        files = sorted(Path(source).glob("*.txt"))
        if not files:
            raise SystemExit(
                f"no *.txt articles in {source}: give the folder of raw Vietnamese text"
            )
        self.random = random.Random(seed)
        self.next: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.starts: list[tuple[str, str]] = []
        for file in files:
            for sentence in _SENTENCE.findall(file.read_text(encoding="utf-8")):
                tokens = _TOKEN.findall(sentence)
                if len(tokens) < 4:
                    continue
                self.starts.append((tokens[0], tokens[1]))
                for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False):
                    self.next[(a, b)].append(c)
                self.next[(tokens[-2], tokens[-1])].append(".")

    def sentence(self, max_tokens: int = 40) -> str:
        """One sentence, capitalised, ending with a full stop."""
        a, b = self.random.choice(self.starts)
        out = [a, b]
        while len(out) < max_tokens:
            following = self.next.get((a, b))
            if not following:
                break
            c = self.random.choice(following)
            if c == ".":
                break
            out.append(c)
            a, b = b, c
        text = " ".join(out).replace(" ,", ",").strip(", ")
        return text[:1].upper() + text[1:] + "."

    def title(self) -> str:
        """A title: the start of a sentence, 6 to 14 syllables."""
        words = self.sentence(14).rstrip(".").split()
        return " ".join(words[: self.random.randint(6, 14)]).strip(",")

    def paragraphs(self, count: int) -> str:
        """``count`` paragraphs of 2 to 5 sentences."""
        return "\n\n".join(
            " ".join(self.sentence() for _ in range(self.random.randint(2, 5)))
            for _ in range(count)
        )
