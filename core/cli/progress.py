"""Progress bars for long commands, on standard error: redrawn in place on a
terminal, a line per tenth otherwise (logs stay short). Public: plugins' commands
use it too (:class:`PhaseProgress` for an import of :mod:`core.tabular`)."""

from __future__ import annotations

import sys


class Progress:
    """One bar counting to ``total``; ``label`` (``Checking``) goes before it."""

    WIDTH = 30

    def __init__(self, total: int, stream=None, label: str = ""):
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.shown = -1
        self.label = f"{label} " if label else ""

    def update(self, done: int) -> None:
        """Show that ``done`` of the total are done."""
        share = min(done / self.total, 1.0)
        step = int(share * (100 if self.live else 10))
        if step == self.shown:
            return
        self.shown = step
        bar = "#" * int(share * self.WIDTH)
        line = f"{self.label}[{bar:<{self.WIDTH}}] {share:4.0%} {done}/{self.total}"
        self.stream.write(("\r" + line) if self.live else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar (a new line on a terminal)."""
        if self.live:
            self.stream.write("\n")
            self.stream.flush()


class PhaseProgress:
    """A bar per phase of a job that reports ``(phase, done, total)``, as
    :func:`core.tabular.run_import` does: each phase's name is its label."""

    def __init__(self, stream=None):
        self.stream = stream
        self.phase = ""
        self.bar: Progress | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase or self.bar is None:
            self.close()
            self.phase = phase
            self.bar = Progress(total, self.stream, phase.capitalize())
        self.bar.update(done)

    def close(self) -> None:
        """End the bar of the last phase."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
