"""What an API view declares of its input, for the OpenAPI document
(:mod:`core.api.openapi`): its parameters and the JSON Schema of its body.

Declarations sit on the view function, beside its ``api_view``::

    @api_view(context=ISite, name="@users", request_method="GET", permission=VIEW)
    @api_params(
        Param("login", "path", _("Tên đăng nhập"), example="admin", required=False),
        Param("search", "query", _("Tìm theo tên đăng nhập, họ tên, thư điện tử")),
    )
    def users_get(context, request): ...

A ``path`` parameter is the segment after the view's name (``@users/{login}``);
when it is not ``required``, the view answers without it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.i18n import _


@dataclass(frozen=True)
class Param:
    """A parameter of an API view: in the ``query``, or the ``path`` segment after
    the view's name. ``schema`` is its JSON Schema; ``example`` a value that works
    on a new site."""

    name: str
    location: str
    description: str = ""
    schema: dict = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    example: Any = None


def api_params(*params: Param) -> Callable:
    """Decorator: declare the parameters of an API view."""

    def declare(view):
        view.api_params = (*getattr(view, "api_params", ()), *params)
        return view

    return declare


def api_body(schema: dict) -> Callable:
    """Decorator: declare the JSON Schema of an API view's request body."""

    def declare(view):
        view.api_body = schema
        return view

    return declare


def api_refusal(view: Callable) -> Callable:
    """Decorator: the view only refuses (405) the methods it is registered for; the
    OpenAPI document leaves them out where it answers."""
    view.api_refusal = True
    return view


def refuses(view) -> bool:
    """Whether ``view`` only refuses its methods (see :func:`api_refusal`)."""
    return getattr(view, "api_refusal", False)


def params_of(view) -> tuple[Param, ...]:
    """The parameters declared on ``view``."""
    return getattr(view, "api_params", ())


def body_of(view) -> dict | None:
    """The body schema declared on ``view`` (None: none declared)."""
    return getattr(view, "api_body", None)


#: The batching parameters of a listing (:class:`core.batching.Batch`).
BATCH_PARAMS = (
    Param(
        "b_start",
        "query",
        _("Vị trí của mục đầu tiên trong trang (từ 0)"),
        {"type": "integer", "minimum": 0},
    ),
    Param("b_size", "query", _("Số mục mỗi trang"), {"type": "integer", "minimum": 1}),
)
