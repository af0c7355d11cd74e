"""Audit records as files to download: CSV (for Excel) or JSON lines."""

from __future__ import annotations

import json
from collections.abc import Iterable

from pyramid.response import Response

from core.tabular.writers import csv_bytes

#: Records one export holds at most (newest first).
EXPORT_LIMIT = 50_000
#: The export formats: name -> content type.
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/x-ndjson; charset=utf-8"}
COLUMNS = ("time", "user", "address", "action", "target", "details", "hash")


def export_bytes(records: Iterable[dict], fmt: str) -> bytes:
    """``records`` as a file in ``fmt`` (``csv`` or ``json``: one record a line)."""
    if fmt == "json":
        return b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in records)
    rows = [list(COLUMNS)]
    for r in records:
        details = json.dumps(r.get("details") or {}, ensure_ascii=False, sort_keys=True)
        rows.append([str(r.get(c, "")) if c != "details" else details for c in COLUMNS])
    return csv_bytes(rows)


def export_response(records: Iterable[dict], fmt: str) -> Response:
    """A download of ``records`` in ``fmt``."""
    extension = "csv" if fmt == "csv" else "jsonl"
    return Response(
        body=export_bytes(records, fmt),
        content_type=FORMATS[fmt].split(";")[0],
        charset="utf-8",
        content_disposition=f'attachment; filename="nhat-ky-he-thong.{extension}"',
    )
