"""The audit log: what is recorded, that tampering shows, retention, and the
Managers' page and API (:mod:`core.audit`)."""

import json
from datetime import UTC, datetime

import pytest
import webtest

from core import audit
from core import operations as ops
from core.audit.store import GENESIS, AuditLog
from core.cli.audit import purge
from core.localroles import set_local_roles
from core.testing import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    ModelRequest,
    SiteAccess,
    login,
    main,
    make_settings,
    run_cong,
    write_ini,
)
from core.workflow import workflow_of

ADDRESS = "203.0.113.7"


def entry(moment: str, action: str = "test", target: str = "") -> dict:
    return {"time": moment, "user": "admin", "address": "", "action": action,
            "target": target, "details": {}}  # fmt: skip


def lines(log: AuditLog) -> list[dict]:
    return [json.loads(line) for m in log.months() for line in open(log.path(m), "rb")]


# The files -------------------------------------------------------------------------


def test_records_chain_across_months_and_verify(tmp_path):
    log = AuditLog(str(tmp_path), fsync=False)
    log.append(entry("2026-01-31T23:59:59.000000Z"))
    log.append(entry("2026-02-01T00:00:00.000000Z"))
    log.append(entry("2026-02-02T00:00:00.000000Z"))
    assert log.months() == ["2026-01", "2026-02"]
    first, second, third = lines(log)
    assert first["prev"] == GENESIS
    assert second["prev"] == first["hash"] and third["prev"] == second["hash"]
    assert log.verify() == (3, None)


def test_a_changed_or_removed_line_is_found(tmp_path):
    log = AuditLog(str(tmp_path), fsync=False)
    for day in range(1, 5):
        log.append(entry(f"2026-03-0{day}T08:00:00.000000Z", target=f"/muc-{day}"))
    path = log.path("2026-03")
    original = open(path, encoding="utf-8").read()
    open(path, "w", encoding="utf-8").write(original.replace("/muc-3", "/muc-x"))
    count, problem = log.verify()
    assert (count, problem.filename, problem.line) == (2, "audit-2026-03.jsonl", 3)
    kept = original.splitlines(keepends=True)
    open(path, "w", encoding="utf-8").write("".join(kept[:1] + kept[2:]))
    assert log.verify()[1].line == 2


def test_purge_removes_whole_old_months_and_the_chain_still_verifies(tmp_path):
    log = AuditLog(str(tmp_path), fsync=False)
    for month in ("2020-01", "2020-02", "2026-05"):
        log.append(entry(f"{month}-10T00:00:00.000000Z"))
    moment = datetime(2026, 5, 20, tzinfo=UTC)
    said = purge(log, 365 * 6, moment)  # keeps from 2020-05
    assert "2020-01, 2020-02" in said
    assert log.months() == ["2026-05"]
    kept, purged = lines(log)
    assert purged["action"] == "audit.purge" and purged["details"]["months"] == [
        "2020-01",
        "2020-02",
    ]
    assert log.verify() == (2, None)
    assert "Nothing to remove" in purge(log, 365 * 6, moment)


# Recorded by the site --------------------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    application = main({}, **make_settings(tmp_path_factory.mktemp("audit") / "var"))
    with SiteAccess(application) as site:
        site.principals.add_user("bientap", USER_PASSWORD).roles.add("Editor")
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture
def client(app):
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": ADDRESS})


def last(app, action: str) -> dict:
    for record in lines(app.registry.cong_audit)[::-1]:
        if record["action"] == action:
            return record
    raise AssertionError(f"no {action} recorded")


def test_logins_and_failures_are_recorded_with_the_address_and_no_password(app, client):
    login(client, "bientap")
    record = last(app, "login")
    assert (record["user"], record["target"], record["address"]) == ("bientap", "bientap", ADDRESS)
    client.post_json("/@login", {"login": "bientap", "password": "sai-mat-khau-1"}, status=401)
    failed = last(app, "login.failed")  # written though the API's request aborted
    assert (failed["user"], failed["target"], failed["address"]) == (
        "anonymous",
        "bientap",
        ADDRESS,
    )
    client.post_json("/@login", {"login": "khong-co-ai", "password": "sai-mat-khau-2"}, status=401)
    assert last(app, "login.failed")["target"] == ""  # a made-up name is not kept
    log = app.registry.cong_audit
    text = "".join(open(log.path(m), encoding="utf-8").read() for m in log.months())
    for secret in (
        USER_PASSWORD,
        ADMIN_PASSWORD,
        "sai-mat-khau-1",
        "sai-mat-khau-2",
        "khong-co-ai",
    ):
        assert secret not in text


