"""What the one-stop JSON API reads: files in base64, the applicant and the
representative, a transition's data; and the model's refusals
(:class:`~plugins.onestop.intake.IntakeError`,
:class:`~plugins.onestop.transitions.TransitionError`) as API errors
``{"type", "message", "errors": [{"field", "message"}]}`` with their status."""

from __future__ import annotations

from datetime import datetime

from core.api.errors import ApiError, field_errors
from core.fields import MISSING, FileField, Invalid, Upload
from core.i18n import _
from plugins.onestop.persons import parse_person

#: Files in one request at most.
MAX_FILES = 50
FILE = FileField("file", _("Tệp"), required=True)
TYPES = {400: "BadRequest", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 413: "TooLarge"}


def refusal(request, exc) -> ApiError:
    """An IntakeError or TransitionError as the API's error."""
    errors = field_errors(request, {str(k): v for k, v in exc.errors.items()})
    return ApiError(exc.status, exc.message, TYPES.get(exc.status, "BadRequest"), errors=errors)


def bad_request(request, message, errors: dict | None = None) -> ApiError:
    return ApiError(400, message, "BadRequest", errors=field_errors(request, errors or {}))


def upload_of(raw, where: str) -> tuple[Upload | None, dict]:
    """An :class:`Upload` from ``{"filename", "data" (base64), "encoding"}``, or
    the error at ``where``."""
    try:
        return FILE.parse(raw if raw is not None else MISSING, "json"), {}
    except Invalid as error:
        return None, {where: error.message}


def documents_of(raw, key: str = "documents") -> tuple[list[tuple[str, Upload]], dict]:
    """``[(component, Upload)]`` from ``[{"component", "filename", "data",
    "encoding"}]``, and the errors by field (``documents.0`` ...)."""
    if raw is None:
        return [], {}
    if not isinstance(raw, list) or len(raw) > MAX_FILES:
        return [], {key: _("Danh sách tệp, nhiều nhất ${n} tệp.", mapping={"n": MAX_FILES})}
    found, errors = [], {}
    for index, item in enumerate(raw):
        where = f"{key}.{index}"
        component = item.get("component") if isinstance(item, dict) else None
        if not isinstance(component, str) or not component.strip() or len(component) > 300:
            errors[where + ".component"] = _("Cần tên thành phần hồ sơ.")
            continue
        upload, problems = upload_of(item, where)
        errors.update(problems)
        if upload is not None:
            found.append((component.strip(), upload))
    return found, errors


def persons_of(body: dict) -> tuple[object, object, dict]:
    """The applicant and the representative (None) of ``body``, and the errors
    (``applicant.id_number`` ...)."""
    errors = {}
    applicant, problems = parse_person(body.get("applicant"), "json")
    errors.update({f"applicant.{k}".rstrip("."): v for k, v in problems.items()})
    representative, problems = parse_person(body.get("representative"), "json", required=False)
    errors.update({f"representative.{k}".rstrip("."): v for k, v in problems.items()})
    return applicant, representative, errors


def transition_data(request, body: dict) -> dict:
    """A transition's data from a JSON body: as given, with the files
    (``documents`` of a supplement, ``result_file`` of an approval) decoded and
    ``new_due`` of an apology read as a time; ApiError 400 when one cannot be."""
    data = dict(body)
    errors = {}
    if "documents" in body:
        data["documents"], problems = documents_of(body["documents"])
        errors.update(problems)
    if body.get("result_file") is not None:
        data["result_file"], problems = upload_of(body["result_file"], "result_file")
        errors.update(problems)
    if "new_due" in body:
        data["new_due"] = moment_of(body["new_due"])
        if data["new_due"] is None:
            errors["new_due"] = _("Thời điểm theo ISO 8601, có múi giờ.")
    if errors:
        raise bad_request(request, _("Dữ liệu không hợp lệ."), errors)
    return data


def moment_of(value) -> datetime | None:
    """An aware datetime from ISO 8601 text, or None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
