"""Benchmark: the document offices of a province (``make bench``, or
``python -m plugins.documents.tests.bench --documents 200000 --units 300 --dir DIR``).

1. *Build* (once; kept in ``--dir`` and reused when its size matches): the small
   province of the plugin's tests (units 20001 and 10001 with their staff),
   ``--units`` more units with offices, and ``--documents`` registered documents
   over the last two years — the same incoming and outgoing records and office
   indexes as the real path (:func:`plugins.documents.indexing.reindex`), written in
   bulk without files, committed in batches — and ``--legal`` published legal
   documents in the units' libraries. 20001 (Sở Xây dựng) is the busy unit (a tenth
   of the documents); most of its last two months' incoming documents are open.
2. *Registering*: ``registration.register_incoming`` of a document with a PDF in
   20001's register as its Clerk, a commit each, in one process: per second, p50 /
   p95; then through ``POST /so-xay-dung/@incoming``.
3. *Dashboard*: the busy unit's (:func:`plugins.documents.dashboard.unit_dashboard`)
   and its page ``@@bang-dieu-khien`` as its Clerk: p50 / p95.
4. *Library*: the province's library browse page, rendered, as a visitor:
   requests per second (one process) and p95.
5. The database's size.

Prints figures; asserts nothing. Targets (issue #15): register p95 ≤ 50 ms,
dashboard p95 ≤ 100 ms, browse ≥ 300 req/s rendered.
"""

from __future__ import annotations

import argparse
import base64
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.testing import percentiles, timed

BUSY = "20001"
BUSY_PATH = "/so-xay-dung"
BUSY_SHARE = 0.1
#: How many of the recent incoming documents (the last two months) are still open.
OPEN_SHARE = 0.7
DAYS = 730
BATCH = 20000


def settings(data_dir: Path) -> dict:
    from plugins.documents.tests.documents_setup import documents_settings

    return documents_settings(data_dir, **{"cong.index_in_request": "false"})


def _close(app) -> None:
    for db in app.registry._zodb_databases.values():
        db.close()


# 1. build ------------------------------------------------------------------------------
def build(data_dir: Path, documents: int, units: int, legal: int) -> float:
    """Write the province into a new database; return the seconds taken."""
    from core import main
    from core.testing import ModelRequest
    from plugins.documents.office import SECTION, Office
    from plugins.documents.tests.documents_setup import province
    from plugins.documents.tests.library_bench import add_legal_documents, reindex
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
        office = Office(title=SECTION[1])
        office.workflow_state = "internal"  # the office's workflow (office_workflow)
        office.body_abbreviation = "UBND"
        unit.attach(SECTION[0], office)
        site.uids[office.uid] = office
        codes.append(code)
    m.commit()
    from plugins.documents.units import office_of

    offices = {code: office_of(site, code) for code in codes}
    rng = random.Random(15)
    today = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    numbers: dict[tuple[str, int, str], int] = {}
    for made in range(1, documents + 1):
        code = BUSY if rng.random() < BUSY_SHARE else rng.choice(codes[1:])
        add_document(m.request, offices[code], rng, today, numbers)
        if made % BATCH == 0:
            m.commit()
            site._p_jar.cacheGC()
            rate = made / (time.perf_counter() - started)
            print(f"  built {made} documents ({rate:.0f}/s)", file=sys.stderr, flush=True)
    m.commit()
    if legal:
        add_legal_documents(m, codes, legal, rng, today)
    m.close()
    _close(app)
    if legal:
        seconds = reindex(data_dir)
        print(f"  indexed the portal (cong reindex) in {seconds:.0f} s", file=sys.stderr)
    return time.perf_counter() - started


def add_document(request, office, rng, today: datetime, numbers: dict) -> None:
    """One incoming (three in four) or issued outgoing document of ``office`` some
    day of the last two years, in the state its age makes likely."""
    from plugins.documents import registered as R
    from plugins.documents.indexing import reindex

    age = rng.randrange(1, DAYS)
    moment = today - timedelta(days=age, minutes=rng.randrange(60, 540))
    year = moment.year
    kind = "in" if rng.random() < 0.75 else "out"
    key = (office.unit_code, year, kind)
    number = numbers[key] = numbers.get(key, 0) + 1
    common = {
        "type_code": "cong-van",
        "summary": f"Về việc triển khai nhiệm vụ số {number}",
        "document_date": moment.date(),
        "created": moment,
        "creator": "vanthu1",
    }
    if kind == "in":
        document = R.IncomingDocument(
            f"den-{year}-{number:05d}",
            arrival_number=number,
            arrival=moment,
            sender="UBND tỉnh",
            notation=f"{rng.randrange(1, 900)}/UBND-VP",
            status=R.DONE,
            **common,
        )
        lead = "user:chuyenvien1" if office.unit_code == BUSY else "unit:" + office.unit_code
        document.direction = R.Direction("Giao xử lý", "lanhdao1", "", moment, lead, "")
        document.deadline = moment + timedelta(days=rng.choice((3, 5, 7, 10)))
        if age <= 60 and rng.random() < OPEN_SHARE:
            document.status = rng.choice((R.SUBMITTED, R.ASSIGNED, R.PROCESSING))
        else:
            document.finished = moment + timedelta(days=rng.randrange(1, 12))
    else:
        document = R.OutgoingDocument(
            f"di-{year}-{number:06d}", status=R.ISSUED, **common | {"type_code": "quyet-dinh"}
        )
        document.number, document.notation = number, f"{number:02d}/QĐ-UBND"
        document.issued = moment
        office.notations[(year, "", document.notation)] = document.id
    document.__parent__ = office
    office.documents[document.id] = document
    reindex(request, document)


