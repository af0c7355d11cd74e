"""Finding audit records: by user, action, target and dates, newest first, reading
only the files of the months asked for and at most :data:`SCAN_LIMIT` records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from core import params
from core.audit.store import AuditLog
from core.clock import TIMEZONE
from core.i18n import _

#: Characters of a search field kept at most.
MAX_TEXT = 200

#: Records read at most by one search (newest first): older ones are not reached.
SCAN_LIMIT = 200_000


@dataclass(frozen=True)
class AuditQuery:
    """What to look for: ``user`` (a login, exact), ``action`` (exact, or its
    family: ``login`` finds ``login.failed``), ``target`` (a part of it, any
    case), and the days ``start`` to ``end`` (both included, the portal's time)."""

    user: str = ""
    action: str = ""
    target: str = ""
    start: date | None = None
    end: date | None = None

    def matches(self, record: dict) -> bool:
        """Whether ``record`` is one looked for (its time aside)."""
        if self.user and record.get("user") != self.user:
            return False
        action = str(record.get("action", ""))
        if self.action and action != self.action and not action.startswith(self.action + "."):
            return False
        return not self.target or self.target.lower() in str(record.get("target", "")).lower()


def utc_text(day: date) -> str:
    """The UTC time (as records write it) at which ``day`` begins in the portal."""
    moment = datetime.combine(day, time(), TIMEZONE).astimezone(UTC)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def months_between(log: AuditLog, since: str, until: str) -> list[str]:
    """The months with a file that hold times from ``since`` to ``until`` (UTC texts)."""
    return [m for m in log.months() if (not since or m >= since[:7]) and m <= until[:7]]


class Search:
    """The records ``query`` finds, newest first (iterate); ``truncated`` tells,
    once iterated, that :data:`SCAN_LIMIT` stopped the reading before the end."""

    def __init__(self, log: AuditLog, query: AuditQuery, scan_limit: int = SCAN_LIMIT):
        self.log = log
        self.query = query
        self.scan_limit = scan_limit
        self.truncated = False

    def __iter__(self) -> Iterator[dict]:
        query = self.query
        since = utc_text(query.start) if query.start else ""
        until = utc_text(query.end + timedelta(days=1)) if query.end else "9999"
        records = self.log.newest_first(months_between(self.log, since, until))
        for scanned, record in enumerate(records, start=1):
            if scanned > self.scan_limit:
                self.truncated = True
                return
            moment = str(record.get("time", ""))
            if moment >= until:
                continue
            if moment < since:
                return  # newest first: the rest is older still
            if query.matches(record):
                yield record


def read_query(request) -> AuditQuery:
    """The search a request asks for (``user``, ``action``, ``target``, ``from``,
    ``to`` as ``YYYY-MM-DD``); :class:`core.params.BadParameter` (400) for a date
    that is none or a range that ends before it starts."""
    start, end = read_day(request, "from"), read_day(request, "to")
    if start and end and end < start:
        raise params.BadParameter(_("Ngày kết thúc phải sau ngày bắt đầu."))
    return AuditQuery(
        user=params.text(request, "user")[:MAX_TEXT].lower(),
        action=params.text(request, "action")[:MAX_TEXT],
        target=params.text(request, "target")[:MAX_TEXT],
        start=start,
        end=end,
    )


def read_day(request, name: str) -> date | None:
    """Parameter ``name`` as a day (``YYYY-MM-DD``), None when absent."""
    raw = params.text(request, name)
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise params.BadParameter(
        _("Tham số “${name}” phải là ngày dạng YYYY-MM-DD.", mapping={"name": name})
    )
