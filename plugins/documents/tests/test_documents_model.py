"""The registers in the model: registering and numbering, the incoming document's
direction and handling, the outgoing document's signing and issue with its number
and notation, duplicates refused, the year change, and who may see what."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.clock import frozen
from plugins.documents import registered as R
from plugins.documents.access import can_view
from plugins.documents.entries import EntryError, parse_incoming, parse_outgoing
from plugins.documents.registration import create_outgoing, register_incoming
from plugins.documents.tests.documents_setup import documents_settings, province
from plugins.documents.transitions import TransitionError, available, perform
from plugins.documents.units import office_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def settings(data_dir):
    return documents_settings(data_dir)


@pytest.fixture
def units(model):
    return province(model)


INCOMING = {
    "sender": "UBND tỉnh",
    "notation": "125/UBND-KT",
    "document_date": "2026-03-02",
    "type": "Công văn",
    "summary": "Về việc rà soát hồ sơ cấp phép xây dựng",
    "urgency": "khan",
}


def incoming(model, login="vanthu1", unit="20001", **extra):
    model.act_as(login)
    values = parse_incoming(model.request, {**INCOMING, **extra}, "json")
    return register_incoming(model.request, office_of(model.site, unit), values)


def outgoing(model, login="chuyenvien1", unit="20001", **extra):
    model.act_as(login)
    raw = {"type": "QĐ", "summary": "Quyết định phê duyệt kế hoạch", "recipients": ["10001"]}
    values = parse_outgoing(model.request, {**raw, **extra}, "json")
    return create_outgoing(model.request, office_of(model.site, unit), values)


def test_arrival_numbers_follow_the_register_and_restart_each_year(model, units):
    with frozen(at(2026, 12, 31, 16, 0)):
        first, second = incoming(model), incoming(model)
    with frozen(at(2027, 1, 2, 8, 0)):
        third = incoming(model)
        other_unit = incoming(model, login="vanthu2", unit="10001")
    assert [d.arrival_number for d in (first, second, third)] == [1, 2, 1]
    assert (first.id, third.id) == ("den-2026-00001", "den-2027-00001")
    assert other_unit.arrival_number == 1
    office = office_of(model.site, "20001")
    assert list(office.incoming_register.items()) == [
        ((2026, 1), first.id),
        ((2026, 2), second.id),
        ((2027, 1), third.id),
    ]
    assert first.type_code == "cong-van" and first.urgency == "khan"


def test_bad_incoming_input_is_refused_with_reasons(model, units):
    model.act_as("vanthu1")
    with frozen(at(2026, 3, 3, 9, 0)):
        with pytest.raises(EntryError) as refused:
            parse_incoming(
                model.request,
                {**INCOMING, "type": "QD", "arrival": "2026-03-05", "summary": ""},
                "json",
            )
    assert set(refused.value.errors) == {"type", "arrival", "summary"}
    assert refused.value.status == 400
    with pytest.raises(EntryError) as refused:
        incoming(model, login="chuyenvien1")  # only a clerk registers
    assert refused.value.status == 403
    assert len(office_of(model.site, "20001").documents) == 0


def test_an_incoming_document_is_directed_handled_and_done(model, units):
    with frozen(at(2026, 3, 3, 9, 0)):
        doc = incoming(model)
        perform(model.request, doc, "submit")
        model.act_as("vanthu1")
        with pytest.raises(TransitionError) as refused:
            perform(model.request, doc, "assign", {"direction": "Giao", "lead": "chuyenvien1"})
        assert refused.value.status == 403
        model.act_as("lanhdao1")
        with pytest.raises(TransitionError) as refused:
            perform(model.request, doc, "assign", {"direction": "", "lead": "khongco"})
        assert set(refused.value.errors) == {"direction", "lead"}
        perform(
            model.request,
            doc,
            "assign",
            {
                "direction": "Giao chuyên viên xử lý, báo cáo trước hạn.",
                "lead": "chuyenvien1",
                "coordinators": ["10001"],
                "days": 3,
            },
        )
    assert doc.status == R.ASSIGNED
    assert doc.deadline == at(2026, 3, 6, 9, 0)  # three working days
    office = office_of(model.site, "20001")
    assert list(office.open_due) == [(doc.deadline.astimezone(ZoneInfo("UTC")).isoformat(), doc.id)]
    assert set(office.open_assigned["user:chuyenvien1"]) == {doc.id}
    model.act_as("chuyenvien2")  # the coordinating unit's staff see it
    assert can_view(model.request, doc)
    assert [t.name for t in available(model.request, doc)] == ["note"]
    perform(model.request, doc, "note", {"comment": "Đã phối hợp rà soát."})
    model.act_as("chuyenvien1")
    assert {t.name for t in available(model.request, doc)} == {"start", "note", "finish"}
    with frozen(at(2026, 3, 5, 10, 0)):
        perform(model.request, doc, "start")
        perform(model.request, doc, "finish", {"comment": "Đã trả lời bằng công văn."})
    assert doc.status == R.DONE and list(office.open_due) == []
    assert set(office.done_by_month["2026-03"]) == {doc.id}
    assert [e.transition for e in doc.history] == [
        "register", "submit", "assign", "note", "start", "finish"
    ]  # fmt: skip


def test_issue_allocates_numbers_per_series_and_refuses_duplicates(model, units):
    def issue(doc, number=None):
        model.act_as("chuyenvien1")
        perform(model.request, doc, "submit")
        model.act_as("lanhdao1")
        perform(model.request, doc, "sign", {"authority": "KT.", "signer_position": "Phó Giám đốc"})
        model.act_as("vanthu1")
        return perform(model.request, doc, "issue", {"number": number} if number else {})

    with frozen(at(2026, 5, 4, 9, 0)):
        decision = issue(outgoing(model))
        letter = issue(outgoing(model, type="cong-van", drafting_unit="VP"))
        normative = issue(outgoing(model, legal_normative=True))
        secret = issue(outgoing(model, secrecy="mat", readers=["lanhdao1", "vanthu1"]))
        by_hand = outgoing(model)
        with pytest.raises(TransitionError) as refused:
            issue(by_hand, number=1)
        assert refused.value.status == 409 and "01/QĐ-SXD" in str(refused.value.message.mapping)
        assert by_hand.status == R.SIGNED and by_hand.number is None
        perform(model.request, by_hand, "issue", {"number": 7})
        after = issue(outgoing(model))
    assert decision.notation == "01/QĐ-SXD"
    assert letter.notation == "02/SXD-VP"
    assert normative.notation == "01/2026/QĐ-SXD"
    assert secret.notation == "01/QĐ-SXD" and secret.number == 1  # the secret register's own
    assert by_hand.notation == "07/QĐ-SXD"
    assert after.notation == "03/QĐ-SXD"
    assert decision.issued == at(2026, 5, 4, 9, 0) and decision.status == R.ISSUED
    assert decision.signer_position == "Phó Giám đốc" and decision.authority == "KT."
    with frozen(at(2027, 1, 4, 9, 0)):
        assert issue(outgoing(model)).notation == "01/QĐ-SXD"  # a new year, a new series


def test_secret_documents_only_for_named_readers(model, units):
    with frozen(at(2026, 3, 3, 9, 0)):
        doc = incoming(model, secrecy="mat", readers=["lanhdao1"])
    model.act_as("lanhdao1")
    assert can_view(model.request, doc)
    model.act_as("chuyenvien1")
    assert not can_view(model.request, doc)
    model.act_as("vanthu1")  # who registered it is a reader
    assert can_view(model.request, doc)
    plain = incoming(model)
    model.act_as("vanthu2")  # another unit's clerk
    assert not can_view(model.request, plain)
    model.act_as("chuyenvien1")
    assert can_view(model.request, plain)
