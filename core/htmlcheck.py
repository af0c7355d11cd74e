"""The Nu HTML Checker (``vnu.jar``, npm ``vnu-jar``) for the tests, the kernel's
and plugins' alike (with :mod:`core.testing`).

The jar is installed once into ``.venv/node`` (ignored by git) by npm, at the
pinned version below, when it is missing; nothing else is downloaded (npm's
install scripts, which would fetch a Java runtime, are not run: the installed
Java runs it). :func:`validate` checks many documents in one Java process.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

VNU_VERSION = "26.9.27"
REPOSITORY = Path(__file__).resolve().parent.parent
NODE_DIR = REPOSITORY / ".venv" / "node"
JAR = NODE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def csp_violations(html: str, policy: str) -> list[str]:
    """What in page ``html`` its Content-Security-Policy ``policy`` (which allows
    inline code only with its nonce) would refuse: inline event handlers, ``style``
    attributes, inline ``<script>`` and ``<style>`` elements without the nonce."""
    from bs4 import BeautifulSoup

    found = re.search(r"'nonce-([^']+)'", policy)
    nonce = found.group(1) if found else None
    refused = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        if handlers or "style" in element.attrs:
            refused.append(f"<{element.name} {' '.join(handlers) or 'style'}=...>")
        inline = element.name in ("script", "style") and not element.get("src")
        if inline and element.get("nonce") != nonce:
            refused.append(f"<{element.name}> without the nonce")
    return refused


def java_missing() -> bool:
    """True when there is no ``java`` to run the checker with."""
    return shutil.which("java") is None


def vnu_jar() -> Path:
    """The checker's jar, installed with npm at :data:`VNU_VERSION` if missing."""
    installed = NODE_DIR / "node_modules" / "vnu-jar" / "package.json"
    if not (JAR.is_file() and json.loads(installed.read_text())["version"] == VNU_VERSION):
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to install the HTML checker (vnu-jar)")
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(NODE_DIR), "--no-save", "--ignore-scripts",
             "--no-audit", "--no-fund", f"vnu-jar@{VNU_VERSION}"],
            check=True, capture_output=True,
        )  # fmt: skip
    return JAR


def validate(documents: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Check ``documents`` (name → HTML text) in one run of the checker; return
    each name's errors as ``"line N: message"`` (an empty list when valid)."""
    names = {}
    for number, (name, html) in enumerate(documents.items()):
        path = folder / f"page-{number}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    run = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always",
         *(str(folder / file_name) for file_name in names)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for message in json.loads(run.stderr or run.stdout)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            url = message.get("url", "?")
            name = names.get(url.rsplit("/", 1)[-1], url)
            errors.setdefault(name, []).append(
                f"line {message.get('lastLine', '?')}: {message['message']}"
            )
    return errors
