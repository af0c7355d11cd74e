"""The one-stop JSON API: a dossier's whole life with the role at each step
(citizen, receptionist, specialist, leader), what is refused and that a refusal
changes nothing, the unit's queue and its filters, the generic content API kept
off dossiers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import webtest

from core.clock import frozen, now
from core.testing import USER_PASSWORD, csrf_token, login
from plugins.onestop.registry import find_dossier
from plugins.onestop.tests.api_client import b64, file_item, province_app, submission
from plugins.onestop.tests.onestop_setup import APPLICANT, PDF
from plugins.onestop.units import desk_of


@pytest.fixture(scope="module")
def p(tmp_path_factory):
    with province_app(
        tmp_path_factory.mktemp("api") / "var", **{"cong.onestop.max_file_mb": "1"}
    ) as province:
        yield province


def stored(p, code: str) -> dict:
    """What is stored of dossier ``code``: its status, history length, documents."""
    with p.model() as model:
        dossier = find_dossier(model.site, code)
        return {
            "status": dossier.status,
            "history": len(dossier.history),
            "documents": len(dossier.documents),
            "due": dossier.due,
        }


def codes_stored(p) -> set[str]:
    with p.model() as model:
        return set(model.site.onestop.codes)


def test_a_dossier_s_life_online_to_returned(p):
    commune = p.paths["10001"]
    body = submission("1.000003", ("Tờ khai",), return_method="online")
    created = p.post(f"{commune}/@dossiers", body, "congdan", status=201).json
    assert created["status"] == "submitted" and created["status_code"] == 1
    assert created["code"].startswith("10001-") and created["due_date"] is None
    url = created["@id"]
    assert url.endswith(f"{commune}/mot-cua/{created['code']}")

    # the citizen sees it whole; another unit's staff and visitors are told nothing
    mine = p.get(url, "congdan").json
    assert mine["applicant"]["id_number"] == APPLICANT["id_number"]
    assert mine["channel"] == "online" and mine["documents"][0]["component"] == "Tờ khai"
    assert [t["name"] for t in mine["transitions"]] == ["withdraw"]
    assert p.get(url, "chuyenvien3", status=404).json["type"] == "NotFound"
    assert p.get(url, None, status=404).json["message"] == "Không tìm thấy hồ sơ."

    # the receptionist receives it: the due date is set
    received = p.act(url, "receive", "tiepnhan1", comment="Đủ hồ sơ").json
    assert received["status"] == "received" and received["due_date"]
    assert received["history_entry"]["action"] == "receive"
    assert received["history_entry"]["actor"] == "tiepnhan1"

    # the citizen may not assign it (403), nor receive it again (409): nothing changes
    before = stored(p, created["code"])
    refused = p.act(url, "assign", "congdan", status=403).json
    assert refused["type"] == "Forbidden" and "quyền" in refused["message"]
    assert p.act(url, "receive", "tiepnhan1", status=409).json["type"] == "Conflict"
    assert p.act(url, "no_such", "tiepnhan1", status=404).json["type"] == "NotFound"
    assert stored(p, created["code"]) == before

    # the specialist takes it, asks for a supplement; the citizen hands it in
    assert p.act(url, "assign", "chuyenvien1", assignee="chuyenvien1").json["status_code"] == 4
    asked = p.act(url, "request_supplement", "chuyenvien1", comment="Thiếu bản sao").json
    assert asked["status"] == "supplement_requested"
    assert p.act(url, "request_supplement", "chuyenvien1", status=409).json["type"] == "Conflict"
    supplied = p.act(url, "supplement", "congdan", documents=[file_item("Bản sao giấy tờ")]).json
    assert supplied["status"] == "processing"
    assert [d["component"] for d in p.get(url, "congdan").json["documents"]] == [
        "Tờ khai",
        "Bản sao giấy tờ",
    ]

    # a specialist may not approve; the leader does, with the result's file
    assert p.act(url, "approve", "chuyenvien1", status=403).json["type"] == "Forbidden"
    result_file = {"filename": "kq.pdf", "data": b64(PDF)}
    approved = p.act(
        url, "approve", "lanhdao1", result_number="12/GCN", result_file=result_file
    ).json
    assert approved["status"] == "result_ready"
    whole = p.get(url, "tiepnhan1").json
    assert whole["result"]["number"] == "12/GCN"
    download = whole["result"]["document"]["download"]
    assert p.web.get(download, headers=p.headers("congdan")).body == PDF
    p.web.get(download, headers=p.headers("chuyenvien3"), status=404)
    p.web.get(whole["documents"][0]["download"], status=404)  # a visitor

    # the citizen's look-up tells what they may know, never who did what
    found = p.get(
        "/@lookup", query={"code": created["code"], "id_number": APPLICANT["id_number"]}
    ).json
    assert found["status_code"] == 9 and found["asked_of_applicant"] == "collect"
    assert [s["action"] for s in found["steps_done"]][:3] == ["submit", "receive", "assign"]
    assert all("actor" not in s and "comments" not in s for s in found["steps_done"])
    assert "id_number" not in str(found) and "phone" not in str(found)

    returned = p.act(url, "return_result", "tiepnhan1").json
    assert returned["status"] == "returned" and returned["status_code"] == 10
    final = p.get(url, "congdan").json
    assert [h["action"] for h in final["history"]] == [
        "submit", "receive", "assign", "request_supplement", "supplement", "approve",
        "return_result",
    ]  # fmt: skip
    assert final["transitions"] == []


def test_counter_intake_is_received_at_once_unless_asked_not_to(p):
    department = p.paths["20001"]
    created = p.post(f"{department}/@dossiers", submission(), "tiepnhan3", status=201)
    assert created.json["status_code"] == 2 and created.json["due_date"]
    assert created.headers["Location"] == created.json["@id"]
    kept = p.post(
        f"{department}/@dossiers", submission(receive=False), "tiepnhan3", status=201
    ).json
    assert kept["status_code"] == 1
    with p.model() as model:
        assert find_dossier(model.site, kept["code"]).channel == "counter"
        assert find_dossier(model.site, kept["code"]).owner == ""
    # received at a commune, processed by the department (phi địa giới)
    elsewhere = p.post(f"{p.paths['10002']}/@dossiers", submission(), None, status=201).json
    assert elsewhere["processing_unit"] == "20001" and elsewhere["code"].startswith("10002-")


BAD = [
    ("unknown procedure", dict(service="9.999999"), 400, "service"),
    ("not offered online", dict(service="1.000008", documents=[file_item("Đơn đề nghị")]), 400, "service"),
    ("component missing", dict(documents=[file_item("Đơn đề nghị")]), 400, "Bản vẽ"),
    ("wrong identifier", dict(applicant={**APPLICANT, "id_number": "12345"}), 400, "applicant.id_number"),
    ("an executable", dict(documents=[file_item("Đơn đề nghị"), file_item("Bản vẽ", b"MZ\x90\x00" + bytes(200), "a.exe")]), 400, "Bản vẽ"),
    ("too large", dict(documents=[file_item("Đơn đề nghị"), file_item("Bản vẽ", PDF + bytes(1100 * 1024))]), 413, "Bản vẽ"),
    ("bad base64", dict(documents=[{"component": "Bản vẽ", "data": "%%%"}]), 400, "documents.0"),
    ("return method", dict(return_method="pigeon"), 400, "return_method"),
]  # fmt: skip


@pytest.mark.parametrize("case, change, status, field", BAD, ids=[b[0] for b in BAD])
def test_bad_submissions_are_refused_with_a_message_and_store_nothing(
    p, case, change, status, field
):
    before = codes_stored(p)
    answer = p.post(f"{p.paths['20001']}/@dossiers", submission(**change), "congdan", status=status)
    assert answer.json["message"] and answer.json["type"]
    assert field in {e["field"] for e in answer.json["errors"]}
    assert codes_stored(p) == before


def test_malformed_json_is_a_400(p):
    answer = p.web.post(
        f"{p.paths['20001']}/@dossiers",
        b'{"service": ',
        headers={**p.headers("congdan"), "Content-Type": "application/json"},
        status=400,
    )
    assert answer.json["type"] == "BadRequest"


def test_the_queue_lists_open_dossiers_to_the_unit_s_staff_with_filters(p):
    unit = p.paths["10002"]
    commune_body = submission("1.000003", ("Tờ khai",))
    codes = [
        p.post(f"{unit}/@dossiers", commune_body, None, status=201).json["code"] for _ in range(3)
    ]
    p.get(f"{unit}/@dossiers", None, status=401)
    p.get(f"{unit}/@dossiers", "congdan", status=403)
    p.get(f"{unit}/@dossiers", "tiepnhan1", status=403)  # another unit's receptionist
    with p.model() as model:  # a receptionist of 10002, Manager elsewhere none
        model.site[unit.strip("/")].local_roles["tiepnhan2"] = ("Receptionist",)
        model.site.principals.add_user("tiepnhan2", "mat-khau-thu-nghiem-2026")
        model.commit()

    def sign_in() -> None:
        body = {"login": "tiepnhan2", "password": "mat-khau-thu-nghiem-2026"}
        p.tokens["tiepnhan2"] = p.web.post_json("/@login", body).json["token"]

    sign_in()
    queue = f"{unit}/@dossiers"

    def listed(**query) -> list[str]:
        return [i["code"] for i in p.get(queue, "tiepnhan2", query=query).json["items"]]

    listing = p.get(queue, "tiepnhan2").json
    assert set(codes) <= set(listed()) and listing["items_total"] == len(listed())
    first = listing["items"][listed().index(codes[0])]
    p.act(first["@id"], "receive", "tiepnhan2")
    assert codes[0] in listed(status="received,4") and codes[1] not in listed(status="2")
    assert codes[0] not in listed(status="submitted") and codes[1] in listed(status="1")
    assert codes[1] in listed(service="1.000003") and listed(service="1.000008") == []
    page = p.get(queue, "tiepnhan2", query={"b_size": 1}).json
    assert len(page["items"]) == 1 and page["batching"]["next"]
    # overdue and due soon as they will be
    assert listed(overdue="true") == [] and listed(due_soon="true") == []
    due = datetime.fromisoformat(p.get(first["@id"], "tiepnhan2").json["due_date"])
    with frozen(due - timedelta(hours=1)):
        sign_in()  # days later: today's session has expired
        assert listed(due_soon="true") == [codes[0]]
    with frozen(now() + timedelta(days=60)):
        sign_in()
        assert listed(overdue="true") == [codes[0]] and listed(due_soon="true") == []
    sign_in()
    assert listed(assignee="me") == []
    for bad in ({"overdue": "maybe"}, {"status": "nonsense"}, {"sort_on": "x"}):
        assert p.get(queue, "tiepnhan2", 400, bad).json["type"] == "BadRequest"


def test_a_dossier_is_never_edited_nor_deleted_through_the_content_api(p):
    created = p.post(f"{p.paths['20001']}/@dossiers", submission(), "tiepnhan3", status=201).json
    url, headers = created["@id"], p.headers("admin")
    before = stored(p, created["code"])
    p.web.patch_json(url, {"status": 10}, headers=headers, status=405)
    p.web.delete(url, headers=headers, status=405)
    p.web.put_json(url, {}, headers=headers, status=405)
    assert stored(p, created["code"]) == before
    with p.model() as model:
        assert created["code"] in desk_of(model.site, "20001").dossiers


def test_a_browser_signed_in_needs_the_csrf_token(p):
    created = p.post(
        f"{p.paths['10001']}/@dossiers", submission("1.000003", ("Tờ khai",)), None, status=201
    ).json
    browser = webtest.TestApp(p.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(browser, "tiepnhan1", USER_PASSWORD)
    url = f"{created['@id']}/@workflow/receive"
    json_headers = {"Accept": "application/json"}
    browser.post_json(url, {}, headers=json_headers, status=400)
    assert stored(p, created["code"])["status"] == 1
    token = csrf_token(browser.get("/@@login"))
    browser.post_json(url, {}, headers={**json_headers, "X-CSRF-Token": token}, status=200)
    assert stored(p, created["code"])["status"] == 2
