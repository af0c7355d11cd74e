"""Import and export of the procedure list: JSON, CSV and Excel (.xlsx), through
the kernel's tabular pipeline (:mod:`core.tabular`).

JSON (:data:`~plugins.services.exchange.records.FORMAT`, also the sample
catalog's)::

    {"format": "cong-services/1",
     "fields": [{"id": "<slug>", "title": "<label>"}, ...],
     "services": [{"code": ..., "title": ..., <the other fields>, "state": ...}, ...]}

A record's keys are the Service fields' names with the values the JSON API takes
(tables as lists of objects, lines as lists), plus an optional ``state``. A bare
list of records is read too.

CSV (UTF-8, a byte-order mark allowed, comma- or semicolon-separated) and Excel
(the first sheet): a header row naming the columns by field name (``code``) or
label (``Mã thủ tục``), accents and case aside, ``code`` and ``title`` required,
then a procedure a row. Cells are text as forms take them: tables one row a line
with ``|`` between cells, lines one a line, the field (lĩnh vực) by slug or label,
the tier, online kind, level and state by value or label. An export writes every
field, its label as header and choices as labels, so that importing it gives the
same records back.

The modules: :mod:`.records` (the columns and the format), :mod:`.reading`
(files to rows), :mod:`.importing` (rows checked, then applied all or nothing),
:mod:`.export` (procedures to files).
"""
