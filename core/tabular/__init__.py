"""One pipeline for importing tables: CSV, Excel and JSON rows, checked all
before any is written. A public kernel package: plugins may import it and its
modules.

The steps, a module each:

1. :mod:`~core.tabular.limits`: the file within ``cong.import_max_mb`` and its
   rows within ``cong.import_max_rows`` (:func:`limits_of`, :func:`read_limited`);
2. :mod:`~core.tabular.readers`: bytes to a :class:`Sheet` (CSV with or without a
   byte-order mark, ``,`` or ``;``; the first sheet of an .xlsx) or a JSON document;
3. :mod:`~core.tabular.columns`: the header (or JSON keys) matched to the
   :class:`Columns`, by name or label, giving :class:`Row` s;
4. :mod:`~core.tabular.validation`: a row's values checked by a content type's
   fields and check (:func:`parse_values`), as the forms check them;
5. :mod:`~core.tabular.pipeline`: an :class:`Importer` plans every row, then
   :func:`run_import` writes them all in the caller's transaction, or none
   (:class:`ImportFailed` listing every :class:`Problem` by line and column), or,
   in a dry run, only counts what it would do.

:mod:`~core.tabular.problems` words problems as people read them
(``Dòng 14 (1.002425), Mức độ: …``); :mod:`~core.tabular.writers` writes tables
the readers read back (exports); :mod:`core.cli.progress` shows the progress of
an import on the command line. A plugin's import, in short::

    columns = Columns.of_fields(FIELDS, required=("code", "title"), key="code")
    limits = limits_of(request.registry)
    rows = read_rows(read_limited(upload.file, limits), upload.filename, columns, limits)
    summary = run_import(MyImporter(request, folder), rows, tm=request.tm)
"""

from core.tabular.columns import Column, Columns, Row, folded, read_rows
from core.tabular.limits import DEFAULT_LIMITS, Limits, limits_of, read_limited
from core.tabular.pipeline import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Importer,
    Plan,
    ProgressReport,
    Summary,
    run_import,
)
from core.tabular.problems import ImportFailed, Problem, problem_text
from core.tabular.readers import Sheet, file_format
from core.tabular.validation import parse_values

__all__ = [
    "CREATE",
    "DEFAULT_LIMITS",
    "UNCHANGED",
    "UPDATE",
    "Column",
    "Columns",
    "ImportFailed",
    "Importer",
    "Limits",
    "Plan",
    "Problem",
    "ProgressReport",
    "Row",
    "Sheet",
    "Summary",
    "file_format",
    "folded",
    "limits_of",
    "parse_values",
    "problem_text",
    "read_limited",
    "read_rows",
    "run_import",
]
