"""What ``@users`` (:mod:`core.api.users`) and ``@groups`` (:mod:`core.api.groups`)
share: reading queries and bodies, the one named in the path, the answers to an
added principal and to a refused change, and the 405 for other methods.

Both answer ``GET`` and ``POST`` on the endpoint (``@users``) and ``GET``,
``PATCH`` and ``DELETE`` on one of theirs (``@users/<login>``); the rules are
:mod:`core.accounts`'.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from core.accounts import AccountError
from core.api import api_view
from core.api.errors import ApiError, not_allowed
from core.i18n import _
from core.interfaces import ISite
from core.operations import ValidationFailed

#: Roles every logged-in user holds: ignored when sent.
IMPLIED_ROLES = frozenset({"Member", "Authenticated"})
#: Users or groups listed unless ``limit`` says otherwise, and the most it gives.
DEFAULT_LIMIT = 25
MAX_LIMIT = 1000
#: The methods on the endpoint, and on one of its principals.
ENDPOINT_METHODS = ("GET", "POST")
ONE_METHODS = ("GET", "PATCH", "DELETE")
#: Names or roles, as a list or as a mapping of name to true/false.
ROLES_SCHEMA = {
    "oneOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "additionalProperties": {"type": "boolean"}},
    ]
}


def refused(exc: AccountError) -> Exception:
    """The API error for a refused change: 400 naming the fields, or its message."""
    if exc.errors:
        return ValidationFailed(exc.errors)
    return ApiError(400, exc.message, "BadRequest")


def text_param(request, name: str) -> str:
    """A query parameter as text ('' when absent)."""
    value = request.GET.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def limit_param(request) -> int:
    """``limit`` from the query: a whole number from 1 to :data:`MAX_LIMIT`."""
    raw = text_param(request, "limit") or str(DEFAULT_LIMIT)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(
            400,
            _("Tham số limit phải là một số từ 1 đến ${n}.", mapping={"n": MAX_LIMIT}),
            "BadRequest",
        )
    return int(raw)


def names_in(body: dict, key: str, current: Iterable[str]) -> set[str]:
    """The names ``body[key]`` gives: a list replaces ``current``; a mapping of
    name to true/false adds and removes (plone.restapi's form). 400 otherwise."""
    value = body[key]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return set(value)
    if isinstance(value, dict) and all(isinstance(v, bool) for v in value.values()):
        return (set(current) | {k for k, v in value.items() if v}) - {
            k for k, v in value.items() if not v
        }
    raise ValidationFailed({key: _("Phải là một danh sách tên, hoặc tên → true/false.")})


def roles_in(body: dict, current: Iterable[str]) -> set[str]:
    """The roles ``body["roles"]`` gives (see :func:`names_in`; ``current`` when
    absent), but those every logged-in user holds."""
    roles = names_in(body, "roles", current) if "roles" in body else set(current)
    return roles - IMPLIED_ROLES


def body_text(body: dict, key: str, default: str = "") -> str:
    """``body[key]`` as stripped text; 400 for a value that is not text."""
    value = body.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValidationFailed({key: _("Phải là một chuỗi ký tự.")})
    return value.strip()


def allowed(request) -> tuple[str, ...]:
    """The methods at the request's URL: the endpoint's, or one principal's."""
    return ONE_METHODS if request.subpath else ENDPOINT_METHODS


def expect_one(request, one: bool = True) -> None:
    """405 unless the URL names one principal (or, with ``one`` false, none)."""
    if bool(request.subpath) != one:
        raise not_allowed(*allowed(request))


def name_in_path(request) -> str:
    """The one segment after the endpoint (``@users/<login>``); 404 otherwise."""
    if len(request.subpath) != 1:
        raise ApiError(404, _("Không tìm thấy trang bạn yêu cầu."), "NotFound")
    return request.subpath[0]


def created(request, answer: dict) -> dict:
    """The answer to an added principal: 201, its URL in ``Location``."""
    request.response.status = 201
    request.response.headers["Location"] = answer["@id"]
    return answer


@contextmanager
def answer_refusals(**renamed: str) -> Iterator[None]:
    """``with answer_refusals():`` a change :mod:`core.accounts` refuses inside the
    block is answered with :func:`refused`, its fields renamed as ``renamed`` says
    (``add_members="users"``: the form's name, the API's)."""
    try:
        yield
    except AccountError as exc:
        for form_name, api_name in renamed.items():
            if form_name in exc.errors:
                exc.errors[api_name] = exc.errors.pop(form_name)
        raise refused(exc) from None


@api_view(context=ISite, name="@users", require_csrf=False)
@api_view(context=ISite, name="@groups", require_csrf=False)
def other_methods(context, request):
    raise not_allowed(*allowed(request))
