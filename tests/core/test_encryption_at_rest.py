"""Encryption at rest end to end: with a key, no file the site writes (Data.fs, the
blob files, the full-text index) nor a backup of it (the index's snapshot too)
holds a sentence of a private page or of a private file, nor the words the index
keeps of them; without a key they are found there (the control: the search below
can fail). The site still reads, serves (ranges too) and searches them, and a
restore brings its index up to date from the encrypted snapshot."""

from __future__ import annotations

import os
import shutil

import pytest
import webtest

import catalog
from catalog.backends.whoosh import WhooshBackend
from catalog.snapshots import take_snapshot
from core import main
from core.backup import file_storage, take_backup
from core.crypt.keys import new_key_line, parse_keys
from core.crypt.records import Cipher
from core.operations import edit
from core.settings import SettingsError
from core.testing import (
    ModelRequest,
    add,
    login,
    make_settings,
    run_cong,
    upload,
    write_ini,
)

PAGE_SENTENCE = "Biên bản họp kín về phương án giải phóng mặt bằng khu Đồi Thông"
FILE_SENTENCE = "Danh sách hộ dân nhận tiền bồi thường đợt hai năm nay"
FILLER = "Dòng đệm của tệp.\n" * 5000
#: A file of several chunks, its sentence in the middle.
FILE_BYTES = f"{FILLER}{FILE_SENTENCE}\n{FILLER}".encode()
#: What the index's term dictionary holds of them: pairs of syllables (its stored
#: fields are compressed, so the sentences themselves are not found there as they are).
PAGE_WORDS = "đồi thông"
FILE_WORDS = "bồi thường"
PLUGINS = "search"


def files_under(folder) -> list[str]:
    return [os.path.join(where, name) for where, _dirs, names in os.walk(folder) for name in names]


def holding(paths, sentence: str) -> list[str]:
    """The files among ``paths`` whose bytes hold ``sentence`` (UTF-8)."""
    needle = sentence.encode()
    found = []
    for path in paths:
        with open(path, "rb") as handle:
            if needle in handle.read():
                found.append(path)
    return found


def build(root, key_file: str | None):
    """A site in ``root/var`` with a private page and a private text file, indexed,
    backed up into ``root/backups``; the application (still open)."""
    settings = {"cong.plugins": PLUGINS}
    if key_file:
        settings["cong.encryption_key_file"] = key_file
    app = main({}, **make_settings(root / "var", **settings))
    model = ModelRequest(app)
    try:
        add(model, model.site, "Page", name="bien-ban", title="Biên bản",
            text=f"<p>{PAGE_SENTENCE}.</p>")  # fmt: skip
        add(model, model.site, "File", name="danh-sach", title="Danh sách",
            file=upload(FILE_BYTES, "danh-sach.txt", "text/plain"))  # fmt: skip
        model.commit()
    finally:
        model.close()
    catalog.get_indexer(app.registry).drain()
    backups = str(root / "backups")
    taken = take_backup(file_storage(app.registry.settings["cong"].zodb_uri), backups)
    settings = make_settings(root / "var", **settings)
    assert take_snapshot(settings, backups, taken.stamp).startswith("Full-text index snapshot")
    return app


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """``{"plain": (folder, app), "sealed": (folder, app)}``."""
    root = tmp_path_factory.mktemp("at-rest")
    keys = root / "cong.keys"
    keys.write_text(new_key_line(1) + "\n", encoding="ascii")
    built = {
        "plain": (root / "plain", build(root / "plain", None)),
        "sealed": (root / "sealed", build(root / "sealed", str(keys))),
    }
    yield built
    for _folder, app in built.values():
        close(app)


def close(app) -> None:
    catalog.close_backend(app.registry)
    for db in app.registry._zodb_databases.values():
        db.close()


def stores(folder) -> dict[str, list[str]]:
    """The files of each store of the site in ``folder``."""
    var = folder / "var"
    return {
        "Data.fs": [str(var / "Data.fs")],
        "blobs": [p for p in files_under(var / "blobs") if p.endswith(".blob")],
        "index": files_under(var / "whoosh"),
        "backup": files_under(folder / "backups"),
    }


