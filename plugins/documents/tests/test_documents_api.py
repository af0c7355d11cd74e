"""The documents JSON API: an incoming document's life and an outgoing one's with
the role at each step, what is refused (and that a refusal stores nothing), who
sees which register and document, and clerks registering at the same moment
through real HTTP (a waitress server in threads)."""

from __future__ import annotations

import base64
import json
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import timedelta

import pytest
import webtest
from webtest.http import StopableWSGIServer

from core.clock import TIMEZONE, frozen, now
from core.testing import USER_PASSWORD, ModelRequest, csrf_token, login
from plugins.documents.signatures import parse_settings
from plugins.documents.signing import sign_pdf
from plugins.documents.tests.documents_setup import PARTNER, PDF, province_app
from plugins.documents.tests.pdfs import small_pdf
from plugins.documents.tests.pki import PASSPHRASE, UNIT_NAME, make_pki
from plugins.documents.units import office_of, unit_of

INCOMING = {
    "type": "Công văn",
    "sender": "UBND tỉnh",
    "notation": "125/UBND-KT",
    "document_date": "2026-01-05",
    "summary": "Về việc rà soát hồ sơ cấp phép xây dựng",
    "urgency": "khan",
}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def scan(data: bytes = PDF, filename: str = "cong-van.pdf") -> dict:
    return {"filename": filename, "data": b64(data), "encoding": "base64"}


class Province:
    """The application over WebTest, its units' paths by code, a token per login."""

    def __init__(self, app):
        self.app = app
        self.web = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        self.tokens: dict[str, str] = {}
        with self.model() as model:
            self.paths = {c: "/" + unit_of(model.site, c).__name__ for c in ("20001", "10001")}

    def token(self, login: str) -> str:
        if login not in self.tokens:
            body = {"login": login, "password": USER_PASSWORD}
            self.tokens[login] = self.web.post_json("/@login", body).json["token"]
        return self.tokens[login]

    def headers(self, login: str | None) -> dict:
        headers = {"Accept": "application/json"}
        if login:
            headers["Authorization"] = f"Bearer {self.token(login)}"
        return headers

    def get(self, url, login=None, status=200, query=None):
        return self.web.get(url, params=query or {}, headers=self.headers(login), status=status)

    def post(self, url, body, login=None, status=200):
        return self.web.post_json(url, body, headers=self.headers(login), status=status)

    def act(self, url, name, login, status=200, **data):
        return self.post(f"{url}/@workflow/{name}", data, login, status)

    def register(self, login="vanthu1", unit="20001", status=201, **extra):
        return self.post(f"{self.paths[unit]}/@incoming", {**INCOMING, **extra}, login, status)

    @contextmanager
    def model(self):
        """A :class:`ModelRequest` on the application's database."""
        model = ModelRequest(self.app)
        try:
            yield model
        finally:
            model.close()

    def stored(self, unit="20001") -> dict:
        """What the unit's office keeps: its documents' ids, statuses and numbers."""
        with self.model() as model:
            office = office_of(model.site, unit)
            return {
                "documents": {i: (d.status, d.number, len(d.history)) for i, d in office.documents.items()},
                "notations": dict(office.notations),
            }  # fmt: skip


#: The environment variable holding the passphrase of unit 20001's key.
PASSPHRASE_ENV = "CONG_TEST_DOCUMENTS_API_PASSPHRASE"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PASSPHRASE_ENV, PASSPHRASE)
        yield make_pki(tmp_path_factory.mktemp("pki"))


def signing(pki) -> dict:
    """Unit 20001 signs with its key; the test CA is trusted."""
    return {
        "cong.documents.signing_key.20001": str(pki.unit_p12),
        "cong.documents.signing_passphrase_env": PASSPHRASE_ENV,
        "cong.documents.trust_roots": str(pki.root_pem),
    }


@pytest.fixture(scope="module")
def p(tmp_path_factory, pki):
    settings = {"cong.documents.max_file_mb": "1", "cong.write_gate": "false", **signing(pki)}
    with province_app(tmp_path_factory.mktemp("api") / "var", **settings) as app:
        yield Province(app)


