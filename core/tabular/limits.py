"""How much one import may read: bytes of the file, rows, and bytes an Excel
workbook may unpack to. The first two are settings (``cong.import_max_mb``,
``cong.import_max_rows``); a file beyond a limit is refused before it is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from core.i18n import _
from core.settings import DEFAULT_IMPORT_MAX_MB, DEFAULT_IMPORT_MAX_ROWS
from core.tabular.problems import refuse

MB = 2**20
#: Bytes an Excel workbook may unpack to, at most (10,000 full rows fit in less).
MAX_UNPACKED_BYTES = 256 * MB


@dataclass(frozen=True)
class Limits:
    """The most one file may hold: ``max_bytes`` on the wire, ``max_rows`` data
    rows (or JSON records), ``max_unpacked_bytes`` once an Excel zip is unpacked."""

    max_bytes: int = DEFAULT_IMPORT_MAX_MB * MB
    max_rows: int = DEFAULT_IMPORT_MAX_ROWS
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES


#: The limits of the default settings.
DEFAULT_LIMITS = Limits()


def limits_of(registry) -> Limits:
    """The limits the application's settings set (``cong.import_max_mb``,
    ``cong.import_max_rows``)."""
    settings = registry.settings["cong"]
    return Limits(max_bytes=settings.import_max_mb * MB, max_rows=settings.import_max_rows)


def whole_number(n: int) -> str:
    """``n`` as Vietnamese write it: ``10.000``."""
    return f"{n:,}".replace(",", ".")


def too_large(limits: Limits):
    """The failure of a file of more than ``limits.max_bytes``."""
    return refuse(_("Tệp quá lớn: tối đa ${n} MB.", mapping={"n": f"{limits.max_bytes / MB:g}"}))


def too_many_rows(limits: Limits):
    """The failure of a file of more than ``limits.max_rows`` rows."""
    return refuse(
        _(
            "Tệp có hơn ${n} dòng dữ liệu: hãy chia thành nhiều tệp.",
            mapping={"n": whole_number(limits.max_rows)},
        )
    )


def check_size(data: bytes, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """``data`` if it is within ``limits.max_bytes``, else :class:`ImportFailed`."""
    if len(data) > limits.max_bytes:
        raise too_large(limits)
    return data


def read_limited(stream: BinaryIO, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of ``stream`` (an upload, an open file), reading no more than
    one byte beyond ``limits.max_bytes``: :class:`ImportFailed` for a larger one."""
    return check_size(stream.read(limits.max_bytes + 1), limits)
