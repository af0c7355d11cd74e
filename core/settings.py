"""Reading the ini settings the kernel understands (all prefixed ``cong.``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from pyramid.settings import asbool, aslist

DEFAULT_ADMIN_PASSWORD = "admin"
#: Pixels (width × height) an uploaded image may have, unless ``cong.max_image_pixels``
#: says otherwise: a 48-megapixel phone photo passes; decoded, one takes ~200 MB.
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000
#: Megabytes and data rows an imported file may have (CSV, Excel, JSON: see
#: :mod:`core.tabular`), unless ``cong.import_max_mb`` and ``cong.import_max_rows`` say.
DEFAULT_IMPORT_MAX_MB = 50
DEFAULT_IMPORT_MAX_ROWS = 10_000


class SettingsError(ValueError):
    """A setting that stops start-up; the message says what to change."""


@dataclass(frozen=True)
class Settings:
    data_dir: str
    production: bool
    plugins: tuple[str, ...]
    theme: str
    max_upload_mb: int
    initial_admin_password: str
    secret: str
    auto_evolve: bool
    storage_uri: str = ""
    page_cache_entries: int = 2000
    basic_auth_require_https: bool = False
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
    hsts_max_age: int = 0
    max_copy_sources: int = 100
    import_max_mb: int = DEFAULT_IMPORT_MAX_MB
    import_max_rows: int = DEFAULT_IMPORT_MAX_ROWS
    encryption_key_file: str = ""
    encryption_key_env: str = ""

    @property
    def zodb_uri(self) -> str:
        """``cong.zodb_uri`` when set (e.g. ``zeo://127.0.0.1:8100`` to share one
        database between the server, the CLI and an indexer), else FileStorage
        with blobs in the data folder."""
        if self.storage_uri:
            return self.storage_uri
        return (
            f"file://{self.data_dir}/Data.fs?blobstorage_dir={self.data_dir}/blobs"
            "&connection_cache_size=20000"
        )


def read_settings(settings: dict) -> Settings:
    """Parse and check the ``cong.*`` settings; raise SettingsError if unusable."""
    here = settings.get("here", os.getcwd())
    data_dir = os.environ.get("CONG_DATA_DIR") or settings.get("cong.data_dir") or f"{here}/var"
    production = asbool(settings.get("cong.production", False))
    password = settings.get("cong.initial_admin_password", "")
    if production and password in ("", DEFAULT_ADMIN_PASSWORD):
        raise SettingsError(
            "cong.initial_admin_password is the default 'admin' (or empty): set a strong "
            "password in production.ini before starting in production."
        )
    max_upload = _whole_number(settings, "cong.max_upload_mb", 50)
    return Settings(
        data_dir=os.path.abspath(data_dir),
        production=production,
        plugins=tuple(aslist(settings.get("cong.plugins", ""))),
        theme=settings.get("cong.theme", "default").strip() or "default",
        max_upload_mb=max_upload,
        initial_admin_password=password or DEFAULT_ADMIN_PASSWORD,
        secret=settings.get("cong.secret", ""),
        auto_evolve=asbool(settings.get("cong.auto_evolve", not production)),
        storage_uri=settings.get("cong.zodb_uri", "").strip(),
        page_cache_entries=_whole_number(settings, "cong.page_cache_entries", 2000),
        basic_auth_require_https=asbool(settings.get("cong.basic_auth_require_https", production)),
        max_image_pixels=_whole_number(settings, "cong.max_image_pixels", DEFAULT_MAX_IMAGE_PIXELS),
        hsts_max_age=_whole_number(settings, "cong.hsts_max_age", 0),
        max_copy_sources=_whole_number(settings, "cong.max_copy_sources", 100),
        import_max_mb=_whole_number(settings, "cong.import_max_mb", DEFAULT_IMPORT_MAX_MB),
        import_max_rows=_whole_number(settings, "cong.import_max_rows", DEFAULT_IMPORT_MAX_ROWS),
        encryption_key_file=settings.get("cong.encryption_key_file", "").strip(),
        encryption_key_env=settings.get("cong.encryption_key_env", "").strip(),
    )


def _whole_number(settings: dict, name: str, default: int) -> int:
    try:
        value = int(settings.get(name, default))
    except (TypeError, ValueError):
        raise SettingsError(f"{name} must be a whole number") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative")
    return value
