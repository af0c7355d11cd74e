"""Serve one benchmark app with waitress in this process (used by page_view.py).

``python -m tests.bench.serve portal DATA_DIR PORT``, ``... rendered DATA_DIR PORT``
(the page cache off) or ``... bare BODY_FILE PORT``.
"""

from __future__ import annotations

import sys

import waitress


def main(kind: str, source: str, port: int) -> None:
    if kind in ("portal", "rendered"):
        from core import main as make_app
        from tests.bench.page_view import portal_settings

        app = make_app({}, **portal_settings(source, page_cache=kind == "portal"))
    else:
        from tests.bench.page_view import build_bare

        with open(source, "rb") as handle:
            app = build_bare(handle.read())
    waitress.serve(
        app, host="127.0.0.1", port=port, threads=4, _quiet=True, channel_timeout=30, backlog=64
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
