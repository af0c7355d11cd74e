"""``/@onestop-process/<procedure code>``: a procedure's one-stop settings and
versioned process, for Managers (:mod:`plugins.onestop.process`).

- ``GET``: ``{"code", "title", "anywhere", "processing_unit", "version", "steps",
  "versions": [{"number", "created", "author", "steps"}]}`` — version 0 and the
  default steps while the procedure has no process of its own;
- ``PUT`` with ``{"anywhere": bool, "processing_unit": "<unit code>" | "",
  "steps": [{"name", "title", "role", "unit", "amount", "unit_of_time"}]}``:
  changed steps make a new version (dossiers already running keep theirs); the
  same steps make none. 400 naming each problem, nothing stored.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden

from core.api import api_view
from core.api.deserialize import read_json
from core.api.errors import ApiError, not_allowed
from core.api.params import Param, api_body, api_params
from core.api.serialize import iso, url_of
from core.i18n import _
from core.interfaces import ISite
from plugins.onestop.access import is_manager
from plugins.onestop.api_input import bad_request
from plugins.onestop.intake import IntakeError, find_procedure
from plugins.onestop.process import (
    ProcessError,
    current_process,
    parse_steps,
    save_settings,
    settings_of,
)
from plugins.onestop.units import desk_of

NAME = "@onestop-process"
STEP_SCHEMA = {
    "type": "object",
    "required": ["name", "title", "role", "unit"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9_-]{0,39}$"},
        "title": {"type": "string", "maxLength": 200},
        "role": {"type": "string", "enum": ["Receptionist", "Specialist", "Leader"]},
        "unit": {"type": "string"},
        "amount": {"type": ["number", "null"], "minimum": 0},
        "unit_of_time": {"type": "string", "enum": ["days", "hours"]},
    },
}
PROCESS_SCHEMA = {
    "type": "object",
    "properties": {
        "anywhere": {"type": "boolean"},
        "processing_unit": {"type": "string"},
        "steps": {"type": "array", "items": STEP_SCHEMA, "minItems": 1, "maxItems": 30},
    },
}
CODE_PARAM = Param("code", "path", _("Mã thủ tục"), required=True, example="1.000005")


def procedure_of(request):
    """The procedure the sub-path names, for a Manager; 401/403/404 otherwise."""
    if not is_manager(request):
        raise HTTPForbidden()
    if len(request.subpath) != 1:
        raise ApiError(404, _("Cần mã thủ tục: @onestop-process/<mã thủ tục>."), "NotFound")
    try:
        return find_procedure(request, request.subpath[0])
    except IntakeError as exc:
        raise ApiError(404, exc.message, "NotFound") from None


def process_json(request, procedure) -> dict:
    settings = settings_of(request.root, procedure.code)
    number, steps = current_process(request.root, procedure.code)
    return {
        "@id": f"{url_of(request, request.root)}/{NAME}/{procedure.code}",
        "code": procedure.code,
        "title": procedure.title,
        "anywhere": bool(settings and settings.anywhere),
        "processing_unit": settings.processing_unit if settings else "",
        "version": number,
        "steps": [s.as_json() for s in steps],
        "versions": [
            {
                "number": v.number,
                "created": iso(v.created),
                "author": v.author,
                "steps": [s.as_json() for s in v.steps],
            }
            for v in (settings.versions if settings else ())
        ],
    }


@api_view(context=ISite, name=NAME, request_method="GET")
@api_params(CODE_PARAM)
def process_get(context, request):
    """A procedure's one-stop settings and its process: the current version and the earlier ones."""
    return process_json(request, procedure_of(request))


@api_view(context=ISite, name=NAME, request_method="PUT")
@api_params(CODE_PARAM)
@api_body(PROCESS_SCHEMA)
def process_put(context, request):
    """Set a procedure's settings; changed steps make a new version of its process."""
    procedure = procedure_of(request)
    body = read_json(request, required=True)
    errors = {}
    anywhere = body.get("anywhere", False)
    if not isinstance(anywhere, bool):
        errors["anywhere"] = _("Phải là true hoặc false.")
    unit = body.get("processing_unit", "")
    if not isinstance(unit, str) or (unit and desk_of(request.root, unit) is None):
        errors["processing_unit"] = _("Không có đơn vị mã này với một cửa điện tử.")
    steps = None
    if "steps" in body:
        try:
            steps = parse_steps(body["steps"])
        except ProcessError as exc:
            errors.update(flat_errors(exc.errors, "steps"))
    if errors:
        raise bad_request(request, _("Quy trình có trường không hợp lệ."), errors)
    save_settings(request, procedure.code, anywhere, unit, steps)
    return process_json(request, procedure)


def flat_errors(errors: dict, prefix: str) -> dict:
    """``{"0": {"name": msg}}`` as ``{"steps.0.name": msg}``."""
    flat = {}
    for key, value in errors.items():
        where = prefix if key == prefix else f"{prefix}.{key}"
        if isinstance(value, dict):
            flat.update(flat_errors(value, where))
        else:
            flat[where] = value
    return flat


@api_view(context=ISite, name=NAME, require_csrf=False)
def process_other_methods(context, request):
    raise not_allowed("GET", "PUT")