def test_an_incoming_document_s_life_through_the_api(p):
    unit = p.paths["20001"]
    answer = p.register(attachments=[scan()])
    created = answer.json
    url = created["@id"]
    assert answer.headers["Location"] == url and url.endswith(f"{unit}/van-thu/{created['id']}")
    assert created["status"] == "registered" and created["status_title"] == "Đã vào sổ"
    assert isinstance(created["arrival_number"], int) and created["id"].endswith(
        f"{created['arrival_number']:05d}"
    )
    assert created["type"] == {"code": "cong-van", "title": "Công văn", "abbreviation": ""}
    assert created["urgency_title"] == "Khẩn" and created["kind"] == "incoming"
    [attachment] = created["attachments"]
    assert attachment["filename"] == "cong-van.pdf" and attachment["size"] == len(PDF)
    assert p.web.get(attachment["download"], headers=p.headers("lanhdao1")).body == PDF
    p.web.get(attachment["download"], headers=p.headers("vanthu2"), status=403)
    assert [t["name"] for t in created["transitions"]] == ["submit", "return_to_sender"]

    # a specialist may not submit it; the clerk does
    assert p.act(url, "submit", "chuyenvien1", 403).json["type"] == "Forbidden"
    assert p.act(url, "submit", "vanthu1").json["status"] == "submitted"
    assert p.act(url, "submit", "vanthu1", 409).json["type"] == "Conflict"

    # the leader directs: the specialist leads, the commune coordinates, five working days
    assert p.act(url, "assign", "vanthu1", 403, lead="chuyenvien1").json["type"] == "Forbidden"
    refused = p.act(url, "assign", "lanhdao1", 400, lead="khongco", days=0).json
    assert {e["field"] for e in refused["errors"]} == {"direction", "lead", "days"}
    assigned = p.act(
        url,
        "assign",
        "lanhdao1",
        direction="Giao chuyên viên xử lý, báo cáo trước hạn.",
        lead="chuyenvien1",
        coordinators=["10001"],
        days=5,
    ).json
    assert assigned["status"] == "assigned" and assigned["deadline"]
    direction = assigned["direction"]
    assert direction["lead"]["token"] == "user:chuyenvien1" and direction["leader"] == "lanhdao1"
    assert direction["coordinators"] == [
        {"token": "unit:10001", "kind": "unit", "id": "10001", "title": "Xã Tân Phú"}
    ]

    # the specialist starts, notes progress, finishes; the coordinating unit sees it
    mine = p.get(url, "chuyenvien1").json
    assert {t["name"] for t in mine["transitions"]} == {"start", "note", "finish"}
    assert p.act(url, "start", "chuyenvien1").json["status"] == "processing"
    assert p.act(url, "note", "chuyenvien1", 400).json["errors"][0]["field"] == "comment"
    p.act(url, "note", "chuyenvien1", comment="Đã rà soát 12 hồ sơ.", note="giả mạo")
    assert p.get(url, "chuyenvien2").json["status"] == "processing"
    done = p.act(url, "finish", "chuyenvien1", comment="Đã trả lời bằng công văn.").json
    assert done["status"] == "done" and done["finished"] and done["transitions"] == []
    assert [(h["action"], h["actor"]) for h in done["history"]] == [
        ("register", "vanthu1"), ("submit", "vanthu1"), ("assign", "lanhdao1"),
        ("start", "chuyenvien1"), ("note", "chuyenvien1"), ("finish", "chuyenvien1"),
    ]  # fmt: skip
    assert done["history"][4]["comment"] == "Đã rà soát 12 hồ sơ."

    # the register lists it, with the filters
    def listed(**query) -> list[str]:
        return [i["id"] for i in p.get(f"{unit}/@incoming", "lanhdao1", query=query).json["items"]]

    assert created["id"] in listed(status="done", assigned_to="chuyenvien1")
    assert created["id"] not in listed(status="registered,submitted")
    assert created["id"] not in listed(assigned_to="chuyenvien2")
    assert created["id"] in listed(year=str(now().astimezone(TIMEZONE).year))
    assert listed(year="2001") == []


