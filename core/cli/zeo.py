"""``cong zeo``: serve the data folder's database with ZEO (:mod:`core.zeoserver`),
so that the portal's processes, the command line and an indexer share it (each with
``cong.zodb_uri = zeo://HOST:PORT?blob_dir=...``).

It runs without opening the application and until it is stopped (``SIGTERM``,
``SIGINT``: the storage is closed cleanly). Settings: ``cong.zeo_address`` (default
``127.0.0.1:8100``) and the encryption keys, which the server needs to pack a
database its clients encrypt.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from zc.lockfile import LockError

from core.cli.app import CommandError
from core.settings import SettingsError, read_settings
from core.zeoserver import (
    DEFAULT_ADDRESS,
    ZeoServer,
    client_uri,
    open_served_storage,
    parse_address,
    served_uri,
)

IN_USE = (
    "The database {uri} is in use by another process (a cong server started without "
    "cong.zodb_uri?). Stop it, set cong.zodb_uri to the line cong zeo prints, then run "
    "cong zeo again."
)


def add_commands(subparsers) -> None:
    """Add ``zeo``; it runs without opening the database (it serves it)."""
    command = subparsers.add_parser(
        "zeo", help="serve the database to the portal's processes and commands (ZEO)"
    )
    command.add_argument(
        "--address",
        metavar="HOST:PORT",
        help=f"where to listen (default: cong.zeo_address, else {DEFAULT_ADDRESS})",
    )
    command.set_defaults(func=run_zeo, without_app=True)


def run_zeo(settings: dict, args) -> None:
    try:
        cong = read_settings(settings)
        address = parse_address(args.address or settings.get("cong.zeo_address") or DEFAULT_ADDRESS)
        host, port = address
        served = served_uri(cong)
        storage = open_served_storage(cong)
    except SettingsError as exc:
        raise CommandError(f"The ZEO server cannot start: {exc}") from None
    except LockError:
        raise CommandError(IN_USE.format(uri=served), 3) from None
    try:
        server = ZeoServer(storage, address)
    except OSError as exc:
        storage.close()
        raise CommandError(f"The ZEO server cannot listen on {host}:{port}: {exc}") from None
    if not logging.getLogger().handlers:  # ZEO's connections and packs, on stderr
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    host, port = server.address
    print(f"Serving {urlsplit(served).path} on {host}:{port} (Ctrl+C stops); the clients' setting:")
    print(f"cong.zodb_uri = {client_uri(server.address, cong.data_dir)}", flush=True)
    server.serve()
    print("The ZEO server has stopped; the database is closed.")
