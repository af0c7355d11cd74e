"""The login throttle: 5 failures for one account from one address lock that pair
out for 15 minutes, measured with an injected clock."""

from core.auth import LOCKOUT_SECONDS, MAX_FAILURES, LoginThrottle


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
