"""Typed query parameters: numbers within bounds, or a 400 that says why."""

from __future__ import annotations

import pytest
from webob.multidict import MultiDict

from core.params import BadParameter, integer


class Asked:
    """A request with a query string (all :mod:`core.params` reads of it)."""

    def __init__(self, *pairs):
        self.GET = MultiDict(pairs)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [((), 7), ((("n", ""),), 7), ((("n", " 12 "),), 12), ((("n", "+3"),), 3), ((("n", "0"),), 0)],
)
def test_a_number_or_the_default(pairs, expected):
    assert integer(Asked(*pairs), "n", 7, minimum=0, maximum=100) == expected


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("abc", "phải là một số nguyên"),
        ("1.5", "phải là một số nguyên"),
        ("9" * 5000, "phải là một số nguyên"),
        ("9" * 16, "phải là một số nguyên"),
        ("-1", "phải là một số từ 0 đến 100"),
        ("101", "phải là một số từ 0 đến 100"),
    ],
)
def test_what_cannot_be_read_is_a_400_naming_the_parameter(raw, words):
    with pytest.raises(BadParameter) as raised:
        integer(Asked(("b_start", raw)), "b_start", 0, minimum=0, maximum=100)
    assert raised.value.code == 400
    message = raised.value.message.interpolate()
    assert "“b_start”" in message and words in message


def test_a_parameter_given_twice_is_refused():
    with pytest.raises(BadParameter) as raised:
        integer(Asked(("n", "1"), ("n", "2")), "n", 0, minimum=0, maximum=9)
    assert "chỉ được có một giá trị" in raised.value.message.interpolate()


def test_clamp_brings_a_number_within_the_bounds():
    assert integer(Asked(("n", "500")), "n", 1, minimum=1, maximum=200, clamp=True) == 200
    assert integer(Asked(("n", "-4")), "n", 1, minimum=1, maximum=200, clamp=True) == 1
    with pytest.raises(BadParameter):
        integer(Asked(("n", "x")), "n", 1, minimum=1, maximum=200, clamp=True)
