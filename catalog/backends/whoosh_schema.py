"""The schema of the whoosh index, and a :class:`~catalog.backends.TextDoc` as the
values of its fields.

Text is indexed three ways (see :mod:`catalog.analysis`): syllables in normal and
folded forms (``w``, with positions for phrases), pairs of syllables in both forms
(``b``) and title prefixes (``s``, for autocompletion). The filters are exact values
(``paths``, ``type_name``, ``state``, ``subsite``, ``allowed``, plugin fields as
``f_<name>``), the dates are whoosh datetimes in the portal's time zone (plugin
dates as ``d_<name>``), and what a result shows (title, description, the start of
the body) is stored.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time

from whoosh import columns, fields, formats
from whoosh.analysis import Token, Tokenizer

from catalog.analysis import Sections, fold, normalize
from catalog.backends import TextDoc
from catalog.backends.whoosh_writing import PairText, PrefixText, SyllableText
from core.clock import TIMEZONE

#: Name of the whoosh index in its folder; a schema change takes a new name (then reindex).
INDEX_NAME = "cong1"
#: Characters of the body kept for snippets.
STORED_BODY_CHARS = 30_000
DATETIME = fields.DATETIME()
#: The column value of a document without a date (whoosh's default for DATETIME).
NO_DATE = DATETIME.default


class _ValuesTokenizer(Tokenizer):
    """Each value of a string or list of strings as one exact term."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __call__(self, value, positions=False, chars=False, mode="", removestops=True, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, text in enumerate(_as_values(value)):
            token.text = text
            token.stopped = False
            if positions:
                token.pos = position
            if chars:
                token.startchar, token.endchar = 0, len(text)
            yield token


class VALUES(fields.FieldType):
    """Exact values, possibly several per document, for filters and facets."""

    def __init__(self, sortable: bool = False):
        self.analyzer = _ValuesTokenizer()
        self.format = formats.Existence()
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None
        if sortable:
            self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value):
        return [text.encode("utf-8") for text in _as_values(value)]

    def from_column_value(self, value):
        return [item.decode("utf-8") for item in value]


def _as_values(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def make_schema() -> fields.Schema:
    """The schema of the index (see the module docstring)."""
    schema = fields.Schema(
        uid=fields.ID(stored=True, unique=True, sortable=True),
        paths=VALUES(),
        type_name=fields.ID(sortable=True),
        state=fields.ID(),
        subsite=fields.ID(sortable=True),
        allowed=VALUES(),
        year=fields.ID(sortable=True),
        created=fields.DATETIME(sortable=True),
        modified=fields.DATETIME(sortable=True),
        effective=fields.DATETIME(sortable=True),
        expires=fields.DATETIME(sortable=True),
        date=fields.DATETIME(sortable=True),
        title=fields.STORED(),
        title_key=fields.COLUMN(columns.VarBytesColumn()),
        description=fields.STORED(),
        body=fields.STORED(),
        w=SyllableText(),
        b=PairText(),
        s=PrefixText(),
    )
    schema.add("f_*", VALUES(sortable=True), glob=True)
    schema.add("d_*", fields.DATETIME(), glob=True)
    return schema


def local_time(value: datetime) -> datetime:
    """A naive datetime in the portal's time zone (days and years are local ones)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TIMEZONE).replace(tzinfo=None)


def day_time(value: date | datetime) -> datetime:
    """The first moment of ``value``'s day (a datetime's local day)."""
    if isinstance(value, datetime):
        return local_time(value).replace(hour=0, minute=0, second=0, microsecond=0)
    return datetime.combine(value, time.min)


def path_prefixes(path: str) -> list[str]:
    """``"/a/b"`` → ``["/", "/a", "/a/b"]``: the subtrees a document belongs to."""
    parts = [part for part in path.split("/") if part]
    return ["/"] + ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def document(doc: TextDoc) -> dict:
    """The values of the index's fields for ``doc``."""
    created, modified = local_time(doc.created), local_time(doc.modified)
    effective = local_time(doc.effective) if doc.effective else None
    day = effective or modified
    sections = Sections(doc.title or "", doc.description or "", doc.body or "")
    values = {
        "uid": doc.uid,
        "paths": path_prefixes(doc.path),
        "type_name": doc.type_name,
        "state": doc.state,
        "subsite": doc.subsite,
        "allowed": list(doc.allowed),
        "year": str(day.year),
        "created": created,
        "modified": modified,
        "date": day,
        "title": doc.title or "",
        "title_key": fold(normalize(doc.title or "")).encode("utf-8"),
        "description": doc.description or "",
        "body": unicodedata.normalize("NFC", (doc.body or "")[:STORED_BODY_CHARS]),
        "w": sections,
        "b": sections,
        "s": doc.title or "",
    }
    if effective:
        values["effective"] = effective
    if doc.expires:
        values["expires"] = local_time(doc.expires)
    for name, value in (doc.fields or {}).items():
        if value is None:
            continue
        if isinstance(value, datetime | date):
            values[f"d_{name}"] = day_time(value)
        elif isinstance(value, list | tuple | set | frozenset):
            if value:
                values[f"f_{name}"] = sorted(str(v) for v in value)
        else:
            values[f"f_{name}"] = [str(value)]
    return values
