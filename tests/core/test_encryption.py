"""Encryption at rest (core.crypt): records in Data.fs encrypted with AES-GCM when a
key is configured, read back with it, refused without it or with a wrong one; an
old plain database migrates; conflict resolution and packing still work."""

from __future__ import annotations

import os

import pytest
import transaction
from BTrees.OOBTree import OOBTree
from ZODB.utils import z64

from core import main
from core.crypt.chunked import SealedReader, key_id, plain_size, seal
from core.crypt.database import open_db
from core.crypt.keys import new_key_line, parse_keys
from core.crypt.records import Cipher, DecryptionError, is_encrypted
from core.settings import SettingsError
from core.testing import ModelRequest, add, make_settings, run_cong, upload, write_ini

SENTENCE = "Biên bản họp kín về phương án giải phóng mặt bằng khu Đồi Thông"
LATER = "Tờ trình điều chỉnh quy hoạch chung thị trấn Phong Điền"
ATTACHMENT = ("Phụ lục: danh sách đất công do xã quản lý.\n" * 3000).encode()


def key_file(tmp_path, *lines: str):
    path = tmp_path / "cong.keys"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return str(path)


def start(data_dir, **settings):
    """The application on ``data_dir`` with ``settings`` (keys with ``.``)."""
    return main({}, **make_settings(data_dir, **settings))


def close(app) -> None:
    for db in app.registry._zodb_databases.values():
        db.close()


def write_private_page(app, title: str, name: str) -> None:
    model = ModelRequest(app)
    try:
        add(model, model.site, "Page", name=name, title=title, text=f"<p>{title}</p>")
        model.commit()
    finally:
        model.close()


def read_title(app, name: str) -> str:
    model = ModelRequest(app)
    try:
        return model.site[name].title
    finally:
        model.close()


def raw(data_dir) -> bytes:
    return (data_dir / "Data.fs").read_bytes()


def test_private_text_is_absent_from_data_fs_only_with_encryption(tmp_path):
    keys = key_file(tmp_path, new_key_line(1))
    for folder, settings in (("plain", {}), ("sealed", {"cong.encryption_key_file": keys})):
        app = start(tmp_path / folder, **settings)
        write_private_page(app, SENTENCE, "bien-ban")
        close(app)
    assert SENTENCE.encode() in raw(tmp_path / "plain")
    assert SENTENCE.encode() not in raw(tmp_path / "sealed")

    app = start(tmp_path / "sealed", **{"cong.encryption_key_file": keys})  # reopened
    try:
        assert read_title(app, "bien-ban") == SENTENCE
    finally:
        close(app)


def test_without_the_key_or_with_a_wrong_one_start_up_is_refused(tmp_path, capsys):
    keys = key_file(tmp_path, new_key_line(3))
    app = start(tmp_path / "var", **{"cong.encryption_key_file": keys})
    close(app)
    before = raw(tmp_path / "var")

    with pytest.raises(SettingsError, match="the database is encrypted"):
        start(tmp_path / "var")
    wrong = tmp_path / "wrong.keys"
    wrong.write_text(new_key_line(3) + "\n", encoding="ascii")
    with pytest.raises(SettingsError, match="does not decrypt with the key of that id"):
        start(tmp_path / "var", **{"cong.encryption_key_file": str(wrong)})
    wrong.write_text(new_key_line(4) + "\n", encoding="ascii")
    with pytest.raises(SettingsError, match="key id 3, which the keys configured do not hold"):
        start(tmp_path / "var", **{"cong.encryption_key_file": str(wrong)})
    assert raw(tmp_path / "var") == before  # nothing written

    ini = write_ini(tmp_path)  # the CLI prints the problem, without a traceback
    with ini.open("a", encoding="utf-8") as handle:
        handle.write("cong.encryption_key_env = CONG_TEST_KEY_UNSET\n")
    result = run_cong(capsys, ini, "evolve")
    assert result.status == 2
    assert "CONG_TEST_KEY_UNSET (holding the key) is not set" in result.err


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "holds no key"),
        ("one:AAAA", "is not 'ID:BASE64'"),
        ("1:not base64!", "is not base64"),
        ("1:AAAA", "is not 32 bytes"),
    ],
)
def test_unusable_key_files_are_named(tmp_path, text, message):
    with pytest.raises(SettingsError, match=message):
        start(tmp_path / "var", **{"cong.encryption_key_file": key_file(tmp_path, text)})
    assert not (tmp_path / "var" / "Data.fs").exists()


def test_an_old_plain_database_opens_with_the_key_and_is_encrypted_from_then_on(
    tmp_path, monkeypatch
):
    app = start(tmp_path / "var")
    write_private_page(app, SENTENCE, "cu")
    close(app)
    monkeypatch.setenv("CONG_KEY", new_key_line(7))
    app = start(tmp_path / "var", **{"cong.encryption_key_env": "CONG_KEY"})
    try:
        assert read_title(app, "cu") == SENTENCE  # a plain record reads
        write_private_page(app, LATER, "moi")
    finally:
        close(app)
    assert LATER.encode() not in raw(tmp_path / "var")
    with pytest.raises(SettingsError, match="the database is encrypted"):
        start(tmp_path / "var")  # its root record is encrypted now


