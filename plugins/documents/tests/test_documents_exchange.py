"""The exchange between units of the portal: an outgoing document sent from the
department (20001) arrives in the commune's (10001) incoming register, the
commune's handling reports back, recalls are asked and answered, receipts not
confirmed the same working day are flagged, and the sender's outbox lists what
needs a look."""

from __future__ import annotations

import base64
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationConflictError
from ZODB.blob import Blob

from core.clock import frozen
from core.outbox import messages_of
from core.testing import login
from plugins.documents import registered as R
from plugins.documents.entries import parse_outgoing
from plugins.documents.exchange import NO_OFFICE, SECRET
from plugins.documents.exchange_outbox import (
    LATE,
    NOT_SENT,
    RECALL_PENDING,
    RETURNED,
    SEND_ERROR,
    late_to_accept,
    outbox,
    recipient_statuses,
)
from plugins.documents.exchange_partners import (
    NO_BUILDER,
    NO_ENDPOINT,
    message_source,
    package_builder,
    register_package_builder,
)
from plugins.documents.registration import create_outgoing
from plugins.documents.registry import Partner, registry_of
from plugins.documents.tests.documents_setup import PARTNER, documents_settings, province
from plugins.documents.tests.pdfs import small_pdf
from plugins.documents.transitions import perform
from plugins.documents.units import office_of
from subsites.plugins import disable
from subsites.provisioning import create_subsite

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = small_pdf()
FILE = {"filename": "qd.pdf", "data": base64.b64encode(PDF).decode(), "encoding": "base64"}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def settings(data_dir):
    return documents_settings(data_dir)


@pytest.fixture
def units(model):
    return province(model)


def issued(model, recipients=("10001",), **extra):
    """An outgoing document of 20001 to ``recipients``, drafted, signed and issued."""
    model.act_as("chuyenvien1")
    raw = {
        "type": "QĐ",
        "summary": "Quyết định phê duyệt kế hoạch kiểm tra",
        "urgency": "khan",
        "recipients": list(recipients),
        "attachments": [FILE],
        **extra,
    }
    values = parse_outgoing(model.request, raw, "json")
    document = create_outgoing(model.request, office_of(model.site, "20001"), values)
    perform(model.request, document, "submit")
    model.act_as("lanhdao1")
    perform(model.request, document, "sign", {"signer_position": "Giám đốc"})
    model.act_as("vanthu1")
    return perform(model.request, document, "issue")


def sent(model, recipients=("10001",), signed=False, **extra):
    document = issued(model, recipients, **extra)
    if signed:  # as the unit's seal signature leaves it (plugins.documents.sealing)
        data = small_pdf()
        document.signed_pdf = R.Attachment(
            "qd.signed.pdf", "application/pdf", len(data), Blob(data)
        )
    model.act_as("vanthu1")
    return perform(model.request, document, "send")


def received(model, document, code="10001"):
    """The incoming document ``document`` made in unit ``code``'s register."""
    incoming_id = document.recipient(code).incoming_id
    return office_of(model.site, code).documents[incoming_id]


def act(model, login, document, name, **data):
    model.act_as(login)
    return perform(model.request, document, name, data)


def status(document, code="10001") -> int:
    return document.recipient(code).status


def test_a_sent_document_arrives_and_its_handling_reports_back(model, units):
    with frozen(at(2026, 3, 3, 9, 0)):
        document = sent(model, signed=True)
    incoming = received(model, document)
    assert incoming.status == R.ARRIVED and incoming.arrival_number == 1
    assert incoming.origin == ("20001", document.id)
    assert (incoming.sender, incoming.sender_code) == ("Sở Xây dựng", "20001")
    assert incoming.notation == document.notation == "01/QĐ-SXD"
    assert (incoming.type_code, incoming.urgency) == ("quyet-dinh", "khan")
    assert incoming.summary == document.summary and incoming.signer == document.signer_name
    assert incoming.document_date == document.document_date
    assert [a.filename for a in incoming.attachments] == ["qd.pdf", "qd.signed.pdf"]
    assert incoming.attachments[1].blob is document.signed_pdf.blob  # the same file, kept once
    assert incoming.history[0].actor_title == "Hệ thống"
    office = office_of(model.site, "10001")
    assert list(office.inbox.values()) == [incoming.id]
    assert status(document) == 1 and document.recipient("10001").when == at(2026, 3, 3, 9, 0)

    with frozen(at(2026, 3, 3, 10, 0)):
        act(model, "vanthu2", incoming, "accept")
        assert status(document) == 3 and list(office.inbox) == []
        act(model, "vanthu2", incoming, "submit")
        assert status(document) == 3
        act(model, "lanhdao2", incoming, "assign", direction="Giao xử lý", lead="chuyenvien2")
        assert status(document) == 4
        act(model, "chuyenvien2", incoming, "start")
        assert status(document) == 5
        act(model, "chuyenvien2", incoming, "finish")
    assert status(document) == 6 and incoming.exchange_status == 6
    reports = [e for e in document.history if e.transition == "exchange"]
    assert [e.comment for e in reports] == [
        "Đã đến (1)",
        "Đã tiếp nhận (3)",
        "Đã phân công (4)",
        "Đang xử lý (5)",
        "Hoàn thành (6)",
    ]
    assert {e.actor_title for e in reports} == {"Xã Tân Phú"}
    model.act_as("vanthu1")
    assert [(r["code"], r["status"], r["status_title"]) for r in recipient_statuses(document)] == [
        ("10001", 6, "Hoàn thành")
    ]


