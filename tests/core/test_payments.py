"""Fees paid online (core.payments): a payment asked for, paid on the sandbox's page,
reported by its callback, heard by plugins; refused callbacks change nothing; the
query job settles what no callback reported."""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import webtest
from pyramid.httpexceptions import HTTPForbidden

from core import clock, main
from core.hookspecs import hookimpl
from core.operations import ValidationFailed
from core.payments import (
    CANCELLED,
    NOT_PAID,
    PAID,
    WAITING,
    cancel,
    get_payment,
    payment_url,
    payments_for,
    refund,
    request_payment,
)
from core.payments.checks import check_waiting
from core.payments.platform import CALLBACK_FIELDS, checksum, signed
from core.payments.providers import read_payment_settings
from core.settings import SettingsError, read_settings
from core.testing import (
    ModelRequest,
    add_user,
    csrf_token,
    make_settings,
    run_cong,
    stored_site,
)

SECRET = "test-payment-secret"
PAYER = {"name": "Nguyễn Thị Lan", "identifier": "001190012345", "address": "Xã Tân Phú"}
LINES = [
    {"kind": "phi", "code": "P01", "name": "Phí thẩm định", "amount": 50000},
    {"kind": "le_phi", "code": "LP01", "name": "Lệ phí cấp giấy phép", "amount": 25000},
]
#: 09:00 on 16 March 2026 in Hà Nội.
MORNING = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)


class Recorder:
    """A plugin hearing ``cong_payment_changed``."""

    def __init__(self):
        self.heard = []

    @hookimpl
    def cong_payment_changed(self, request, payment, old_state):
        self.heard.append((payment.reference, old_state, payment.state))


@contextmanager
def model_of(app, login="admin"):
    """A :class:`ModelRequest` on ``app`` as ``login``."""
    m = ModelRequest(app, login)
    try:
        yield m
    finally:
        m.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One application for the module, with the sandbox's secret and a recorder."""
    data_dir = tmp_path_factory.mktemp("payments") / "var"
    application = main({}, **make_settings(data_dir, **{"cong.payment_secret": SECRET}))
    application.registry.cong_plugins.register(Recorder(), name="recorder")
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture
def recorder(app):
    found = app.registry.cong_plugins.get_plugin("recorder")
    found.heard.clear()
    return found


def started(app, subject: str, **options) -> tuple[str, str]:
    """A payment of :data:`LINES` for ``subject``, sent to the sandbox: its reference
    and the sandbox page's address (path and query)."""
    with model_of(app) as m:
        payment = request_payment(m.request, subject, "dossier", PAYER, LINES, **options)
        url = payment_url(m.request, payment)
        m.commit()
        parts = urlsplit(url)
        return payment.reference, f"{parts.path}?{parts.query}"


def chosen(client, page_url: str, choice: str) -> str:
    """Choose on the sandbox's page; the callback address it sends the browser to."""
    page = client.get(page_url)
    response = page.forms["payment-sandbox-form"].submit("choice", value=choice, status=303)
    parts = urlsplit(response.location)
    return f"{parts.path}?{parts.query}"


def state_of(app, reference: str):
    with model_of(app) as m:
        payment = get_payment(m.site, reference)
        return payment.state, len(payment.history), payment.receipt


def callback_fields(reference: str, amount: int, transaction: str, code: str = "00") -> dict:
    """Callback fields as a platform signs them."""
    fields = {
        "LoaiBanTin": "PAY",
        "MaLoi": code,
        "MaDoiTac": "SANDBOX",
        "MaThamChieu": reference,
        "SoTien": str(amount),
        "MaTienTe": "VND",
        "MaGiaoDich": transaction,
        "MaNganHang": "NCB",
        "ThoiGianGD": "20260316091500",
        "ThongTinGiaoDich": "Nộp phí",
    }
    return signed(fields, SECRET)


def test_a_payer_pays_on_the_sandbox_and_the_plugin_hears_it(app, testapp, recorder, caplog):
    caplog.set_level(logging.DEBUG)
    reference, page_url = started(app, "HS-0001")
    page = testapp.get(page_url)
    assert page.html.select_one(".payment-total").get_text() == "75.000 đ"
    assert [td.get_text() for td in page.html.select(".payment-lines tbody th")] == [
        "Phí thẩm định",
        "Lệ phí cấp giấy phép",
    ]
    assert PAYER["name"] not in page.text and PAYER["identifier"] not in page.text
    callback = chosen(testapp, page_url, "pay")
    answer = testapp.get(callback)
    assert answer.json == {
        "MaLoi": "00",
        "MoTaLoi": "Đã ghi nhận.",
        "MaThamChieu": reference,
        "TrangThai": PAID,
    }
    with model_of(app) as m:
        payment = get_payment(m.site, reference)
        assert payment.state == PAID and payment.transaction_id.startswith("SB")
        assert payment.receipt.total == 75000
        assert payment.receipt.amounts == (("phi", 50000), ("le_phi", 25000))
        assert [(c.old, c.new) for c in payment.history] == [(NOT_PAID, WAITING), (WAITING, PAID)]
        assert payments_for(m.site, "HS-0001") == [payment]
        receipt = payment.receipt
    assert recorder.heard == [(reference, NOT_PAID, WAITING), (reference, WAITING, PAID)]

    again = testapp.get(callback)  # the platform sends it twice
    assert again.json == answer.json
    state, changes, receipt_again = state_of(app, reference)
    assert (state, changes, receipt_again) == (PAID, 2, receipt)
    assert len(recorder.heard) == 2
    assert PAYER["name"] not in caplog.text and PAYER["identifier"] not in caplog.text


