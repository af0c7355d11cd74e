"""Copies of the whoosh index: taken aside for a backup, put back by a restore.

A committed whoosh index is a table of contents (``_cong1_<generation>.toc``) and
the files of the segments it lists, and no file is changed once written: a commit
writes new segments and a new table of contents (deletions included) and removes
the files no table lists any more. So a copy made while the index's write lock is
held is a whole index, and hard links make it for the price of a directory entry
per file (copies across file systems). Files encrypted at rest stay encrypted in
the copy. Decision note: docs/decisions/0037-index-snapshots-in-backups.md.
"""

from __future__ import annotations

import os
import shutil

from whoosh.index import TOC

from catalog.backends.whoosh_schema import INDEX_NAME

#: The file names of the index's own files (segments, tables of contents), besides
#: its lock and scratch files.
PREFIXES = (f"{INDEX_NAME}_", f"_{INDEX_NAME}_")
LOCK = f"{INDEX_NAME}_WRITELOCK"


def committed_files(ix) -> tuple[int, list[str]]:
    """The generation of the last commit of the whoosh index ``ix`` and the names
    of its files: the table of contents and the files of its segments."""
    generation = ix.latest_generation()
    names = [TOC._filename(ix.indexname, generation)]
    for segment in ix._segments():
        names += segment.list_files(ix.storage)
    return generation, sorted(names)


def copy_index(ix, folder: str) -> dict:
    """Copy the committed files of ``ix`` into ``folder`` (which must exist):
    hard links, or copies where the file system does not link. Call it while the
    index's write lock is held. Returns ``{"generation", "files"}``."""
    generation, names = committed_files(ix)
    for name in names:
        source, destination = os.path.join(ix.storage.folder, name), os.path.join(folder, name)
        try:
            os.link(source, destination)
        except OSError:  # another file system (or one without links)
            shutil.copy2(source, destination)
    return {"generation": generation, "files": len(names)}


def index_files(folder: str) -> list[str]:
    """The names of the index files in ``folder`` (not its lock, not scratch files)."""
    return sorted(
        entry.name
        for entry in os.scandir(folder)
        if entry.is_file() and entry.name.startswith(PREFIXES) and entry.name != LOCK
    )


def replace_files(folder: str | None, path: str) -> None:
    """Make the index files of ``path`` those of the copy in ``folder`` (copied:
    the index's files are its own, not the backup's), or none (``folder`` None).
    Call it while the index's write lock is held and nothing has it open."""
    for name in index_files(path):
        os.remove(os.path.join(path, name))
    for name in index_files(folder) if folder else ():
        shutil.copy2(os.path.join(folder, name), os.path.join(path, name))