def test_a_returned_document_is_listed_with_its_reason(model, units):
    with frozen(at(2026, 3, 3, 9, 0)):
        document = sent(model)
        incoming = received(model, document)
        act(model, "vanthu2", incoming, "return_to_sender", comment="Gửi nhầm đơn vị")
        assert incoming.status == R.RETURNED
        assert (status(document), document.recipient("10001").reason) == (2, "Gửi nhầm đơn vị")
        model.act_as("vanthu1")
        lists = outbox(model.request, office_of(model.site, "20001"))
    assert [(d.id, [r.reason for r in rs]) for d, rs in lists[RETURNED]] == [
        (document.id, ["Gửi nhầm đơn vị"])
    ]
    assert lists[LATE] == [] and lists[SEND_ERROR] == []
    assert document.history[-1].comment == "Từ chối (2): Gửi nhầm đơn vị"


def test_a_recall_is_asked_then_accepted_or_refused(model, units):
    with frozen(at(2026, 3, 3, 9, 0)):
        first, second = sent(model), sent(model)
        for document in (first, second):
            act(model, "vanthu2", received(model, document), "accept")
        act(model, "vanthu1", first, "recall", comment="Sai thẩm quyền ban hành")
        act(model, "lanhdao1", second, "recall", comment="Ban hành văn bản thay thế")
        incoming = received(model, first)
        assert incoming.recall_requested == "Sai thẩm quyền ban hành"
        assert incoming.history[-1].transition == "recall_requested"
        assert (status(first), status(second)) == (13, 13)
        model.act_as("vanthu1")
        pending = outbox(model.request, office_of(model.site, "20001"))[RECALL_PENDING]
        assert [d.id for d, _rs in pending] == [second.id, first.id]

        act(model, "vanthu2", incoming, "accept_recall")
        assert incoming.status == R.RECALLED and incoming.attachments == ()
        assert status(first) == 15
        assert [a.read() for a in first.attachments] == [PDF]  # the sender keeps its files
        other = received(model, second)
        act(model, "lanhdao2", other, "refuse_recall", comment="Đã triển khai thực hiện")
    assert (status(second), second.recipient("10001").reason) == (16, "Đã triển khai thực hiện")
    assert other.recall_requested == "" and other.status == R.REGISTERED
    model.act_as("vanthu1")
    assert outbox(model.request, office_of(model.site, "20001"))[RECALL_PENDING] == []


def test_a_receipt_not_confirmed_the_same_working_day_is_late(model, units):
    receiver, sender = office_of(model.site, "10001"), office_of(model.site, "20001")

    def late_here():
        return [d.origin[1] for d in late_to_accept(model.request, receiver)]

    def late_there():
        model.act_as("vanthu1")
        return [d.id for d, _rs in outbox(model.request, sender)[LATE]]

    with frozen(at(2026, 3, 6, 16, 0)):  # a Friday afternoon
        afternoon = sent(model)
    with frozen(at(2026, 3, 6, 18, 30)):  # after office hours
        evening = sent(model)
    with frozen(at(2026, 3, 6, 16, 59)):
        assert late_here() == [] and late_there() == []
    with frozen(at(2026, 3, 7, 9, 0)):  # Saturday: Friday's is late, the evening's waits
        assert late_here() == [afternoon.id] and late_there() == [afternoon.id]
    with frozen(at(2026, 3, 9, 16, 59)):  # Monday, before the end of the day
        assert late_here() == [afternoon.id]
    with frozen(at(2026, 3, 9, 17, 1)):
        assert late_here() == [afternoon.id, evening.id]
        assert late_there() == [evening.id, afternoon.id]
        model.act_as("vanthu1")
        flags = recipient_statuses(afternoon, model.request)
        assert [r["late"] for r in flags] == [True]
        act(model, "vanthu2", received(model, afternoon), "accept")
        assert late_here() == [evening.id] and late_there() == [evening.id]


