"""Benchmark: retract a folder of published items, then publish it again.

What a hidden folder holds is hidden with it (docs/decisions/0012), so a folder's
change of state reindexes who may view everything below it. This builds a folder
of ``--items`` published pages (10,000 by default), then, as the admin, retracts
the folder and publishes it again, and prints for each:

- the transaction: the transition, the security reindex of the subtree, commit;
- what a visitor's listing (the structural indexes) and text search find right
  after that commit;
- the drain of the index queue (the full-text index learning the new viewers),
  after which the text search's totals, facets and suggestions agree too.

Prints figures; asserts nothing. Run with ``make bench`` or
``python -m tests.bench.retract --items 10000``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time

WORD = "retractbench"
BATCH = 1000


def build(app, items: int) -> str:
    """A published folder of ``items`` published pages, indexed; return its path."""
    from catalog import get_indexer
    from core import operations as ops
    from core.testing import ModelRequest
    from core.workflow import workflow_of

    m = ModelRequest(app)
    request = m.request
    folder = ops.create(request, m.site, "Folder", {"title": "Thư mục lớn"}, name="lon")
    workflow_of(request, folder).transition(request, folder, "publish")
    for n in range(items):
        page = ops.create(
            request,
            folder,
            "Page",
            {"title": f"Trang {n}", "text": f"<p>Nội dung {WORD} số {n}.</p>"},
            name=f"p{n}",
        )
        workflow_of(request, page).transition(request, page, "publish")
        if n % BATCH == BATCH - 1:
            m.commit()
    m.commit()
    m.close()
    get_indexer(app.registry).drain()
    return "/lon"


def visible(app, path: str) -> tuple[int, int, int]:
    """What a visitor finds: (listing total, text hits on the first page, text total)."""
    from catalog import search
    from core.testing import ModelRequest

    m = ModelRequest(app, login=None)
    try:
        listing = search(m.request, path=path, size=20).total
        text = search(m.request, text=WORD, size=20)
        return listing, len(text.records), text.total
    finally:
        m.close()


def change(app, path: str, transition: str) -> dict:
    """Make ``transition`` on the folder at ``path``; time it and the drain."""
    from pyramid.traversal import find_resource

    from catalog import get_indexer
    from core.testing import ModelRequest
    from core.workflow import workflow_of

    m = ModelRequest(app)
    folder = find_resource(m.site, path)
    started, cpu = time.perf_counter(), time.process_time()
    workflow_of(m.request, folder).transition(m.request, folder, transition)
    m.commit()
    committed, committed_cpu = time.perf_counter() - started, time.process_time() - cpu
    m.close()
    before_drain = visible(app, path)
    started, cpu = time.perf_counter(), time.process_time()
    drained = get_indexer(app.registry).drain()
    return {
        "commit": (committed, committed_cpu),
        "before drain": before_drain,
        "drain": (time.perf_counter() - started, time.process_time() - cpu),
        "drained": drained,
        "after drain": visible(app, path),
    }


def report(items: int, transition: str, figures: dict) -> None:
    listing, hits, total = figures["before drain"]
    wall, cpu = figures["commit"]
    print(
        f"{transition} a folder of {items:,} published pages: {wall:.2f} s to commit "
        f"({cpu:.2f} s CPU; transition + security reindex)"
    )
    print(
        f"  right after the commit a visitor's listing finds {listing:,}, "
        f"text search shows {hits} hits (total still says {total:,})"
    )
    listing, hits, total = figures["after drain"]
    wall, cpu = figures["drain"]
    print(
        f"  index queue drained in {wall:.1f} s ({cpu:.1f} s CPU, {figures['drained']:,} "
        "entries); "
        f"then listing {listing:,}, text hits {hits}, text total {total:,}"
    )


def main(argv=None) -> None:
    from catalog import close_backend
    from core import main as make_app
    from core.testing import make_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="cong-bench-retract-")
    try:
        settings = make_settings(data_dir, **{"cong.index_in_request": "false"})
        app = make_app({}, **settings)
        started = time.perf_counter()
        path = build(app, args.items)
        print(f"built and indexed {args.items:,} pages in {time.perf_counter() - started:.0f} s")
        report(args.items, "retract", change(app, path, "retract"))
        report(args.items, "publish", change(app, path, "publish"))
        close_backend(app.registry)
        for db in app.registry._zodb_databases.values():
            db.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
