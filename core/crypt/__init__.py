"""Encryption at rest: the database's records encrypted with AES-GCM through a ZODB
storage wrapper, keys from a key file or an environment variable (never from the
database), and ``cong rotate-key``. Off unless ``cong.encryption_key_file`` or
``cong.encryption_key_env`` is set."""
