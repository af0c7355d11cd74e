"""Asking the platforms again about the payments still waiting.

A payer may pay and never come back, and a platform's callback may be lost: like
the platform's integrators, cong asks again (QUERY) about each payment waiting from
:data:`MIN_AGE` to :data:`MAX_AGE` since its transaction started, through the
provider that started it, and applies the answer as it would a callback.
``cong payments check`` does it; run it every few minutes (cron, a systemd timer).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from core import clock
from core.payments.errors import PaymentError, PaymentUnavailable
from core.payments.model import NOT_PAID, PAID, WAITING
from core.payments.providers import get_provider
from core.payments.service import apply_result
from core.payments.store import store_of

log = logging.getLogger(__name__)

MIN_AGE = timedelta(minutes=30)
MAX_AGE = timedelta(days=3)
#: The outcomes counted: paid, not paid, still waiting, unreachable (the provider
#: could not answer, or is no longer registered), refused (the answer did not fit
#: the payment).
OUTCOMES = ("paid", "not_paid", "waiting", "unreachable", "refused")


def check_waiting(request, now: datetime | None = None) -> Counter:
    """Ask again about every payment waiting from 30 minutes to 3 days, apply the
    answers, and count the outcomes (:data:`OUTCOMES`)."""
    now = now or clock.now()
    counts = Counter({outcome: 0 for outcome in OUTCOMES})
    for payment in store_of(request.root).waiting_between(now - MAX_AGE, now - MIN_AGE):
        provider = get_provider(request.registry, payment.provider)
        try:
            if provider is None:
                raise PaymentUnavailable(payment.provider)
            result = provider.query(request, payment)
            if result is not None:
                apply_result(request, result, f"query:{payment.provider}")
        except PaymentUnavailable:
            log.warning(
                "payment %s: provider %r did not answer", payment.reference, payment.provider
            )
            counts["unreachable"] += 1
            continue
        except PaymentError as exc:
            log.warning("payment %s: answer refused (%s)", payment.reference, exc.type)
            counts["refused"] += 1
            continue
        counts[{PAID: "paid", NOT_PAID: "not_paid", WAITING: "waiting"}[payment.state]] += 1
    return counts
