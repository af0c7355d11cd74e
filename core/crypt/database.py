"""Opening the site's database, its records encrypted when a key is configured.

``includeme`` takes the place of pyramid_zodbconn's own: it opens the databases of
the ``zodbconn.uri`` settings through :func:`open_db`, which wraps the storage in
:class:`core.crypt.storage.EncryptedStorage` when ``cong.encryption_key_file`` or
``cong.encryption_key_env`` is set. Without a key, a database whose records are
encrypted is refused at start-up; with a wrong key too; with the key, a database
written before encryption was turned on opens, and its root record is encrypted
at once (so that starting it later without the key is refused). Over ZEO
(``zeo://``) the client encrypts: records and blob files cross the socket and sit in
the client's caches encrypted, and the server (``cong zeo``) stores them as they come.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

import pyramid_zodbconn
import transaction
import zodburi
from ZODB import DB
from ZODB.POSException import POSKeyError
from ZODB.utils import z64

from core.crypt.keys import read_keyring
from core.crypt.records import Cipher, DecryptionError, is_encrypted
from core.crypt.storage import EncryptedStorage
from core.settings import Settings, SettingsError

#: The ``cong.zodb_uri`` schemes whose records and blob files can be encrypted: a
#: FileStorage, and a ZEO server whose clients encrypt (the server packs with the
#: keys: :class:`core.crypt.storage.ServerEncryptedStorage`).
ENCRYPTING_SCHEMES = ("file", "zeo")
ENCRYPTED_WITHOUT_KEY = (
    "the database is encrypted: set cong.encryption_key_file or cong.encryption_key_env to its key"
)


def includeme(config) -> None:
    """Open the databases of the settings (pyramid_zodbconn's ``includeme``)."""
    cong = config.registry.settings["cong"]
    opener = partial(_db_from_uri, cipher_of(cong))
    pyramid_zodbconn.includeme(config, db_from_uri=opener)


def cipher_of(cong: Settings) -> Cipher | None:
    """The cipher of the keys the settings name, or None (encryption off)."""
    keyring = read_keyring(cong.encryption_key_file, cong.encryption_key_env)
    if keyring is None:
        return None
    scheme = urlsplit(cong.zodb_uri).scheme
    if scheme not in ENCRYPTING_SCHEMES:
        raise SettingsError(
            "encryption at rest (cong.encryption_key_file, cong.encryption_key_env) works "
            "with a FileStorage database (file://) or a ZEO server (zeo://, run with "
            f"cong zeo) only, not with cong.zodb_uri {scheme}://"
        )
    return Cipher(keyring)


def check_keys(base, cipher: Cipher | None) -> bytes | None:
    """The stored (raw) root record of ``base`` (the storage under any wrapper),
    None for a new database; a :class:`SettingsError` when the database is encrypted
    and ``cipher`` is None, or when ``cipher`` does not decrypt it."""
    try:
        raw, _serial = base.load(z64)
    except POSKeyError:
        return None
    if cipher is None and is_encrypted(raw):
        raise SettingsError(ENCRYPTED_WITHOUT_KEY)
    if cipher is not None:
        try:
            cipher.decrypt(raw)
        except DecryptionError as exc:
            raise SettingsError(f"the encryption key does not open the database: {exc}") from None
    return raw


def open_db(uri: str, cipher: Cipher | None, **kw) -> DB:
    """The database at ``uri``, its records encrypted with ``cipher`` (None: plain);
    a :class:`SettingsError` when the keys do not fit the database."""
    storage_factory, dbkw = zodburi.resolve_uri(uri)
    dbkw.update(kw)
    storage = storage_factory()
    try:
        root = check_keys(storage, cipher)
        if cipher is not None:
            storage = EncryptedStorage(storage, cipher)
    except BaseException:
        storage.close()
        raise
    db = DB(storage, **dbkw)
    if cipher is not None and root is not None and not storage.isReadOnly():
        _seal_root(db, storage)
    return db


def _db_from_uri(cipher, uri, dbname, dbmap) -> DB:
    return open_db(uri, cipher, database_name=dbname, databases=dbmap)


def _seal_root(db: DB, storage: EncryptedStorage) -> None:
    """Rewrite a plain root record encrypted (a database encrypted from now on)."""
    raw, _serial = storage.base.load(z64)
    if is_encrypted(raw):
        return
    manager = transaction.TransactionManager()
    conn = db.open(transaction_manager=manager)
    try:
        manager.begin()
        conn.root()._p_changed = True
        manager.get().note("encryption at rest turned on")
        manager.commit()
    finally:
        conn.close()
