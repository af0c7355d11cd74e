"""``cong subsite ...`` run in-process on a real FileStorage: add, list, import a
CSV file (bad rows, idempotence), import the real units of a province, plugins."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import webtest

from core import main as make_wsgi_app
from core.testing import make_settings, run_cong, stored_site, write_ini

CSV = (
    "title,unit_kind,code,parent_code,hostnames,address,phone,email\n"
    "UBND huyện Tân Lập,other,700,,tanlap.songlam.gov.vn,,,\n"
    'UBND xã Tân Phú,commune,25747,700,"tanphu.songlam.gov.vn www.tanphu.gov.vn",'
    "Ấp 3,0251 3861 234,ubnd@tanphu.gov.vn\n"
)


@pytest.fixture
def ini(tmp_path) -> Path:
    return write_ini(tmp_path, cong_plugins="news search")


def write_csv(tmp_path: Path, text: str, bom: bool = False) -> Path:
    path = tmp_path / "units.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def subsites(data_dir: Path) -> dict[str, tuple]:
    """name -> (title, code, hostnames, children) of the stored subsites."""
    with stored_site(data_dir) as site:
        return {
            name: (obj.title, obj.code, obj.hostnames, tuple(obj.keys()))
            for name, obj in site.items()
            if obj.type_name == "Subsite"
        }


def test_add_creates_a_subsite_with_its_structure(capsys, ini, tmp_path):
    result = run_cong(
        capsys,
        ini,
        "subsite", "add", "--title", "UBND xã Tân Phú", "--kind", "commune",
        "--code", "25747", "--host", "tanphu.songlam.gov.vn",
    )  # fmt: skip
    assert result.status == 0, result.err
    assert "/ubnd-xa-tan-phu" in result.out and "tanphu.songlam.gov.vn" in result.out
    assert subsites(tmp_path / "var") == {
        "ubnd-xa-tan-phu": (
            "UBND xã Tân Phú",
            "25747",
            ("tanphu.songlam.gov.vn",),
            ("gioi-thieu", "tin-tuc", "thong-bao", "su-kien", "lien-he"),
        )
    }


def test_add_refuses_bad_values_by_field(capsys, ini, tmp_path):
    result = run_cong(
        capsys, ini, "subsite", "add", "--title", "Xã", "--kind", "thon", "--code", "12a"
    )
    assert result.status == 2
    assert "unit_kind:" in result.err and "code:" in result.err
    assert subsites(tmp_path / "var") == {}


def test_import_with_bad_rows_lists_each_line_and_creates_nothing(capsys, ini, tmp_path):
    bad = CSV + "Xã trùng mã,commune,25747,,,,,\n" + "Xã sai loại,thon,25748,,,,,\n"
    result = run_cong(capsys, ini, "subsite", "import", str(write_csv(tmp_path, bad)))
    assert result.status == 2
    lines = result.err.splitlines()
    duplicate = next(line for line in lines if "line 4 (code)" in line)
    assert "25747" in duplicate and "line 3" in duplicate
    assert "line 5 (unit_kind)" in result.err
    assert "Nothing was imported: 2 bad line(s)" in result.err
    assert subsites(tmp_path / "var") == {}


def test_import_is_idempotent_and_updates_by_code(capsys, ini, tmp_path):
    path = write_csv(tmp_path, CSV, bom=True)
    first = run_cong(capsys, ini, "subsite", "import", str(path))
    assert first.status == 0, first.err
    assert "2 subsite(s) added, 0 updated, 0 unchanged" in first.out
    assert "2/2" in first.err  # the progress bar
    again = run_cong(capsys, ini, "subsite", "import", str(path))
    assert "0 subsite(s) added, 0 updated, 2 unchanged" in again.out
    write_csv(tmp_path, CSV.replace("UBND xã Tân Phú", "UBND xã Tân Phú Mới"))
    changed = run_cong(capsys, ini, "subsite", "import", str(path))
    assert "0 subsite(s) added, 1 updated, 1 unchanged" in changed.out
    stored = subsites(tmp_path / "var")
    assert sorted(stored) == ["ubnd-huyen-tan-lap", "ubnd-xa-tan-phu"]
    assert stored["ubnd-xa-tan-phu"][0] == "UBND xã Tân Phú Mới"


def test_a_dry_run_counts_and_stores_nothing(capsys, ini, tmp_path):
    path = write_csv(tmp_path, CSV)
    dry = run_cong(capsys, ini, "subsite", "import", str(path), "--dry-run")
    assert dry.status == 0, dry.err
    assert dry.out.strip() == (
        "Checked, nothing stored: would have 2 subsite(s) added, 0 updated, 0 unchanged."
    )
    assert subsites(tmp_path / "var") == {}


def test_import_reads_an_excel_workbook(capsys, ini, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for line in CSV.splitlines():
        book.active.append(next(csv.reader([line])))
    path = tmp_path / "units.xlsx"
    book.save(path)
    result = run_cong(capsys, ini, "subsite", "import", str(path))
    assert result.status == 0, result.err
    assert "2 subsite(s) added" in result.out
    assert subsites(tmp_path / "var")["ubnd-xa-tan-phu"][2] == (
        "tanphu.songlam.gov.vn",
        "www.tanphu.gov.vn",
    )


def test_a_file_over_the_size_limit_is_refused_unread(capsys, ini, tmp_path):
    ini.write_text(ini.read_text() + "cong.import_max_mb = 1\n")
    rows = "".join(f"Xã {n},commune,{n:05d},,,,,\n" for n in range(60_000))
    path = write_csv(tmp_path, CSV + rows)
    result = run_cong(capsys, ini, "subsite", "import", str(path))
    assert result.status == 2
    assert f"{path}, line 1: The file is too large: at most 1 MB." in result.err
    assert subsites(tmp_path / "var") == {}


def test_import_of_a_missing_or_unreadable_file_says_so(capsys, ini, tmp_path):
    missing = run_cong(capsys, ini, "subsite", "import", str(tmp_path / "none.csv"))
    assert missing.status == 2 and "cannot be read" in missing.err
    path = write_csv(tmp_path, "name,kind\nA,b\n")
    bad = run_cong(capsys, ini, "subsite", "import", str(path))
    assert bad.status == 2 and "line 1" in bad.err and "name" in bad.err


def test_import_units_creates_the_real_communes_of_a_province(capsys, ini, tmp_path):
    args = ("subsite", "import-units", "--province", "12", "--hosts-domain", "gov.vn")
    result = run_cong(capsys, ini, *args)
    assert result.status == 0, result.err
    assert "38 subsite(s) added" in result.out
    again = run_cong(capsys, ini, *args)
    assert "0 subsite(s) added, 0 updated, 38 unchanged" in again.out
    stored = subsites(tmp_path / "var")
    assert len(stored) == 38
    assert stored["phuong-doan-ket"][:3] == (
        "Phường Đoàn Kết",
        "03388",
        ("doanket.laichau.gov.vn",),
    )
    listing = run_cong(capsys, ini, "subsite", "list", "--kind", "commune")
    assert "03388  commune  Phường Đoàn Kết" in listing.out
    assert "38 subsite(s)." in listing.out
    with _web(tmp_path / "var") as app:
        page = app.get("/", headers={"Host": "doanket.laichau.gov.vn"})
        assert "Phường Đoàn Kết" in page.text


def test_import_units_of_an_unknown_province_lists_the_provinces(capsys, ini, tmp_path):
    result = run_cong(capsys, ini, "subsite", "import-units", "--province", "99")
    assert result.status == 2
    assert "Unknown province code '99'" in result.err and "12 Lai Châu" in result.err


def test_plugins_shows_enables_and_disables(capsys, ini, tmp_path):
    run_cong(capsys, ini, "subsite", "add", "--title", "Sở Y tế", "--kind", "department")
    shown = run_cong(capsys, ini, "subsite", "plugins", "/so-y-te")
    assert "Plugins enabled on /so-y-te: news, search." in shown.out
    off = run_cong(capsys, ini, "subsite", "plugins", "/so-y-te", "--disable", "news")
    assert "Plugins enabled on /so-y-te: search." in off.out
    on = run_cong(capsys, ini, "subsite", "plugins", "/so-y-te", "--enable", "news")
    assert "news, search" in on.out
    unknown = run_cong(capsys, ini, "subsite", "plugins", "/so-y-te", "--enable", "nope")
    assert unknown.status == 2 and "nope" in unknown.err
    nowhere = run_cong(capsys, ini, "subsite", "plugins", "/khong-co")
    assert nowhere.status == 2 and "There is no subsite at /khong-co" in nowhere.err


class _web:
    """A WebTest client on the stored site (the CLI's database, reopened)."""

    def __init__(self, data_dir: Path):
        self.app = make_wsgi_app({}, **make_settings(data_dir))

    def __enter__(self):
        return webtest.TestApp(self.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})

    def __exit__(self, *exc):
        for db in self.app.registry._zodb_databases.values():
            db.close()
