"""What imports of spreadsheet-like files (CSV, Excel) share: the checks of a
header row once its cells are matched to known column names, and of a code that
an earlier row already has."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyramid.i18n import TranslationString

from core.i18n import _


def seen_before(first_line: dict[str, int], code: str, line: int) -> TranslationString | None:
    """The message for ``code`` when an earlier row of the file has it
    (``first_line``: code -> the line that first had it, kept up to date here),
    else None."""
    if code in first_line:
        return _(
            "Mã “${code}” đã có ở dòng ${line}.", mapping={"code": code, "line": first_line[code]}
        )
    first_line[code] = line
    return None


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
