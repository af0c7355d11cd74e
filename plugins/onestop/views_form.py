"""The dossier form, online and at the counter: the applicant, an optional
authorised representative, one file per component of the procedure, how the
result goes back, and the processing unit where the applicant chooses it.

:func:`read_form` turns a post into a
:class:`~plugins.onestop.intake.Submission` (or the errors by input), checking
what :mod:`plugins.onestop.persons` and :mod:`plugins.onestop.intake` check, so
that every problem shows at once; :func:`form_namespace` is what
``onestop_form.pt`` draws, refilled after a refused post (files excepted).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.fields import MISSING, FileField, Invalid
from core.i18n import _
from core.theme import get_templates
from core.views.forms import widget
from plugins.onestop.dossier import RETURN_COUNTER, RETURN_ONLINE, RETURN_POST
from plugins.onestop.intake import IntakeError, Submission, check_documents
from plugins.onestop.persons import FIELDS, parse_person
from plugins.onestop.process import settings_of
from plugins.onestop.views_support import desk_units

APPLICANT, REPRESENTATIVE = "applicant-", "representative-"
RETURN_LABELS = (
    (RETURN_COUNTER, _("Nhận trực tiếp tại bộ phận một cửa")),
    (RETURN_POST, _("Nhận qua dịch vụ bưu chính")),
    (RETURN_ONLINE, _("Nhận bản điện tử trực tuyến")),
)
UPLOAD = FileField("component", _("Tệp"))


@dataclass
class FormResult:
    """A read post: the submission when nothing is wrong, else the errors by the
    id of the input concerned ('' for the form as a whole)."""

    submission: Submission | None
    errors: dict = field(default_factory=dict)


def component_id(index: int) -> str:
    return f"component-{index}"


def chooses_unit(request, procedure) -> bool:
    """Whether the applicant names the processing unit: a procedure received
    anywhere whose processing unit is fixed neither by the settings nor by the
    procedure (every unit of its tier processes it)."""
    settings = settings_of(request.root, procedure.code)
    return bool(settings and settings.anywhere and not settings.processing_unit) and not getattr(
        procedure, "agency_code", ""
    )


def _person(request, prefix: str, required: bool = True):
    raw = {f.name: request.POST[prefix + f.name] for f in FIELDS if prefix + f.name in request.POST}
    person, errors = parse_person(raw, "form", required=required)
    return person, {prefix + name: message for name, message in errors.items()}


def _uploads(request, procedure) -> tuple[list, dict]:
    documents, errors = [], {}
    for index, row in enumerate(procedure.components):
        raw = request.POST.get(component_id(index), MISSING)
        try:
            upload = UPLOAD.parse(raw, "form")
        except Invalid as error:
            errors[component_id(index)] = error.message
            continue
        if upload is not None:
            documents.append((row["name"], upload))
    return documents, errors


def intake_errors(procedure, error: IntakeError) -> dict:
    """The errors of a refused intake by the form's input ids."""
    by_name = {row["name"]: component_id(i) for i, row in enumerate(procedure.components)}
    found = {}
    for key, message in error.errors.items():
        if key in by_name:
            found[by_name[key]] = message
        elif key in ("return_method", "processing_unit"):
            found[key] = error.message
    return found or {"": error.message}


def read_form(request, procedure, channel: str, receiving_unit: str, owner: str) -> FormResult:
    """The post as a submission of ``procedure`` received at ``receiving_unit``."""
    applicant, errors = _person(request, APPLICANT)
    representative = None
    if request.POST.get("has_representative"):
        representative, problems = _person(request, REPRESENTATIVE)
        errors.update(problems)
    documents, problems = _uploads(request, procedure)
    errors.update(problems)
    return_method = request.POST.get("return_method", "")
    if return_method not in dict(RETURN_LABELS):
        errors["return_method"] = _("Chọn hình thức nhận kết quả.")
    chosen = ""
    if chooses_unit(request, procedure):
        chosen = request.POST.get("processing_unit", "")
        if chosen not in dict(desk_units(request)):
            errors["processing_unit"] = _("Chọn đơn vị giải quyết.")
    if errors:
        try:  # the files' problems too, all at once
            check_documents(request, procedure, documents)
        except IntakeError as refused:
            errors.update(
                {k: v for k, v in intake_errors(procedure, refused).items() if k not in errors}
            )
        errors.pop("", None)
        return FormResult(None, errors)
    submission = Submission(
        procedure_code=procedure.code,
        applicant=applicant,
        return_method=return_method,
        channel=channel,
        receiving_unit=receiving_unit,
        representative=representative,
        documents=documents,
        processing_unit=chosen,
        owner=owner,
    )
    return FormResult(submission)


def _person_widgets(request, prefix: str, errors: dict) -> list[dict]:
    values = request.POST if request.method == "POST" else {}
    return [
        widget(
            request,
            replace(f, name=prefix + f.name),
            values.get(prefix + f.name),
            errors.get(prefix + f.name),
        )
        for f in FIELDS
    ]


def form_namespace(request, procedure, errors: dict, **page) -> dict:
    """What ``onestop_form.pt`` draws for ``procedure``, with ``errors`` by input
    id and what was typed (files excepted)."""
    translate = request.localizer.translate
    posted = request.POST if request.method == "POST" else {}
    components = [
        {
            "id": component_id(i),
            "name": row["name"],
            "copies": row.get("copies") or 1,
            "required": bool(row.get("required", True)),
            "error": translate(errors[component_id(i)]) if component_id(i) in errors else "",
            "checked": bool(posted.get(f"checked-{i}")),
        }
        for i, row in enumerate(procedure.components)
    ]
    applicant = _person_widgets(request, APPLICANT, errors)
    representative = _person_widgets(request, REPRESENTATIVE, errors)
    summary = [
        {"href": "#" + w["id"], "message": f"{w['label']}: {w['error']}"}
        for w in (*applicant, *representative)
        if w["error"]
    ]
    summary += [
        {"href": "#" + c["id"], "message": f"{c['name']}: {c['error']}"}
        for c in components
        if c["error"]
    ]
    others = {
        key: translate(message)
        for key, message in errors.items()
        if not key.startswith((APPLICANT, REPRESENTATIVE, "component-"))
    }
    summary += [
        {"href": "#field-" + key if key else None, "message": message}
        for key, message in others.items()
    ]
    chosen_return = posted.get("return_method", "")
    units = desk_units(request) if chooses_unit(request, procedure) else []
    return {
        "procedure": procedure,
        "applicant": applicant,
        "representative": representative,
        "has_representative": bool(posted.get("has_representative")),
        "components": components,
        "returns": [
            {"value": v, "label": translate(label), "checked": v == chosen_return}
            for v, label in RETURN_LABELS
        ],
        "units": [
            {"code": c, "title": t, "selected": c == posted.get("processing_unit")}
            for c, t in units
        ],
        "field_errors": others,
        "widgets_template": get_templates(request.registry)["widgets.pt"],
        "errors": summary,
        "refilled": request.method == "POST" and bool(errors),
        **page,
    }
