"""edXML wired to the registers: an issued outgoing document of the department
(20001) exported as a package and taken into the commune's (10001) incoming
register through HTTP keeps every field and every byte; malformed, hostile or
oversized packages are refused with their reason and change nothing; recall
packages ask a received document back; partners' status messages reach the
sender's recipients; a document sent to a partner queues a real package.

One application for the module (the packages limit set to 1 MB); each test
issues documents of its own."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import webtest
from ZODB.blob import Blob

from core.outbox import deliver, messages_of
from core.testing import USER_PASSWORD, ModelRequest, api_token, http_receiver, served
from plugins.documents import registered as R
from plugins.documents.edxml import (
    NAMESPACE,
    RECALL,
    REFUSED,
    REPLACE,
    EdxmlError,
    EdxmlOrgan,
    EdxmlResponseFor,
    EdxmlStatus,
    build_package,
    build_status,
    parse_package,
    parse_status,
)
from plugins.documents.edxml_mapping import document_id_of, incoming_values, package_of
from plugins.documents.edxml_receiving import receive_package
from plugins.documents.entries import EntryError, parse_outgoing
from plugins.documents.exchange_partners import message_source
from plugins.documents.exchange_status import ACCEPTED, RECALL_EVENT, RECALL_REQUESTED
from plugins.documents.indexing import reindex
from plugins.documents.registration import create_outgoing
from plugins.documents.registry import Partner, registry_of
from plugins.documents.tests.documents_setup import PARTNER, province_app
from plugins.documents.tests.pdfs import small_pdf
from plugins.documents.transitions import perform
from plugins.documents.units import office_of

PDF = small_pdf()
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: A partner with an address for packages (the setup's has none).
RELAY = Partner("000.00.00.H01", "UBND tỉnh bạn", endpoint="https://lienthong.example.org/edxml")


def docx() -> bytes:
    """A Word file as the content check sees it (a zip holding ``word/``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Phụ lục</w:document>")
    return out.getvalue()


DOCX = docx()


def attached(name: str, data: bytes) -> dict:
    return {"filename": name, "data": base64.b64encode(data).decode(), "encoding": "base64"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = {"cong.documents.max_edxml_mb": "1"}
    with province_app(tmp_path_factory.mktemp("edxml-api") / "var", **settings) as application:
        yield application


@pytest.fixture(scope="module", autouse=True)
def relay(app):
    model = ModelRequest(app)
    registry_of(model.site).partners[RELAY.code] = RELAY
    model.commit()
    model.close()


def client(app, user: str | None = None) -> webtest.TestApp:
    """A JSON client, with ``user``'s bearer token when given."""
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT": "application/json"}
    api = webtest.TestApp(app, extra_environ=environ)
    if user:
        api.extra_environ["HTTP_AUTHORIZATION"] = "Bearer " + api_token(api, user, USER_PASSWORD)
    return api


def issued(model, recipients=("10001",), **extra):
    """An outgoing document of 20001 with a PDF and a Word file, signed and issued."""
    model.act_as("chuyenvien1")
    raw = {
        "type": "QĐ",
        "summary": "Quyết định phê duyệt kế hoạch kiểm tra công trình",
        "urgency": "thuong-khan",
        "recipients": list(recipients),
        "places": ["Như trên;", "Lưu: VT."],
        "copies": 5,
        "attachments": [attached("quyet-dinh.pdf", PDF), attached("phu-luc.docx", DOCX)],
        **extra,
    }
    document = create_outgoing(
        model.request, office_of(model.site, "20001"), parse_outgoing(model.request, raw, "json")
    )
    perform(model.request, document, "submit")
    model.act_as("lanhdao1")
    perform(model.request, document, "sign", {"signer_position": "Giám đốc", "authority": "KT."})
    model.act_as("vanthu1")
    return perform(model.request, document, "issue")


def path_of(model, obj) -> str:
    return model.request.resource_path(obj)


def unit_path(model, code: str) -> str:
    return path_of(model, office_of(model.site, code).__parent__)


def exported(model, app, document, user="vanthu1") -> webtest.TestResponse:
    return client(app, user).get(path_of(model, document) + "/@edxml")


def post_package(app, model, package, code="10001", user="vanthu2", status="*"):
    """POST ``package`` (a GET @edxml response, or bytes of a whole MIME message)
    to unit ``code``'s ``@edxml``."""
    if isinstance(package, bytes):
        body, content_type = package, "application/octet-stream"
    else:
        body, content_type = package.body, package.headers["Content-Type"]
    return client(app, user).post(
        unit_path(model, code) + "/@edxml", body, {"Content-Type": content_type}, status=status
    )


def register_state(model, code="10001") -> tuple:
    """What the incoming register of ``code`` holds, as the database has it."""
    model.request.tm.abort()
    model.request.tm.begin()
    office = office_of(model.site, code)
    return len(office.documents), list(office.incoming_register.items())


def test_a_package_goes_through_http_and_keeps_every_field_and_byte(model, app):
    document = issued(model)
    model.commit()
    answer = exported(model, app, document)
    assert answer.headers["Content-Type"].startswith("multipart/related;")
    assert "boundary=" in answer.headers["Content-Type"]
    assert answer.headers["Content-Disposition"] == f'attachment; filename="{document.id}.edxml"'

    created = post_package(app, model, answer, status=201)
    assert created.json["arrival_number"] >= 1 and created.json["status"] == R.REGISTERED
    assert created.headers["Location"] == created.json["@id"]
    _count, _register = register_state(model)
    incoming = office_of(model.site, "10001").documents[created.json["id"]]
    assert incoming.notation == document.notation and "/QĐ-SXD" in incoming.notation
    assert incoming.document_date == document.document_date
    assert (incoming.type_code, incoming.urgency) == ("quyet-dinh", "thuong-khan")
    assert incoming.summary == document.summary
    assert incoming.signer == document.signer_name
    assert (incoming.sender, incoming.sender_code) == ("Sở Xây dựng", "20001")
    assert incoming.number == document.number
    assert [(a.filename, a.content_type, a.read()) for a in incoming.attachments] == [
        ("quyet-dinh.pdf", "application/pdf", PDF),
        ("phu-luc.docx", DOCX_TYPE, DOCX),
    ]

    before = register_state(model)
    again = post_package(app, model, answer, status=409)
    assert "đã được vào sổ" in again.json["message"]
    assert register_state(model) == before


def test_who_may_export_and_import(model, app):
    document = issued(model)
    draft = create_outgoing(
        model.request,
        office_of(model.site, "20001"),
        parse_outgoing(model.request, {"type": "TB", "summary": "Dự thảo"}, "json"),
    )
    model.commit()
    path = path_of(model, document) + "/@edxml"
    client(app).get(path, status=401)
    client(app, "vanthu2").get(path, status=403)  # another unit's clerk
    not_issued = client(app, "vanthu1").get(path_of(model, draft) + "/@edxml", status=409)
    assert "chưa ban hành" in not_issued.json["message"]
    package = exported(model, app, document, user="chuyenvien1")  # the unit's staff may
    token = client(app, "vanthu1").extra_environ["HTTP_AUTHORIZATION"]
    download = webtest.TestApp(app, extra_environ={"HTTP_AUTHORIZATION": token}).get(path)
    assert download.headers["Content-Type"].startswith("multipart/related;")  # no JSON asked
    before = register_state(model)
    post_package(app, model, package, user=None, status=401)
    for user in ("chuyenvien2", "lanhdao2", "vanthu1"):
        refused = post_package(app, model, package, user=user, status=403)
        assert refused.json["message"] == "Chỉ văn thư của đơn vị được nhận văn bản điện tử."
    assert register_state(model) == before


def test_malformed_packages_are_refused_with_their_reason_and_change_nothing(model, app):
    document = issued(model)
    model.commit()
    good = exported(model, app, document)
    content_type = good.headers["Content-Type"]
    whole = b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + good.body
    before = register_state(model)
    cases = {
        "entities": (
            whole.replace(
                b"<edXML xmlns=", b'<!DOCTYPE edXML [<!ENTITY x "y">]>\n<edXML xmlns=', 1
            ),
            400,
            "thực thể",
        ),
        "wrong namespace": (
            whole.replace(NAMESPACE.encode(), b"http://example.org/khac"),
            400,
            "edXML",
        ),
        "not MIME": (b"<edXML/>", 400, "MIME"),
        "huge": (whole + b" " * (1024 * 1024), 413, "1 MB"),
    }
    for name, (body, status, reason) in cases.items():
        refused = post_package(app, model, body, status=status)
        assert reason in refused.json["message"], name
    refused = client(app, "vanthu2").post(
        unit_path(model, "10001") + "/@edxml", good.body, {"Content-Type": "text/plain"}, status=415
    )
    assert "multipart/related" in refused.json["message"]
    assert register_state(model) == before  # no arrival number taken
    count, register = before
    created = post_package(app, model, good, status=201)
    last = register[-1][0][1] if register else 0
    assert created.json["arrival_number"] == last + 1


def test_a_recall_package_asks_the_received_document_back(model, app):
    document, never_received = issued(model), issued(model)
    model.commit()
    created = post_package(app, model, exported(model, app, document), status=201)
    for outgoing in (document, never_received):
        model.act_as("vanthu1")
        perform(model.request, outgoing, "recall", {"comment": "Ban hành sai thẩm quyền"})
    model.commit()
    recall = exported(model, app, document)
    before = register_state(model)
    answer = post_package(app, model, recall, status=200)
    assert answer.json["id"] == created.json["id"]
    assert answer.json["recall_requested"] == "Ban hành sai thẩm quyền"
    register_state(model)
    incoming = office_of(model.site, "10001").documents[created.json["id"]]
    assert incoming.history[-1].transition == RECALL_EVENT
    assert incoming.history[-1].actor_title == "Sở Xây dựng"
    assert len(office_of(model.site, "10001").documents) == before[0]
    assert post_package(app, model, recall, status=409).json["message"]
    unknown = post_package(app, model, exported(model, app, never_received), status=404)
    assert "thu hồi" in unknown.json["message"]


def test_the_package_follows_the_register(model, app):
    first = issued(model)
    second = issued(model, replaces=first.id)
    doc = package_of(model.request, second)
    assert (doc.trace.business_doc_type, doc.trace.document_id) == (
        REPLACE,
        document_id_of("20001", first),
    )
    assert doc.document_id == f"20001,{second.document_date:%Y/%m/%d},{second.notation}"
    assert (doc.code_number, doc.code_notation) == tuple(second.notation.split("/", 1))
    assert (doc.document_type, doc.type_name) == (2, "Quyết định")
    assert doc.other_info.priority == 2 and doc.other_info.promulgation_amount == 5
    assert (doc.signer.competence, doc.signer.position) == ("KT.", "Giám đốc")
    assert doc.from_organ.organ_name == "Sở Xây dựng" and doc.to_places == ["Như trên;", "Lưu: VT."]
    assert [(o.organ_id, o.organ_name) for o in doc.to_organs] == [("10001", "Xã Tân Phú")]
    model.act_as("vanthu2")
    as_letter = incoming_values(model.request, replace(doc, type_name="Công văn"))
    assert as_letter["type_code"] == "cong-van"  # TypeName before our Type numbers
    by_number = incoming_values(model.request, replace(doc, type_name="", document_type=13))
    assert by_number["type_code"] == "bao-cao"
    with pytest.raises(EntryError) as unknown:
        incoming_values(model.request, replace(doc, type_name="Sắc lệnh", document_type=99))
    assert unknown.value.status == 400
    assert "Sắc lệnh" in unknown.value.message.interpolate()
    signed = small_pdf()
    second.signed_pdf = R.Attachment("qd.signed.pdf", "application/pdf", len(signed), Blob(signed))
    files = [(a.filename, a.data) for a in package_of(model.request, second).attachments]
    assert files == [("qd.signed.pdf", signed), ("phu-luc.docx", DOCX)]


def package_in(message):
    """The edXML package an outbox message carries, read as a receiver would."""
    with message.payload.open("r") as handle:
        return parse_package(handle.read(), content_type=message.payload_type)


def test_a_partner_gets_a_package_and_reports_its_status(model, app):
    document = issued(model, recipients=(RELAY.code, PARTNER.code))
    model.act_as("vanthu1")
    perform(model.request, document, "send")
    [message] = messages_of(model.request, message_source(document))
    assert message.recipient == RELAY.endpoint
    assert json.loads(message.body)["type"] == "edxml"
    doc = package_in(message)
    assert (doc.code_number, doc.code_notation) == tuple(document.notation.split("/", 1))
    assert doc.subject == document.summary and doc.trace.business_doc_type == 0
    assert [o.organ_id for o in doc.to_organs] == [RELAY.code]
    assert [a.data for a in doc.attachments] == [PDF, DOCX]
    model.commit()

    def report(code=ACCEPTED, sender=RELAY.code, document_id=doc.document_id, **extra):
        status = EdxmlStatus(
            response_for=EdxmlResponseFor("20001", document_id=document_id),
            status_code=code,
            timestamp=datetime.now(UTC).replace(microsecond=0),
            from_organ=EdxmlOrgan(sender),
            **extra,
        )
        return build_status(status)

    def post(body, user="vanthu1", status="*"):
        return client(app, user).post(
            path_of(model, office_of(model.site, "20001")) + "@edxml-status",
            body,
            {"Content-Type": "text/xml"},
            status=status,
        )

    answer = post(report(), status=200)
    assert [(r["code"], r["status"]) for r in answer.json["recipients"]] == [
        (RELAY.code, ACCEPTED),
        (PARTNER.code, 0),
    ]
    assert "không phải nơi nhận" in post(report(sender="000.00.00.X99"), status=403).json["message"]
    assert post(report(document_id="20001,2020/01/01,99/QĐ-SXD"), status=404).json["message"]
    post(report(), user="chuyenvien1", status=403)
    post(b"<edXML/>", status=400)
    answer = post(report(REFUSED, description="Sai nơi nhận"), status=200)
    assert answer.json["recipients"][0]["reason"] == "Sai nơi nhận"
    register_state(model, "20001")
    stored = office_of(model.site, "20001").documents[document.id]
    assert [e.comment for e in stored.history if e.transition == "exchange"][-2:] == [
        "Đã tiếp nhận (3)",
        "Từ chối (2): Sai nơi nhận",
    ]
    assert stored.history[-1].actor_title == RELAY.name


def test_recall_trace_of_a_recalled_document_and_no_package_of_a_secret_one(model, app):
    secret = issued(model, secrecy="mat", readers=["vanthu1", "lanhdao1"])
    with pytest.raises(EdxmlError) as refused:
        package_of(model.request, secret)
    assert "Văn bản mật" in refused.value.message.interpolate()
    document = issued(model)
    model.act_as("vanthu1")
    perform(model.request, document, "recall", {"comment": "Sai sót"})
    trace = package_of(model.request, document).trace
    assert (trace.business_doc_type, trace.business_doc_reason) == (RECALL, "Sai sót")
    assert trace.document_id == document_id_of("20001", document)


def test_a_recalled_document_sends_the_partner_its_recall_once(model, app):
    document = issued(model, recipients=(RELAY.code,))
    model.act_as("vanthu1")
    perform(model.request, document, "send")
    perform(model.request, document, "recall", {"comment": "Ban hành nhầm"})
    reindex(model.request, document)  # another change: nothing queued again
    messages = list(messages_of(model.request, message_source(document)))
    assert [m.key.rsplit(":", 1)[1] for m in messages] == ["new", "recall"]
    recall = package_in(messages[1])
    assert (recall.trace.business_doc_type, recall.trace.business_doc_reason) == (
        RECALL,
        "Ban hành nhầm",
    )
    assert document.recipient(RELAY.code).status == RECALL_REQUESTED


def test_the_outbox_delivers_a_package_another_cong_registers(model, app):
    """A partner that is another cong (here the same portal, served for real): the
    outbox POSTs the package to its ``@edxml`` with the token set for that address,
    and the receiving unit's register has it, its scan byte for byte."""
    scan = PDF + b"%" + bytes(range(256)) * 2968  # its package: over the 1,000,000
    # characters of a message's body, under this portal's 1 MB for a package
    with served(app) as url:
        endpoint = url + unit_path(model, "10001") + "/@edxml"
        model.act_as("admin")
        registry_of(model.site).partners["000.00.00.H02"] = Partner(
            "000.00.00.H02", "UBND xã Tân Phú (cổng khác)", endpoint=endpoint
        )
        document = issued(
            model, recipients=("000.00.00.H02",), attachments=[attached("scan.pdf", scan)]
        )
        perform(model.request, document, "send")
        model.commit()
        before = register_state(model)[0]
        token = api_token(client(app), "vanthu2", USER_PASSWORD)
        http = app.registry.cong_outbox_transports["http"]  # as cong.outbox.http_tokens sets
        settings = http.settings
        http.settings = replace(settings, http_tokens=((url, token),))
        try:
            report = deliver(app.registry._zodb_databases[""], app.registry)
        finally:
            http.settings = settings
        model.request.tm.abort()
        model.request.tm.begin()
        message = next(iter(messages_of(model.request, message_source(document))))
        assert report.delivered == 1, message.last_error
        with message.payload.open("r") as posted:
            assert len(posted.read()) > 1_000_000
        count, register = register_state(model)
        assert count == before + 1
        received = office_of(model.site, "10001").documents[register[-1][1]]
        assert received.notation == document.notation and received.sender_code == "20001"
        assert [a.read() for a in received.attachments] == [scan]


def test_the_receiver_tells_a_partner_how_its_document_is_handled(model, app):
    """A partner with a status address is told, in edXML status messages the outbox
    posts, that the document it sent was accepted, assigned and done."""
    base, received, stop = http_receiver()
    try:
        model.act_as("admin")
        sender = replace(RELAY, code="000.00.00.H05", status_endpoint=base + "/ok")
        registry_of(model.site).partners[sender.code] = sender
        package = build_package(replace(package_of(model.request, issued(model)), from_organ=EdxmlOrgan(
            sender.code, organ_name=sender.name)))  # fmt: skip
        model.act_as("vanthu2")
        office = office_of(model.site, "10001")
        incoming, _new = receive_package(model.request, office, parse_package(package))
        perform(model.request, incoming, "submit")  # registered: accepted (3), once
        model.act_as("lanhdao2")
        perform(
            model.request, incoming, "assign", {"direction": "Giao xử lý", "lead": "chuyenvien2"}
        )
        model.act_as("chuyenvien2")
        perform(model.request, incoming, "finish")
        model.commit()
        report = deliver(app.registry._zodb_databases[""], app.registry)
        assert report.delivered == 3
        statuses = [parse_status(body) for path, headers, body in received]
        assert [s.status_code for s in statuses] == [3, 4, 6]
        assert {s.response_for.document_id for s in statuses} == {
            parse_package(package).document_id
        }
        assert statuses[0].from_organ.organ_id == "10001"
        assert received[0][1]["Content-Type"].startswith("text/xml")
    finally:
        stop()
