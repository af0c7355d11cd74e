"""BM25F for whoosh with field lengths read from memory.

whoosh's BM25F scorer reads a document's field length through five calls and a file
seek for every posting it scores: half the time of a search on a common query. The
lengths of a segment never change (a segment is written once), so
:class:`MemoryBM25F` reads each segment's length column once, as bytes, and scores
with the same formula and the same numbers.

Decision note: docs/decisions/0007-whoosh-vietnamese.md.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

#: Length columns kept (segment and field); older ones are read again when needed.
CACHED_COLUMNS = 256
#: A length byte as a length; a document without one counts as 1, as in whoosh.
_LENGTHS = [byte_to_length(b) if b else 1 for b in range(256)]


class MemoryBM25F(scoring.BM25F):
    """whoosh's BM25F, reading field lengths from a per-segment copy in memory."""

    def __init__(self, **options):
        super().__init__(**options)
        self._columns: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):
            column = self._column(searcher.reader(), fieldname)
            if column is not None:
                lengths = _LENGTHS
                scorer.dfl = lambda docnum: lengths[column[docnum]]
        return scorer

    def _column(self, reader, fieldname: str) -> bytes | None:
        """The length bytes of ``fieldname`` for each document of a segment's reader."""
        segment = getattr(reader, "segment", None)
        if segment is None:  # not a single segment's reader
            return None
        key = (segment().segment_id(), fieldname)
        with self._lock:
            column = self._columns.get(key)
            if column is not None:
                self._columns.move_to_end(key)
                return column
        doccount = reader.doc_count_all()
        lengths = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if lengths is None:
            column = bytes(doccount)
        else:
            stored = lengths._dbfile.get(lengths._basepos, lengths._count)
            column = stored + bytes(doccount - len(stored))
        with self._lock:
            self._columns[key] = column
            while len(self._columns) > CACHED_COLUMNS:
                self._columns.popitem(last=False)
        return column