def test_an_outgoing_document_is_drafted_signed_and_issued(p):
    unit = p.paths["20001"]
    body = {
        "type": "cong-van",
        "summary": "Về việc hướng dẫn cấp phép xây dựng",
        "drafting_unit": "VP",
        "recipients": ["10001", PARTNER.code],
        "attachments": [scan(small_pdf(), "du-thao.pdf")],
    }
    p.post(f"{unit}/@outgoing", body, "nguoingoai", 403)
    answer = p.post(f"{unit}/@outgoing", body, "chuyenvien1", 201)
    draft = answer.json
    url = draft["@id"]
    assert answer.headers["Location"] == url and draft["status"] == "draft"
    assert [(r["code"], r["internal"], r["status_title"]) for r in draft["recipients"]] == [
        ("10001", True, "Chưa gửi"),
        (PARTNER.code, False, "Chưa gửi"),
    ]
    assert draft["number"] is None and draft["notation"] == ""
    assert p.act(url, "sign", "lanhdao1", 409).json["type"] == "Conflict"  # not submitted
    assert p.act(url, "submit", "chuyenvien1").json["status"] == "awaiting_signature"
    assert p.act(url, "sign", "chuyenvien1", 403).json["type"] == "Forbidden"
    refused = p.act(url, "sign", "lanhdao1", 400, authority="XYZ").json
    assert refused["errors"][0]["field"] == "authority"
    signed = p.act(
        url,
        "sign",
        "lanhdao1",
        signer_name="Nguyễn Văn An",
        signer_position="Phó Giám đốc",
        authority="KT.",
    ).json
    assert signed["status"] == "signed" and signed["authority_title"].startswith("KT.")
    assert p.act(url, "issue", "lanhdao1", 403).json["type"] == "Forbidden"
    issued = p.act(url, "issue", "vanthu1").json
    number = issued["number"]
    assert issued["status"] == "issued" and issued["notation"] == f"{number:02d}/SXD-VP"
    assert issued["issued"] and issued["document_date"] == issued["issued"][:10]
    # signed with the unit's certificate at issue
    [seal] = issued["signed_pdf"]["signatures"]
    assert seal["valid"] and seal["signer_name"] == UNIT_NAME and seal["trust"] == "trusted"
    p.web.get(issued["signed_pdf"]["download"], headers=p.headers("vanthu2"), status=403)
    signed_pdf = p.web.get(issued["signed_pdf"]["download"], headers=p.headers("lanhdao1"))
    assert signed_pdf.content_type == "application/pdf" and len(signed_pdf.body) > len(small_pdf())

    # sent: the commune's register has it, the exchange status comes back
    sent = p.act(url, "send", "vanthu1").json
    assert sent["status"] == "sent" and sent["recipients"][0]["status_title"] == "Đã đến"
    arrived = p.get(f"{p.paths['10001']}/@incoming", "vanthu2").json["items"][0]
    assert arrived["notation"] == issued["notation"] and arrived["status"] == "arrived"

    # another one, its number given by hand: the one issued already is refused
    other = p.post(f"{unit}/@outgoing", {**body, "attachments": []}, "chuyenvien1", 201).json
    p.act(other["@id"], "submit", "chuyenvien1")
    p.act(other["@id"], "sign", "lanhdao1")
    before = p.stored()
    refused = p.act(other["@id"], "issue", "vanthu1", 409, number=number).json
    assert refused["type"] == "Conflict" and issued["notation"] in refused["message"]
    assert refused["errors"][0]["field"] == "number"
    assert p.stored() == before
    assert p.act(other["@id"], "issue", "vanthu1", 400, number="một").json["type"] == "BadRequest"
    again = p.act(other["@id"], "issue", "vanthu1").json
    assert again["number"] == number + 1 and again["signed_pdf"] is None
    assert again["history"][-1]["comment"] == "Văn bản không có tệp PDF: chưa ký số."

    listing = p.get(f"{unit}/@outgoing", "vanthu1", query={"status": "issued,sent"}).json
    assert [i["id"] for i in listing["items"]][:2] == [other["id"], draft["id"]]
    assert p.get(f"{unit}/@outgoing", "vanthu1", query={"status": "draft"}).json["items_total"] == 0
    assert p.act(url, "no_such", "vanthu1", 404).json["type"] == "NotFound"
    workflow = p.get(f"{url}/@workflow", "vanthu1").json
    assert workflow["status"] == "sent" and [t["name"] for t in workflow["transitions"]] == [
        "recall"
    ]


BAD = [
    ("summary a number", dict(summary=12), 400, "summary"),
    ("attachments not a list", dict(attachments=scan()), 400, "attachments"),
    ("unknown type", dict(type="Thư tình"), 400, "type"),
    ("arrival in the future", dict(arrival="FUTURE"), 400, "arrival"),
    ("control characters", dict(sender="UBND\x00tỉnh\x1b[31m"), 400, "sender"),
    ("urgency a list", dict(urgency=["khan"]), 400, "urgency"),
    ("an executable", dict(attachments=[scan(b"MZ\x90\x00" + bytes(200), "a.exe")]), 400, "attachments"),
    ("bad base64", dict(attachments=[{"data": "%%%"}]), 400, "attachments"),
    ("too large", dict(attachments=[scan(PDF + bytes(1100 * 1024))]), 413, "attachments"),
]  # fmt: skip


