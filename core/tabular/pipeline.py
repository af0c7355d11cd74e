"""Importing rows all or nothing: every row is planned and checked first, and
only when none has a problem are they written, in the caller's transaction.

An :class:`Importer` says what one kind of import does with a row:
:meth:`~Importer.plan` tells, writing nothing, whether the row creates, updates
or leaves alone a record, and what is wrong with it (errors by field name, as
:func:`core.fields.apply_values` gives them); :meth:`~Importer.apply` writes a
planned row. :func:`run_import` plans every row, adds the problems of the
:class:`~core.tabular.columns.Columns` (a key twice in the file), raises
:class:`~core.tabular.problems.ImportFailed` with every problem if there is any,
and otherwise, unless it is a dry run, applies the plans. A failure while writing
rolls back to where the import started, so a file is never half-imported even
when the caller goes on and commits.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyramid.i18n import TranslationString

from core.i18n import _
from core.operations import ValidationFailed
from core.tabular.columns import Columns, Row
from core.tabular.problems import ImportFailed, Problem

#: What a plan does to its record (and the lists of :class:`Summary`).
CREATE, UPDATE, UNCHANGED = "created", "updated", "unchanged"
#: Rows written between two savepoints (which let ZODB free memory).
SAVEPOINT_EVERY = 200
#: The phases :func:`run_import` reports to its ``progress``.
CHECKING, WRITING = "checking", "writing"

#: ``progress(phase, done, total)``: how far an import is.
ProgressReport = Callable[[str, int, int], None]


@dataclass
class Plan:
    """What importing ``row`` would do: its ``action`` (:data:`CREATE`,
    :data:`UPDATE` or :data:`UNCHANGED`), the ``key`` that names it (a code), and
    its ``errors`` by field name. Importers subclass it to keep what they need."""

    row: Row
    action: str = CREATE
    key: str = ""
    errors: dict = field(default_factory=dict)


@dataclass
class Summary:
    """What an import did (or, in a ``dry_run``, would do): for each row created,
    updated and left unchanged, what :meth:`Importer.apply` returned (in a dry
    run, the plan's key)."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    dry_run: bool = False

    def add(self, action: str, entry: Any) -> None:
        getattr(self, action).append(entry)


class Importer(ABC):
    """One kind of import; subclasses set :attr:`columns` and write
    :meth:`plan` and :meth:`apply`."""

    columns: Columns

    @abstractmethod
    def plan(self, row: Row) -> Plan:
        """What importing ``row`` would do and what is wrong with it; writes nothing."""

    def order(self, plans: list[Plan]) -> list[Plan]:
        """The plans, all valid, in the order to apply them (file order here); may
        raise :class:`ImportFailed` for problems between rows."""
        return plans

    def summary(self, dry_run: bool) -> Summary:
        """The empty summary :func:`run_import` fills."""
        return Summary(dry_run=dry_run)

    def begin(self) -> None:
        """Called once before the first row is written (not in a dry run); does
        nothing unless a subclass needs it."""
        return None

    @abstractmethod
    def apply(self, plan: Plan) -> Any:
        """Write ``plan`` (every plan, unchanged ones too); what it returns goes
        into the summary. A :class:`core.operations.ValidationFailed` refuses
        the whole import with the row's line."""


def repeated(first_line: dict[str, int], value: str, line: int) -> TranslationString | None:
    """The message for a key ``value`` an earlier row of the file has
    (``first_line``: value -> the line that first had it, kept up to date here),
    else None."""
    if value in first_line:
        return _(
            "Mã “${code}” đã có ở dòng ${line}.", mapping={"code": value, "line": first_line[value]}
        )
    first_line[value] = line
    return None


def check_rows(
    importer: Importer, rows: list[Row], progress: ProgressReport | None = None
) -> list[Plan]:
    """The plans of ``rows`` in the order to apply them; :class:`ImportFailed`
    with every problem of every row. Nothing is written."""
    columns = importer.columns
    problems: list[Problem] = []
    plans: list[Plan] = []
    first_line: dict[str, int] = {}
    for done, row in enumerate(rows, start=1):
        plan = importer.plan(row)
        errors = plan.errors
        value = row.values.get(columns.key) if columns.key else None
        if isinstance(value, str) and " ".join(value.split()) and columns.key not in errors:
            message = repeated(first_line, " ".join(value.split()), row.line)
            if message is not None:
                errors[columns.key] = message
        problems += columns.problems(row.line, errors, plan.key)
        plans.append(plan)
        if progress is not None:
            progress(CHECKING, done, len(rows))
    if problems:
        raise ImportFailed(problems)
    return importer.order(plans)


def apply_plans(
    importer: Importer,
    plans: list[Plan],
    summary: Summary,
    tm=None,
    progress: ProgressReport | None = None,
) -> Summary:
    """Apply ``plans`` in the transaction of the manager ``tm`` (savepoints on the
    way; without one, the caller must abort on failure): on any failure,
    everything they wrote is rolled back before the failure goes on."""
    start = tm.savepoint() if tm is not None else None
    try:
        importer.begin()
        for done, plan in enumerate(plans, start=1):
            try:
                summary.add(plan.action, importer.apply(plan))
            except ValidationFailed as exc:
                line, key = plan.row.line, plan.key
                raise ImportFailed(importer.columns.problems(line, exc.errors, key)) from None
            if tm is not None and done % SAVEPOINT_EVERY == 0:
                tm.savepoint(optimistic=True)
            if progress is not None:
                progress(WRITING, done, len(plans))
    except BaseException:
        if start is not None:
            start.rollback()
        raise
    return summary


def run_import(
    importer: Importer,
    rows: list[Row],
    *,
    dry_run: bool = False,
    tm=None,
    progress: ProgressReport | None = None,
) -> Summary:
    """Import ``rows`` with ``importer``, all or nothing (see the module's
    docstring): :class:`ImportFailed` with every problem, and nothing written, if
    any row is refused; with ``dry_run`` nothing is written either way. ``tm`` is
    the transaction manager of the writes (``request.tm``); ``progress`` hears how
    far the checking, then the writing, are."""
    plans = check_rows(importer, rows, progress)
    summary = importer.summary(dry_run)
    if dry_run:
        for plan in plans:
            summary.add(plan.action, plan.key)
        return summary
    return apply_plans(importer, plans, summary, tm, progress)