def test_the_sandbox_sends_what_the_platform_init_holds(app):
    reference, _page = started(app, "HS-0002", details={"MaTTHC": "1.001612"})
    with model_of(app) as m:
        message = m.site.payments.sandbox[reference].message
    assert {k: message[k] for k in ("LoaiBanTin", "MaThamChieu", "SoTien", "MaTienTe")} == {
        "LoaiBanTin": "INIT",
        "MaThamChieu": reference,
        "SoTien": 75000,
        "MaTienTe": "VND",
    }
    assert message["LoaiHinhThanhToan"] == "PAY" and len(message["ThoiGianGD"]) == 14
    receipt = message["ThongTinBienLai"]
    assert receipt["MaTTHC"] == "1.001612" and receipt["MaHoSo"] == "HS-0002"
    assert [line["SoTien"] for line in receipt["PhiLePhi"]] == [50000, 25000]


def test_a_callback_whose_checksum_is_wrong_changes_nothing(app, testapp, recorder):
    reference, _page = started(app, "HS-0003")
    fields = callback_fields(reference, 75000, "T1")
    fields["MaXacThuc"] = "0" * 64
    answer = testapp.get("/@payment-callback/sandbox", fields, status=400)
    assert answer.json["type"] == "BadRequest"
    assert "MaXacThuc" in answer.json["message"]
    fields["MaXacThuc"] = "ố" * 64  # not even hexadecimal: still a 400
    testapp.get("/@payment-callback/sandbox", fields, status=400)
    assert state_of(app, reference)[:2] == (WAITING, 1)
    assert recorder.heard == [(reference, NOT_PAID, WAITING)]  # its start only


def test_refused_callbacks_say_why(app, testapp):
    reference, _page = started(app, "HS-0004")
    wrong_amount = callback_fields(reference, 70000, "T2")
    answer = testapp.post("/@payment-callback/sandbox", wrong_amount, status=400)
    assert "70000" in answer.json["message"] and "75000" in answer.json["message"]
    unknown = callback_fields("20990101000001", 75000, "T3")
    assert testapp.get("/@payment-callback/sandbox", unknown, status=404).json["type"] == "NotFound"
    testapp.get("/@payment-callback/other", callback_fields(reference, 75000, "T4"), status=404)
    assert state_of(app, reference)[0] == WAITING

    testapp.post("/@payment-callback/sandbox", callback_fields(reference, 75000, "T5"))
    other = testapp.post(
        "/@payment-callback/sandbox", callback_fields(reference, 75000, "T6"), status=409
    )
    assert other.json["type"] == "Conflict"
    with model_of(app) as m:
        payment = get_payment(m.site, reference)
        assert (payment.state, payment.transaction_id) == (PAID, "T5")


def test_a_payer_who_gives_up_goes_back_and_may_pay_again(app, testapp, recorder):
    reference, page_url = started(app, "HS-0005", return_url="http://localhost/ho-so/HS-0005")
    callback = chosen(testapp, page_url, "cancel")
    back = testapp.get(callback, headers={"Accept": "text/html"}, status=303)
    assert back.location == "http://localhost/ho-so/HS-0005"
    assert state_of(app, reference)[0] == NOT_PAID
    assert recorder.heard[-1] == (reference, WAITING, NOT_PAID)
    with model_of(app) as m:  # a new transaction
        payment_url(m.request, get_payment(m.site, reference))
        m.commit()
    assert state_of(app, reference)[0] == WAITING


def test_managers_cancel_and_refund(app, testapp, site_access):
    reference, page_url = started(app, "HS-0006")
    add_user(site_access, "clerk-payments", roles=("SiteAdmin",))
    with model_of(app, "clerk-payments") as m:
        with pytest.raises(HTTPForbidden):
            cancel(m.request, get_payment(m.site, reference))
    with model_of(app) as m:
        cancel(m.request, get_payment(m.site, reference), "Hồ sơ đã rút")
        m.commit()
    assert state_of(app, reference)[0] == CANCELLED
    assert "payment-sandbox-form" not in testapp.get(page_url).text
    late = testapp.get(
        "/@payment-callback/sandbox", callback_fields(reference, 75000, "T7"), status=409
    )
    assert late.json["type"] == "Conflict"

    paid, _page = started(app, "HS-0007")
    testapp.get("/@payment-callback/sandbox", callback_fields(paid, 75000, "T8"))
    with model_of(app) as m:
        payment = get_payment(m.site, paid)
        refund(m.request, payment, "Nộp thừa")
        assert payment.history[-1].actor == "admin"
        m.commit()
    assert state_of(app, paid)[0] == "refunded"


