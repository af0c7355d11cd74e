"""The ``ui`` of templates: one per request, never one of an earlier attempt."""

from __future__ import annotations

from pyramid.registry import Registry
from pyramid.request import Request

from core.ui import get_ui


def test_a_request_tried_again_gets_its_own_ui():
    """pyramid_retry makes a new request on the same environ after a conflict: the
    pages of the new attempt must not be drawn from the first one's objects."""
    first = Request.blank("/")
    first.registry = Registry("bare")
    assert get_ui(first) is get_ui(first)
    again = Request(first.environ)
    again.registry = first.registry
    assert get_ui(again).request is again
