"""Benchmark: the public-service catalog of a province with 300 units and 2,000
procedures, read by anonymous visitors (``make bench``, or
``python -m tests.bench.services --dir DIR``).

1. *Build* (once; kept in ``--dir`` and reused): 250 communes and 50 departments
   with codes (:func:`subsites.provisioning.create_subsite`, as the admin makes
   them), 15 fields and 2,000 published procedures through the model (checks,
   workflow, catalog): commune-tier ones for every commune (``commune:*``) and a
   few for one commune, province-tier ones with department codes; levels 1 to 4
   in the proportions of :data:`LEVEL_WEIGHTS`.
2. *Pages*, in-process WSGI calls (as :mod:`tests.bench.page_view` makes them):
   the province's browse page filtered by field and level, the same page
   searching a text typed without accents (never shared between requests), a commune's
   ``@@thu-tuc`` filtered likewise, the province's statistics page, its JSON and
   ``@services?level=3``; with the page cache (the default, as a portal runs) and
   with every page rendered (``cong.page_cache_entries = 0``; the statistics are
   then counted once per commit and rendered each time).
3. *Counting*: the statistics computed afresh (no cache), as after each commit.

Prints requests/s, p50/p95 latencies and CPU ms a request; asserts nothing.
Targets of the issue: the browse page filtered by field and level, and the
statistics page, each ≥ 300 req/s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.page_view import call

COMMUNES, DEPARTMENTS, PROCEDURES, FIELDS = 250, 50, 2000, 15
LEVEL_WEIGHTS = {1: 15, 2: 25, 3: 40, 4: 20}
CATALOG = "thu-tuc-hanh-chinh"
REQUESTS, WARMUP = 1000, 100
COUNTS = 20
TARGET = 300


def settings(data_dir: Path, page_cache: bool = True) -> dict:
    from tests.bench.page_view import portal_settings

    return portal_settings(str(data_dir), page_cache)


def build(data_dir: Path) -> float:
    """Write the province into a new database; return the seconds taken."""
    from core import main, operations
    from core.testing import ModelRequest, add
    from core.workflow import workflow_of
    from plugins.services.vocabulary import add_field
    from subsites.provisioning import create_subsite

    started = time.perf_counter()
    rng = random.Random(6)
    app = main({}, **settings(data_dir))
    m = ModelRequest(app)
    try:
        request, site = m.request, m.site
        fields = [add_field(site, f"Lĩnh vực số {n + 1:02d}") for n in range(FIELDS)]
        folder = add(m, site, "ServiceCatalog", "published", name=CATALOG,
                     title="Thủ tục hành chính")  # fmt: skip
        units = [("commune", f"1{n:04d}", f"Xã số {n + 1}") for n in range(COMMUNES)]
        units += [("department", f"2{n:04d}", f"Sở số {n + 1}") for n in range(DEPARTMENTS)]
        for n, (kind, code, title) in enumerate(units):
            create_subsite(request, site, {"title": title, "unit_kind": kind, "code": code})
            if n % 50 == 49:
                m.commit()
        m.commit()
        levels = list(LEVEL_WEIGHTS)
        weights = list(LEVEL_WEIGHTS.values())
        for n in range(PROCEDURES):
            roll = rng.random()
            if roll < 0.4:
                tier, unit_code, agency = "commune", "", "UBND cấp xã"
            elif roll < 0.45:
                tier, unit_code = "commune", f"1{rng.randrange(COMMUNES):04d}"
                agency = "UBND xã"
            else:
                tier, unit_code = "province", f"2{rng.randrange(DEPARTMENTS):04d}"
                agency = f"Sở số {int(unit_code[1:]) + 1}"
            level = rng.choices(levels, weights)[0]
            values = {
                "title": f"Thủ tục hành chính số {n + 1} về cấp giấy phép",
                "code": f"1.{n + 1:06d}",
                "field": rng.choice(fields),
                "tier": tier,
                "agency": agency,
                "agency_code": unit_code,
                "methods": [{"channel": "truc-tiep", "days": rng.randint(1, 30)}],
                "level": level,
                "online": rng.choice(("toan-trinh", "mot-phan")) if level >= 3 else "",
            }
            service = operations.create(request, folder, "Service", values, "json")
            workflow_of(request, service).transition(request, service, "publish")
            if n % 100 == 99:
                m.commit()
                site._p_jar.cacheGC()
                print(f"  {n + 1} procedures", file=sys.stderr, flush=True)
        m.commit()
    finally:
        m.close()
        _close(app)
    return time.perf_counter() - started


def _close(app) -> None:
    for db in app.registry._zodb_databases.values():
        db.close()


def measure(app, path: str, query: dict, json: bool) -> dict:
    """Requests/s, p50/p95 ms and CPU ms a request of :data:`REQUESTS` GETs."""
    status, _body = call(app, path, query=query, json=json)
    if not status.startswith("200"):
        return {"status": status}
    for _ in range(WARMUP):
        call(app, path, query=query, json=json)
    latencies = []
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(REQUESTS):
        t0 = time.perf_counter()
        call(app, path, query=query, json=json)
        latencies.append(time.perf_counter() - t0)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    latencies.sort()
    return {
        "rps": REQUESTS / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95)] * 1000,
        "cpu": cpu / REQUESTS * 1000,
    }


def pages(site) -> list[tuple[str, str, dict, bool]]:
    """``(label, path, query, json)`` of the requests measured."""
    from plugins.services.vocabulary import field_items

    field = field_items(site)[3][0]
    commune = next(name for name, obj in site.items() if getattr(obj, "code", "") == "10007")
    filtered = {"field": field, "level": "3"}
    return [
        ("province browse, field + level", f"/{CATALOG}", filtered, False),
        ("province browse, text (no accents)", f"/{CATALOG}", {"q": "cap giay phep"}, False),
        ("commune @@thu-tuc, field + level", f"/{commune}/@@thu-tuc", filtered, False),
        ("province @@thong-ke", f"/{CATALOG}/@@thong-ke", {}, False),
        ("province @@thong-ke.json", f"/{CATALOG}/@@thong-ke.json", {}, False),
        ("@services?level=3", "/@services", {"level": "3"}, True),
    ]


def counting(data_dir: Path) -> dict:
    """The cost of counting the province's statistics afresh, anonymous."""
    from core import main
    from core.testing import ModelRequest
    from plugins.services.statistics import compute

    app = main({}, **settings(data_dir))
    m = ModelRequest(app, login=None)
    try:
        stats = compute(m.request)
        times = []
        cpu = time.process_time()
        for _ in range(COUNTS):
            t0 = time.perf_counter()
            compute(m.request)
            times.append(time.perf_counter() - t0)
        cpu = (time.process_time() - cpu) / COUNTS * 1000
        return {
            "total": stats.counts.total,
            "units": len(stats.units),
            "median": statistics.median(times) * 1000,
            "cpu": cpu,
        }
    finally:
        m.close()
        _close(app)