def test_the_query_job_settles_a_payment_whose_callback_never_came(app, testapp):
    with clock.frozen(MORNING):
        reference, page_url = started(app, "HS-0008")
        chosen(testapp, page_url, "pay")  # paid, but the browser never reached the callback
    early, settled = MORNING + timedelta(minutes=20), MORNING + timedelta(minutes=31)
    with model_of(app) as m:
        assert check_waiting(m.request, now=early)["paid"] == 0
        counts = check_waiting(m.request, now=settled)
        assert counts["paid"] == 1
        payment = get_payment(m.site, reference)
        assert payment.state == PAID and payment.history[-1].actor == "query:sandbox"
        assert check_waiting(m.request, now=MORNING + timedelta(days=4))["paid"] == 0
        m.commit()


@pytest.mark.parametrize(
    "amount", [50000.0, "50000", True, 0, -5000, None], ids=lambda a: type(a).__name__ + str(a)
)
def test_amounts_must_be_whole_dong_above_zero(app, amount):
    with model_of(app) as m:
        with pytest.raises(ValidationFailed) as refused:
            request_payment(m.request, "HS-0009", "dossier", PAYER, [dict(LINES[0], amount=amount)])
        assert list(refused.value.errors) == ["lines.0.amount"]
        assert payments_for(m.site, "HS-0009") == []


def test_the_sandbox_page_needs_its_token_and_its_form_a_csrf_token(app, testapp):
    reference, page_url = started(app, "HS-0010")
    page = testapp.get(page_url)
    path, query = page_url.split("?")
    testapp.get(f"{path}?token={'0' * 32}", status=404)
    fields = dict(parse_qsl(query), choice="pay")
    testapp.post(path, fields, status=400)  # no CSRF token
    with model_of(app) as m:
        assert m.site.payments.sandbox[reference].callback is None
    testapp.post(path, dict(fields, csrf_token=csrf_token(page)), status=303)


def test_managers_read_a_payment_in_the_api(app, testapp):
    reference, _page = started(app, "HS-0011")
    testapp.get(f"/@payments/{reference}", headers={"Accept": "application/json"}, status=401)
    token = testapp.post_json("/@login", {"login": "admin", "password": "admin"}).json["token"]
    found = testapp.get(
        f"/@payments/{reference}",
        headers={"Accept": "application/json", "Authorization": f"Bearer {token}"},
    ).json
    assert (found["reference"], found["amount"], found["state"]) == (reference, 75000, WAITING)
    assert found["payer"]["identifier"] == PAYER["identifier"]


def test_the_checksum_is_sha256_of_the_fields_and_secret_joined_by_bars():
    fields = callback_fields("20260316000001", 75000, "T9")
    joined = "|".join([*(fields[name] for name in CALLBACK_FIELDS), SECRET])
    assert checksum(fields, SECRET) == hashlib.sha256(joined.encode()).hexdigest()
    assert fields["MaXacThuc"] == checksum(fields, SECRET)


def test_production_refuses_the_sandbox(tmp_path):
    settings = make_settings(tmp_path, **{"cong.production": "true"})
    settings["cong.initial_admin_password"] = "a-strong-password"
    settings["cong"] = read_settings(settings)
    assert read_payment_settings(settings).provider == ""
    settings["cong.payment_provider"] = "sandbox"
    with pytest.raises(SettingsError, match="sandbox"):
        read_payment_settings(settings)


def test_the_command_line_settles_waiting_payments(tmp_path, capsys):
    ini = tmp_path / "site.ini"
    ini.write_text(
        "[app:main]\nuse = egg:cong\ncong.data_dir = %(here)s/var\ncong.plugins =\n"
        f"cong.initial_admin_password = admin\ncong.payment_secret = {SECRET}\n",
        encoding="utf-8",
    )
    settings = make_settings(
        tmp_path / "var", **{"cong.plugins": "", "cong.payment_secret": SECRET}
    )
    application = main({}, **settings)
    try:
        with clock.frozen(MORNING):
            reference, page_url = started(application, "HS-0012")
            chosen(webtest.TestApp(application), page_url, "pay")
    finally:
        for db in application.registry._zodb_databases.values():
            db.close()
    with clock.frozen(MORNING + timedelta(hours=1)):
        result = run_cong(capsys, ini, "payments", "check")
    assert (result.status, result.out) == (
        0,
        "Checked 1 waiting payment(s): 1 paid, 0 not paid, 0 still waiting, "
        "0 without an answer, 0 refused.\n",
    )
    with stored_site(tmp_path / "var") as site:
        assert site.payments.payments[reference].state == PAID
