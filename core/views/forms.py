"""Add and edit forms, rendered from a content type's field schema.

Each field is drawn by the macro of ``widgets.pt`` its ``widget`` names (``text`` when
the theme has no such macro). Validation is the field's own (:mod:`core.fields`),
through :mod:`core.operations`, so the browser and the JSON API refuse the same input;
a refused form comes back with each message next to its field and what was typed
kept, and nothing stored.
"""

from __future__ import annotations

from datetime import date, datetime

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from core import operations
from core.clock import TIMEZONE
from core.errors import error_response
from core.fields import Choice, Field, MultiChoice, TextLine, shorten
from core.formatting import human_size
from core.i18n import _
from core.interfaces import IContent, IFolder
from core.operations import ValidationFailed
from core.permissions import EDIT
from core.theme import get_templates
from core.types import ContentType, get_types

#: The optional field of the add form that names the new object in its URL.
ID_FIELD = TextLine(
    "id",
    _("Tên trong địa chỉ (URL)"),
    description=_(
        "Không bắt buộc: để trống thì tên được tạo từ tiêu đề. "
        "Chỉ dùng chữ không dấu, số và dấu gạch ngang, ví dụ: gioi-thieu."
    ),
    max_length=100,
)


#: Characters of a queued message, and queued messages of a kind, at most: they wait
#: in the session, whose cookie holds 4 KB (messages quoting long titles, piling up
#: while no page shows them, must not overflow it).
FLASH_CHARS = 160
FLASH_KEPT = 3


def flash(request, message, queue: str = "") -> None:
    """Queue a message for the next page (``queue='error'`` for a problem); the
    oldest ones go when :data:`FLASH_KEPT` are waiting."""
    session = request.session
    if len(session.peek_flash(queue)) >= FLASH_KEPT:
        for kept in session.pop_flash(queue)[1 - FLASH_KEPT :]:
            session.flash(kept, queue=queue)
    session.flash(shorten(request.localizer.translate(message), FLASH_CHARS), queue=queue)


def form_data(request, fields: tuple[Field, ...]) -> dict:
    """The submitted values of ``fields``. An upload left empty is left out, so that
    editing a file without choosing a new one keeps the stored file."""
    data = {}
    for f in fields:
        if f.name not in request.POST:
            continue
        if f.multiple:
            data[f.name] = request.POST.getall(f.name)
            continue
        value = request.POST[f.name]
        if f.keeps_old_value_when_empty and not hasattr(value, "file"):
            continue
        data[f.name] = value
    return data


def display_value(value) -> str:
    """A stored or submitted value as the text an input shows."""
    if value is None or hasattr(value, "file"):
        return ""
    if isinstance(value, datetime):  # as a datetime-local input shows it: Vietnam time
        return value.astimezone(TIMEZONE).strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "\n".join(str(v) for v in value)  # one a line (host names...)
    return str(value)


def widget(request, field: Field, value, error, obj=None) -> dict:
    """What a ``widgets.pt`` macro needs to draw ``field`` (see that template)."""
    translate = request.localizer.translate
    macros = get_templates(request.registry)["widgets.pt"].macros.names
    wid = "form-" + field.name
    helps = [translate(field.description)] if field.description else []
    current = None
    stored = field.stored(obj)
    if stored is not None:
        current = {
            "filename": stored.filename,
            "size": human_size(stored.size, request),
            "url": request.resource_url(obj, field.download_view),
        }
        helps.append(translate(_("Để trống để giữ tệp hiện tại.")))
    described = [f"{wid}-help"] if helps else []
    if current:
        described.append(f"{wid}-current")
    if error:
        described.append(f"{wid}-error")
    options = []
    if isinstance(field, Choice | MultiChoice):
        chosen = set(field.default if value is None else value) if field.multiple else {value}
        chosen = {str(c) for c in chosen}  # a stored number, or the text a form sent back
        options = [
            {"value": v, "label": translate(label), "selected": str(v) in chosen}
            for v, label in field.choices(request)
        ]
    return {
        "name": field.name,
        "id": wid,
        "macro": field.widget if field.widget in macros else "text",
        "label": translate(field.label),
        "required": field.required,
        "help": " ".join(helps),
        "error": translate(error) if error else "",
        "value": display_value(field.form_value(value)),
        "checked": field.widget == "checkbox" and bool(field.default if value is None else value),
        "describedby": " ".join(described) or None,
        "max_length": getattr(field, "max_length", None) if field.widget == "text" else None,
        "options": options,
        "accept": ",".join(a + "*" if a.endswith("/") else a for a in getattr(field, "accept", ())),
        "multiple": field.multiple and field.widget == "file",
        "current": current,
    }