def main(argv=None) -> None:
    from core import main as make_app
    from core.testing import ModelRequest

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="keep the province here (reused when present)")
    args = parser.parse_args(argv)
    base = args.dir or Path(tempfile.mkdtemp(prefix="cong-bench-services-"))
    data_dir = base / "var"
    print(f"Public-service catalog benchmark: {PROCEDURES} procedures, "
          f"{COMMUNES + DEPARTMENTS} units, in {base}")  # fmt: skip
    if not (data_dir / "Data.fs").exists():
        print(f"  built the province in {build(data_dir):.0f} s")
    found = counting(data_dir)
    print(
        f"  statistics counted afresh ({found['total']} procedures, {found['units']} units): "
        f"{found['median']:.1f} ms (CPU {found['cpu']:.1f} ms)"
    )
    print(f"  {'request':<36}{'mode':<12}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'CPU ms':>9}")
    for page_cache in (True, False):
        app = make_app({}, **settings(data_dir, page_cache))
        m = ModelRequest(app, login=None)
        requests = pages(m.site)
        m.close()
        mode = "page cache" if page_cache else "rendered"
        try:
            for label, path, query, json in requests:
                f = measure(app, path, query, json)
                if "status" in f:
                    print(f"  {label:<36}{mode:<12}  {f['status']}")
                    continue
                print(
                    f"  {label:<36}{mode:<12}{f['rps']:>8.0f}{f['p50']:>9.2f}"
                    f"{f['p95']:>9.2f}{f['cpu']:>9.2f}"
                )
        finally:
            _close(app)
    print(f"Targets: the browse page filtered by field and level and @@thong-ke ≥ {TARGET} req/s.")


if __name__ == "__main__":
    main()
