"""Error responses: JSON ``{"type", "message"}`` for the API, themed pages otherwise.

Every error a user can cause ends here with the right status and a message in
their language; a traceback is logged, never shown.
"""

from __future__ import annotations

import logging

from pyramid.exceptions import BadCSRFOrigin, BadCSRFToken, PredicateMismatch
from pyramid.httpexceptions import HTTPException
from pyramid.location import lineage
from pyramid.response import Response

from core.i18n import _
from core.negotiation import wants_json
from core.permissions import VIEW

log = logging.getLogger(__name__)

MESSAGES = {
    400: _("Yêu cầu không hợp lệ."),
    401: _("Bạn cần đăng nhập."),
    403: _("Bạn không có quyền truy cập trang này."),
    404: _("Không tìm thấy trang bạn yêu cầu."),
    405: _("Phương thức không được hỗ trợ ở địa chỉ này."),
    413: _("Dữ liệu gửi lên quá lớn."),
    500: _("Đã có lỗi xảy ra. Vui lòng thử lại sau."),
}
TYPES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "RequestEntityTooLarge",
    500: "InternalServerError",
}


def default_message(request, status: int) -> str:
    return request.localizer.translate(MESSAGES.get(status, MESSAGES[400]))


def error_response(
    request, status: int, type_: str | None = None, message: str | None = None, **extra
):
    """An error response fit for the request: JSON for the API, a page otherwise."""
    message = message or default_message(request, status)
    type_ = type_ or TYPES.get(status, "Error")
    if wants_json(request):
        response = Response(json_body={"type": type_, "message": message, **extra}, status=status)
        response.content_type = "application/json"
        return response
    from core.security import site_of
    from core.theme import render_template

    try:
        if getattr(request, "context", None) is None:  # refused before traversal
            request.root = request.context = site_of(request)
        shown = shown_context(request, request.context)
        if shown is not request.context:  # the page shows nothing of a hidden object
            request.context = shown
            request.environ.pop("cong.ui", None)
        body = render_template(
            request, "error.pt", context=request.root, status=status, message=message
        )
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        log.exception("error page failed")
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1>"
        response = Response(body, status=status, content_type="text/html")
        return response
    return Response(body, status=status, content_type="text/html", charset="utf-8")


def shown_context(request, context):
    """The nearest object at or above ``context`` the requester may view (the site
    root at worst): an error page's title, breadcrumbs and menus are drawn from it."""
    for obj in lineage(context):
        if request.has_permission(VIEW, obj):
            return obj
    return request.root


def http_exception_view(exc: HTTPException, request):
    """Every HTTP error (403, 404, 400 for a bad CSRF token...) as JSON or a page."""
    if exc.code < 400:
        return exc
    from core.methods import allowed_methods
    from core.security import NotPublishedNow

    if isinstance(exc, PredicateMismatch) and allowed_methods(request):
        response = error_response(request, 405)
        response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    if exc.code == 403 and isinstance(getattr(exc, "result", None), NotPublishedNow):
        return error_response(request, 404)
    if exc.code == 403 and request.identity is None and not wants_json(request):
        from pyramid.httpexceptions import HTTPFound

        return HTTPFound(
            request.resource_url(request.root, "@@login", query={"came_from": request.url})
        )
    from core.params import BadParameter

    message = None
    if isinstance(exc, BadParameter):
        message = request.localizer.translate(exc.message)
    elif isinstance(exc, (BadCSRFToken, BadCSRFOrigin)):
        message = request.localizer.translate(
            _(
                "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại."
            )
        )
    response = error_response(request, exc.code, message=message)
    if exc.code == 405 and "Allow" in exc.headers:
        response.headers["Allow"] = exc.headers["Allow"]
    return response


def server_error_view(exc: Exception, request):
    """Anything unexpected: logged with its traceback, shown as a plain 500."""
    log.exception("error on %s %s", request.method, request.path_qs)
    return error_response(request, 500)


def includeme(config) -> None:
    config.add_exception_view(http_exception_view, context=HTTPException)
    config.add_exception_view(server_error_view, context=Exception)