def test_without_a_key_the_sentences_are_in_every_store(sites):
    folder, _app = sites["plain"]
    found = stores(folder)
    assert holding(found["Data.fs"], PAGE_SENTENCE)
    assert holding(found["blobs"], FILE_SENTENCE)
    assert holding(found["index"], PAGE_WORDS)
    assert holding(found["index"], FILE_WORDS)
    assert holding(found["backup"], PAGE_SENTENCE)
    assert holding(found["backup"], FILE_SENTENCE)
    assert holding(files_under(folder / "backups" / "text"), PAGE_WORDS)  # the index snapshot


def test_with_a_key_no_file_of_the_site_or_its_backup_holds_them(sites):
    folder, _app = sites["sealed"]
    found = stores(folder)
    assert found["blobs"] and found["index"] and found["backup"]
    assert files_under(folder / "backups" / "text")
    everything = files_under(folder)
    for needle in (PAGE_SENTENCE, FILE_SENTENCE, PAGE_WORDS, FILE_WORDS):
        assert holding(everything, needle) == [], needle


def test_with_a_key_the_site_still_serves_and_finds_them(sites):
    _folder, app = sites["sealed"]
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(client)
    assert client.get("/danh-sach/@@download").body == FILE_BYTES
    part = client.get("/danh-sach/@@download", headers={"Range": "bytes=100000-100020"})
    assert part.status_int == 206
    assert part.body == FILE_BYTES[100_000:100_021]
    found = catalog.get_backend(app.registry).search(
        "giải phóng mặt bằng Đồi Thông", principals={"role:Manager", "user:admin"}
    )
    assert found.total == 1
    assert "Đồi Thông" in found.hits[0].snippet


def test_a_restore_reads_the_encrypted_history_and_index_snapshot(sites, capsys, model_of):
    folder, app = sites["sealed"]
    with model_of(app) as m:  # after the snapshot: found in the database's history only
        edit(m.request, m.site["bien-ban"], {"title": "Biên bản kè sông Lam"}, "json", True)
        m.commit()
    take_backup(file_storage(app.registry.settings["cong"].zodb_uri), str(folder / "backups"))
    keys = folder.parent / "cong.keys"
    ini = write_ini(folder, cong_plugins=PLUGINS)
    with ini.open("a", encoding="utf-8") as handle:
        handle.write(f"cong.encryption_key_file = {keys}\n")
    target = folder / "restored"
    result = run_cong(capsys, ini, "restore", "--into", str(target))
    assert result.status == 0, result.err
    assert "from the index snapshot of" in result.out and "Reindexed" not in result.out
    cipher = Cipher(parse_keys(keys.read_text(encoding="ascii"), "test"))
    backend = WhooshBackend(str(target / "whoosh"), cipher=cipher)
    try:
        for text in ("kè sông Lam", "giải phóng mặt bằng Đồi Thông"):
            assert backend.search(text, principals={"role:Manager"}).total == 1, text
    finally:
        backend.close()
    for needle in (PAGE_WORDS, FILE_WORDS, "sông lam"):
        assert holding(files_under(target), needle) == [], needle


def test_reindex_writes_the_index_encrypted_and_a_key_must_fit_it(sites, capsys):
    folder, app = sites["sealed"]
    close(app)  # the command opens the database itself
    index = folder / "var" / "whoosh"
    shutil.rmtree(index)
    keys = folder.parent / "cong.keys"
    ini = write_ini(folder, cong_plugins=PLUGINS)
    with ini.open("a", encoding="utf-8") as handle:
        handle.write(f"cong.encryption_key_file = {keys}\n")
    result = run_cong(capsys, ini, "reindex", "--workers", "2")  # runs written by workers
    assert result.status == 0, result.err
    for needle in (PAGE_SENTENCE, FILE_SENTENCE, PAGE_WORDS, FILE_WORDS):
        assert holding(files_under(index), needle) == [], needle

    cipher = Cipher(parse_keys(keys.read_text(encoding="ascii"), "test"))
    backend = WhooshBackend(str(index), cipher=cipher)
    try:
        found = backend.search("bồi thường đợt hai", principals={"role:Manager"})
        assert found.total == 1
    finally:
        backend.close()
    with pytest.raises(SettingsError, match="the full-text index in .* is encrypted: set"):
        WhooshBackend(str(index))
    other = Cipher(parse_keys(new_key_line(1), "test"))
    with pytest.raises(SettingsError, match="does not open the full-text index"):
        WhooshBackend(str(index), cipher=other)
