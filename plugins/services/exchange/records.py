"""The procedure record as files hold it: its columns (the Service fields and
the workflow state) and the names of the formats."""

from __future__ import annotations

from core.i18n import _
from core.tabular import Column, Columns
from plugins.services.content import FIELDS

#: The JSON format's name.
FORMAT = "cong-services/1"
#: The record key (and column) of a procedure's workflow state.
STATE = "state"
STATE_LABEL = _("Trạng thái")
#: The columns of a file: every field by name or label, then the state; a code names a row.
COLUMNS = Columns.of_fields(
    FIELDS, extra=[Column(STATE, STATE_LABEL)], required=("code", "title"), key="code"
)
#: The media types and extensions of the formats.
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