def test_conflicts_resolve_and_packing_keeps_what_is_reachable(tmp_path):
    cipher = Cipher(parse_keys(new_key_line(1), "test"))
    uri = f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs"  # as the site opens it
    db = open_db(uri, cipher)
    try:
        with db.transaction() as conn:
            conn.root()["tree"] = OOBTree()
        first, second = transaction.TransactionManager(), transaction.TransactionManager()
        one, two = db.open(first), db.open(second)
        one.root()["tree"]["a"] = SENTENCE
        two.root()["tree"]["b"] = LATER
        first.commit()
        second.commit()  # a BTree conflict, resolved on plain pickles
        one.close()
        two.close()
        with db.transaction() as conn:
            conn.root()["tree"]["a"] = "đã sửa"
        db.pack()
        with db.transaction() as conn:
            assert dict(conn.root()["tree"]) == {"a": "đã sửa", "b": LATER}
        raw_root, _serial = db.storage.base.load(z64)
        assert is_encrypted(raw_root)
    finally:
        db.close()
    assert SENTENCE.encode() not in (tmp_path / "Data.fs").read_bytes()


def test_the_file_storage_under_a_blob_storage_is_reached(tmp_path):
    """core.crypt.storage reads ZODB's private ``BlobStorage.__storage``: this fails
    when a ZODB release changes it (ZODB is pinned exactly for that)."""
    from ZODB.blob import BlobStorage
    from ZODB.FileStorage import FileStorage

    from core.crypt.storage import wrapped_storage

    inner = FileStorage(str(tmp_path / "Data.fs"))
    blobs = BlobStorage(str(tmp_path / "blobs"), inner)
    try:
        assert wrapped_storage(blobs) is inner
    finally:
        blobs.close()


def test_rotate_key_rewrites_every_record_and_the_old_key_can_go(tmp_path, capsys):
    old, new = new_key_line(1), new_key_line(2)
    keys = tmp_path / "cong.keys"
    keys.write_text(old + "\n", encoding="ascii")
    ini = write_ini(tmp_path)
    with ini.open("a", encoding="utf-8") as handle:
        handle.write(f"cong.encryption_key_file = {keys}\n")
    app = start(tmp_path / "var", **{"cong.encryption_key_file": str(keys)})
    write_private_page(app, SENTENCE, "bien-ban")
    model = ModelRequest(app)
    add(model, model.site, "File", name="tep", file=upload(ATTACHMENT, "tep.bin", "text/plain"))
    model.commit()
    model.close()
    close(app)

    keys.write_text(f"{new}\n{old}\n", encoding="ascii")  # the new key first, the old kept
    result = run_cong(capsys, ini, "rotate-key", "--batch", "50")
    assert result.status == 0, result.err
    rewritten, seen = result.out.split(" records")[0].split(" of ")
    assert int(rewritten) == int(seen) > 50
    assert "with key id 2" in result.out
    assert "keep the old keys until then" in result.out
    again = run_cong(capsys, ini, "rotate-key", "--pack")
    assert again.out.startswith("0 of ")  # nothing left under the old key
    assert "Database packed" in again.out

    keys.write_text(new + "\n", encoding="ascii")  # the old key gone
    app = start(tmp_path / "var", **{"cong.encryption_key_file": str(keys)})
    model = ModelRequest(app)
    try:
        assert model.site["bien-ban"].title == SENTENCE
        with model.site["tep"].open() as handle:  # its blob file re-encrypted too
            assert handle.read() == ATTACHMENT
    finally:
        model.close()
        close(app)
    blobs = [p for p in (tmp_path / "var" / "blobs").rglob("*.blob")]
    assert len(blobs) == 1 and key_id(str(blobs[0])) == 2  # packed: the old file is gone
    assert SENTENCE.encode() not in raw(tmp_path / "var")


def test_rotate_key_without_encryption_says_what_to_set(tmp_path, capsys):
    start(tmp_path / "var").registry._zodb_databases[""].close()
    result = run_cong(capsys, write_ini(tmp_path), "rotate-key")
    assert result.status == 2
    assert "Encryption at rest is off" in result.err


@pytest.mark.parametrize("size", [0, 1, 65_535, 65_536, 65_537, 200_001])
def test_an_encrypted_file_reads_back_whole_and_from_anywhere(tmp_path, size):
    cipher = Cipher(parse_keys(new_key_line(5), "test"))
    data = os.urandom(size)
    (tmp_path / "plain").write_bytes(data)
    seal(cipher, str(tmp_path / "plain"), str(tmp_path / "sealed"))
    assert key_id(str(tmp_path / "sealed")) == 5
    assert plain_size(str(tmp_path / "sealed")) == size
    with SealedReader(cipher, str(tmp_path / "sealed")) as reader:
        assert reader.read() == data
        reader.seek(size // 3)
        assert reader.read(70_000) == data[size // 3 : size // 3 + 70_000]
    seal(cipher, str(tmp_path / "sealed"), str(tmp_path / "again"))  # not encrypted twice
    assert SealedReader(cipher, str(tmp_path / "again")).readall() == data


def test_an_encrypted_file_cut_short_or_altered_is_refused(tmp_path):
    cipher = Cipher(parse_keys(new_key_line(5), "test"))
    (tmp_path / "plain").write_bytes(ATTACHMENT)
    seal(cipher, str(tmp_path / "plain"), str(tmp_path / "sealed"))
    stored = (tmp_path / "sealed").read_bytes()
    chunk = 65_536 + 16
    cut = stored[: len(stored) - (len(stored) - 14) % chunk]  # whole chunks only
    altered = stored[:100] + bytes([stored[100] ^ 1]) + stored[101:]
    for name, damaged in (("cut", cut), ("altered", altered)):
        (tmp_path / name).write_bytes(damaged)
        with pytest.raises(DecryptionError, match="does not decrypt"):
            SealedReader(cipher, str(tmp_path / name)).read()
