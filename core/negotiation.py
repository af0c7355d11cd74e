"""Content negotiation: whether a request is the API's (JSON) or a browser's (pages).

The security policy, CSRF, error responses, the page cache and the API's views
all ask :func:`wants_json`, so they agree on which door a request came through.
"""

from __future__ import annotations


def wants_json(request) -> bool:
    """True for API requests: ``Accept: application/json`` or a JSON body."""
    accept = request.headers.get("Accept", "")
    return "application/json" in accept or request.content_type == "application/json"