def test_recipients_not_reached_are_send_errors(model, units, app):
    third = create_subsite(
        model.request, model.site, {"title": "Xã Hòa Bình", "unit_kind": "commune", "code": "10002"}
    )
    disable(model.request, third, "documents")
    registry_of(model.site).partners["000.00.00.H01"] = Partner(
        "000.00.00.H01", "UBND tỉnh bạn", endpoint="https://lienthong.example.org/edxml"
    )
    recipients = ("10001", "10002", PARTNER.code)
    app.registry.documents_package_builder = None  # as without edXML
    with frozen(at(2026, 3, 3, 9, 0)):
        waiting = issued(model, recipients)
        document = sent(model, recipients)
    assert (status(document, "10001"), document.recipient("10001").error) == (1, "")
    assert document.recipient("10002").error == NO_OFFICE and status(document, "10002") == 0
    assert document.recipient(PARTNER.code).error == NO_BUILDER
    model.act_as("vanthu1")
    lists = outbox(model.request, office_of(model.site, "20001"))
    assert [d.id for d, _rs in lists[NOT_SENT]] == [waiting.id]
    assert [(d.id, [r.code for r in rs]) for d, rs in lists[SEND_ERROR]] == [
        (document.id, ["10002", PARTNER.code])
    ]
    assert "Xã Hòa Bình: Đơn vị nhận chưa sử dụng" in " ".join(e.comment for e in document.history)

    # with a package builder: a partner with an endpoint gets a package queued
    package = b'Content-Type: multipart/related; boundary="b"\r\n\r\n--b--\r\n'
    app.registry.documents_package_builder = lambda request, doc, recipient: package
    with frozen(at(2026, 3, 4, 9, 0)):
        document = sent(model, (PARTNER.code, "000.00.00.H01"))
    assert document.recipient(PARTNER.code).error == NO_ENDPOINT
    partner = document.recipient("000.00.00.H01")
    assert (partner.error, partner.when) == ("", at(2026, 3, 4, 9, 0))
    [message] = messages_of(model.request, message_source(document))
    assert message.recipient == "https://lienthong.example.org/edxml"
    assert message.payload_type == 'multipart/related; boundary="b"'
    with message.payload.open("r") as posted:
        assert posted.read() == b"--b--\r\n"  # the body, as HTTP carries it
    assert [r["delivery"] for r in recipient_statuses(document)] == [None, "created"]


def test_secret_documents_are_not_sent_through_the_exchange(model, units):
    with frozen(at(2026, 3, 3, 9, 0)):
        document = sent(model, secrecy="mat", readers=["lanhdao1", "vanthu1"])
    assert document.status == R.SENT
    assert document.recipient("10001").error == SECRET
    assert len(office_of(model.site, "10001").documents) == 0


def test_the_outbox_page_is_for_the_units_clerks_and_leaders(model, units, testapp):
    with frozen(at(2026, 3, 3, 9, 0)):
        issued(model)
        returned = sent(model)
        act(model, "vanthu2", received(model, returned), "return_to_sender", comment="Sai địa chỉ")
        sent(model, ("10001", PARTNER.code))
    office = office_of(model.site, "20001")
    path = model.request.resource_path(office)
    model.commit()
    with frozen(at(2026, 3, 4, 9, 0)):
        login(testapp, "vanthu1")
        page = testapp.get(path + "@@hop-thu-di")
        assert page.headers["Cache-Control"] == "no-store, private"
        counts = {dd.attrs["id"]: dd.text for dd in page.html.select(".exchange-counts dd")}
        assert counts == {
            "count-not-sent": "1",
            "count-send-error": "1",
            "count-returned": "1",
            "count-late-to-accept": "1",
            "count-recall-pending": "0",
        }
        assert "Sai địa chỉ" in page.text and "Bộ Xây dựng" in page.text
        answer = testapp.get(path + "@exchange-outbox", headers={"Accept": "application/json"})
        assert answer.json["counts"] == {
            "not_sent": 1,
            "send_error": 1,
            "returned": 1,
            "late_to_accept": 1,
            "recall_pending": 0,
        }
        [item] = answer.json["returned"]
        assert item["recipients"][0]["reason"] == "Sai địa chỉ"
        assert item["recipients"][0]["when"] == "2026-03-03T02:00:00+00:00"
        one = testapp.get(
            path + returned.id + "/@exchange", headers={"Accept": "application/json"}
        ).json
        assert [(r["code"], r["status"]) for r in one["recipients"]] == [("10001", 2)]
    for other in ("vanthu2", "chuyenvien1"):
        testapp.reset()
        login(testapp, other)
        testapp.get(path + "@@hop-thu-di", status=403)
        refused = testapp.get(
            path + "@exchange-outbox", headers={"Accept": "application/json"}, status=403
        )
        assert refused.json["type"]
        if other == "vanthu2":  # the receiver's clerk sees its own copy, not the sender's
            testapp.get(
                path + returned.id + "/@exchange",
                headers={"Accept": "application/json"},
                status=403,
            )
    testapp.reset()  # anonymous: to the login form
    assert "@@login" in testapp.get(path + "@@hop-thu-di", status=302).location


def test_one_package_builder_at_most():
    def builder(request, document, recipient):
        return b""

    config = Configurator()
    register_package_builder(config, builder)
    config.commit()
    assert package_builder(config.registry) is builder
    register_package_builder(config, builder)
    register_package_builder(config, builder)
    with pytest.raises(ConfigurationConflictError):
        config.commit()
