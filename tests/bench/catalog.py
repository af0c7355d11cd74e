"""Benchmark: the catalog on a synthetic province (``make bench``, or
``python -m tests.bench.catalog --items 200000 --subsites 300 --dir DIR``).

1. *Build*: ``--items`` objects over ``--subsites`` units (news, announcements,
   pages and folders; 90 % published) written straight into a fresh database,
   unindexed, with text generated from the articles in ``--source`` (see
   :mod:`tests.bench.corpus`). Kept in ``--dir`` and reused by the next run.
2. *Bulk indexing*: ``cong reindex`` (structural indexes and full text), timed.
3. *Queries*, as an anonymous visitor through ``catalog.search``: the structural
   listing "latest 10 published news of one unit"; common 2–3 syllable queries,
   folded and accented, on the whole province and in one unit: once each just
   after opening (cold: postings read from the files), then warm. Wall-clock p50
   and p95, and the mean CPU time per query (the machine may be shared).
4. *Reference*: the same text queries on SQLite FTS5 over the same corpus (folded
   text, ranked by bm25, top 20 and the exact count, as the portal answers).

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.bench.corpus import DEFAULT_SOURCE, MarkovText

#: Common queries of two and three syllables, as visitors type them (accented), and
#: their folded forms are run too.
QUERIES = (
    "dịch vụ công",
    "thủ tục hành chính",
    "cải cách hành chính",
    "một cửa",
    "ủy ban nhân dân",
    "công nghệ thông tin",
    "người dân",
    "doanh nghiệp",
    "cơ sở dữ liệu",
    "trực tuyến",
    "văn bản điện tử",
    "chính quyền điện tử",
)
#: Share of each type among the items, and the paragraphs of its body.
MIX = (("News", 0.6, (3, 6)), ("Announcement", 0.25, (1, 2)), ("Page", 0.1, (2, 8)))
FOLDER_SHARE = 0.05
PUBLISHED_SHARE = 0.9
FIRST_DAY = datetime(2021, 1, 1, tzinfo=UTC)


def settings(data_dir: Path) -> dict:
    from core.testing import make_settings

    return make_settings(data_dir, **{"cong.index_in_request": "false"})


def fold_query(text: str) -> str:
    from catalog.analysis import fold, normalize

    return fold(normalize(text))


# 1. build --------------------------------------------------------------------------
def build(data_dir: Path, items: int, subsites: int, source: Path) -> float:
    """Write the province into a new database; return the seconds taken."""
    from core import main
    from core.content import Folder
    from core.testing import ModelRequest
    from core.types import get_types
    from subsites.content import Subsite

    started = time.perf_counter()
    text = MarkovText(source)
    rng = text.random
    app = main({}, **settings(data_dir))
    m = ModelRequest(app)
    site, types = m.site, get_types(app.registry)
    per_unit = items // subsites
    made = 0
    for u in range(subsites):
        unit = Subsite(title=f"Đơn vị {u + 1}", unit_kind="commune")
        unit.workflow_state = "published"
        site.attach(f"don-vi-{u + 1}", unit)
        site.uids[unit.uid] = unit
        sections = {}
        for type_name, _share, _size in MIX:
            folder = Folder(title=type_name)
            folder.workflow_state = "published"
            unit.attach(type_name.lower(), folder)
            site.uids[folder.uid] = folder
            sections[type_name] = folder
        made += 1 + len(sections)
        for i in range(per_unit - 1 - len(sections)):
            roll = rng.random()
            day = FIRST_DAY + timedelta(days=rng.randrange(5 * 365), seconds=rng.randrange(86400))
            if roll < FOLDER_SHARE:
                obj, parent = Folder(title=text.title()), unit
            else:
                type_name, size = _pick(rng.random())
                obj = types[type_name].create(
                    title=text.title(),
                    description=text.sentence(),
                    text="".join(
                        f"<p>{p}</p>" for p in text.paragraphs(rng.randint(*size)).split("\n\n")
                    ),
                )
                if type_name != "Page":
                    obj.effective = day.date()
                parent = sections[type_name]
            obj.created = obj.modified = day
            obj.workflow_state = "published" if rng.random() < PUBLISHED_SHARE else "private"
            parent.attach(f"item-{i}", obj)
            site.uids[obj.uid] = obj
            made += 1
        if u % 10 == 9:
            m.commit()
            site._p_jar.cacheGC()
            print(f"  built {made} objects", file=sys.stderr, flush=True)
    m.commit()
    m.close()
    _close(app)
    return time.perf_counter() - started


def _pick(roll: float) -> tuple[str, tuple[int, int]]:
    shares = sum(share for _n, share, _s in MIX)
    for name, share, size in MIX:
        roll -= share / shares
        if roll < 0:
            return name, size
    return MIX[-1][0], MIX[-1][2]


def _close(app) -> None:
    for db in app.registry._zodb_databases.values():
        db.close()


# 2. bulk indexing ---------------------------------------------------------------------
def reindex(data_dir: Path, workers: int | None = None) -> tuple[int, float, float]:
    """Run ``cong reindex`` (``--workers``: its writer processes); return the objects
    indexed, the seconds taken and the CPU seconds of the command and its workers
    (a figure that other work on the machine does not inflate)."""
    from core.cli.main import main as cong

    ini = data_dir.parent / "bench.ini"
    ini.write_text(
        "[app:main]\nuse = egg:cong\n"
        f"cong.data_dir = {data_dir}\ncong.plugins = news search\n"
        "cong.initial_admin_password = admin\ncong.index_in_request = false\n",
        encoding="utf-8",
    )
    argv = ["-c", str(ini), "reindex"] + (["--workers", str(workers)] if workers else [])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    status = cong(argv)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    if status:
        raise SystemExit(f"cong reindex failed ({status})")
    return _count_objects(data_dir), elapsed, cpu


def _count_objects(data_dir: Path) -> int:
    from core import main

    app = main({}, **settings(data_dir))
    try:
        from catalog import catalog_of
        from core.testing import ModelRequest

        m = ModelRequest(app)
        count = len(catalog_of(m.site).docid_of)
        m.close()
        return count
    finally:
        _close(app)


# 3. queries ---------------------------------------------------------------------------
def timings(func, args_list, repeat: int = 3, warm: bool = True) -> tuple[float, float, float]:
    """p50 and p95 in milliseconds of ``func(*args)`` over the list, ``repeat`` times,
    and the mean CPU milliseconds per call; ``warm``: after a few calls not counted."""
    if warm:
        for args in args_list[:3]:
            func(*args)
    samples = []
    cpu = time.process_time()
    for _ in range(repeat):
        for args in args_list:
            started = time.perf_counter()
            func(*args)
            samples.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu) * 1000 / len(samples)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], cpu


def query_figures(data_dir: Path, subsites: int) -> tuple[list[tuple[str, float, float]], dict]:
    from catalog import search
    from core import main
    from core.testing import ModelRequest

    app = main({}, **settings(data_dir))
    m = ModelRequest(app, login=None)
    request = m.request
    rng = random.Random(7)
    units = [f"/don-vi-{rng.randrange(subsites) + 1}" for _ in range(100)]
    rows = []

    def listing(unit):
        results = search(
            request,
            types=("News",),
            states=("published",),
            subsite=unit,
            sort_on="effective",
            size=10,
        )
        assert len(results.records) == 10, unit

    def text_query(query, unit=None):
        return search(request, text=query, subsite=unit, size=20)

    folded = [fold_query(q) for q in QUERIES]
    # cold: the first time each query runs after opening (postings read from the files)
    rows.append(("text, cold (first run), whole province", *timings(
        text_query, [(q,) for q in QUERIES + tuple(folded)], repeat=1, warm=False
    )))  # fmt: skip
    # the first listing of each unit reads its index buckets from the file; a running
    # portal answers the later ones from its ZODB cache
    listings = [(u,) for u in units]
    rows.append(("listing, cold (first time per unit)", *timings(listing, listings, 1, False)))
    rows.append(("listing: latest 10 published news of a unit", *timings(listing, listings)))
    totals = {}
    for label, queries in (
        ("accented", QUERIES),
        ("folded", folded),
    ):
        rows.append(
            (f"text, {label}, whole province", *timings(text_query, [(q,) for q in queries]))
        )
        scoped = [(q, units[i % len(units)]) for i, q in enumerate(queries)]
        rows.append((f"text, {label}, one unit", *timings(text_query, scoped)))
        for q in queries:
            totals[q] = text_query(q).total
    m.close()
    _close(app)
    return rows, totals


# 4. SQLite FTS5 -----------------------------------------------------------------------
def fts5_figures(data_dir: Path, subsites: int) -> tuple[list[tuple[str, float, float]], float]:
    """The same queries on SQLite FTS5 over the folded corpus; also its build time."""
    from catalog.analysis import fold, normalize
    from catalog.structural import subsite_of
    from catalog.text import html_to_text
    from core import main
    from core.testing import ModelRequest
    from core.uids import walk

    path = data_dir.parent / "fts5.sqlite"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(subsite UNINDEXED, title, description, body)")
    app = main({}, **settings(data_dir))
    m = ModelRequest(app)
    started = time.perf_counter()
    rows = []
    published = 0
    for obj in walk(m.site):
        if getattr(obj, "workflow_state", "") != "published" or obj is m.site:
            continue
        published += 1
        parts = [obj.title, obj.description, html_to_text(getattr(obj, "text", "") or "")]
        rows.append((subsite_of(obj), *(fold(normalize(p or "")) for p in parts)))
        if len(rows) >= 5000:
            db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows)
            rows = []
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows)
    db.commit()
    built = time.perf_counter() - started
    m.close()
    _close(app)

    def run(query, unit=None):
        match = " ".join(f'"{w}"' for w in fold_query(query).split())
        where = "docs MATCH ? AND subsite = ?" if unit else "docs MATCH ?"
        params = (match, unit) if unit else (match,)
        db.execute(
            f"SELECT rowid FROM docs WHERE {where} ORDER BY rank LIMIT 20", params
        ).fetchall()
        db.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()

    rng = random.Random(7)
    units = [f"/don-vi-{rng.randrange(subsites) + 1}" for _ in range(100)]
    figures = []
    for label, queries in (("accented", QUERIES), ("folded", [fold_query(q) for q in QUERIES])):
        figures.append((f"FTS5, {label}, whole province", *timings(run, [(q,) for q in queries])))
        scoped = [(q, units[i % len(units)]) for i, q in enumerate(queries)]
        figures.append((f"FTS5, {label}, one unit", *timings(run, scoped)))
    db.close()
    return figures, published / built


# report -------------------------------------------------------------------------------
def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--subsites", type=int, default=300)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="raw articles (*.txt)")
    parser.add_argument("--dir", type=Path, help="keep the province here (reused when present)")
    parser.add_argument("--no-reindex", action="store_true", help="reuse the indexes in --dir")
    parser.add_argument(
        "--workers", type=int, help="cong reindex --workers (default: one per CPU, up to 8)"
    )
    args = parser.parse_args(argv)
    base = args.dir or Path(tempfile.mkdtemp(prefix="cong-bench-"))
    data_dir = base / "var"
    print(f"Catalog benchmark: {args.items} items over {args.subsites} units, in {base}")
    if not (data_dir / "Data.fs").exists():
        seconds = build(data_dir, args.items, args.subsites, args.source)
        print(f"  built the province in {seconds:.0f} s")
    if not args.no_reindex:
        count, seconds, cpu = reindex(data_dir, args.workers)
        print(
            f"  bulk indexing (cong reindex, structural + full text): {count} objects in "
            f"{seconds:.0f} s = {count / seconds:.0f} objects/s "
            f"({cpu:.0f} CPU s = {count / cpu:.0f} objects per CPU second)"
        )
    rows, totals = query_figures(data_dir, args.subsites)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fts_rows, fts_rate = fts5_figures(data_dir, args.subsites)
    print(f"  {'query':<48} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8}")
    for label, p50, p95, cpu in rows + fts_rows:
        print(f"  {label:<48} {p50:8.2f} {p95:8.2f} {cpu:8.2f}")
    print(
        "  matches per query (whole province, anonymous): "
        + ", ".join(f"{q} {n}" for q, n in totals.items())
    )
    print(f"  peak memory of the process (after the portal's queries): {rss:.0f} MB")
    print(f"  FTS5 index build: {fts_rate:.0f} documents/s (folded text, one column each)")
    size = sum(f.stat().st_size for f in (data_dir / "whoosh").glob("*"))
    print(
        f"  Data.fs {os.path.getsize(data_dir / 'Data.fs') / 2**20:.0f} MB, "
        f"whoosh index {size / 2**20:.0f} MB"
    )


if __name__ == "__main__":
    main()
