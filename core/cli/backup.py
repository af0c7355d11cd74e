"""``cong backup`` and ``cong restore``: backups of the database and its blobs
(:mod:`core.backup`), taken while the portal serves, and restores into a new data
folder.

Neither opens the application's database: a backup reads the FileStorage the
server holds (without its lock), a restore writes elsewhere. After a backup, the
layers above keep what they hold outside the database (``cong_backup_taken``: the
catalog's full-text index); after a restore, they bring it up to date with the
restored database (``cong_restored``), or ``cong reindex`` rebuilds it. Settings:
``cong.backup_dir`` (default: ``backups`` next to ``cong.data_dir``) and
``cong.backup_keep`` (full backups kept with their increments, default 7).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from core.backup import (
    DEFAULT_KEEP,
    BackupError,
    file_storage,
    is_empty_or_absent,
    restore,
    take_backup,
)
from core.cli.app import CommandError, open_app
from core.clock import TIMEZONE
from core.plugins import make_plugin_manager
from core.settings import read_settings

#: The formats ``--until`` takes (the portal's local time).
UNTIL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
#: Settings a restored site does not inherit: it is a FileStorage in its own folder.
NOT_RESTORED = ("cong.zodb_uri", "zodbconn.uri")


def add_commands(subparsers) -> None:
    """Add ``backup`` and ``restore``; both run without opening the database."""
    backup = subparsers.add_parser(
        "backup", help="back up the database and its blobs (incremental unless --full)"
    )
    backup.add_argument("--full", action="store_true", help="a full backup, not an increment")
    backup.add_argument("--dir", metavar="DIR", help="the backup folder (cong.backup_dir)")
    backup.set_defaults(func=run_backup, without_app=True)
    recover = subparsers.add_parser(
        "restore", help="restore a backup into a new data folder and bring its indexes up to date"
    )
    recover.add_argument("--into", required=True, metavar="DIR", help="the new data folder")
    recover.add_argument(
        "--until",
        metavar='"YYYY-MM-DD HH:MM[:SS]"',
        help="the last backup taken at or before this local time (default: the last one)",
    )
    recover.add_argument("--dir", metavar="DIR", help="the backup folder (cong.backup_dir)")
    recover.set_defaults(func=run_restore, without_app=True)


def backup_dir(settings: dict, data_dir: str, given: str | None) -> str:
    """The backup folder: ``given`` (``--dir``), else ``cong.backup_dir``, else
    ``backups`` next to the data folder."""
    folder = given or settings.get("cong.backup_dir") or os.path.join(data_dir, "..", "backups")
    return os.path.abspath(folder)


def backup_keep(settings: dict) -> int:
    """``cong.backup_keep``: the full backups kept (at least 1)."""
    try:
        keep = int(settings.get("cong.backup_keep", DEFAULT_KEEP))
    except ValueError:
        raise CommandError("cong.backup_keep must be a whole number.") from None
    if keep < 1:
        raise CommandError("cong.backup_keep must be at least 1.")
    return keep


def run_backup(settings: dict, args) -> None:
    cong = read_settings(settings)
    folder = backup_dir(settings, cong.data_dir, args.dir)
    try:
        storage = file_storage(settings.get("zodbconn.uri") or cong.zodb_uri)
        report = take_backup(storage, folder, full=args.full, keep=backup_keep(settings))
    except BackupError as exc:
        raise CommandError(str(exc), status=1) from None
    if report.stamp is None:
        print(f"Nothing changed since the last backup in {folder}.")
        return
    kind = "Full" if report.full else "Incremental"
    print(
        f"{kind} backup {report.stamp} (UTC) in {folder}: {report.size} bytes of database, "
        f"{report.blobs_copied} blob file(s) copied, {report.blobs_linked} kept from the "
        "previous backup; verified."
    )
    if report.pruned:
        print(f"Deleted {len(report.pruned)} old backup(s): {', '.join(report.pruned)}.")
    plugins = make_plugin_manager(cong.plugins)
    for line in plugins.hook.cong_backup_taken(
        settings=settings, backup_dir=folder, stamp=report.stamp
    ):
        if line:
            print(line)


def parse_until(text: str | None) -> datetime | None:
    """``--until`` as an aware moment in the portal's time zone."""
    if text is None:
        return None
    for form in UNTIL_FORMATS:
        try:
            return datetime.strptime(text.strip(), form).replace(tzinfo=TIMEZONE)
        except ValueError:
            continue
    raise CommandError(f'--until "{text}" is not a moment like "2025-01-31 14:30".')


def run_restore(settings: dict, args) -> None:
    cong = read_settings(settings)
    target = os.path.abspath(args.into)
    live = os.path.realpath(cong.data_dir)
    if os.path.realpath(target) == live:
        raise CommandError(
            f"{target} is the live data folder (cong.data_dir): restore into a new "
            "folder, then point cong.data_dir at it while the server is stopped."
        )
    if not is_empty_or_absent(target):
        raise CommandError(f"{target} exists and is not empty: restore into a new folder.")
    until = parse_until(args.until)
    folder = backup_dir(settings, cong.data_dir, args.dir)
    try:
        report = restore(folder, target, until)
    except BackupError as exc:
        raise CommandError(str(exc), status=1) from None
    print(
        f"Restored the backup {report.stamp} (UTC) into {target}: {report.size} bytes of "
        f"database, {report.blobs} blob file(s)."
    )
    if report.left_out:
        print(f"Left out {report.left_out} transaction(s) committed after {args.until}.")
    rebuild_text_index(settings, target, restored_from=(folder, report.stamp))
    print(f"Done: set cong.data_dir = {target} and start the server.")


def rebuild_text_index(
    settings: dict, data_dir: str, restored_from: tuple[str, str] | None = None
) -> None:
    """Run ``cong reindex`` on the site in ``data_dir`` (the catalog and the
    full-text index rebuilt from its database), with the other settings kept.
    With ``restored_from`` (the backup folder and the stamp of the backup restored),
    the layers first bring the indexes they keep outside the database up to date
    from that backup (``cong_restored``); the rebuild runs only if one cannot."""
    restored = {k: v for k, v in settings.items() if k not in NOT_RESTORED}
    restored["cong.data_dir"] = data_dir
    restored["cong.outbox.deliver_in_process"] = "false"  # no mail of the past sent again
    parser = argparse.ArgumentParser(prog="cong")
    commands = parser.add_subparsers(dest="command")
    with data_dir_environment(data_dir):
        plugins = make_plugin_manager(read_settings(restored).plugins)
        plugins.hook.cong_cli_commands(subparsers=commands)
        args = parser.parse_args(["reindex"])
        with open_app(restored) as env:
            if restored_from is not None:
                folder, stamp = restored_from
                done = plugins.hook.cong_restored(env=env, backup_dir=folder, stamp=stamp)
                if done and all(done):
                    return
            args.func(env, args)


@contextmanager
def data_dir_environment(data_dir: str) -> Iterator[None]:
    """``CONG_DATA_DIR`` (which wins over ``cong.data_dir``) naming ``data_dir``
    while the block runs, when it is set."""
    before = os.environ.get("CONG_DATA_DIR")
    if before is None:
        yield
        return
    os.environ["CONG_DATA_DIR"] = data_dir
    try:
        yield
    finally:
        os.environ["CONG_DATA_DIR"] = before
