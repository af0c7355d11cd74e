"""Delivery in the application's process: after each commit that queued
messages, and again when a retry falls due (decision 0026).

A request that queues a message asks for a delivery once its transaction has
committed; the :class:`Courier` then runs :func:`core.outbox.delivery.deliver`
in a daemon thread, so the response does not wait for any mail server. One
thread at a time: a commit asking while it runs makes it go round once more.
When messages wait for a retry, a timer wakes it when the first is due (at most
:data:`MAX_SLEEP` later, so that messages queued by other processes are not
forgotten either). At the first request after start-up, the timer is set for
the messages the last process left waiting.

With ``cong.outbox.deliver_in_process = false`` none of this happens: run
``cong outbox send`` (from a timer) instead, e.g. when several application
processes share the database.
"""

from __future__ import annotations

import logging
import threading

import transaction
from transaction.interfaces import NoTransaction

from core.clock import now
from core.outbox.delivery import deliver
from core.outbox.settings import outbox_settings
from core.site import get_site

log = logging.getLogger(__name__)

#: Longest sleep between two runs while messages wait for a retry (seconds).
MAX_SLEEP = 300.0
#: Shortest (a retry due now, or a clock a little off).
MIN_SLEEP = 1.0


class Courier:
    """Runs deliveries of ``registry``'s database in one background thread."""

    def __init__(self, db, registry):
        self.db = db
        self.registry = registry
        self._lock = threading.Lock()
        self._running = False
        self._wanted = False
        self._timer: threading.Timer | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.woken = False

    def after_commit(self, txn) -> None:
        """Start a run once ``txn`` has committed (registered once per transaction)."""
        try:
            txn.data(self)
            return
        except KeyError:
            txn.set_data(self, True)
        txn.addAfterCommitHook(lambda success: success and self.start())

    def start(self) -> None:
        """Run now in the thread, or once more if it is running."""
        with self._lock:
            if self._stopped:
                return
            self._wanted = True
            if self._running:
                return
            self._running = True
            self._thread = threading.Thread(target=self._run, name="cong-outbox", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Start nothing more and wait (``timeout`` seconds at most) for the run
        under way: before the database closes (a command ending), so that no
        delivery is cut off half way. What is left waits for the next process."""
        with self._lock:
            self._stopped = True
            self._wanted = False
            if self._timer is not None:
                self._timer.cancel()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._running = False
                    break
                self._wanted = False
            try:
                deliver(self.db, self.registry)
            except Exception:  # noqa: BLE001 - the messages stay queued
                log.exception("outbox: delivery failed; the messages stay queued")
        self.wake_when_due()

    def wake_when_due(self) -> None:
        """Set the timer for the first message waiting for a retry, if any."""
        try:
            conn = self.db.open(transaction_manager=transaction.TransactionManager())
        except Exception:  # noqa: BLE001 - the database is closed: the application stopped
            return
        try:
            outbox = getattr(get_site(conn), "outbox", None)
            due = outbox.next_due() if outbox is not None else None
        except Exception:  # noqa: BLE001 - e.g. the database closed under the read
            log.warning("outbox: the next retry time could not be read", exc_info=True)
            return
        finally:
            conn.close()
        if due is None:
            return
        delay = min(max((due - now()).total_seconds(), MIN_SLEEP), MAX_SLEEP)
        with self._lock:
            if self._stopped:
                return
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(delay, self.start)
            self._timer.daemon = True
            self._timer.start()


def wake_on_first_request(event) -> None:
    """A subscriber of Pyramid's ``NewRequest``: at the first request of the
    process, set the timer for the messages left waiting by the last one."""
    courier = courier_of(event.request.registry)
    if not courier.woken:
        courier.woken = True
        threading.Thread(target=courier.wake_when_due, daemon=True).start()


def courier_of(registry) -> Courier:
    """The application's courier (made at start-up)."""
    return registry.cong_outbox_courier


def deliver_after_commit(request) -> None:
    """Have the messages queued in ``request``'s transaction delivered after it
    commits (when ``cong.outbox.deliver_in_process`` is on)."""
    if not outbox_settings(request.registry).deliver_in_process:
        return
    try:
        txn = request.tm.get()
    except (NoTransaction, AttributeError):  # outside a request's transaction
        return
    courier_of(request.registry).after_commit(txn)
