"""Settings: the data folder, production safety."""

import os
from pathlib import Path

import pytest
from pyramid.paster import get_appsettings

from core.settings import SettingsError, read_settings

ROOT = Path(__file__).parent.parent.parent


def test_data_dir_defaults_to_var_beside_the_ini():
    settings = read_settings({"here": "/srv/cong"})
    assert settings.data_dir == "/srv/cong/var"
    assert settings.zodb_uri.startswith(
        "file:///srv/cong/var/Data.fs?blobstorage_dir=/srv/cong/var/blobs"
    )


def test_environment_overrides_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("CONG_DATA_DIR", str(tmp_path))
    assert read_settings({"here": "/srv/cong", "cong.data_dir": "/x"}).data_dir == str(tmp_path)


def test_a_zeo_uri_replaces_the_file_storage():
    settings = read_settings({"cong.zodb_uri": "zeo://127.0.0.1:8100"})
    assert settings.zodb_uri == "zeo://127.0.0.1:8100"


def test_production_ini_refuses_to_start_with_the_default_admin_password(monkeypatch, tmp_path):
    monkeypatch.setenv("CONG_DATA_DIR", str(tmp_path))
    settings = get_appsettings(str(ROOT / "production.ini"))
    with pytest.raises(SettingsError, match="initial_admin_password"):
        read_settings(settings)
    from core import main

    with pytest.raises(SettingsError):
        main({}, **settings)
    assert not os.path.exists(tmp_path / "Data.fs")  # refused before creating anything


@pytest.mark.parametrize("weak", ["matkhau123456", "Quantri-2025-hethong"])
def test_production_refuses_a_weak_initial_admin_password_then_takes_a_strong_one(tmp_path, weak):
    from core import main
    from core.testing import SiteAccess, make_settings

    settings = make_settings(tmp_path, **{"cong.production": "true"})
    with pytest.raises(SettingsError, match="password policy"):
        main({}, **{**settings, "cong.initial_admin_password": weak})
    strong = "Tram-bon-muoi-bay-hoa-sen"
    app = main({}, **{**settings, "cong.initial_admin_password": strong})
    try:
        with SiteAccess(app) as site:
            assert site.principals.get_user("admin").check_password(strong)
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()


def test_development_ini_starts_with_the_documented_default(monkeypatch, tmp_path):
    monkeypatch.setenv("CONG_DATA_DIR", str(tmp_path))
    settings = read_settings(get_appsettings(str(ROOT / "development.ini")))
    assert settings.initial_admin_password == "admin" and not settings.production


def test_upload_limit_must_be_a_number():
    with pytest.raises(SettingsError):
        read_settings({"cong.max_upload_mb": "lots"})
