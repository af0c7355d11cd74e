"""Encryption at rest over ZEO: ``cong zeo`` (a real server, in a process of its own)
serves a database whose clients encrypt. Neither the server's Data.fs and blob
files nor the client's blob cache hold a sentence of a private page or file (with a
plain server they do: the control); the site reads them back; a pack on the server
keeps what is reachable and drops what is not; a client without the key, or with
another one, is refused; ``cong rotate-key`` works through the server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import transaction
import webtest
import zodburi
from BTrees.OOBTree import OOBTree
from ZODB.blob import Blob, BushyLayout
from ZODB.Connection import TransactionMetaData
from ZODB.FileStorage import FileStorage
from ZODB.POSException import POSKeyError, StorageError
from ZODB.utils import z64

from core import main
from core.crypt.chunked import key_id
from core.crypt.database import cipher_of, open_db
from core.crypt.keys import new_key_line, parse_keys
from core.crypt.records import MAGIC, Cipher
from core.crypt.rotate import rotate
from core.settings import SettingsError, read_settings
from core.testing import ModelRequest, add, login, make_settings, run_cong, upload

PAGE_SENTENCE = "Biên bản họp kín về phương án di dời chợ Đông Ba"
FILE_SENTENCE = "Danh sách hộ dân được hỗ trợ tái định cư đợt ba"
FILE_BYTES = ("Dòng đệm.\n" * 8000 + FILE_SENTENCE + "\n" + "Dòng đệm.\n" * 8000).encode()
DOOMED = b"Mot tep se bi xoa truoc khi don dep. " * 100
PLUGINS = "news"
REPO = Path(__file__).resolve().parents[2]


def files_under(folder) -> list[str]:
    return [os.path.join(where, name) for where, _dirs, names in os.walk(folder) for name in names]


def holding(paths, sentence: str) -> list[str]:
    needle = sentence.encode()
    return [path for path in paths if needle in Path(path).read_bytes()]


def write_ini(folder: Path, key_file: str | None) -> Path:
    """The server's settings: its data folder and key file."""
    lines = ["[app:main]", "use = egg:cong", "cong.data_dir = %(here)s/var"]
    if key_file:
        lines.append(f"cong.encryption_key_file = {key_file}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.ini").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "site.ini"


