"""Benchmark: anonymous view of a published Page, next to a bare Pyramid view.

The bare app returns the very bytes the portal rendered, so the difference is what
the portal costs: traversal, ZODB, security, the theme. Two measurements:

1. over HTTP: each app served by waitress in one process (4 threads), loaded by
   ``wrk`` from another process (8 connections);
2. in-process: WSGI calls in a loop, no sockets: the framework cost alone.

Prints figures; asserts nothing. Run with ``make bench``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from urllib.parse import urlencode

from pyramid.config import Configurator
from pyramid.response import Response

REQUESTS = 3000
WARMUP = 300

BODY = "".join(
    f"<p>Đoạn {i}: Ủy ban nhân dân tỉnh triển khai kế hoạch chuyển đổi số, "
    "nâng cao chất lượng dịch vụ công trực tuyến và cải cách thủ tục hành chính.</p>"
    for i in range(12)
)


def portal_settings(data_dir: str, page_cache: bool) -> dict:
    from core.testing import make_settings

    entries = "2000" if page_cache else "0"
    return make_settings(
        data_dir, **{"pyramid.reload_templates": "false", "cong.page_cache_entries": entries}
    )


def build_portal(data_dir: str, page_cache: bool = True):
    """The portal app with a published page at /gioi-thieu/tong-quan."""
    from core import main
    from core import operations as ops
    from core.testing import ModelRequest
    from core.workflow import workflow_of

    app = main({}, **portal_settings(data_dir, page_cache))
    m = ModelRequest(app)
    request, site = m.request, m.site
    site.title, site.unit_name = "Cổng thông tin điện tử tỉnh", "Ủy ban nhân dân tỉnh"
    folder = ops.create(request, site, "Folder", {"title": "Giới thiệu"})
    page = ops.create(request, folder, "Page", {"title": "Tổng quan", "text": BODY})
    for obj in (folder, page):
        workflow_of(request, obj).transition(request, obj, "publish")
    for title in ("Tin tức", "Thông báo", "Văn bản", "Liên hệ"):
        section = ops.create(request, site, "Folder", {"title": title})
        workflow_of(request, section).transition(request, section, "publish")
    m.commit()
    m.close()
    return app, "/gioi-thieu/tong-quan"


def build_bare(body: bytes):
    """A bare Pyramid app returning ``body`` from one view."""
    config = Configurator()

    def view(request):
        return Response(body=body, content_type="text/html", charset="utf-8")

    config.add_route("page", "/gioi-thieu/tong-quan")
    config.add_view(view, route_name="page")
    return config.make_wsgi_app()


def call(
    app,
    path: str,
    host: str = "127.0.0.1:6543",
    query: dict | None = None,
    json: bool = False,
    gzip: bool = False,
) -> tuple[str, bytes]:
    """One anonymous GET of ``path`` (with ``query``; as JSON with ``json``; taking
    gzip with ``gzip``) on ``host``, in-process: the status and the body."""
    name, _colon, port = host.partition(":")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(query or {}),
        "SERVER_NAME": name,
        "SERVER_PORT": port or "80",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "REMOTE_ADDR": "127.0.0.1",
    }
    if json:
        environ["HTTP_ACCEPT"] = "application/json"
    if gzip:
        environ["HTTP_ACCEPT_ENCODING"] = "gzip, deflate, br"
    status = []
    chunks = app(environ, lambda s, h, exc_info=None: status.append(s))
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return status[0], body


def measure(app, path: str, gzip: bool = False) -> dict:
    for _ in range(WARMUP):
        call(app, path, gzip=gzip)
    latencies = []
    started = time.perf_counter()
    for _ in range(REQUESTS):
        t0 = time.perf_counter()
        call(app, path, gzip=gzip)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": REQUESTS / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95)] * 1000,
    }


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


def measure_http(kind: str, source: str, path: str, workdir: str) -> dict:
    """Serve one app in a child process and load it with wrk."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.serve", kind, source, str(port)], env=env
    )
    try:
        wait_for(port)
        script = os.path.join(workdir, "report.lua")
        with open(script, "w") as handle:
            handle.write(WRK_SCRIPT)
        url = f"http://127.0.0.1:{port}{path}"
        subprocess.run(
            ["wrk", "-t1", "-c8", "-d2s", url], capture_output=True, check=True
        )  # warm-up
        out = subprocess.run(
            ["wrk", "-t2", "-c8", "-d8s", "-s", script, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps, p50, p95 = map(float, re.search(r"RESULT (\S+) (\S+) (\S+)", out).groups())
        return {"rps": rps, "p50": p50, "p95": p95}
    finally:
        server.terminate()
        server.wait()


def report(title: str, rows: list[tuple[str, dict]]) -> None:
    bare = rows[-1][1]
    print(title)
    print(f"  {'':28}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'% of bare':>11}")
    for name, f in rows:
        share = f["rps"] / bare["rps"] * 100
        print(f"  {name:28}{f['rps']:>9.0f}{f['p50']:>9.2f}{f['p95']:>9.2f}{share:>10.1f}%")


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        data_dir = os.path.join(workdir, "var")
        portal, path = build_portal(data_dir)
        status, body = call(portal, path)
        assert status.startswith("200"), status
        bare = build_bare(body)
        cached = measure(portal, path)
        cached_gzip = measure(portal, path, gzip=True)
        for db in portal.registry._zodb_databases.values():
            db.close()
        from core import main as make_app

        rendered_app = make_app({}, **portal_settings(data_dir, page_cache=False))
        rendered = measure(rendered_app, path)
        for db in rendered_app.registry._zodb_databases.values():
            db.close()
        in_process = [
            ("cong, page cache (default)", cached),
            ("cong, page cache, gzip", cached_gzip),
            ("cong, every page rendered", rendered),
            ("bare pyramid", measure(bare, path)),
        ]
        print(f"Anonymous view of a published Page ({len(body):,} bytes of HTML).")
        print("Targets: >= 1,000 req/s, and >= 15 % of the bare Pyramid figure.")
        if shutil.which("wrk"):
            body_file = os.path.join(workdir, "body.html")
            with open(body_file, "wb") as handle:
                handle.write(body)
            over_http = [
                ("cong, page cache (default)", measure_http("portal", data_dir, path, workdir)),
                ("cong, every page rendered", measure_http("rendered", data_dir, path, workdir)),
                ("bare pyramid", measure_http("bare", body_file, path, workdir)),
            ]
            report(
                "Over HTTP (waitress, 1 process, 4 threads; wrk, 8 connections, 8 s):", over_http
            )
        else:
            print("Over HTTP: skipped, wrk is not installed (apt-get install wrk).")
        report(f"In-process WSGI calls ({REQUESTS} sequential requests):", in_process)


if __name__ == "__main__":
    main()
