"""Export of the procedure list: JSON, CSV and Excel (.xlsx), in the formats
:mod:`plugins.services.exchange` imports, so that importing an export gives the
same records back: every field, labels as spreadsheet headers, choices as their
(Vietnamese) labels, tables and lines as text, and the workflow state."""

from __future__ import annotations

import json
from dataclasses import replace

from pyramid.traversal import resource_path

from core.fields import Choice
from core.tabular.writers import csv_bytes, xlsx_bytes
from core.types import get_types
from core.uids import resolve
from core.workflow import workflow_of
from plugins.services.browse import Browse
from plugins.services.content import SERVICE
from plugins.services.exchange.records import FORMAT, STATE, STATE_LABEL
from plugins.services.fields import Lines, Table
from plugins.services.vocabulary import field_items, field_label


def services_of(request, folder, params=None) -> list:
    """The procedures of ``folder`` the requester may view, filtered by the browse
    parameters ``params`` (:class:`plugins.services.browse.Browse`; they may raise
    its ``BrowseError``), ordered by code."""
    browse = Browse.from_params(params or {})
    total = replace(browse, start=0, size=0).run(request, facets=False).total
    found = replace(browse, start=0, size=total).run(request, facets=False)
    prefix = resource_path(folder).rstrip("/") + "/"
    services = [
        resolve(request.root, record.uid)
        for record in found.records
        if record.path.startswith(prefix)
    ]
    return sorted((s for s in services if s is not None), key=lambda s: s.code)


def record_of(request, service) -> dict:
    """A procedure as a JSON record: its fields as the API gives them, and its state."""
    ct = get_types(request.registry)[SERVICE]
    record = {f.name: f.serialize(service) for f in ct.fields}
    record[STATE] = service.workflow_state
    return record


def to_json(request, services: list) -> bytes:
    """The procedures in the JSON format, with the site's fields."""
    document = {
        "format": FORMAT,
        "fields": [{"id": slug, "title": label} for slug, label in field_items(request.root)],
        "services": [record_of(request, service) for service in services],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def table_of(request, services: list) -> list[list[str]]:
    """The procedures as a spreadsheet: a header of labels, then a row each."""
    ct = get_types(request.registry)[SERVICE]
    workflow = workflow_of(request, ct.create())
    rows = [[str(f.label) for f in ct.fields] + [str(STATE_LABEL)]]
    for service in services:
        cells = [_cell(request, f, getattr(service, f.name, f.default)) for f in ct.fields]
        cells.append(str(workflow.state_title(service.workflow_state)))
        rows.append(cells)
    return rows


def _cell(request, f, value) -> str:
    if value is None:
        return ""
    if f.name == "field":
        return field_label(request.root, value) or value
    if isinstance(f, Table | Lines):
        return f.form_value(value)
    if isinstance(f, Choice):
        return str(dict(f.vocabulary).get(value, value))
    return str(value)


def to_csv(request, services: list) -> bytes:
    """The procedures as CSV: UTF-8 with a byte-order mark (so Excel reads it)."""
    return csv_bytes(table_of(request, services))


def to_xlsx(request, services: list) -> bytes:
    """The procedures as an Excel workbook of one sheet, every cell text."""
    return xlsx_bytes(table_of(request, services), "Thủ tục hành chính")


#: The writers of each format.
WRITERS = {"json": to_json, "csv": to_csv, "xlsx": to_xlsx}
