"""Benchmark: a unit's home page and a news article, read by anonymous visitors, on
the province of the catalog benchmark (``make bench``, or
``python -m tests.bench.news --items 200000 --subsites 300 --dir DIR``).

1. The province is built and indexed by :mod:`tests.bench.catalog` (``build`` and
   ``reindex``; kept in ``--dir`` and reused). Its units are bare subsites, so the
   first one is given what a real unit has: its default sections (the
   ``cong_subsite_created`` provisioning), published news, announcements, events
   and this week's schedule, added through the model.
2. Its home page (every portlet: featured and latest news, announcements, events,
   the week's schedule) and one article are requested in one process, in-process
   WSGI calls as :mod:`tests.bench.page_view` makes them: with the page cache (the
   default, as a portal runs) and with every page rendered (``cong.page_cache_entries
   = 0``).

Prints requests/s and p50/p95 latencies; asserts nothing. Targets of the issue:
home page ≥ 500 req/s, article ≥ 1,000 req/s.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import timedelta
from pathlib import Path

from tests.bench import catalog as catalog_bench
from tests.bench.corpus import DEFAULT_SOURCE
from tests.bench.page_view import call, measure

#: The unit dressed as a real one, and what it is given.
UNIT = "don-vi-1"
NEWS = 12
ANNOUNCEMENTS = 4
EVENTS = 3


def dress_unit(data_dir: Path) -> str:
    """Give the first unit its sections and published content (once); return the
    path of one of its articles."""
    from core import main
    from core.clock import now
    from core.testing import ModelRequest, add
    from plugins.schedule.content import save_week
    from plugins.schedule.weeks import current_week
    from subsites.plugins import running_names
    from subsites.provisioning import provision

    app = main({}, **catalog_bench.settings(data_dir))
    m = ModelRequest(app)
    try:
        unit = m.site[UNIT]
        if "tin-tuc" not in unit:
            unit.enabled_plugins = running_names(app.registry)  # built bare: none enabled
            provision(m.request, unit)
            for n in range(NEWS):
                add(
                    m,
                    unit["tin-tuc"],
                    "News",
                    "published",
                    name=f"tin-{n + 1}",
                    title=f"Hoạt động nổi bật số {n + 1} của đơn vị",
                    description="Tóm tắt tin hoạt động của đơn vị trong tuần.",
                    text="<p>Nội dung tin hoạt động của đơn vị.</p>" * 8,
                    category="thoi-su",
                    featured=n < 3,
                )
            for n in range(ANNOUNCEMENTS):
                add(
                    m,
                    unit["thong-bao"],
                    "Announcement",
                    "published",
                    title=f"Thông báo số {n + 1}",
                    priority="important",
                )
            start = now() + timedelta(days=3)
            for n in range(EVENTS):
                add(
                    m,
                    unit["su-kien"],
                    "Event",
                    "published",
                    title=f"Sự kiện số {n + 1}",
                    start=(start + timedelta(days=n)).isoformat(),
                )
            week = current_week()
            rows = [
                {
                    "day": day.isoformat(),
                    "time": "08:00",
                    "content": "Giao ban",
                    "leader": "Chủ tịch UBND",
                }
                for day in week.days()[:5]
            ]
            save_week(m.request, unit["lich-cong-tac"], week, rows)
            m.commit()
        return f"/{UNIT}/tin-tuc/tin-1/"
    finally:
        m.close()
        catalog_bench._close(app)


def figures(data_dir: Path, article: str, page_cache: bool) -> list[tuple[str, dict]]:
    """Requests/s and latencies of the home page and the article."""
    from core import main

    extra = {} if page_cache else {"cong.page_cache_entries": "0"}
    app = main({}, **catalog_bench.settings(data_dir), **extra)
    try:
        rows = []
        for label, path in (("unit home page", f"/{UNIT}/"), ("news article", article)):
            status, _body = call(app, path)
            if not status.startswith("200"):
                raise SystemExit(f"{path} answered {status}")
            rows.append((label, measure(app, path)))
        return rows
    finally:
        catalog_bench._close(app)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--subsites", type=int, default=300)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="raw articles (*.txt)")
    parser.add_argument("--dir", type=Path, help="keep the province here (reused when present)")
    args = parser.parse_args(argv)
    base = args.dir or Path(tempfile.mkdtemp(prefix="cong-bench-"))
    data_dir = base / "var"
    print(f"News benchmark: {args.items} items over {args.subsites} units, in {base}")
    if not (data_dir / "Data.fs").exists():
        catalog_bench.build(data_dir, args.items, args.subsites, args.source)
        catalog_bench.reindex(data_dir)
    article = dress_unit(data_dir)
    print(f"  {'page':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for page_cache in (True, False):
        mode = "page cache" if page_cache else "rendered"
        for label, row in figures(data_dir, article, page_cache):
            print(
                f"  {label + ', ' + mode:<40} {row['rps']:8.0f} {row['p50']:8.2f} {row['p95']:8.2f}"
            )


if __name__ == "__main__":
    main()