def form_page(request, fields, values, errors, obj=None, **page) -> dict:
    """The namespace of ``form.pt``: widgets, an error summary, and ``page``'s texts."""
    translate = request.localizer.translate
    widgets = [widget(request, f, values.get(f.name), errors.get(f.name), obj) for f in fields]
    named = {w["name"] for w in widgets}
    summary = [
        {"href": "#" + w["id"], "label": w["label"], "message": w["error"]}
        for w in widgets
        if w["error"]
    ]
    summary += [
        {"href": None, "label": "", "message": translate(message)}
        for key, message in errors.items()
        if key not in named
    ]
    page.setdefault("help", "")
    return {
        "widgets": widgets,
        "widgets_template": get_templates(request.registry)["widgets.pt"],
        "errors": summary,
        "multipart": any(f.widget == "file" for f in fields),
        **page,
    }


def submitted_values(request, fields) -> dict:
    """What was typed, to put back in a refused form."""
    return {
        f.name: request.POST.getall(f.name) if f.multiple else request.POST.get(f.name)
        for f in fields
    }


@view_config(context=IFolder, name="add", renderer="form.pt")
def add_form(context, request):
    """``@@add?type=Page``: the form that adds a new object of a type to this folder."""
    translate = request.localizer.translate
    types = get_types(request.registry)
    type_name = request.params.get("type", "")
    ct: ContentType | None = types.get(type_name)
    if ct is None:
        message = _("Không có loại nội dung “${name}”.", mapping={"name": type_name[:100]})
        return error_response(request, 400, message=translate(message))
    if ct not in types.addable_in(context):
        message = _(
            "Không thể thêm “${type}” vào thư mục này.", mapping={"type": translate(ct.label)}
        )
        return error_response(request, 400, message=translate(message))
    operations.require(request, ct.add_permission, context)
    fields = (*ct.fields, ID_FIELD)
    values, errors = {}, {}
    if request.method == "POST":
        name = request.POST.get("id", "")
        name = name.strip() if isinstance(name, str) else name
        try:
            obj = operations.create(
                request, context, ct.name, form_data(request, ct.fields), "form", name=name or None
            )
        except ValidationFailed as exc:
            errors = exc.errors
            values = submitted_values(request, fields)
        else:
            flash(request, _("Đã tạo “${title}”.", mapping={"title": obj.title or obj.__name__}))
            return HTTPFound(request.resource_url(obj))
    label = translate(ct.label)
    return form_page(
        request,
        fields,
        values,
        errors,
        heading=translate(_("Thêm ${type}", mapping={"type": label.lower()})),
        help=translate(ct.description) if ct.description else "",
        action=request.resource_url(context, "@@add"),
        type_name=ct.name,
        submit_label=translate(_("Tạo")),
        cancel_url=request.resource_url(context),
    )


@view_config(context=IContent, name="edit", renderer="form.pt", permission=EDIT)
def edit_form(context, request):
    """``@@edit``: the object's fields, prefilled; a valid post saves them all."""
    translate = request.localizer.translate
    ct = get_types(request.registry).get(context.type_name)
    if ct is None:
        raise HTTPNotFound()
    fields = ct.fields
    values = {f.name: getattr(context, f.name, f.default) for f in fields if f.widget != "file"}
    errors = {}
    if request.method == "POST":
        try:
            operations.edit(request, context, form_data(request, fields), "form")
        except ValidationFailed as exc:
            errors = exc.errors
            values = submitted_values(request, fields)
        else:
            flash(request, _("Đã lưu thay đổi."))
            return HTTPFound(request.resource_url(context))
    title = context.title or context.__name__ or translate(ct.label)
    return form_page(
        request,
        fields,
        values,
        errors,
        obj=context,
        heading=translate(_("Sửa “${title}”", mapping={"title": title})),
        action=request.resource_url(context, "@@edit"),
        type_name="",
        submit_label=translate(_("Lưu")),
        cancel_url=request.resource_url(context),
    )