class Server:
    """``cong zeo`` in a process of its own, on a free port."""

    def __init__(self, folder: Path, key_file: str | None):
        self.folder = folder
        self.ini = write_ini(folder, key_file)
        command = [sys.executable, "-m", "core.cli", "-c", str(self.ini), "zeo"]
        self.process = subprocess.Popen(
            [*command, "--address", "127.0.0.1:0"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def uri(self) -> str:
        """The ``cong.zodb_uri`` the server prints once it listens."""
        for line in self.process.stdout:
            if line.startswith("cong.zodb_uri = "):
                return line.split(" = ", 1)[1].strip()
        raise AssertionError(f"cong zeo ended with status {self.process.wait()}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()


def client(folder: Path, uri: str, key_file: str | None):
    settings = {"cong.zodb_uri": uri, "cong.plugins": PLUGINS}
    if key_file:
        settings["cong.encryption_key_file"] = key_file
    return main({}, **make_settings(folder / "client", **settings))


def close(app) -> None:
    for db in app.registry._zodb_databases.values():
        db.close()


def write_site(app) -> dict:
    """A private page and a private file; their oids."""
    model = ModelRequest(app)
    try:
        page = add(model, model.site, "Page", name="bien-ban", title="Biên bản",
                   text=f"<p>{PAGE_SENTENCE}.</p>")  # fmt: skip
        file = add(model, model.site, "File", name="danh-sach", title="Danh sách",
                   file=upload(FILE_BYTES, "danh-sach.txt", "text/plain"))  # fmt: skip
        model.commit()
        return {"page": page._p_oid, "blob": file.blob._p_oid}
    finally:
        model.close()


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """Key files: the site's (key 1), after a new key is put first (2, then 1), another."""
    root = tmp_path_factory.mktemp("keys")
    one, two = new_key_line(1), new_key_line(2)
    files = {"site": [one], "rotated": [two, one], "other": [new_key_line(1)]}
    for name, lines in files.items():
        (root / name).write_text("\n".join(lines) + "\n", encoding="ascii")
    return {name: str(root / name) for name in files}


@pytest.fixture(scope="module")
def sites(tmp_path_factory, keys):
    """``{"plain": [server, app, oids], "sealed": [server, app, oids]}``."""
    root = tmp_path_factory.mktemp("zeo")
    servers = {
        "plain": Server(root / "plain", None),
        "sealed": Server(root / "sealed", keys["site"]),
    }
    built = {}
    try:
        for name, server in servers.items():
            app = client(server.folder, server.uri(), keys["site"] if name == "sealed" else None)
            built[name] = [server, app, write_site(app)]
        yield built
    finally:
        for server, app, _oids in built.values():
            close(app)
            server.stop()  # perhaps restarted by a test
        for server in servers.values():
            server.stop()


def stores(folder: Path) -> dict[str, list[str]]:
    var = folder / "var"
    return {
        "Data.fs": [str(var / "Data.fs")],
        "blobs": [p for p in files_under(var / "blobs") if p.endswith(".blob")],
        "blob cache": [p for p in files_under(var / "blobcache") if p.endswith(".blob")],
    }


def test_a_plain_server_holds_the_sentences(sites):
    server, _app, _oids = sites["plain"]
    found = stores(server.folder)
    assert holding(found["Data.fs"], PAGE_SENTENCE)
    assert holding(found["blobs"], FILE_SENTENCE)
    assert holding(found["blob cache"], FILE_SENTENCE)


def test_with_a_key_neither_the_server_nor_the_client_caches_hold_them(sites):
    server, _app, _oids = sites["sealed"]
    found = stores(server.folder)
    assert found["blobs"] and found["blob cache"]
    everything = files_under(server.folder)
    assert holding(everything, PAGE_SENTENCE) == []
    assert holding(everything, FILE_SENTENCE) == []


def test_the_site_reads_them_back_through_the_server(sites):
    _server, app, _oids = sites["sealed"]
    browser = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(browser)
    assert PAGE_SENTENCE in browser.get("/bien-ban").text
    assert browser.get("/danh-sach/@@download").body == FILE_BYTES
    part = browser.get("/danh-sach/@@download", headers={"Range": "bytes=90000-90099"})
    assert part.body == FILE_BYTES[90_000:90_100]


def test_the_server_resolves_conflicts_and_packs_seeing_the_references(sites, keys):
    server, _app, oids = sites["sealed"]
    db = open_db(sites["sealed"][1].registry.settings["zodbconn.uri"], cipher(keys["site"]))
    try:
        with db.transaction() as conn:
            conn.root()["tree"] = OOBTree()
            conn.root()["doomed"] = doomed = Blob(DOOMED)
        doomed_oid = doomed._p_oid
        first, second = transaction.TransactionManager(), transaction.TransactionManager()
        one, two = db.open(first), db.open(second)
        one.root()["tree"]["a"] = "một"
        two.root()["tree"]["b"] = "hai"
        first.commit()
        second.commit()  # a BTree conflict, resolved by the server on decrypted records
        one.close()
        two.close()
        with db.transaction() as conn:
            assert dict(conn.root()["tree"]) == {"a": "một", "b": "hai"}
            del conn.root()["doomed"]
        db.pack()
    finally:
        db.close()
    stored = FileStorage(str(server.folder / "var" / "Data.fs"), read_only=True)
    try:
        stored.load(oids["page"])
        stored.load(oids["blob"])
        with pytest.raises(POSKeyError):
            stored.load(doomed_oid)
    finally:
        stored.close()
    assert blob_files(server.folder, oids["blob"])
    assert not blob_files(server.folder, doomed_oid)


def test_without_the_key_or_with_another_a_client_is_refused(sites, keys, tmp_path):
    server, app, _oids = sites["sealed"]
    uri = app.registry.settings["zodbconn.uri"]
    with pytest.raises(SettingsError, match="the database is encrypted: set cong.encryption_key"):
        client(tmp_path, uri, None)
    with pytest.raises(SettingsError, match="the encryption key does not open the database"):
        client(tmp_path, uri, keys["other"])
    factory, _options = zodburi.resolve_uri(uri)
    storage = factory()  # a bare ZEO client: the server refuses its plain record
    try:
        meta = TransactionMetaData()
        storage.tpc_begin(meta)
        storage.store(storage.new_oid(), z64, b"\x80\x03N.", "", meta)
        with pytest.raises(StorageError, match="this ZEO server stores encrypted data only"):
            storage.tpc_vote(meta)
        storage.tpc_abort(meta)
    finally:
        storage.close()


def test_rotate_key_works_through_the_server(sites, keys):
    site = sites["sealed"]
    server, _app, oids = site
    server.stop()  # the new key file goes to the server and every client, restarted
    site[0] = server = Server(server.folder, keys["rotated"])
    db = open_db(server.uri(), cipher(keys["rotated"]))
    try:
        assert rotate(db).rewritten > 0
        for oid in (z64, oids["page"], oids["blob"]):
            raw, serial = db.storage.base.load(oid)
            assert raw[len(MAGIC)] == 2  # the key id
        assert key_id(db.storage.base.loadBlob(oids["blob"], serial)) == 2
        db.pack()  # the server decrypts what key 2 encrypted
        with db.transaction() as conn:
            assert conn.get(oids["page"]).title == "Biên bản"
            assert conn.get(oids["blob"]).open("r").read() == FILE_BYTES
    finally:
        db.close()


def test_cong_zeo_refuses_a_held_database_stops_cleanly_and_checks_the_key(sites, capsys):
    server, _app, _oids = sites["sealed"]
    result = run_cong(capsys, server.ini, "zeo", "--address", "127.0.0.1:0")
    assert result.status == 3
    assert "is in use by another process" in result.err
    assert server.stop() == 0
    assert "The ZEO server has stopped" in server.process.stdout.read()
    write_ini(server.folder, None)
    result = run_cong(capsys, server.ini, "zeo", "--address", "127.0.0.1:0")
    assert result.status == 2
    assert "the database is encrypted" in result.err


def cipher(path: str) -> Cipher:
    return Cipher(parse_keys(Path(path).read_text(encoding="ascii"), path))


def blob_files(folder: Path, oid: bytes) -> list[str]:
    """The server's blob files of ``oid``."""
    return [p for p in files_under(folder / "var" / "blobs" / BushyLayout().oid_to_path(oid))]


def test_other_databases_than_filestorage_and_zeo_refuse_a_key(keys):
    cong = read_settings(
        {
            "cong.zodb_uri": "zconfig:///etc/relstorage.conf",
            "cong.encryption_key_file": keys["site"],
        }
    )
    with pytest.raises(
        SettingsError, match=r"\(file://\) or a ZEO server .* not with .* zconfig://"
    ):
        cipher_of(cong)
