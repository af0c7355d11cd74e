"""Log lines that user input cannot forge.

A login name, a path or a title holding a line break, written to the log as it
is, makes a line of its own that reads like any other (``admin logged in``). Every
log record's message is therefore written on one line: its control characters
(line breaks included) are escaped, whoever logs it (cong, a library, the
server). Tracebacks, which the formatter adds below the message, keep their lines.
"""

from __future__ import annotations

import logging

from core.cleantext import escape_controls


class OneLineRecord(logging.LogRecord):
    """A log record whose message is on one line (see the module's docstring)."""

    def getMessage(self) -> str:  # noqa: N802 - logging's name
        return escape_controls(super().getMessage())


def install() -> None:
    """Make every log record of the process a :class:`OneLineRecord`, unless a
    record factory of another kind was installed (which is then left alone)."""
    if logging.getLogRecordFactory() is logging.LogRecord:
        logging.setLogRecordFactory(OneLineRecord)


def includeme(config) -> None:
    install()