# 2.–4. measures ------------------------------------------------------------------------
def registering(app, count: int) -> None:
    """Incoming documents registered with a PDF, a commit each, as 20001's clerk."""
    from core.testing import ModelRequest
    from plugins.documents.entries import parse_incoming
    from plugins.documents.registration import register_incoming
    from plugins.documents.tests.documents_setup import PDF
    from plugins.documents.units import office_of

    m = ModelRequest(app, "vanthu1")
    raw = {
        "sender": "UBND tỉnh",
        "notation": "12/UBND-VP",
        "type": "cong-van",
        "summary": "Về việc báo cáo",
        "attachments": [{"filename": "van-ban.pdf", "data": base64.b64encode(PDF).decode()}],
    }

    def one():
        values = parse_incoming(m.request, dict(raw), "json")
        register_incoming(m.request, office_of(m.site, BUSY), values)
        m.commit()

    started = time.perf_counter()
    samples = timed(one, [()] * count)
    rate = count / (time.perf_counter() - started)
    print(f"registering (model, a commit each): {rate:.0f}/s, {percentiles(samples)}")
    m.close()


def http_registering(client, count: int) -> None:
    from plugins.documents.tests.documents_setup import PDF

    body = {
        "sender": "UBND tỉnh",
        "notation": "12/UBND-VP",
        "type": "cong-van",
        "summary": "Về việc báo cáo",
        "attachments": [{"filename": "van-ban.pdf", "data": base64.b64encode(PDF).decode()}],
    }
    url = f"{BUSY_PATH}/@incoming"
    headers = {"Accept": "application/json"}
    first = client.post_json(url, body, headers=headers, expect_errors=True)
    if first.status_int != 201:
        print(f"POST {url}: answered {first.status_int}, not measured")
        return
    started = time.perf_counter()
    samples = timed(lambda: client.post_json(url, body, headers=headers), [()] * count)
    rate = count / (time.perf_counter() - started)
    print(f"registering (POST {url}): {rate:.0f}/s, {percentiles(samples)}")


def measures(data_dir: Path, count: int) -> None:
    import webtest

    from core import main
    from core.testing import USER_PASSWORD, ModelRequest, api_token
    from plugins.documents.dashboard import unit_dashboard
    from plugins.documents.units import office_of

    app = main({}, **settings(data_dir))
    try:
        registering(app, count)
        m = ModelRequest(app, "vanthu1")
        office = office_of(m.site, BUSY)
        board = unit_dashboard(m.request, office)
        print(
            f"dashboard of {BUSY}: {len(office.documents)} documents, "
            f"{len(board.total.in_progress)} in progress, {len(board.total.overdue)} overdue; "
            f"model {percentiles(timed(unit_dashboard, [(m.request, office)] * 50))}"
        )
        m.close()
        client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        client.authorization = ("Bearer", api_token(client, "vanthu1", USER_PASSWORD))
        http_registering(client, max(count // 3, 20))
        page = f"{BUSY_PATH}/van-thu/@@bang-dieu-khien"
        status = client.get(page, expect_errors=True).status_int
        if status == 200:
            print(f"dashboard page (GET {page}): {percentiles(timed(client.get, [(page,)] * 50))}")
        else:
            print(f"dashboard page ({page}): answered {status}, not measured")
        client.authorization = None
        browse(client, "with the page cache")
    finally:
        _close(app)
    app = main({}, **settings(data_dir) | {"cong.page_cache_entries": "0"})
    try:
        client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        browse(client, "rendered")
        browse(client, "rendered, each after a commit", after_commit=True)
    finally:
        _close(app)


def browse(client, how: str, after_commit: bool = False) -> None:
    """The library's browse pages as a visitor: requests a second. ``after_commit``:
    each request as if another had just committed (the values cached until the next
    commit, :mod:`core.cache`, dropped before each)."""
    from plugins.documents.tests.library_bench import BROWSE_PAGES

    cache = client.app.registry.cong_cache

    def get(url):
        if after_commit:
            cache.clear()
        return client.get(url)

    for url in BROWSE_PAGES:
        status = client.get(url, expect_errors=True).status_int
        if status != 200:
            print(f"library ({url}): answered {status}, not measured")
            continue
        started = time.perf_counter()
        samples = timed(get, [(url,)] * 200)
        rate = 200 / (time.perf_counter() - started)
        print(f"library browse, {how} (GET {url}): {rate:.0f} req/s, {percentiles(samples)}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--legal", type=int, default=2000)
    parser.add_argument("--registers", type=int, default=300)
    parser.add_argument("--dir", type=Path, help="keep the province here (reused when present)")
    args = parser.parse_args(argv)
    base = args.dir or Path(tempfile.mkdtemp(prefix="cong-bench-documents-"))
    data_dir = base / f"var-{args.documents}-{args.units}-{args.legal}"
    if not (data_dir / "Data.fs").exists():
        seconds = build(data_dir, args.documents, args.units, args.legal)
        print(f"built {args.documents} documents and {args.legal} legal documents over "
              f"{args.units} units in {seconds:.0f} s ({args.documents / seconds:.0f}/s)")  # fmt: skip
    measures(data_dir, args.registers)
    size = (data_dir / "Data.fs").stat().st_size
    print(f"database: {size / 2**20:.0f} MB ({size / max(args.documents, 1):.0f} bytes a document)")


if __name__ == "__main__":
    main()
