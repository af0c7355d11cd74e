"""Messages a page leaves for the next one (Pyramid's flash queues of the session)."""

from __future__ import annotations

from core.security import SESSION_COOKIE


def flash_messages(request, queue: str = "") -> list[str]:
    """The messages left for this page by the previous request (``"error"``: the
    problems' queue), translated; none without a session (a visitor's page does not
    start one, so it sets no cookie)."""
    if SESSION_COOKIE not in request.cookies:
        return []
    session = request.session
    if not session.peek_flash(queue):
        return []
    return [request.localizer.translate(m) for m in session.pop_flash(queue)]
