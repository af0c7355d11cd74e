"""Benchmark: page view and save throughput with and without encryption at rest,
in the same run.

For each mode a site of ``--items`` published pages (in folders of 100) is built and
closed; the application is started again (its caches cold, so each page's records
are read, and decrypted, from Data.fs), then ``--views`` anonymous views of distinct
pages (page cache off) and ``--saves`` edits through the REST API (PATCH, as the
admin) are timed, in process, through WSGI. ``--rounds`` rounds, the two modes
taking turns (which goes first alternates), each round on a freshly started
application; the median of the rounds is printed, with their range, per wall second
and per CPU second of the process (which other work on a shared machine inflates
less), and the median of the rounds' encrypted / plain ratios. Prints figures; asserts nothing. Run with
``make bench``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import webtest

BODY = "".join(
    f"<p>Đoạn {i}: Ủy ban nhân dân tỉnh triển khai kế hoạch chuyển đổi số.</p>" for i in range(8)
)
PER_FOLDER = 100


def settings(data_dir: Path, key_file: str | None) -> dict:
    from core.testing import make_settings

    extra = {"pyramid.reload_templates": "false", "cong.page_cache_entries": "0"}
    if key_file:
        extra["cong.encryption_key_file"] = key_file
    return make_settings(data_dir, **extra)


def build(data_dir: Path, key_file: str | None, items: int) -> list[str]:
    """A site of ``items`` published pages; their paths."""
    from core import main
    from core import operations as ops
    from core.testing import ModelRequest
    from core.workflow import workflow_of

    app = main({}, **settings(data_dir, key_file))
    m = ModelRequest(app)
    request, paths = m.request, []
    folder = None
    for i in range(items):
        if i % PER_FOLDER == 0:
            folder = ops.create(request, m.site, "Folder", {"title": f"Chuyên mục {i}"})
            workflow_of(request, folder).transition(request, folder, "publish")
        page = ops.create(request, folder, "Page", {"title": f"Trang {i}", "text": BODY})
        workflow_of(request, page).transition(request, page, "publish")
        paths.append(f"/{folder.__name__}/{page.__name__}")
        if i % PER_FOLDER == PER_FOLDER - 1:
            m.commit()
    m.commit()
    m.close()
    for db in app.registry._zodb_databases.values():
        db.close()
    return paths


def measure(data_dir: Path, key_file: str | None, paths, views: int, saves: int):
    """(views a second, saves a second, views per CPU second, saves per CPU second) on
    the site in ``data_dir``, started cold; the CPU seconds are this process's, which
    other work on a shared machine inflates less than the wall time."""
    from core import main
    from core.testing import api_token

    app = main({}, **settings(data_dir, key_file))
    try:
        client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        step = max(2, len(paths) // views)
        viewed = paths[::step][:views]
        headers = {"Authorization": f"Bearer {api_token(client)}", "Accept": "application/json"}
        client.get(paths[1], status=200)  # warm-up: templates compiled, not timed
        client.patch_json(paths[1], {"title": "Khởi động"}, headers=headers, status=204)
        started, cpu = time.perf_counter(), time.process_time()
        for path in viewed:
            client.get(path, status=200)
        view_rates = _rates(len(viewed), started, cpu)
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(saves):
            path = paths[(n * 7 + 3) % len(paths)]
            client.patch_json(path, {"title": f"Trang sửa {n}"}, headers=headers, status=204)
        save_rates = _rates(saves, started, cpu)
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()
    return view_rates[0], save_rates[0], view_rates[1], save_rates[1]


def _rates(count: int, started: float, cpu: float) -> tuple[float, float]:
    """``count`` per wall second and per CPU second since ``started`` and ``cpu``."""
    return count / (time.perf_counter() - started), count / (time.process_time() - cpu)


def main() -> None:
    from core.crypt.keys import new_key_line

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--views", type=int, default=500)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cong-bench-encryption-"))
    try:
        key_file = root / "cong.keys"
        key_file.write_text(new_key_line(1) + "\n", encoding="ascii")
        modes = (("plain", None), ("encrypted", str(key_file)))
        paths = {mode: build(root / mode, key, args.items) for mode, key in modes}
        rates = {mode: [] for mode, _key in modes}
        for r in range(args.rounds):  # the modes take turns, the first alternating
            for mode, key in modes if r % 2 == 0 else modes[::-1]:
                rates[mode].append(measure(root / mode, key, paths[mode], args.views, args.saves))
        report(rates, {mode: root / mode / "Data.fs" for mode, _key in modes})
        print(
            f"({args.items} pages; a round: {args.views} views, cold, and {args.saves} "
            f"saves; {args.rounds} rounds)"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def report(rates: dict[str, list[tuple]], data_files: dict[str, Path]) -> None:
    """Print the median rates of each mode over the rounds, with their range, per wall
    and per CPU second, and the medians of the rounds' encrypted / plain ratios."""
    print(f"{'':>9}  {'':>4} {'views/s':>8} {'rounds':>9} {'saves/s':>8} {'rounds':>9}")
    for mode, measured in rates.items():
        for label, first in (("wall", 0), ("CPU", 2)):
            views, saves = (sorted(rate[i] for rate in measured) for i in (first, first + 1))
            print(
                f"{mode:>9}  {label:>4} {statistics.median(views):8.1f} "
                f"{views[0]:4.0f}–{views[-1]:<4.0f} {statistics.median(saves):8.1f} "
                f"{saves[0]:4.0f}–{saves[-1]:<4.0f}"
            )
    pairs = list(zip(rates["plain"], rates["encrypted"], strict=True))
    ratio = [
        100 * statistics.median(sealed[i] / plain[i] for plain, sealed in pairs) for i in range(4)
    ]
    sizes = ", ".join(
        f"{mode} {path.stat().st_size / 1e6:.1f} MB" for mode, path in data_files.items()
    )
    print(
        f"encrypted / plain (median of the rounds' ratios): views {ratio[0]:.0f} % "
        f"(per CPU second {ratio[2]:.0f} %), saves {ratio[1]:.0f} % (per CPU second "
        f"{ratio[3]:.0f} %); Data.fs {sizes}"
    )


if __name__ == "__main__":
    main()