def test_a_transition_and_a_sharing_change_are_recorded_after_commit_only(app):
    model = ModelRequest(app)
    try:
        page = ops.create(model.request, model.site, "Page", {"title": "Thông báo"})
        model.commit()
        before = len(lines(app.registry.cong_audit))
        workflow_of(model.request, page).transition(model.request, page, "publish")
        set_local_roles(model.request, page, "bientap", ["Editor"])
        model.request.tm.abort()  # aborted: nothing written
        model.request.tm.begin()
        assert len(lines(app.registry.cong_audit)) == before
        page = model.site[page.__name__]
        workflow_of(model.request, page).transition(model.request, page, "publish")
        set_local_roles(model.request, page, "bientap", ["Editor"])
        model.commit()
    finally:
        model.close()
    moved, shared = last(app, "workflow"), last(app, "sharing")
    assert (moved["user"], moved["target"], moved["details"]["to"]) == (
        "admin",
        f"/{page.__name__}",
        "published",
    )
    assert shared["details"] == {"principal": "bientap", "roles": ["Editor"]}
    assert app.registry.cong_audit.verify()[1] is None


def test_managers_search_and_export_and_the_export_is_recorded(app, client):
    login(client)
    client.post_json("/@login", {"login": "bientap", "password": "sai-mat-khau-3"}, status=401)
    page = client.get("/@@nhat-ky-he-thong", {"action": "login", "user": "anonymous"})
    assert "login.failed" in page.text and "Tìm thấy" in page.text
    found = client.get("/@audit", {"action": "login.failed", "target": "bient"},
                       headers={"Accept": "application/json"}).json  # fmt: skip
    assert found["items"] and all(r["action"] == "login.failed" for r in found["items"])
    assert found["items"][0]["address"] == ADDRESS and found["truncated"] is False
    today = datetime.now(UTC).date()
    later = client.get("/@audit", {"from": f"{today.year + 1}-01-01"},
                       headers={"Accept": "application/json"}).json  # fmt: skip
    assert later["items_total"] == 0
    client.get("/@audit", {"from": "hom-qua"}, headers={"Accept": "application/json"}, status=400)
    csv = client.get("/@@nhat-ky-he-thong", {"action": "login", "format": "csv"})
    assert csv.content_type == "text/csv" and "login.failed" in csv.text
    assert last(app, "audit.export")["details"]["format"] == "csv"


def test_others_may_not_read_the_log(app, client):
    login(client, "bientap")
    client.get("/@@nhat-ky-he-thong", status=403)
    client.get("/@audit", headers={"Accept": "application/json"}, status=403)
    webtest.TestApp(app).get("/@audit", headers={"Accept": "application/json"}, status=401)


# The command line ------------------------------------------------------------------


def test_cong_audit_verify_names_the_tampered_line_and_purge_keeps_the_chain(tmp_path, capsys):
    ini = write_ini(tmp_path)
    log = AuditLog(str(tmp_path / "var" / "audit"), fsync=False)
    log.append(entry("2019-01-05T08:00:00.000000Z", "login", "admin"))
    for day in range(1, 4):
        log.append(entry(f"2026-04-0{day}T08:00:00.000000Z", "login", "admin"))
    verified = run_cong(capsys, ini, "audit", "verify").out
    assert verified.startswith("The audit log is intact: 4")
    assert f"hash: {lines(log)[-1]['hash']}" in verified  # to keep elsewhere
    assert "2019-01" in run_cong(capsys, ini, "audit", "purge").out  # older than 1825 days
    assert log.months()[0] == "2026-04"
    assert run_cong(capsys, ini, "audit", "verify").out.startswith("The audit log is intact: 4")
    path = log.path("2026-04")
    text = open(path, encoding="utf-8").read().splitlines(keepends=True)
    text[1] = text[1].replace('"login"', '"logout"')
    open(path, "w", encoding="utf-8").writelines(text)
    result = run_cong(capsys, ini, "audit", "verify")
    assert result.status == 1 and "audit-2026-04.jsonl line 2" in result.err


def test_the_retention_setting_is_checked(tmp_path, capsys):
    ini = write_ini(tmp_path)
    ini.write_text(ini.read_text() + "cong.audit.retention_days = 0\n")
    result = run_cong(capsys, ini, "audit", "purge")
    assert result.status == 2 and "cong.audit.retention_days" in result.err


def test_record_keeps_details_small(app):
    model = ModelRequest(app)
    try:
        audit.record_now(
            model.request, "test.small", "x" * 500, note="y" * 500, many=list(range(50))
        )
    finally:
        model.close()
    record = last(app, "test.small")
    assert len(record["target"]) == 200 and len(record["details"]["note"]) == 200
    assert len(record["details"]["many"]) == 20
