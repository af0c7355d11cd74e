"""The login throttle: 5 failures for one account from one address lock that pair
out for 15 minutes; 100 failures from one address, whatever the names, lock the
address out; the tables stay bounded without forgetting a lock on a real account.
Measured with an injected clock."""

import random

from core.auth import (
    LOCKOUT_SECONDS,
    MAX_ADDRESS_FAILURES,
    MAX_FAILURES,
    LoginThrottle,
    address_key,
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def fail(throttle, times, login="u1", address="10.0.0.1"):
    for _ in range(times):
        throttle.failed(login, address)


def test_the_defaults_are_five_failures_and_fifteen_minutes():
    assert (MAX_FAILURES, LOCKOUT_SECONDS) == (5, 15 * 60)


def test_four_failures_do_not_lock_and_the_fifth_does():
    throttle = LoginThrottle(clock=Clock())
    fail(throttle, 4)
    assert not throttle.locked("u1", "10.0.0.1")
    fail(throttle, 1)
    assert throttle.locked("u1", "10.0.0.1")


def test_the_lock_holds_for_fifteen_minutes_then_lifts_with_a_fresh_count():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    fail(throttle, 5)
    clock.now += LOCKOUT_SECONDS - 1
    assert throttle.locked("u1", "10.0.0.1")
    clock.now += 2
    assert not throttle.locked("u1", "10.0.0.1")
    fail(throttle, 4)  # the old failures are forgotten: four new ones do not lock
    assert not throttle.locked("u1", "10.0.0.1")


def test_the_lock_is_per_account_and_address():
    throttle = LoginThrottle(clock=Clock())
    fail(throttle, 5)
    assert throttle.locked("u1", "10.0.0.1")
    assert not throttle.locked("u1", "10.0.0.2")
    assert not throttle.locked("u2", "10.0.0.1")


def test_a_success_clears_the_failures_before_the_lock():
    throttle = LoginThrottle(clock=Clock())
    fail(throttle, 4)
    throttle.succeeded("u1", "10.0.0.1")
    fail(throttle, 4)
    assert not throttle.locked("u1", "10.0.0.1")


def test_failures_spread_beyond_the_lockout_window_never_add_up():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(10):
        assert not throttle.locked("u1", "10.0.0.1")
        throttle.failed("u1", "10.0.0.1")
        clock.now += LOCKOUT_SECONDS + 1
    assert not throttle.locked("u1", "10.0.0.1")


def test_limits_can_be_configured():
    clock = Clock()
    throttle = LoginThrottle(max_failures=2, lockout=60, clock=clock)
    fail(throttle, 2)
    assert throttle.locked("u1", "10.0.0.1")
    clock.now += 61
    assert not throttle.locked("u1", "10.0.0.1")


def random_address(rng) -> str:
    return ".".join(str(rng.randrange(1, 255)) for _ in range(4))


def test_a_hundred_thousand_made_up_names_do_not_unlock_a_real_account():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    fail(throttle, MAX_FAILURES, "x", "10.0.0.1")
    rng = random.Random(12)
    for n in range(100_000):
        throttle.failed(f"khong-co-{n}-{rng.random()}", random_address(rng), known=False)
    assert throttle.locked("x", "10.0.0.1")
    assert len(throttle.unknown) <= 100_000 and len(throttle.accounts) == 1
    clock.now += LOCKOUT_SECONDS + 1
    assert not throttle.locked("x", "10.0.0.1")


def test_failures_on_other_real_accounts_never_push_a_lock_out_of_a_small_table():
    clock = Clock()
    throttle = LoginThrottle(capacity=50, max_address_failures=10**9, clock=clock)
    fail(throttle, MAX_FAILURES, "x", "10.0.0.1")
    for n in range(5_000):
        throttle.failed(f"nguoi-{n}", "10.0.0.9")
    assert throttle.locked("x", "10.0.0.1")
    assert len(throttle.accounts) <= 50 + 1


def test_an_unknown_name_locks_like_a_real_one():
    """So that the lock-out message does not tell which names exist."""
    throttle = LoginThrottle(clock=Clock())
    for _ in range(MAX_FAILURES):
        throttle.failed("khong-co-ai", "10.0.0.1", known=False)
    assert throttle.locked("khong-co-ai", "10.0.0.1")


def test_an_address_failing_across_many_names_must_wait():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for n in range(MAX_ADDRESS_FAILURES - 1):
        throttle.failed(f"ten-{n}", "10.0.0.7", known=n % 2 == 0)
    assert throttle.address_wait("10.0.0.7") == 0
    throttle.failed("ten-cuoi", "10.0.0.7", known=False)
    assert throttle.address_wait("10.0.0.7") == LOCKOUT_SECONDS
    assert throttle.address_wait("10.0.0.8") == 0
    clock.now += 60
    assert throttle.address_wait("10.0.0.7") == LOCKOUT_SECONDS - 60
    clock.now += LOCKOUT_SECONDS
    assert throttle.address_wait("10.0.0.7") == 0


def test_a_success_does_not_clear_the_address_count():
    throttle = LoginThrottle(max_address_failures=3, clock=Clock())
    for n in range(2):
        throttle.failed(f"ten-{n}", "10.0.0.7", known=False)
    throttle.succeeded("cua-toi", "10.0.0.7")
    throttle.failed("ten-3", "10.0.0.7", known=False)
    assert throttle.address_wait("10.0.0.7") > 0


def test_an_ipv6_host_is_counted_by_its_network():
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:10.0.0.1") == "10.0.0.1"
    assert address_key("10.0.0.1") == "10.0.0.1"
