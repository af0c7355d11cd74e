"""Fees of a dossier paid online: a Specialist asks for the procedure's fees, the
applicant pays on the payment platform (the kernel's sandbox), its callback moves
the dossier on by itself; bad fee lines change nothing."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import webtest

from core.payments import PAID, get_payment, payment_url
from core.testing import ModelRequest
from plugins.onestop import statuses as S
from plugins.onestop.registry import find_dossier
from plugins.onestop.tests.onestop_setup import province_app
from plugins.onestop.tests.test_onestop_model import counter
from plugins.onestop.transitions import TransitionError, perform


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fees") / "var"
    with province_app(data_dir, **{"cong.payment_secret": "thu-nghiem"}) as application:
        yield application


def test_fees_asked_paid_online_and_the_dossier_goes_on(app):
    model = ModelRequest(app)
    try:
        dossier = counter(model)
        model.act_as("chuyenvien3")
        perform(model.request, dossier, "assign", {})
        with pytest.raises(TransitionError) as bad:
            perform(
                model.request,
                dossier,
                "request_payment",
                {"fees": [{"name": "Phí", "amount": 12.5}]},
            )
        assert bad.value.status == 400 and dossier.status == S.PROCESSING
        perform(model.request, dossier, "request_payment", {})
        assert dossier.status == S.PAYMENT and dossier.fee_total == 75000
        url = payment_url(model.request, get_payment(model.site, dossier.payment_reference))
        code, reference = dossier.code, dossier.payment_reference
        model.commit()
    finally:
        model.close()
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    parts = urlsplit(url)
    page = client.get(f"{parts.path}?{parts.query}")
    back = page.forms["payment-sandbox-form"].submit("choice", value="pay", status=303)
    callback = urlsplit(back.location)
    client.get(f"{callback.path}?{callback.query}", status=(200, 303))
    model = ModelRequest(app)
    try:
        dossier = find_dossier(model.site, code)
        assert get_payment(model.site, reference).state == PAID
        assert dossier.status == S.PROCESSING
        last = dossier.history[-1]
        assert last.transition == "pay" and last.actor == "" and last.actor_title == "Hệ thống"
    finally:
        model.close()
