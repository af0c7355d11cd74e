"""Benchmark: the one-stop desks of a province (``make bench``, or
``python -m plugins.onestop.tests.bench --dossiers 1000000 --units 300 --dir DIR``).

1. *Build* (once; kept in ``--dir`` and reused when its size matches): the small
   province of the plugin's tests (units 10001, 10002, 20001, their procedures and
   staff), ``--units`` more units with desks, and ``--dossiers`` dossiers over the
   last two years — the same :class:`~plugins.onestop.dossier.Dossier` objects,
   registry and desk indexes (queue, records, carried) as the real path, written
   in bulk without files, committed in batches. 10001 is the busy unit (a tenth of
   the dossiers); most of the last month's are still open.
2. *Submissions*: ``intake.submit`` at the counter of 10001 with a file, as its
   Receptionist, a commit each, in one process: submissions per second.
3. *Look-up by code*: ``lookup.find_for_applicant`` on random codes, and the
   look-up page ``/@@tra-cuu``: p50 / p95.
4. *Queue*: the busy unit's open dossiers by due date, 50 a page, from
   ``desk.queue``, and its desk page as its Receptionist: p50 / p95.
5. *Statistics*: the busy unit's last month (:mod:`plugins.onestop.statistics`),
   the model and ``GET <unit>/@dossier-stats``: p50 / p95.
6. The database's size.

Prints figures; asserts nothing. Targets (issue #14): ≥ 100 submissions/s,
look-up ≤ 10 ms, queue ≤ 100 ms, statistics ≤ 200 ms (p95).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.testing import percentiles, timed

BUSY = "10001"
BUSY_SHARE = 0.1
#: The share of the last month's dossiers still open.
OPEN_SHARE = 0.7
DAYS = 730
BATCH = 20000
ID_NUMBER = "001190012345"


def settings(data_dir: Path) -> dict:
    from plugins.onestop.tests.onestop_setup import onestop_settings

    # the look-up's limit per address would stop the benchmark's own look-ups
    extra = {"cong.index_in_request": "false", "cong.onestop.lookup_per_minute": "10000"}
    return onestop_settings(data_dir, **extra)


def _close(app) -> None:
    for db in app.registry._zodb_databases.values():
        db.close()


# 1. build ------------------------------------------------------------------------------
def build(data_dir: Path, dossiers: int, units: int) -> float:
    """Write the province into a new database; return the seconds taken."""
    from core import main
    from core.testing import ModelRequest
    from plugins.onestop.desk import SECTION, Desk
    from plugins.onestop.tests.onestop_setup import province
    from subsites.content import Subsite

    started = time.perf_counter()
    app = main({}, **settings(data_dir))
    m = ModelRequest(app)
    province(m)
    site = m.site
    codes = [BUSY]
    for u in range(units):
        code = f"{30000 + u}"
        unit = Subsite(title=f"Xã {u + 1}", unit_kind="commune", code=code)
        unit.workflow_state = "published"
        site.attach(f"xa-{u + 1}", unit)
        site.uids[unit.uid] = unit
        site.unit_codes[code] = unit.uid
        unit._mapped_code = code
        desk = Desk(title=SECTION[1])
        desk.workflow_state = "published"
        unit.attach(SECTION[0], desk)
        site.uids[desk.uid] = desk
        codes.append(code)
    m.commit()
    rng = random.Random(14)
    made, today = 0, datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    sequences: dict[tuple[str, date], int] = {}
    from plugins.onestop.units import desk_of

    desks = {code: desk_of(site, code) for code in codes}
    while made < dossiers:
        code = BUSY if rng.random() < BUSY_SHARE else rng.choice(codes[1:])
        add_dossier(site, desks[code], code, rng, today, sequences)
        made += 1
        if made % BATCH == 0:
            m.commit()
            site._p_jar.cacheGC()
            rate = made / (time.perf_counter() - started)
            print(f"  built {made} dossiers ({rate:.0f}/s)", file=sys.stderr, flush=True)
    m.commit()
    m.close()
    _close(app)
    return time.perf_counter() - started


def add_dossier(site, desk, unit: str, rng, today: datetime, sequences: dict) -> None:
    """One dossier of 1.000003 received at ``unit`` some day of the last two years,
    in the state its age makes likely."""
    from plugins.onestop import statuses as S
    from plugins.onestop.dossier import Dossier, Event, Person

    age = rng.randrange(1, DAYS)
    received = today - timedelta(days=age, minutes=rng.randrange(60, 540))
    day = received.date()
    seq = sequences[(unit, day)] = sequences.get((unit, day), 0) + 1
    code = f"{unit}-{day:%y%m%d}-{seq:04d}"
    person = Person(f"Người nộp {seq}", "cccd", ID_NUMBER, phone="0912345678", address="Thôn 1")
    channel = "online" if rng.random() < 0.4 else "counter"
    d = Dossier(code, "1.000003", "Đăng ký hộ kinh doanh", "kinh-doanh", channel, unit, unit,
                person, "counter", received, 5.0)  # fmt: skip
    d.received, d.due = received, received + timedelta(days=7)
    d.history = (
        Event(received, "tiepnhan1", "", unit, "submit", 0, S.SUBMITTED),
        Event(received, "tiepnhan1", "", unit, "receive", S.SUBMITTED, S.RECEIVED),
    )
    if age > 30 or rng.random() > OPEN_SHARE:
        d.finished = received + timedelta(days=rng.choice((2, 4, 6, 8, 9)), hours=2)
        d.returned = d.closed = d.finished + timedelta(days=1)
        d.status = S.RETURNED
        d.history += (
            Event(d.finished, "lanhdao1", "", unit, "approve", S.PROCESSING, S.RESULT_READY),
            Event(d.closed, "tiepnhan1", "", unit, "return_result", S.RESULT_READY, S.RETURNED),
        )
    else:
        d.status = S.PROCESSING
    d.__parent__ = desk
    desk.dossiers[code] = d
    site.onestop.codes[code] = d
    desk.enqueue(d)
    desk.record(d)


# 2.–5. measures ------------------------------------------------------------------------
def submissions(app, count: int) -> float:
    """Submissions per second through ``intake.submit``, a commit each."""
    from core.fields import Upload
    from core.testing import ModelRequest
    from plugins.onestop.intake import Submission, submit
    from plugins.onestop.persons import parse_person
    from plugins.onestop.tests.onestop_setup import APPLICANT, PDF

    m = ModelRequest(app, "tiepnhan1")
    person, _errors = parse_person(APPLICANT, "json")
    started = time.perf_counter()
    for _ in range(count):
        sub = Submission("1.000003", person, "counter", "counter", BUSY,
                         documents=[("Tờ khai", Upload("to-khai.pdf", "application/pdf", PDF))])  # fmt: skip
        submit(m.request, sub, receive=True)
        m.commit()
    elapsed = time.perf_counter() - started
    m.close()
    return count / elapsed


def http_submissions(client, count: int) -> float:
    """Submissions per second through ``POST <unit>/@dossiers`` (a Receptionist's
    counter intake with a file, JSON over WSGI: parsing, checks, commit)."""
    import base64

    from plugins.onestop.tests.onestop_setup import APPLICANT, PDF

    body = {
        "service": "1.000003",
        "applicant": APPLICANT,
        "documents": [{"component": "Tờ khai", "filename": "to-khai.pdf",
                       "data": base64.b64encode(PDF).decode(), "encoding": "base64"}],
        "return_method": "counter",
    }  # fmt: skip
    started = time.perf_counter()
    for _ in range(count):
        client.post_json("/xa-tan-phu/@dossiers", body, headers={"Accept": "application/json"})
    return count / (time.perf_counter() - started)


def measures(data_dir: Path, submit_count: int) -> None:
    import webtest

    from core import main
    from core.periods import Period
    from core.testing import USER_PASSWORD, ModelRequest, api_token
    from plugins.onestop.lookup import find_for_applicant
    from plugins.onestop.statistics import desk_statistics
    from plugins.onestop.units import desk_of

    app = main({}, **settings(data_dir))
    try:
        print(f"submissions: {submissions(app, submit_count):.0f}/s ({submit_count}, one process)")
        m = ModelRequest(app)
        desk = desk_of(m.site, BUSY)
        rng = random.Random(1)
        codes = list(desk.records.keys(f"{BUSY}-", f"{BUSY}-999999"))
        sample = [(m.site, rng.choice(codes), ID_NUMBER) for _ in range(300)]
        print(f"look-up by code (model): {percentiles(timed(find_for_applicant, sample))}")

        def queue_page():
            return sorted(desk.queue.values(), key=lambda e: (e.due is None, e.due))[:50]

        print(
            f"queue of {BUSY}: {len(desk.queue)} open; model {percentiles(timed(queue_page, [()] * 50))}"
        )
        today = date.today()
        last = today.replace(day=1) - timedelta(days=1)
        month = Period(last.replace(day=1), last)
        found = desk_statistics(desk, month).total
        print(f"statistics of {BUSY}, {month.first:%m/%Y}: {found['received']} received, "
              f"{found['finished']} finished; model "
              f"{percentiles(timed(desk_statistics, [(desk, month)] * 30))}")  # fmt: skip
        m.close()
        client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        client.authorization = ("Bearer", api_token(client, "lanhdao1", USER_PASSWORD))
        headers = {"Accept": "application/json"}
        query = {"from": month.first.isoformat(), "to": month.last.isoformat()}
        url = "/xa-tan-phu/@dossier-stats"
        samples = timed(lambda: client.get(url, query, headers=headers), [()] * 30)
        print(f"GET {url} (month): {percentiles(samples)}")
        pairs = [{"code": rng.choice(codes), "id_number": ID_NUMBER} for _ in range(300)]
        staff = {"Authorization": f"Bearer {api_token(client, 'tiepnhan1', USER_PASSWORD)}"}
        client.authorization = ("Bearer", api_token(client, "tiepnhan1", USER_PASSWORD))
        rate = http_submissions(client, max(submit_count // 3, 20))
        print(f"submissions through POST /xa-tan-phu/@dossiers: {rate:.0f}/s (one process)")
        client.authorization = None
        for label, url, queries, extra in (
            ("look-up", "/@lookup", pairs, {"Accept": "application/json"}),
            (f"queue page of {BUSY}", "/xa-tan-phu/mot-cua", [{}] * 30, staff),
        ):

            def call(query, url=url, extra=extra):
                return client.get(url, query, headers=extra, expect_errors=True)

            status = call(queries[0]).status_int
            if status != 200:
                print(f"{label} ({url}): answered {status}, not measured")
            else:
                print(f"{label} (GET {url}): {percentiles(timed(call, [(q,) for q in queries]))}")
    finally:
        _close(app)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=20000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--dir", type=Path, help="keep the province here (reused when present)")
    args = parser.parse_args(argv)
    base = args.dir or Path(tempfile.mkdtemp(prefix="cong-bench-onestop-"))
    data_dir = base / f"var-{args.dossiers}-{args.units}"
    if not (data_dir / "Data.fs").exists():
        seconds = build(data_dir, args.dossiers, args.units)
        print(f"built {args.dossiers} dossiers over {args.units} units in {seconds:.0f} s "
              f"({args.dossiers / seconds:.0f}/s)")  # fmt: skip
    measures(data_dir, args.submissions)
    size = (data_dir / "Data.fs").stat().st_size
    print(f"database: {size / 2**20:.0f} MB ({size / max(args.dossiers, 1):.0f} bytes a dossier)")


if __name__ == "__main__":
    main()
