"""Benchmark: page view, save, file download and full-text search throughput with
and without encryption at rest, in the same run.

For each mode a site of ``--items`` published pages (in folders of 100, each page's
text with words of its own) and ``--files`` files of ``--file-kb`` KiB is
built, indexed and closed; the application is started again (its caches cold, so
each page's records are read, and decrypted, from Data.fs), then ``--views``
anonymous views of distinct pages (page cache off), ``--saves`` edits through the
REST API (PATCH, as the admin), a download of every file (as the admin; blobs
decrypted as they are streamed) and ``--searches`` full-text searches of the index (its files
decrypted chunk by chunk) are timed, in process, through WSGI (searches through the
backend). Rates are per second of the process's CPU time (the machine may be
shared; what encryption adds is CPU work), the best of ``--rounds`` measures of each
mode taken in turn. Prints figures; asserts nothing. Run
with ``make bench``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import webtest

BODY = "".join(
    f"<p>Đoạn {i}: Ủy ban nhân dân tỉnh triển khai kế hoạch chuyển đổi số.</p>" for i in range(8)
)
PER_FOLDER = 100
#: Words that make each page's text its own (and the searches' queries).
WORDS = (
    "đất đai xây dựng giáo dục y tế giao thông thủy lợi nông nghiệp du lịch văn hóa "
    "thể thao môi trường khoáng sản lao động việc làm bảo hiểm thuế hải quan tư pháp "
    "hộ tịch công chứng đấu thầu ngân sách kho bạc quy hoạch kiến trúc"
).split()


def words(n: int) -> str:
    """The words of page ``n`` (the same in both modes)."""
    pick = random.Random(n)
    return " ".join(pick.choice(WORDS) for _ in range(12))


def settings(data_dir: Path, key_file: str | None) -> dict:
    from core.testing import make_settings

    extra = {"pyramid.reload_templates": "false", "cong.page_cache_entries": "0"}
    if key_file:
        extra["cong.encryption_key_file"] = key_file
    return make_settings(data_dir, **extra)


STORES = ("Data.fs", "blobs", "whoosh")


def megabytes(path: Path) -> float:
    """The size of a file or a folder's files in MB."""
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def build(data_dir: Path, key_file: str | None, items: int, files: int, file_kb: int):
    """A site of ``items`` published pages and ``files`` files, indexed; their paths
    (pages, files)."""
    import catalog
    from core import main
    from core import operations as ops
    from core.testing import ModelRequest, upload
    from core.workflow import workflow_of

    app = main({}, **settings(data_dir, key_file))
    m = ModelRequest(app)
    request, paths = m.request, []
    folder = None
    for i in range(items):
        if i % PER_FOLDER == 0:
            folder = ops.create(request, m.site, "Folder", {"title": f"Chuyên mục {i}"})
            workflow_of(request, folder).transition(request, folder, "publish")
        text = f"<p>{words(i)}</p>{BODY}"
        page = ops.create(request, folder, "Page", {"title": f"Trang {i}", "text": text})
        workflow_of(request, page).transition(request, page, "publish")
        paths.append(f"/{folder.__name__}/{page.__name__}")
        if i % PER_FOLDER == PER_FOLDER - 1:
            m.commit()
    m.commit()
    file_paths = []
    for i in range(files):
        data = upload(os.urandom(file_kb * 1024), f"tep-{i}.bin", "application/octet-stream")
        item = ops.create(request, m.site, "File", {"title": f"Tệp {i}", "file": data}, "json")
        file_paths.append(f"/{item.__name__}/@@download")
    m.commit()
    m.close()
    catalog.get_indexer(app.registry).drain()
    catalog.close_backend(app.registry)
    for db in app.registry._zodb_databases.values():
        db.close()
    return paths, file_paths


def measure(data_dir: Path, key_file: str | None, paths, file_paths, args) -> dict:
    """Views, saves, downloads (MB) and searches a second on the site in
    ``data_dir``, started cold."""
    import catalog
    from core import main
    from core.testing import api_token

    app = main({}, **settings(data_dir, key_file))
    try:
        client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        step = max(2, len(paths) // args.views)
        viewed = paths[::step][: args.views]
        headers = {"Authorization": f"Bearer {api_token(client)}", "Accept": "application/json"}
        client.get(paths[1], status=200)  # warm-up: templates compiled, not timed
        client.patch_json(paths[1], {"title": "Khởi động"}, headers=headers, status=204)
        started = time.process_time()
        for path in viewed:
            client.get(path, status=200)
        view_rate = len(viewed) / (time.process_time() - started)
        started = time.process_time()
        for n in range(args.saves):
            path = paths[(n * 7 + 3) % len(paths)]
            client.patch_json(path, {"title": f"Trang sửa {n}"}, headers=headers, status=204)
        save_rate = args.saves / (time.process_time() - started)
        started, size = time.process_time(), 0
        for path in file_paths:
            size += len(client.get(path, headers=headers, status=200).body)
        download_rate = size / 1e6 / (time.process_time() - started)
        backend, pick = catalog.get_backend(app.registry), random.Random(0)
        queries = [" ".join(pick.sample(WORDS, 2)) for _ in range(args.searches)]
        started = time.process_time()
        for query in queries:
            backend.search(query, principals={"system.Everyone"})
        search_rate = len(queries) / (time.process_time() - started)
    finally:
        catalog.close_backend(app.registry)
        for db in app.registry._zodb_databases.values():
            db.close()
    return {
        "views/s": view_rate,
        "saves/s": save_rate,
        "download MB/s": download_rate,
        "searches/s": search_rate,
    }


def main() -> None:
    from core.crypt.keys import new_key_line

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--views", type=int, default=500)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--file-kb", type=int, default=512)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument(
        "--rounds", type=int, default=3, help="measures of each mode, taken in turn"
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cong-bench-encryption-"))
    try:
        key_file = root / "cong.keys"
        key_file.write_text(new_key_line(1) + "\n", encoding="ascii")
        modes = {"plain": None, "encrypted": str(key_file)}
        built = {
            mode: build(root / mode, key, args.items, args.files, args.file_kb)
            for mode, key in modes.items()
        }
        figures: dict[str, dict[str, float]] = {}
        for _round in range(args.rounds):  # in turn: both modes see the same load
            for mode, key in modes.items():
                rates = measure(root / mode, key, *built[mode], args)
                best = figures.setdefault(mode, rates)
                for name, rate in rates.items():
                    best[name] = max(best[name], rate)
        for mode in modes:
            print(
                f"{mode:>9}: "
                + ", ".join(f"{value:7.1f} {name}" for name, value in figures[mode].items())
                + " (views cold); MB on disk: "
                + ", ".join(f"{name} {megabytes(root / mode / name):.1f}" for name in STORES)
            )
        plain, sealed = figures["plain"], figures["encrypted"]
        print(
            "encrypted / plain: "
            + ", ".join(f"{name} {100 * sealed[name] / plain[name]:.0f} %" for name in plain)
            + f" ({args.items} pages, {args.views} views, {args.saves} saves, {args.files} "
            f"files of {args.file_kb} KiB, {args.searches} searches; best of {args.rounds})"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
