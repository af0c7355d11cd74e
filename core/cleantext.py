"""Which characters text may hold, and how to make any text safe to write out.

No stored text may hold a C0 or C1 control character (tab, line feed and carriage
return aside: they are white space), a lone surrogate (not a Unicode scalar value:
it cannot even be encoded as UTF-8) or the non-characters U+FFFE and U+FFFF. None
of them can be written in XML (feeds, sitemaps), and a line break written to a log
forges a log line. :func:`core.fields.check_text` refuses them where text enters;
:func:`scrub` and :func:`escape_controls` make text read back from older data, or
from elsewhere, safe to write.
"""

from __future__ import annotations

import re

#: The characters text may not hold (see the module's docstring).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: The ASCII characters text may hold (a fast check of ASCII text, such as base64).
_ASCII_ALLOWED = bytes([9, 10, 13, *range(32, 127)])
#: Those, and the white space controls too: what a one-line log message may not hold.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def first_forbidden(text: str) -> int | None:
    """The index of the first character ``text`` may not hold, or None."""
    if text.isascii():  # checked fast: base64 file data can be megabytes long
        if not text.encode("ascii").translate(None, _ASCII_ALLOWED):
            return None
    elif text.isprintable():  # no control, no surrogate
        return None
    found = FORBIDDEN.search(text)
    return found.start() if found else None


def scrub(text: str, replacement: str = "\ufffd") -> str:
    """``text`` with each forbidden character replaced (by U+FFFD by default)."""
    return FORBIDDEN.sub(replacement, text)


def escape_controls(text: str) -> str:
    """``text`` on one line: each control character, line breaks included, and each
    forbidden character written as an escape (``\\n``, ``\\x00``, ``\\ud800``)."""
    return CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
