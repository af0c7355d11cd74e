"""Rate limits: so many hits per key in a sliding window, then how long to wait;
keys counted apart, the table bounded, safe between threads."""

from __future__ import annotations

import threading

import pytest

from core.ratelimit import RateLimiter, address_key


class Clock:
    def __init__(self):
        self.time = 1000.0

    def __call__(self) -> float:
        return self.time


@pytest.fixture
def clock():
    return Clock()


def test_the_limit_is_counted_over_a_sliding_window(clock):
    limiter = RateLimiter(3, 60, clock=clock)
    for step in (0, 10, 20):
        clock.time = 1000 + step
        assert limiter.hit("a") == 0
    clock.time = 1030
    assert limiter.hit("a") == pytest.approx(30)  # the first hit leaves the window at 1060
    assert limiter.remaining("a") == 0
    clock.time = 1060  # the first is out: one more may come, not two
    assert limiter.hit("a") == 0
    assert limiter.hit("a") == pytest.approx(10)
    clock.time = 1200
    assert limiter.remaining("a") == 3


def test_a_refused_hit_is_not_counted(clock):
    limiter = RateLimiter(1, 10, clock=clock)
    assert limiter.hit("a") == 0
    for _ in range(100):
        assert limiter.hit("a") > 0
    clock.time += 10
    assert limiter.hit("a") == 0


def test_keys_count_apart_and_the_table_is_bounded(clock):
    limiter = RateLimiter(1, 60, capacity=100, clock=clock)
    assert limiter.hit("a") == 0 and limiter.hit("b") == 0 and limiter.hit("a") > 0
    for n in range(1000):
        limiter.hit(n)
    assert len(limiter) == 100
    assert limiter.hit("a") == 0  # forgotten: the key used least recently went first


def test_threads_never_get_more_than_the_limit():
    limiter = RateLimiter(50, 3600)
    allowed = []

    def hammer():
        allowed.extend(1 for _ in range(100) if limiter.hit("x") == 0)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 50


def test_a_limiter_needs_positive_bounds():
    with pytest.raises(ValueError):
        RateLimiter(0, 60)


def test_ipv6_addresses_are_limited_by_their_64_network():
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("::ffff:10.0.0.1") == "10.0.0.1" == address_key("10.0.0.1")
