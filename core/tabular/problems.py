"""Why a file, or a row of it, cannot be imported: :class:`Problem`, and the
failure that carries every problem of an import, :class:`ImportFailed`."""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.i18n import TranslationString

from core.i18n import _


@dataclass(frozen=True)
class Problem:
    """Why row ``line`` of a file (line 1: the header, or the file as a whole)
    cannot be imported. ``field`` names the column at fault (its field name) and
    ``label`` is that column as people read it; ``key`` is what names the row in
    the file (its code), to help find it."""

    line: int
    message: TranslationString | str
    field: str = ""
    label: TranslationString | str = ""
    key: str = ""


class ImportFailed(ValueError):
    """An import refused as a whole: ``problems`` lists every problem found, and
    nothing was changed."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


def refuse(message: TranslationString | str, line: int = 1) -> ImportFailed:
    """The failure of a file that cannot be read at all (at ``line``)."""
    return ImportFailed([Problem(line, message)])


def problem_message(problem: Problem) -> TranslationString:
    """``problem`` as one message, its parts translated with it by
    :class:`core.i18n.Localizer`: ``Dòng 14 (1.002425), Mức độ: <message>``."""
    mapping = {"line": problem.line, "code": problem.key, "message": problem.message}
    if problem.label or problem.field:
        mapping["field"] = problem.label or problem.field
        if problem.key:
            return _("Dòng ${line} (${code}), ${field}: ${message}", mapping=mapping)
        return _("Dòng ${line}, ${field}: ${message}", mapping=mapping)
    if problem.key:
        return _("Dòng ${line} (${code}): ${message}", mapping=mapping)
    return _("Dòng ${line}: ${message}", mapping=mapping)


def problem_text(request, problem: Problem) -> str:
    """``problem`` as people read it, in the request's language."""
    return request.localizer.translate(problem_message(problem))
