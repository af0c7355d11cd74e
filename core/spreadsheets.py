"""What imports of spreadsheet-like files (CSV, Excel) share: the checks of a
header row once its cells are matched to known column names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyramid.i18n import TranslationString

from core.i18n import _


def column_problems(named: Sequence[str], required: Iterable[str]) -> list[TranslationString]:
    """The messages for a header whose known columns are ``named`` (in order):
    columns named twice, and ``required`` columns missing."""
    problems = []
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        problems.append(_("Cột lặp lại: ${columns}.", mapping={"columns": ", ".join(repeated)}))
    missing = [name for name in required if name not in named]
    if missing:
        problems.append(_("Thiếu cột: ${columns}.", mapping={"columns": ", ".join(missing)}))
    return problems
