"""The applicant is told by mail on every change they should know of, through the
outbox to a real SMTP server: with the server down the mail waits and goes once
when it is back; every change also reaches the national portal's receiver as a
status message with the national status code; a sub-dossier sends nothing."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

import pytest

from core.clock import now
from core.outbox import deliver
from core.testing import ModelRequest, SmtpServer, http_receiver
from plugins.onestop.tests.onestop_setup import province_app
from plugins.onestop.tests.test_onestop_model import counter
from plugins.onestop.transitions import perform


@pytest.fixture(scope="module")
def smtp():
    server = SmtpServer()  # not started: the mail server is down at first
    yield server
    server.stop()


@pytest.fixture(scope="module")
def national():
    base, received, stop = http_receiver()
    yield base, received
    stop()


@pytest.fixture(scope="module")
def app(tmp_path_factory, smtp, national):
    data_dir = tmp_path_factory.mktemp("notify") / "var"
    settings = {
        "mail.host": "127.0.0.1",
        "mail.port": str(smtp.port),
        "mail.default_sender": "mot-cua@tinh.gov.vn",
        "cong.onestop.national_sync_url": national[0] + "/ok",
    }
    with province_app(data_dir, **settings) as application:
        yield application


def test_mail_waits_for_the_server_and_goes_once_and_the_portal_hears_every_change(
    app, smtp, national
):
    db = app.registry._zodb_databases[""]
    model = ModelRequest(app)
    try:
        dossier = counter(model)  # submitted and received: two changes
        model.act_as("chuyenvien3")
        perform(model.request, dossier, "assign", {})
        perform(model.request, dossier, "request_supplement", {"comment": "Thiếu bản vẽ mặt bằng"})
        code = dossier.code
        model.commit()
    finally:
        model.close()
    down = deliver(db, app.registry)
    assert smtp.mailbox.messages == []
    assert down.delivered and all(
        path == "/ok" for path, _h, _b in national[1]
    )  # the portal got its messages
    statuses = [body["TrangThaiHoSo"] for _p, _h, body in national[1]]
    assert statuses == [2, 4, 5] and {body["MaHoSo"] for _p, _h, body in national[1]} == {code}
    smtp.start()
    deliver(db, app.registry, now=now() + timedelta(hours=1))
    mails = smtp.mailbox.to("lan@example.com")
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in mails]
    assert len(mails) == 2  # received, supplement requested: in that order
    assert "Được tiếp nhận" in subjects[0] and "Yêu cầu bổ sung" in subjects[1]
    texts = "\n".join(m.get_payload(decode=True).decode("utf-8") for m in mails)
    assert "Thiếu bản vẽ mặt bằng" in texts and code in texts
    deliver(db, app.registry, now=now() + timedelta(hours=2))
    assert len(smtp.mailbox.to("lan@example.com")) == 2
