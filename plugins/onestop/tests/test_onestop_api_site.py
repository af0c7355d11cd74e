"""The one-stop API at the site: the national portal's intake with a connector
made by ``cong onestop connector``, the citizen's look-up and its rate limit,
the processes Managers edit in JSON."""

from __future__ import annotations

import contextlib
import io

import pytest

from core.cli.main import main as cong
from core.testing import write_ini
from plugins.onestop.registry import find_dossier
from plugins.onestop.tests.api_client import b64, make_province, served, submission
from plugins.onestop.tests.onestop_setup import APPLICANT, PDF, PLUGINS

LOOKUPS = 5


def run(ini, *args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cong(["-c", str(ini), *args])
    assert "Traceback" not in err.getvalue()
    return status, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The province, a connector made and one revoked on the command line, its
    token, and the application served."""
    folder = tmp_path_factory.mktemp("site")
    settings = {"cong.onestop.lookup_per_minute": str(LOOKUPS)}
    paths = make_province(folder / "var", **settings)
    ini = write_ini(folder, cong_plugins=PLUGINS)
    status, out = run(ini, "onestop", "connector", "add", "dvc", "--unit", "10001")
    assert status == 0, out
    token = out.strip().splitlines()[-1]
    assert run(ini, "onestop", "connector", "add", "cu", "--unit", "10001")[0] == 0
    assert run(ini, "onestop", "connector", "revoke", "cu") == (0, "Connector cu revoked.\n")
    status, out = run(ini, "onestop", "connector", "list")
    assert status == 0 and out.startswith("dvc\t10001\t") and "cu" not in out
    assert token not in (folder / "var" / "Data.fs").read_bytes().decode("latin-1")
    status, out = run(ini, "onestop", "connector", "add", "x", "--unit", "99999")
    assert status != 0 and "99999" in out
    with served(folder / "var", paths, **settings) as province:
        province.connector_token = token
        yield province


def national(code="G22.99-250701-0001", **changes) -> dict:
    body = {
        "MaHoSo": code,
        "MaTTHC": "1.000005",
        "MaLinhVuc": "xay-dung",
        "KenhThucHien": 2,
        "ChuHoSo": APPLICANT["full_name"],
        "LoaiDoiTuong": 1,
        "DinhDanhCHS": [{"LoaiDinhDanh": 1, "SoDinhDanh": APPLICANT["id_number"]}],
        "NgayNopHoSo": "20260302083000",
        "NoiNopHoSo": "10002",
        "HinhThuc": 1,
        "ThuDienTu": APPLICANT["email"],
        "SoDienThoai": APPLICANT["phone"],
        "DiaChi": APPLICANT["address"],
        "TaiLieuNop": [
            {"TenThanhPhan": "Đơn đề nghị", "TepDinhKem": b64(PDF), "TenTep": "don.pdf"},
            {"MaThanhPhanHoSo": "Bản vẽ", "TepDinhKem": b64(PDF), "TenTep": "ban-ve.pdf"},
        ],
    }
    body.update(changes)
    return body


def send(site, body, status, token=None):
    token = site.connector_token if token is None else token
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return site.web.post_json("/@national-dossiers", body, headers=headers, status=status)


def test_a_national_dossier_is_kept_once_under_its_ma_ho_so(site):
    created = send(site, national(), 201).json
    assert created["code"] == created["MaHoSo"] == "G22.99-250701-0001"
    assert created["status_code"] == 1
    with site.model() as model:
        dossier = find_dossier(model.site, created["code"])
        assert dossier.channel == "national" and dossier.receiving_unit == "10002"
        assert dossier.processing_unit == "20001" and dossier.return_method == "post"
        assert dossier.submitted.isoformat().startswith("2026-03-02T01:30")  # 8:30 in Hà Nội
        assert [d.filename for d in dossier.documents] == ["don.pdf", "ban-ve.pdf"]
        history = len(dossier.history)
    # the same again (keys in another order): the dossier kept, 200
    again = send(site, dict(reversed(list(national().items()))), 200).json
    assert again["code"] == created["code"]
    # the same MaHoSo, other contents: 409, nothing changed
    refused = send(site, national(ChuHoSo="Trần Văn Bình"), 409).json
    assert refused["type"] == "Conflict" and "G22.99-250701-0001" in refused["message"]
    with site.model() as model:
        dossier = find_dossier(model.site, created["code"])
        assert dossier.applicant.full_name == APPLICANT["full_name"]
        assert len(dossier.history) == history
    assert created["@id"].endswith("/mot-cua/G22.99-250701-0001")


@pytest.mark.parametrize(
    "token",
    ["", "dvc.wrong", "cu.anything", "not-a-token"],
    ids=["none", "wrong", "revoked", "bad"],
)
def test_without_a_connector_s_token_nothing_is_taken(site, token):
    answer = send(site, national("G22.99-250701-0900"), 401, token=token or "")
    assert answer.json["type"] == "Unauthorized"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    with site.model() as model:
        assert find_dossier(model.site, "G22.99-250701-0900") is None


BAD_NATIONAL = [
    ("no code", dict(MaHoSo=""), "MaHoSo"),
    ("bad code", dict(MaHoSo="a b"), "MaHoSo"),
    ("bad date", dict(NgayNopHoSo="2026-03-02"), "NgayNopHoSo"),
    ("bad identifier", dict(DinhDanhCHS=[{"LoaiDinhDanh": 1, "SoDinhDanh": "12"}]), "DinhDanhCHS.SoDinhDanh"),
    ("no identifier", dict(DinhDanhCHS=[]), "DinhDanhCHS"),
    ("unknown procedure", dict(MaTTHC="9.9"), "service"),
    ("not online", dict(MaTTHC="1.000008"), "service"),
    ("component missing", dict(TaiLieuNop=[]), "Đơn đề nghị"),
    ("bad file", dict(TaiLieuNop=[{"TenThanhPhan": "Đơn đề nghị", "TepDinhKem": "???"}]), "TaiLieuNop.0"),
    ("return method", dict(HinhThuc=7), "HinhThuc"),
]  # fmt: skip


@pytest.mark.parametrize(
    "change, field", [b[1:] for b in BAD_NATIONAL], ids=[b[0] for b in BAD_NATIONAL]
)
def test_a_national_dossier_that_cannot_be_read_is_refused(site, change, field):
    body = national("G22.99-250701-0777", **change)
    answer = send(site, body, 400).json
    assert field in {e["field"] for e in answer["errors"]}, answer
    with site.model() as model:
        assert find_dossier(model.site, "G22.99-250701-0777") is None


def test_lookup_answers_the_applicant_and_nothing_else(site):
    created = site.post(f"{site.paths['20001']}/@dossiers", submission(), "tiepnhan3", 201).json
    web = site.web
    env = {"REMOTE_ADDR": "10.0.0.1"}
    found = web.get(
        f"{site.paths['10001']}/@lookup",
        {"code": created["code"], "id_number": APPLICANT["id_number"]},
        headers={"Accept": "application/json"},
        extra_environ=env,
    )
    assert found.json["status_code"] == 2 and found.json["due_date"]
    assert found.headers["Cache-Control"].startswith(("no-store", "private"))
    wrong = [
        {"code": created["code"], "id_number": "001190099999"},
        {"code": "20001-000000-0001", "id_number": APPLICANT["id_number"]},
        {"code": created["code"]},
        {"code": [created["code"], "x"], "id_number": APPLICANT["id_number"]},
    ]
    for query in wrong:
        miss = web.get(
            "/@lookup", query, headers={"Accept": "application/json"}, extra_environ=env, status=404
        )
        assert miss.json == {"type": "NotFound", "message": "Không tìm thấy hồ sơ."}
    # the limit is per address: this one has had its five, another has not
    over = web.get("/@lookup", wrong[0], headers={"Accept": "application/json"},
                   extra_environ=env, status=429)  # fmt: skip
    assert int(over.headers["Retry-After"]) >= 1 and over.json["type"] == "TooManyRequests"
    web.get("/@lookup", wrong[0], headers={"Accept": "application/json"},
            extra_environ={"REMOTE_ADDR": "10.0.0.2"}, status=404)  # fmt: skip


STEPS = [
    {"name": "receive", "title": "Tiếp nhận", "role": "Receptionist", "unit": "receiving", "amount": 0},
    {"name": "check", "title": "Kiểm tra", "role": "Specialist", "unit": "processing", "amount": 4, "unit_of_time": "hours"},
    {"name": "process", "title": "Xử lý", "role": "Specialist", "unit": "processing"},
    {"name": "approve", "title": "Phê duyệt", "role": "Leader", "unit": "processing", "amount": 1},
    {"name": "return", "title": "Trả kết quả", "role": "Receptionist", "unit": "receiving", "amount": 0},
]  # fmt: skip


def test_a_new_process_version_leaves_running_dossiers_as_they_were(site):
    url = "/@onestop-process/1.000005"
    site.get(url, None, 401)
    site.get(url, "tiepnhan3", 403)
    site.get("/@onestop-process/9.9", "admin", 404)
    first = site.get(url, "admin").json
    assert first["version"] == 0 and first["anywhere"] is True and first["versions"] == []
    running = site.post(f"{site.paths['20001']}/@dossiers", submission(), "tiepnhan3", 201).json
    steps_before = [s["name"] for s in site.get(running["@id"], "tiepnhan3").json["steps"]]

    headers = site.headers("admin")
    bad = site.web.put_json(
        url, {"steps": [{**STEPS[0], "role": "Clerk"}]}, headers=headers, status=400
    )
    assert "steps.0.role" in {e["field"] for e in bad.json["errors"]}
    assert site.get(url, "admin").json["version"] == 0
    body = {"anywhere": True, "processing_unit": "20001", "steps": STEPS}
    changed = site.web.put_json(url, body, headers=headers).json
    assert changed["version"] == 1 and [s["name"] for s in changed["steps"]][1] == "check"
    assert site.web.put_json(url, body, headers=headers).json["version"] == 1  # the same: none
    shorter = site.web.put_json(url, {**body, "steps": STEPS[:1] + STEPS[2:]}, headers=headers).json
    assert shorter["version"] == 2 and [v["number"] for v in shorter["versions"]] == [1, 2]
    assert shorter["versions"][0]["author"] == "admin"

    # the running dossier keeps its steps; a new one follows version 2
    assert [s["name"] for s in site.get(running["@id"], "tiepnhan3").json["steps"]] == steps_before
    new = site.post(f"{site.paths['20001']}/@dossiers", submission(), "tiepnhan3", 201).json
    whole = site.get(new["@id"], "tiepnhan3").json
    assert whole["process_version"] == 2
    assert [s["name"] for s in whole["steps"]] == ["receive", "process", "approve", "return"]
