"""A dossier's life in the model: intake at the counter and online, routing,
codes, the process's steps and deadlines, the clock stopping for a supplement,
liên thông counted once, and every transition checking its role at its unit."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from core.clock import frozen
from core.fields import Upload
from core.workdays import working_calendar, working_days_between
from plugins.onestop import statuses as S
from plugins.onestop.intake import IntakeError, Submission, submit
from plugins.onestop.persons import parse_person
from plugins.onestop.registry import find_dossier
from plugins.onestop.tests.onestop_setup import APPLICANT, PDF, onestop_settings, province
from plugins.onestop.transitions import TransitionError, perform
from plugins.onestop.units import desk_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def settings(data_dir):
    return onestop_settings(data_dir)


@pytest.fixture
def units(model):
    return province(model)


def applicant():
    person, errors = parse_person(APPLICANT, "json")
    assert not errors
    return person


def pdf(name="scan.pdf"):
    return Upload(name, "application/pdf", PDF)


def counter(
    model, login="tiepnhan3", code="1.000005", unit="20001", docs=("Đơn đề nghị", "Bản vẽ")
):
    model.act_as(login)
    sub = Submission(
        code, applicant(), "counter", "counter", unit, documents=[(d, pdf()) for d in docs]
    )
    return submit(model.request, sub, receive=True)


def test_counter_reception_codes_routes_and_plans_the_deadline(model, units):
    with frozen(at(2026, 2, 12, 16, 0)):  # Thursday afternoon, Tết from Monday
        dossier = counter(model)
        second = counter(model)
    assert dossier.code == "20001-260212-0001" and second.code == "20001-260212-0002"
    assert dossier.status == S.RECEIVED and dossier.processing_unit == "20001"
    # 15 working days: Tết (16–20 Feb) and the weekends skipped
    assert dossier.due == at(2026, 3, 12, 16, 0)
    assert [s.name for s in dossier.steps] == ["receive", "process", "approve", "return"]
    step = dossier.current_step  # the process step has what approval's half day leaves
    assert step.name == "process" and step.days == 14.5
    counted = working_days_between(working_calendar(model.request), dossier.received, step.due)
    assert abs(counted - Fraction(29, 2)) < Fraction(1, 10**9)
    assert find_dossier(model.site, dossier.code) is dossier
    queue = desk_of(model.site, "20001").queue
    assert set(queue) == {dossier.code, second.code}
    assert [e.transition for e in dossier.history] == ["submit", "receive"]


def test_anywhere_procedure_received_at_a_commune_goes_to_the_department(model, units):
    dossier = counter(model, login="tiepnhan1", unit="10001")
    assert dossier.code.startswith("10001-") and dossier.processing_unit == "20001"
    assert dossier.__parent__ is desk_of(model.site, "20001")
    assert dossier.code in desk_of(model.site, "10001").queue  # the receiving desk lists it
    with pytest.raises(IntakeError) as refused:  # not received anywhere: only at 20001
        counter(model, login="tiepnhan1", unit="10001", code="1.000008", docs=("Đơn đề nghị",))
    assert refused.value.status == 409


def test_bad_intake_stores_nothing(model, units):
    model.act_as("tiepnhan3")
    before = len(model.site.onestop.codes)
    cases = [
        Submission("9.999999", applicant(), "counter", "counter", "20001"),
        Submission(
            "1.000005",
            applicant(),
            "counter",
            "counter",
            "20001",
            documents=[("Đơn đề nghị", pdf())],
        ),
        Submission(
            "1.000005",
            applicant(),
            "counter",
            "counter",
            "20001",
            documents=[
                ("Đơn đề nghị", pdf()),
                ("Bản vẽ", Upload("x.exe", "application/pdf", b"MZ\x90\x00" + bytes(60))),
            ],
        ),
        Submission(
            "1.000008",
            applicant(),
            "counter",
            "online",
            "20001",
            documents=[("Đơn đề nghị", pdf())],
        ),
    ]
    statuses = []
    for case in cases:
        with pytest.raises(IntakeError) as refused:
            submit(model.request, case, receive=case.channel == "counter")
        statuses.append(refused.value.status)
    assert statuses == [400, 400, 400, 400]
    assert len(model.site.onestop.codes) == before
    bad, errors = parse_person({**APPLICANT, "id_number": "12345"}, "json")
    assert bad is None and "id_number" in errors


def test_whole_life_with_roles_supplement_clock_and_result(model, units):
    with frozen(at(2026, 3, 2, 8, 0)):  # Monday
        dossier = counter(model)
    due = dossier.due
    with frozen(at(2026, 3, 3, 9, 0)):
        model.act_as("tiepnhan1")  # a receptionist of another unit
        with pytest.raises(TransitionError) as denied:
            perform(model.request, dossier, "assign", {})
        assert denied.value.status == 403
        model.act_as("chuyenvien3")
        perform(model.request, dossier, "assign", {"assignee": "chuyenvien3"})
        assert dossier.status == S.PROCESSING
        with pytest.raises(TransitionError) as empty:
            perform(model.request, dossier, "request_supplement", {"comment": " "})
        assert empty.value.status == 400
        perform(model.request, dossier, "request_supplement", {"comment": "Thiếu bản vẽ mặt đứng"})
    assert dossier.status == S.SUPPLEMENT and dossier.clock_stopped == at(2026, 3, 3, 9, 0)
    with frozen(at(2026, 3, 10, 9, 0)):  # a week later: the clock did not run
        model.act_as("tiepnhan3")
        perform(model.request, dossier, "supplement", {})
    assert dossier.status == S.PROCESSING
    supplement = dossier.supplements[-1]
    assert supplement.previous_due == due and supplement.new_due == dossier.due
    assert dossier.due == at(2026, 3, 30, 8, 0)  # five working days later than before
    with frozen(at(2026, 3, 11, 9, 0)):
        model.act_as("chuyenvien3")
        perform(model.request, dossier, "assign", {})  # on to the Leader's approval
        assert dossier.current_step.name == "approve"
        with pytest.raises(TransitionError):
            perform(model.request, dossier, "approve", {})
        model.act_as("lanhdao3")
        perform(
            model.request,
            dossier,
            "approve",
            {"result_number": "12/GP-SXD", "signer": "Trần Văn B"},
        )
    assert dossier.status == S.RESULT_READY and dossier.current_step.name == "return"
    with frozen(at(2026, 3, 12, 9, 0)):
        model.act_as("tiepnhan3")
        perform(model.request, dossier, "return_result", {})
        with pytest.raises(TransitionError) as again:
            perform(model.request, dossier, "return_result", {})
        assert again.value.status == 409
    assert dossier.status == S.RETURNED and dossier.code not in desk_of(model.site, "20001").queue
    record = desk_of(model.site, "20001").records[dossier.code]
    assert record.finished == at(2026, 3, 11, 9, 0) and record.returned == at(2026, 3, 12, 9, 0)
    assert [e.transition for e in dossier.history] == [
        "submit",
        "receive",
        "assign",
        "request_supplement",
        "supplement",
        "assign",
        "approve",
        "return_result",
    ]


def test_liaison_sub_dossier_comes_back_and_is_counted_once(model, units):
    dossier = counter(model, login="tiepnhan1", code="1.000003", unit="10001", docs=("Tờ khai",))
    model.act_as("chuyenvien1")
    perform(model.request, dossier, "assign", {})
    perform(model.request, dossier, "transfer", {"unit": "20001", "days": 2, "step": "Thẩm định"})
    sub = find_dossier(model.site, dossier.subs[0])
    assert sub.origin == dossier.code and sub.status == S.PROCESSING
    assert sub.code in desk_of(model.site, "20001").queue
    with pytest.raises(TransitionError):  # the origin waits while its step is away
        perform(model.request, dossier, "assign", {})
    model.act_as("lanhdao3")
    perform(model.request, sub, "approve", {})
    assert (
        dossier.handovers[0].back is not None and dossier.history[-1].transition == "transfer_back"
    )
    assert sub.code not in desk_of(model.site, "20001").records  # counted at its origin only
    assert dossier.code in desk_of(model.site, "10001").records


def test_a_late_dossier_gets_an_apology_with_a_new_date(model, units):
    from plugins.onestop.apology import apologize, appointment

    with frozen(at(2026, 3, 2, 8, 0)):
        dossier = counter(model)
    due = dossier.due
    with frozen(at(2026, 3, 25, 9, 0)):  # past the due date
        model.act_as("tiepnhan1")
        with pytest.raises(TransitionError) as denied:
            apologize(model.request, dossier, "Chờ ý kiến", at(2026, 4, 3, 16, 0))
        assert denied.value.status == 403
        model.act_as("chuyenvien3")
        with pytest.raises(TransitionError) as early:
            apologize(model.request, dossier, "Chờ ý kiến", at(2026, 3, 20, 16, 0))
        assert early.value.status == 400
        apologize(model.request, dossier, "Chờ ý kiến của Sở Tài nguyên", at(2026, 4, 3, 16, 0))
    assert appointment(dossier) == at(2026, 4, 3, 16, 0) and dossier.due == due
    assert (
        dossier.apologies[0].previous_due == due and dossier.history[-1].transition == "apologize"
    )


def test_a_citizen_reuses_an_earlier_result_in_a_new_dossier(model, units):
    from plugins.onestop.intake import Reuse
    from plugins.onestop.registry import owned_codes

    model.act_as("congdan")
    online = Submission(
        "1.000005", applicant(), "online", "online", "20001", owner="congdan",
        documents=[("Đơn đề nghị", pdf()), ("Bản vẽ", pdf())],
    )  # fmt: skip
    first = submit(model.request, online)
    assert first.status == S.SUBMITTED and first.due is None
    model.act_as("tiepnhan3")
    perform(model.request, first, "receive", {})
    model.act_as("chuyenvien3")
    perform(model.request, first, "assign", {})
    perform(model.request, first, "assign", {})
    model.act_as("lanhdao3")
    permit = Upload("giay-phep.pdf", "application/pdf", PDF + b"% giay phep\n")
    perform(model.request, first, "approve", {"result_number": "5/GP", "result_file": permit})
    model.act_as("congdan")
    second = Submission(
        "1.000005", applicant(), "online", "online", "20001", owner="congdan",
        documents=[("Đơn đề nghị", pdf()), ("Bản vẽ", Reuse(first.code))],
    )  # fmt: skip
    dossier = submit(model.request, second)
    reused = next(d for d in dossier.documents if d.component == "Bản vẽ")
    assert reused.filename == "giay-phep.pdf" and reused.open().read().endswith(b"giay phep\n")
    assert owned_codes(model.site, "congdan") == [dossier.code, first.code]
    model.act_as("chuyenvien3")  # someone else's result cannot be reused
    other = Submission(
        "1.000005", applicant(), "online", "online", "20001", owner="chuyenvien3",
        documents=[("Đơn đề nghị", pdf()), ("Bản vẽ", Reuse(first.code))],
    )  # fmt: skip
    with pytest.raises(IntakeError) as refused:
        submit(model.request, other)
    assert "Bản vẽ" in refused.value.errors


def test_received_after_hours_before_a_make_up_saturday(model, units):
    """Friday 21 August 2026 at 17:45 is after hours; Saturday 22 August is a
    make-up working day (for Monday 31 August, off beside 2/9): the five days of
    1.000003 at the counter count from Saturday's morning."""
    with frozen(at(2026, 8, 21, 17, 45)):
        dossier = counter(
            model, login="tiepnhan1", code="1.000003", unit="10001", docs=("Tờ khai",)
        )
    assert dossier.due == at(2026, 8, 27, 17, 0)
