"""Extract the messages of the ``cong`` domain and merge them into the catalogs.

    python etc/i18n_extract.py            # write core/locale/cong.pot, update en and vi
    python etc/i18n_extract.py --check    # write nothing; list what lacks English

Messages come from three kinds of source under the packages (core, catalog,
subsites, plugins, themes, etc):

- Python: ``_("...")`` calls (lingua's Python extractor);
- Chameleon templates: ``i18n:translate`` element text (``${name}`` for each
  ``i18n:name``) and ``i18n:attributes`` (lingua's Chameleon extractor);
- workflow JSON files: the workflow, state and transition titles, which the
  kernel shows through ``_(title)``.

The English catalog keeps its translations; a new message gets an empty one to
fill in, a message gone from the code is dropped. The Vietnamese catalog has the
same messages with empty translations (the message ids are Vietnamese). A file is
rewritten only when its messages change, so the dates in the headers stay put.
Needs the ``i18n`` extra (``pip install -e '.[i18n]'``) for lingua.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from lingua.extract import ExtractorOptions
from lingua.extractors import get_extractor, register_extractors

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "cong"
PACKAGES = ("core", "catalog", "subsites", "plugins", "themes", "etc")
SKIPPED_PARTS = {"__pycache__", "build", "node_modules", "static"}
LOCALE_DIR = ROOT / "core" / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
LANGUAGES = ("en", "vi")
TRANSLATED = "en"  # the catalog that must translate every message
PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
#: Flags Babel guesses from braces; ``${name}`` is a mapping, not str.format.
GUESSED_FLAGS = ("python-format", "python-brace-format", "c-format")
HEADER = {
    "project": "cong",
    "version": "1",
    "copyright_holder": "the cong authors",
    "msgid_bugs_address": "",
    "last_translator": "the cong authors",
    "fuzzy": False,
}


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def source_files(root: Path = ROOT) -> Iterator[Path]:
    """The Python, template and JSON files of the packages, in a stable order."""
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*")):
            parts = set(path.relative_to(root).parts)
            if path.suffix in (".py", ".pt", ".json") and not parts & SKIPPED_PARTS:
                if path.resolve() != Path(__file__).resolve():
                    yield path


def workflow_messages(path: Path) -> Iterator[tuple[str, int]]:
    """The titles in a workflow JSON file (any JSON object with ``initial`` and
    ``states``), each with a line number to point at."""
    text = path.read_text("utf-8")
    try:
        data = json.loads(text)
    except ValueError:
        return
    if not (isinstance(data, dict) and "initial" in data and isinstance(data.get("states"), dict)):
        return
    titles = [data.get("title")]
    titles += [s.get("title") for s in data["states"].values()]
    titles += [t.get("title") for t in data.get("transitions", {}).values()]
    for title in titles:
        if isinstance(title, str) and title:
            line = next(
                (n for n, row in enumerate(text.splitlines(), 1) if json.dumps(title)[1:-1] in row),
                1,
            )
            yield title, line


def extract(root: Path = ROOT) -> Catalog:
    """A template catalog with every message of the domain found under ``root``."""
    register_extractors()
    options = ExtractorOptions(comment_tag=True, domain=DOMAIN, keywords=[])
    template = Catalog(
        domain=DOMAIN, header_comment="# The messages of cong's user interface.", **HEADER
    )
    for path in source_files(root):
        location = str(path.relative_to(root))
        if path.suffix == ".json":
            for msgid, line in workflow_messages(path):
                template.add(msgid, locations=[(location, line)])
            continue
        for message in get_extractor(str(path))(str(path), options):
            if message.msgid:
                found = template.get(message.msgid)
                if found is None:
                    template.add(message.msgid, locations=[(location, message.location[1])])
                else:
                    found.locations.append((location, message.location[1]))
    return template


def read_catalog(path: Path, language: str) -> Catalog:
    if path.exists():
        with path.open("rb") as f:
            return read_po(f, locale=language, domain=DOMAIN)
    return Catalog(
        locale=language,
        domain=DOMAIN,
        header_comment=f"# cong's user interface in {language}.",
        language_team=language,
        **HEADER,
    )


def merged(template: Catalog, language: str) -> Catalog:
    """The catalog of ``language`` brought up to ``template``: translations kept,
    new messages added untranslated, vanished ones dropped."""
    catalog = read_catalog(catalog_path(language), language)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    return catalog


def render(catalog: Catalog) -> bytes:
    for message in catalog:
        for flag in GUESSED_FLAGS:
            message.flags.discard(flag)
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, ignore_obsolete=True, sort_output=False)
    return out.getvalue()


def without_dates(text: bytes) -> bytes:
    return re.sub(rb'"(POT-Creation-Date|PO-Revision-Date): [^"]*"', b"", text)


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` unless the file holds the same messages; True if written."""
    if path.exists() and without_dates(path.read_bytes()) == without_dates(content):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def problems(template: Catalog, catalog: Catalog) -> list[str]:
    """What ``catalog`` lacks for ``template``: missing or empty translations, and
    translations whose ``${name}`` placeholders differ from the message's."""
    found = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        if translated is None or not translated.string:
            found.append(f"untranslated: {message.id!r} ({message.locations[0][0]})")
        elif set(PLACEHOLDER.findall(message.id)) != set(PLACEHOLDER.findall(translated.string)):
            found.append(f"placeholders differ: {message.id!r} -> {translated.string!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if English lacks a message"
    )
    args = parser.parse_args(argv)
    template = extract()
    catalogs = {language: merged(template, language) for language in LANGUAGES}
    if args.check:
        missing = problems(template, catalogs[TRANSLATED])
        for line in missing:
            print(line)
        print(f"{len(template)} messages, {len(missing)} problem(s) in the English catalog")
        return 1 if missing else 0
    written = [TEMPLATE] if write_if_changed(TEMPLATE, render(template)) else []
    for language, catalog in catalogs.items():
        if write_if_changed(catalog_path(language), render(catalog)):
            written.append(catalog_path(language))
    untranslated = len(problems(template, catalogs[TRANSLATED]))
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(template)} messages; {untranslated} without an English translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
