"""The outbox (core.outbox): messages queued with a change, delivered after it
commits, once, retried after an outage, through a real SMTP server (aiosmtpd) and
a real HTTP receiver; the Managers' page and JSON; the command line."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest
import transaction
import webtest

from core import main
from core.clock import frozen, now
from core.htmlcheck import java_missing, validate
from core.outbox import (
    DELIVERED,
    PERMANENT_FAILURE,
    SENDING,
    TEMPORARY_FAILURE,
    OutboxError,
    deliver,
    messages_of,
    outbox_of,
    queue,
)
from core.outbox.delivery import Report, claim
from core.outbox.masking import mask
from core.outbox.settings import outbox_settings
from core.testing import (
    REFUSED,
    ModelRequest,
    SmtpServer,
    csrf_token,
    http_receiver,
    login,
    make_settings,
    run_cong,
    write_ini,
)

SENDER = "mot-cua@songlam.gov.vn"
#: Long lines of Vietnamese text (more than an SMTP line holds, once encoded).
BODY = "Hồ sơ của ông Nguyễn Văn An đã có kết quả." * 30 + "\nTrân trọng."


@pytest.fixture(scope="module")
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def receiver():
    base, received, stop = http_receiver()
    yield base, received
    stop()


@pytest.fixture(scope="module")
def app(tmp_path_factory, smtp, receiver):
    settings = make_settings(
        tmp_path_factory.mktemp("outbox") / "var",
        **{
            "mail.host": "127.0.0.1",
            "mail.port": str(smtp.port),
            "mail.default_sender": SENDER,
            "cong.outbox.deliver_in_process": "false",
            "cong.outbox.max_attempts": "3",
            "cong.outbox.http_tokens": f"{receiver[0]}/ok secret-token",
        },
    )
    application = main({}, **settings)
    yield application
    application.registry._zodb_databases[""].close()


@pytest.fixture
def db(app):
    return app.registry._zodb_databases[""]


def queued(app, *calls: dict) -> list:
    """Queue messages (``queue``'s arguments) in one committed transaction: ids."""
    model = ModelRequest(app)
    try:
        ids = [queue(model.request, **call).id for call in calls]
        model.commit()
    finally:
        model.close()
    return ids


def mail(to: str, key: str, **more) -> dict:
    return dict(channel="mail", recipient=to, subject="Kết quả hồ sơ", body=BODY, key=key, **more)


def state_of(app, id: str):
    model = ModelRequest(app)
    try:
        m = outbox_of(model.site).get(id)
        return m.state, m.attempts, m.last_error, m.next_attempt
    finally:
        model.close()


def run(app, db, **kw) -> Report:
    return deliver(db, app.registry, **kw)


def test_a_queued_mail_is_delivered_once_with_a_stable_message_id(app, db, smtp):
    (id,) = queued(app, mail("an@example.vn", "t1"))
    report = run(app, db)
    assert (report.delivered, report.ids) == (1, [id])
    (got,) = smtp.mailbox.to("an@example.vn")
    assert got["Message-ID"] == f"<{id}@songlam.gov.vn>"
    assert got["From"] == SENDER
    assert got.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n").rstrip() == BODY
    assert state_of(app, id)[0] == DELIVERED
    assert run(app, db).attempted == 0
    assert len(smtp.mailbox.to("an@example.vn")) == 1


def test_one_key_queues_one_message(app, db, smtp):
    first, again = queued(app, mail("binh@example.vn", "t2"), mail("binh@example.vn", "t2"))
    (later,) = queued(app, mail("binh@example.vn", "t2", source="ho-so-2"))
    assert first == again == later
    run(app, db)
    assert len(smtp.mailbox.to("binh@example.vn")) == 1


def test_a_rolled_back_change_sends_nothing(app, db, smtp):
    model = ModelRequest(app)
    queue(model.request, **mail("chi@example.vn", "t3", source="ho-so-3"))
    model.close()  # aborted
    assert run(app, db).attempted == 0
    assert smtp.mailbox.to("chi@example.vn") == []
    model = ModelRequest(app)
    try:
        assert list(messages_of(model.request, "ho-so-3")) == []
    finally:
        model.close()


def test_a_wrong_address_is_refused_when_queued(app):
    model = ModelRequest(app)
    try:
        with pytest.raises(OutboxError):
            queue(model.request, "mail", "not an address", "x", "y")
        with pytest.raises(OutboxError):
            queue(model.request, "mail", "a@example.vn", "two\nlines", "y")
        with pytest.raises(OutboxError):
            queue(model.request, "fax", "a@example.vn", "x", "y")
    finally:
        model.close()


def test_after_an_outage_the_mail_is_retried_and_received_once(app, db, smtp, caplog):
    smtp.stop()
    try:
        (id,) = queued(app, mail("dung@example.vn", "t4"))
        with caplog.at_level(logging.INFO, logger="core.outbox"):
            report = run(app, db)
        state, attempts, error, next_attempt = state_of(app, id)
        assert (report.temporary_failure, state, attempts) == (1, TEMPORARY_FAILURE, 1)
        assert error and next_attempt > now()
        assert "dung@example.vn" not in caplog.text and BODY not in caplog.text
        assert mask("dung@example.vn") in caplog.text
        assert run(app, db).attempted == 0  # not due yet
    finally:
        smtp.start()
    report = run(app, db, now=now() + timedelta(minutes=2))
    assert (report.delivered, state_of(app, id)[:2]) == (1, (DELIVERED, 2))
    assert len(smtp.mailbox.to("dung@example.vn")) == 1


def test_a_permanent_rejection_is_a_permanent_failure(app, db, smtp):
    (id,) = queued(app, mail(REFUSED, "t5"))
    assert run(app, db).permanent_failure == 1
    state, attempts, error, _next = state_of(app, id)
    assert (state, attempts) == (PERMANENT_FAILURE, 1)
    assert "550" in error
    assert run(app, db, now=now() + timedelta(days=1)).attempted == 0


def test_temporary_failures_end_after_the_attempts_allowed(app, db, smtp):
    smtp.stop()
    try:
        (id,) = queued(app, mail("giang@example.vn", "t6"))
        moment = now()
        for _ in range(3):
            run(app, db, now=moment)
            moment += timedelta(hours=1)
    finally:
        smtp.start()
    state, attempts, error, _next = state_of(app, id)
    assert (state, attempts) == (PERMANENT_FAILURE, 3)
    assert "after 3 attempts" in error


def test_two_concurrent_runs_deliver_each_message_once(app, db, smtp):
    to = [f"nguoi-{n}@example.vn" for n in range(20)]
    ids = queued(app, *(mail(address, f"t7-{address}") for address in to))
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(run(app, db))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(i for r in reports for i in r.ids) == sorted(ids)
    assert [len(smtp.mailbox.to(address)) for address in to] == [1] * 20


def test_a_message_left_sending_by_a_crash_is_sent_after_the_timeout(app, db, smtp):
    (id,) = queued(app, mail("hoa@example.vn", "t8"))
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    try:
        assert claim(conn, tm, now(), outbox_settings(app.registry), Report()).id == id
    finally:
        conn.close()  # the process "dies" here: the message stays sending
    assert state_of(app, id)[0] == SENDING
    assert run(app, db).attempted == 0
    report = run(app, db, now=now() + timedelta(minutes=6))
    assert report.delivered == 1 and len(smtp.mailbox.to("hoa@example.vn")) == 1


def test_http_messages_2xx_delivered_5xx_retried_4xx_permanent(app, db, receiver):
    base, received = receiver
    payload = {"MaHoSo": "000.00.12.H01-250304-0001", "TrangThaiHoSo": 2, "ChuHoSo": "An"}
    ok, busy, bad = queued(
        app,
        dict(channel="http", recipient=base + "/ok", subject="", body=payload, key="t9a"),
        dict(channel="http", recipient=base + "/busy", subject="", body=payload, key="t9b"),
        dict(channel="http", recipient=base + "/bad", subject="", body=payload, key="t9c"),
    )
    run(app, db)
    assert [state_of(app, i)[0] for i in (ok, busy, bad)] == [
        DELIVERED,
        TEMPORARY_FAILURE,
        PERMANENT_FAILURE,
    ]
    by_path = {path: (headers, body) for path, headers, body in received}
    headers, body = by_path["/ok"]
    assert body == payload
    assert headers["Idempotency-Key"] == ok
    assert headers["Authorization"] == "Bearer secret-token"
    assert "Authorization" not in by_path["/busy"][0]
    assert "HTTP 400" in state_of(app, bad)[2]


def test_an_http_payload_is_posted_as_it_is_with_its_media_type(app, db, receiver):
    base, received = receiver
    package = bytes(range(256)) * 4096  # 1 MB of every byte value: more than a body holds
    kind = 'multipart/related; boundary="b1"; type="text/xml"'
    (id,) = queued(
        app,
        dict(channel="http", recipient=base + "/ok", subject="", body={"package": "1.edxml"},
             key="t9p", payload=package, payload_type=kind),
    )  # fmt: skip
    run(app, db)
    assert state_of(app, id)[0] == DELIVERED
    [(headers, body)] = [(h, b) for path, h, b in received if h["Idempotency-Key"] == id]
    assert body == package and headers["Content-Type"] == kind
    model = ModelRequest(app)
    try:
        for channel, payload, media_type in (
            ("mail", b"x", "text/plain"),
            ("http", "text", "text/plain"),
            ("http", b"x", "text/plain\r\nX-Injected: 1"),
        ):
            with pytest.raises(OutboxError):
                queue(model.request, channel, base if channel == "http" else "a@example.vn",
                      "", "", payload=payload, payload_type=media_type)  # fmt: skip
    finally:
        model.close()


def test_an_sms_goes_to_the_sandbox(app, db):
    (id,) = queued(
        app, dict(channel="sms", recipient="0912 345 678", subject="", body="Ma ho so 1", key="t10")
    )
    run(app, db)
    model = ModelRequest(app)
    try:
        record = outbox_of(model.site).sandbox[id]
        assert (record.phone, record.text) == ("0912345678", "Ma ho so 1")
    finally:
        model.close()


def test_delivery_after_commit_runs_in_the_background(app, smtp):
    registry = app.registry
    kept = registry.cong_outbox_settings
    registry.cong_outbox_settings = replace(kept, deliver_in_process=True)
    try:
        queued(app, mail("khanh@example.vn", "t11"))
        for _ in range(200):  # the thread sends it: wait up to 10 s
            if smtp.mailbox.to("khanh@example.vn"):
                break
            time.sleep(0.05)
    finally:
        registry.cong_outbox_settings = kept
    assert len(smtp.mailbox.to("khanh@example.vn")) == 1


@pytest.fixture(scope="module")
def manager(app):
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(client)
    return client


def test_the_managers_page_lists_without_bodies_and_retries_with_csrf(app, db, manager, smtp):
    (id,) = queued(app, mail(REFUSED, "t12", source="ho-so-12"))
    run(app, db)
    page = manager.get("/@@outbox")
    assert id in page.text and BODY not in page.text
    assert webtest.TestApp(app).get("/@@outbox", status="*").status_int in (302, 403)
    manager.post("/@@outbox-retry", {"id": id}, status=400)  # no CSRF token
    assert state_of(app, id)[0] == PERMANENT_FAILURE
    token = csrf_token(page)
    manager.post("/@@outbox-retry", {"id": "nothing", "csrf_token": token}, status=400)
    manager.post("/@@outbox-retry", {"id": id, "csrf_token": token}, status=302)
    state, attempts, _error, _next = state_of(app, id)
    assert (state, attempts) == ("created", 0)
    run(app, db)  # refused again


def test_the_json_listing_for_managers(app, manager):
    headers = {"Accept": "application/json"}
    found = manager.get("/@outbox?state=permanent-failure", headers=headers).json
    assert found["items"] and all(m["state"] == PERMANENT_FAILURE for m in found["items"])
    assert "body" not in found["items"][0]
    assert found["counts"][DELIVERED] >= 1
    about = manager.get("/@outbox?source=ho-so-12", headers=headers).json
    assert [m["source"] for m in about["items"]] == ["ho-so-12"]
    assert manager.get("/@outbox?state=lost", headers=headers, status=400).json["type"]
    anonymous = webtest.TestApp(app)
    assert anonymous.get("/@outbox", headers=headers, status="*").status_int in (401, 403)


@pytest.mark.skipif(java_missing(), reason="the HTML checker (vnu.jar) needs java")
def test_the_pages_are_valid_html(manager, tmp_path):
    pages = {"outbox": manager.get("/@@outbox").text}
    pages["sandbox"] = manager.get("/@@outbox-sandbox").text
    assert "Ma ho so 1" in pages["sandbox"]
    errors = validate(pages, tmp_path)
    assert not any(errors.values()), errors


def test_recipients_are_masked_in_logs():
    assert mask("nguyen.van.an@example.vn") == "n***@example.vn"
    assert mask("0912345678") == "09*****678"
    assert mask("https://dichvucong.gov.vn/api/sync?x=1") == "https://dichvucong.gov.vn/…"


def test_the_command_line_lists_and_sends(tmp_path, capsys, smtp):
    ini = write_ini(tmp_path, mail_host="127.0.0.1", mail_port=str(smtp.port))
    with ini.open("a", encoding="utf-8") as f:
        f.write(f"mail.default_sender = {SENDER}\n")
    assert run_cong(capsys, ini, "outbox", "list").out == "No messages.\n"
    settings = dict(
        make_settings(tmp_path / "var"),
        **{"mail.host": "127.0.0.1", "mail.port": str(smtp.port), "mail.default_sender": SENDER},
    )
    settings["cong.outbox.deliver_in_process"] = "false"
    application = main({}, **settings)
    try:
        queued(application, mail("lan@example.vn", "cli"))
    finally:
        application.registry._zodb_databases[""].close()
    listed = run_cong(capsys, ini, "outbox", "list")
    assert "l***@example.vn" in listed.out and "lan@example.vn" not in listed.out
    sent = run_cong(capsys, ini, "outbox", "send")
    assert sent.out == "Delivered: 1; temporary failures: 0; permanent failures: 0.\n"
    assert len(smtp.mailbox.to("lan@example.vn")) == 1
    kept = run_cong(capsys, ini, "outbox", "purge")  # delivered today: kept 90 days
    assert kept.out.startswith("Forgot 0 message(s)")
    with frozen(now() + timedelta(days=91)):
        purged = run_cong(capsys, ini, "outbox", "purge")
    assert purged.out.startswith("Forgot 1 message(s)")
    assert run_cong(capsys, ini, "outbox", "list", "--state", "delivered").out == "No messages.\n"
