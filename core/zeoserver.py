"""A ZEO server for the site's database (``cong zeo``), so that the portal's
processes, the command line and an indexer share it.

It serves the FileStorage of the data folder (``Data.fs`` and ``blobs/``, as the
portal opens them without a ``cong.zodb_uri``; or the ``file://`` one that setting
names). With a key configured (``cong.encryption_key_file``,
``cong.encryption_key_env``) the storage is wrapped in
:class:`core.crypt.storage.ServerEncryptedStorage`: the clients encrypt, the
server stores what they send as it is and decrypts records only to pack and to
resolve conflicts. ``SIGTERM`` and ``SIGINT`` stop it between two requests and
close the storage.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from urllib.parse import urlsplit

import zodburi
from ZEO.StorageServer import StorageServer

from core.crypt.database import check_keys, cipher_of
from core.crypt.storage import ServerEncryptedStorage
from core.settings import Settings, SettingsError

#: Where the server listens unless ``cong.zeo_address`` or ``--address`` say.
DEFAULT_ADDRESS = "127.0.0.1:8100"
#: The name of the storage served (ZEO's default, what a ``zeo://`` URI asks for).
STORAGE_NAME = "1"


def parse_address(text: str) -> tuple[str, int]:
    """``(host, port)`` of ``HOST:PORT`` (``[::1]:8100`` for IPv6; port 0: any free
    one); a :class:`SettingsError` otherwise."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise SettingsError(f"the ZEO address {text!r} is not HOST:PORT")
    return host, int(port)


def served_uri(cong: Settings) -> str:
    """The ``file://`` URI of the database the server holds: ``cong.zodb_uri`` when it
    is one, else the data folder's (a ``zeo://`` setting names this server)."""
    scheme = urlsplit(cong.zodb_uri).scheme
    if scheme == "file":
        return cong.zodb_uri
    if scheme != "zeo":
        raise SettingsError(f"cong zeo serves a FileStorage, not cong.zodb_uri {scheme}://")
    return dataclasses.replace(cong, storage_uri="").zodb_uri


def open_served_storage(cong: Settings):
    """The storage to serve, wrapped for encrypting clients when a key is configured;
    a :class:`SettingsError` when the keys do not fit it, ``zc.lockfile.LockError``
    when another process holds it."""
    factory, _db_options = zodburi.resolve_uri(served_uri(cong))
    cipher = cipher_of(cong)
    os.makedirs(os.path.join(cong.data_dir, "blobs"), exist_ok=True)  # as the portal does
    storage = factory()
    try:
        check_keys(storage, cipher)
    except BaseException:
        storage.close()
        raise
    return storage if cipher is None else ServerEncryptedStorage(storage, cipher)


def client_uri(address: tuple[str, int], data_dir: str) -> str:
    """The ``cong.zodb_uri`` of a client of the server at ``address`` on the same
    host, its blob cache in ``data_dir/blobcache``."""
    host, port = address[:2]
    host = f"[{host}]" if ":" in host else host
    return f"zeo://{host}:{port}?blob_dir={data_dir}/blobcache"


class ZeoServer:
    """A ZEO ``StorageServer`` of ``storage`` listening at ``address`` (an ``OSError``
    when it cannot); :meth:`serve` runs it until :meth:`stop` or a signal."""

    def __init__(self, storage, address: tuple[str, int]):
        self.server = StorageServer(address, {STORAGE_NAME: storage})
        self.address: tuple[str, int] = tuple(self.server.acceptor.addr[:2])

    def serve(self) -> None:
        """Serve until ``SIGTERM``/``SIGINT`` (in the main thread) or :meth:`stop`;
        the storage is closed on return."""
        if threading.current_thread() is threading.main_thread():
            loop = self.server.acceptor.event_loop
            for number in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(number, self.stop)  # runs between two requests
        try:
            self.server.loop()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop accepting, close the clients' connections and the storage."""
        self.server.close()