@pytest.mark.parametrize("case, change, status, field", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_with_a_message_and_stores_nothing(p, case, change, status, field):
    if change.get("arrival") == "FUTURE":
        change = {"arrival": (now() + timedelta(days=2)).astimezone(TIMEZONE).date().isoformat()}
    before = p.stored()
    refused = p.register(status=status, **change).json
    assert refused["message"] and refused["type"]
    assert field in {e["field"] for e in refused["errors"]}
    assert p.stored() == before


@pytest.mark.parametrize(
    "body, status",
    [(b'{"summary": ', 400), (b'{"summary": "\xff\xfe"}', 400), (b"[1, 2]", 400), (b"{}", 400)],
    ids=["malformed", "not utf-8", "not an object", "empty object"],
)
def test_bodies_that_are_not_a_json_object_are_refused(p, body, status):
    before = p.stored()
    answer = p.web.post(
        f"{p.paths['20001']}/@incoming",
        body,
        headers={**p.headers("vanthu1"), "Content-Type": "application/json"},
        status=status,
    )
    assert answer.json["type"] == "BadRequest" and answer.json["message"]
    assert p.stored() == before


def test_arrival_numbers_follow_each_other_after_refusals(p):
    first = p.register().json["arrival_number"]
    p.register(status=400, summary="")
    assert p.register().json["arrival_number"] == first + 1


def test_the_signatures_of_an_incoming_pdf_are_shown_with_it(p, pki):
    signed = sign_pdf(
        parse_settings(signing(pki)), "20001", small_pdf(), reason="", location="", signer_name=""
    )
    created = p.register(attachments=[scan(signed)]).json
    [report] = created["attachments"][0]["signatures"]
    assert created["attachments"][0]["signatures_checked"]
    assert report["valid"] and not report["changed_after_signing"]
    assert report["signer_name"] == UNIT_NAME and report["signing_time"]
    assert report["summary"].startswith("Hợp lệ: ký bởi " + UNIT_NAME)


def test_script_in_a_summary_comes_back_as_the_text_it_is(p):
    summary = '<script>alert("x")</script> Về việc <b>họp</b>'
    created = p.register(summary=summary).json
    answer = p.get(created["@id"], "vanthu1")
    assert answer.content_type == "application/json" and answer.json["summary"] == summary


def test_another_unit_s_staff_and_visitors_see_nothing(p):
    unit = p.paths["20001"]
    created = p.register().json
    for who, status in ((None, 401), ("vanthu2", 403), ("nguoingoai", 403)):
        assert p.get(f"{unit}/@incoming", who, status).json["type"]
        assert p.get(f"{unit}/@outgoing", who, status).json["type"]
        assert p.get(created["@id"], who, status).json["type"]
        assert p.act(created["@id"], "submit", who, status).json["type"]
    before = p.stored()
    assert p.register("vanthu2", status=403).json["message"] == (
        "Chỉ văn thư của đơn vị được vào sổ văn bản đến."
    )
    assert p.register(None, status=401).json["type"] == "Unauthorized"
    assert p.stored() == before
    # the office's address answers as the unit's
    assert p.get(f"{unit}/van-thu/@incoming", "vanthu1").json["items_total"] >= 1
    p.post(f"{unit}/van-thu/@incoming", INCOMING, "vanthu1", 201)


def test_a_secret_document_only_for_its_readers(p):
    unit = p.paths["20001"]
    secret = p.register(secrecy="mat", readers=["lanhdao1"]).json
    assert secret["readers"] == ["vanthu1", "lanhdao1"]

    def listed(login) -> list[str]:
        return [
            i["id"] for i in p.get(f"{unit}/@incoming", login, query={"b_size": 200}).json["items"]
        ]

    assert secret["id"] in listed("lanhdao1") and secret["id"] not in listed("chuyenvien1")
    assert p.get(secret["@id"], "chuyenvien1", 403).json["type"] == "Forbidden"
    assert p.get(secret["@id"], "lanhdao1").json["secrecy_title"] == "Mật"
    download = f"{secret['@id']}/@@attachment/1"
    p.web.get(download, headers=p.headers("chuyenvien1"), status=403)


def test_register_filters_batches_and_refuses_bad_parameters(p):
    queue = f"{p.paths['10001']}/@incoming"
    total = p.get(queue, "lanhdao2").json["items_total"]
    ids = [p.register("vanthu2", "10001").json["id"] for _ in range(3)]
    today = now().astimezone(TIMEZONE).date().isoformat()
    late = p.post(queue, {**INCOMING, "deadline": today}, "vanthu2", 201).json
    page = p.get(queue, "lanhdao2", query={"b_size": 2}).json
    assert [i["id"] for i in page["items"]] == [late["id"], ids[2]]
    assert page["items_total"] == total + 4 and page["batching"]["next"]
    with frozen(now() + timedelta(days=1)):
        p.tokens.clear()  # yesterday's sessions have expired: signed in again
        overdue = p.get(queue, "lanhdao2", query={"overdue": "1"}).json["items"]
    p.tokens.clear()
    assert [i["id"] for i in overdue] == [late["id"]] and overdue[0]["overdue"]
    for bad in ({"overdue": "maybe"}, {"status": "nonsense"}, {"year": "twenty"}):
        assert p.get(queue, "lanhdao2", 400, bad).json["type"] == "BadRequest"


def test_a_document_changes_only_through_its_transitions(p):
    created = p.register().json
    before = p.stored()
    headers = p.headers("vanthu1")
    p.web.patch_json(created["@id"], {"summary": "x"}, headers=headers, status=405)
    p.web.delete(created["@id"], headers=headers, status=405)
    p.web.put_json(f"{p.paths['20001']}/@incoming", {}, headers=headers, status=405)
    assert p.stored() == before


def test_a_browser_signed_in_needs_the_csrf_token(p):
    created = p.register().json
    browser = webtest.TestApp(p.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(browser, "vanthu1", USER_PASSWORD)
    url = f"{created['@id']}/@workflow/submit"
    browser.post_json(url, {}, headers={"Accept": "application/json"}, status=400)
    assert p.get(created["@id"], "vanthu1").json["status"] == "registered"
    headers = {"Accept": "application/json", "X-CSRF-Token": csrf_token(browser.get("/@@login"))}
    browser.post_json(url, {}, headers=headers, status=200)
    assert p.get(created["@id"], "vanthu1").json["status"] == "submitted"


def test_the_openapi_document_lists_the_endpoints(p):
    paths = p.web.get("/@openapi").json["paths"]
    assert {"get", "post"} <= set(paths["/{path}/@incoming"])
    assert {"get", "post"} <= set(paths["/{path}/@outgoing"])
    assert "get" in paths["/{registered_document_path}"]
    assert "post" in paths["/{registered_document_path}/@workflow/{transition}"]


#: Clerks registering at once, and how many documents each.
CLERKS, EACH = ("vanthu1", "vanthu3", "vanthu4"), 5


def test_clerks_registering_at_once_get_distinct_consecutive_numbers(p):
    with p.model() as model:
        for clerk in CLERKS[1:]:
            if model.site.principals.get_user(clerk) is None:
                model.site.principals.add_user(clerk, USER_PASSWORD)
                unit_of(model.site, "20001").local_roles[clerk] = ("Clerk",)
        model.commit()
    tokens = {clerk: p.token(clerk) for clerk in CLERKS}
    start = threading.Barrier(len(CLERKS))
    answers: list[tuple[int, dict]] = []

    def register(base: str, clerk: str) -> None:
        start.wait()
        for n in range(EACH):
            body = {**INCOMING, "summary": f"Văn bản {clerk} {n}"}
            request = urllib.request.Request(
                f"{base}{p.paths['20001']}/@incoming",
                data=json.dumps(body).encode(),
                headers={
                    "Accept": "application/json",
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {tokens[clerk]}",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    answers.append((response.status, json.load(response)))
            except urllib.error.HTTPError as error:
                answers.append((error.code, {}))

    server = StopableWSGIServer.create(p.app, threads=len(CLERKS) + 1)
    try:
        base = server.application_url.rstrip("/")
        threads = [threading.Thread(target=register, args=(base, c)) for c in CLERKS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        server.shutdown()
    assert [status for status, _body in answers] == [201] * len(CLERKS) * EACH
    numbers = sorted(body["arrival_number"] for _status, body in answers)
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    with p.model() as model:
        office = office_of(model.site, "20001")
        kept = {office.documents[body["id"]].summary for _status, body in answers}
    assert len(kept) == len(CLERKS) * EACH
