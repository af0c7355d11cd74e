"""``cong rotate-key``: re-encrypt the database's records and blob files with the
current key (the first line of the key file), the other keys still reading those not
yet rewritten. With a FileStorage, run it with the server stopped (it holds the
database); over ZEO (``cong zeo``) it runs while the portal serves, once the server
and every client read the new key file. Then ``cong reindex`` writes the full-text
index with the new key."""

from __future__ import annotations

import time

from ZODB.POSException import ConflictError

from core.cli.app import CommandEnv, CommandError
from core.crypt.rotate import BATCH, rotate
from core.crypt.storage import EncryptedStorage


def add_commands(subparsers) -> None:
    """Add ``rotate-key``."""
    command = subparsers.add_parser(
        "rotate-key", help="re-encrypt the database with the current (first) key"
    )
    command.add_argument(
        "--pack",
        action="store_true",
        help="then pack the database, so that no earlier revision needs an old key",
    )
    command.add_argument("--batch", type=int, default=BATCH, help=f"default {BATCH}")
    command.set_defaults(func=rotate_key)


def rotate_key(env: CommandEnv, args) -> None:
    storage = env.db.storage
    if not isinstance(storage, EncryptedStorage):
        raise CommandError(
            "Encryption at rest is off: set cong.encryption_key_file (the new key on its "
            "first line, the old ones after it) or cong.encryption_key_env first."
        )
    if args.batch < 1:
        raise CommandError("--batch must be at least 1.")
    started = time.monotonic()
    try:
        done = rotate(env.db, args.batch)
    except ConflictError:
        raise CommandError(
            "A record being re-encrypted was changed meanwhile (by a portal process "
            "sharing the ZEO server): run cong rotate-key again, it goes on where it stopped."
        ) from None
    print(
        f"{done.rewritten} of {done.seen} records (and their blob files) re-encrypted with "
        f"key id {storage.cipher.current} in {done.transactions} transactions "
        f"({time.monotonic() - started:.1f} s). Rewrite the full-text index with the new "
        "key: cong reindex."
    )
    if args.pack:
        env.db.pack()
        print("Database packed: every stored record is under the current key.")
    else:
        print(
            "Earlier revisions (undo history) keep their keys until the database is "
            "packed (cong rotate-key --pack); keep the old keys until then."
        )
