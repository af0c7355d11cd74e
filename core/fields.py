"""Field schemas: what a content type stores, and how input becomes a valid value.

A content type declares a tuple of fields. The same fields validate an HTML form
post (``source='form'``) and a JSON body (``source='json'``), so the browser and the
API accept and refuse the same things. A field that cannot accept a value raises
:class:`Invalid` with a message for the person who typed it.
"""

from __future__ import annotations

import base64
import binascii
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pyramid.i18n import TranslationString

from core.cleantext import first_forbidden
from core.i18n import _
from core.sanitize import clean_html

MISSING = object()


class Invalid(ValueError):
    """A value a field refuses; ``message`` is shown next to the field."""

    def __init__(self, message: TranslationString | str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Field:
    """One named value of a content type.

    ``widget`` names the macro of ``widgets.pt`` that renders the field in forms.
    """

    name: str
    label: str
    required: bool = False
    description: str = ""
    widget: str = "text"
    default: Any = None

    def parse(self, raw: Any, source: str) -> Any:
        """Turn submitted input into the stored value, or raise :class:`Invalid`."""
        if raw is MISSING or raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise Invalid(_("Bắt buộc nhập."))
            return self.default
        return self.convert(raw, source)

    def convert(self, raw: Any, source: str) -> Any:
        return raw

    def store(self, obj, value) -> None:
        """Put a parsed value on the object."""
        setattr(obj, self.name, value)

    def serialize(self, obj) -> Any:
        """The JSON form of the object's value."""
        return getattr(obj, self.name, self.default)

    def form_value(self, value: Any) -> Any:
        """What a form's input shows for ``value`` (a stored value, or the text
        submitted when a refused form comes back): the value itself, unless the
        field writes its values as text of its own (see :func:`core.views.forms.widget`)."""
        return value

    @property
    def keeps_old_value_when_empty(self) -> bool:
        """True when leaving the field empty on edit keeps what is stored (uploads)."""
        return False

    #: True for a field whose form input has several values (checkboxes).
    multiple = False

    def stored(self, obj):
        """What ``obj`` keeps for a field that keeps its old value when left empty
        (the file of an upload field), or None when there is nothing."""
        return None

    #: The JSON Schema ``type`` of the field's value, and plone.restapi's name of
    #: the kind of field (``factory``), for :meth:`json_schema`.
    json_type = "string"
    factory = "Text line (String)"

    def json_schema(self, request) -> dict:
        """The field as plone.restapi's ``@types/<name>`` describes it: a JSON
        Schema of its value with ``title``, ``description``, ``factory`` and, unless
        it is a plain text input, ``widget``. The OpenAPI document reuses it."""
        translate = request.localizer.translate
        schema = {
            "type": self.json_type,
            "title": translate(self.label),
            "description": translate(self.description) if self.description else "",
            "factory": self.factory,
        }
        if self.widget != "text":
            schema["widget"] = self.widget
        if self.default is not None:
            schema["default"] = (
                list(self.default) if isinstance(self.default, tuple) else self.default
            )
        schema.update(self.schema_details(request))
        if "enum" in schema and schema.get("default") not in schema["enum"]:
            schema.pop("default", None)  # the value of "nothing chosen"
        return schema

    def schema_details(self, request) -> dict:
        """What :meth:`json_schema` says beyond the common keys (limits, choices...)."""
        return {}


def check_text(value: str) -> str:
    """Return ``value`` if it is clean text (see :mod:`core.cleantext`: no control
    character but tab and line breaks, no lone surrogate); raise :class:`Invalid`
    naming the first character it may not hold. Every text field applies it; a
    single-line field then makes tabs and line breaks spaces."""
    position = first_forbidden(value)
    if position is not None:
        raise Invalid(
            _(
                "Có ký tự không được phép (U+${code}) ở vị trí ${position}.",
                mapping={"code": f"{ord(value[position]):04X}", "position": position + 1},
            )
        )
    return value


def as_text(raw: Any) -> str:
    """``raw`` if it is a clean text (see :func:`check_text`), else :class:`Invalid`."""
    if not isinstance(raw, str):
        raise Invalid(_("Phải là một chuỗi ký tự."))
    return check_text(raw)


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut after a whole word when one ends
    in the second half, never between a letter and its combining accent, and
    ended with "…"."""
    if len(text) <= limit:
        return text
    end = limit - 1
    while end > 0 and unicodedata.combining(text[end]):
        end -= 1
    space = text.rfind(" ", 0, end + 1)
    if space > limit // 2:
        end = space
    return text[:end].rstrip() + "…"


@dataclass(frozen=True)
class TextLine(Field):
    """One line of plain text."""

    max_length: int = 300

    def schema_details(self, request):
        return {"maxLength": self.max_length}

    def convert(self, raw, source):
        value = " ".join(as_text(raw).split())
        if len(value) > self.max_length:
            raise Invalid(_("Quá dài: tối đa ${n} ký tự.", mapping={"n": self.max_length}))
        return value


@dataclass(frozen=True)
class Text(Field):
    """Plain text over several lines."""

    widget: str = "textarea"
    max_length: int = 5000
    default: Any = ""
    factory = "Text"

    def schema_details(self, request):
        return {"maxLength": self.max_length}

    def convert(self, raw, source):
        value = as_text(raw).replace("\r\n", "\n").strip()
        if len(value) > self.max_length:
            raise Invalid(_("Quá dài: tối đa ${n} ký tự.", mapping={"n": self.max_length}))
        return value


@dataclass(frozen=True)
class RichText(Field):
    """HTML, sanitised when saved."""

    widget: str = "richtext"
    default: Any = ""
    max_length: int = 2_000_000
    factory = "Rich Text"

    def convert(self, raw, source):
        value = as_text(raw)
        if len(value) > self.max_length:
            raise Invalid(_("Nội dung quá dài."))
        return clean_html(value)


URL_RE = re.compile(r"^(https?://[^\s/$.?#][^\s]*|mailto:[^\s]+|tel:[+\d][\d\s.-]*|/[^\s]*)$")


@dataclass(frozen=True)
class URL(Field):
    """A web address (http, https, mailto, tel) or a path in this site."""

    widget: str = "url"
    factory = "URL"

    def convert(self, raw, source):
        value = as_text(raw).strip()
        if len(value) > 2000 or not URL_RE.match(value):
            raise Invalid(_("Địa chỉ không hợp lệ (ví dụ: https://dichvucong.gov.vn)."))
        return value


@dataclass(frozen=True)
class Date(Field):
    """A calendar date, entered as YYYY-MM-DD."""

    widget: str = "date"
    factory = "Date"

    def schema_details(self, request):
        return {"format": "date"}

    def convert(self, raw, source):
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(as_text(raw).strip())
        except ValueError:
            raise Invalid(_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")) from None

    def serialize(self, obj):
        value = getattr(obj, self.name, None)
        return value.isoformat() if value else None


@dataclass(frozen=True)
class Choice(Field):
    """One value out of a fixed vocabulary of ``(value, label)`` pairs."""

    widget: str = "select"
    vocabulary: tuple = ()
    factory = "Choice"

    def choices(self, request) -> tuple:
        """The ``(value, label)`` pairs a form offers (a field whose vocabulary is
        kept in the site reads it here)."""
        return self.vocabulary

    def convert(self, raw, source):
        # a list, not a set: a JSON list or object sent here is refused, not unhashable
        if raw not in [value for value, _label in self.vocabulary]:
            raise Invalid(_("Giá trị không nằm trong danh sách cho phép."))
        return raw

    def schema_details(self, request):
        return choices_schema(request, self.choices(request))


@dataclass(frozen=True)
class Bool(Field):
    """Yes or no: a checkbox in forms, ``true``/``false`` in JSON.

    The checkbox widget sends an empty value when unticked, which means False here
    (an absent value means the default)."""

    widget: str = "checkbox"
    default: Any = False
    json_type = "boolean"
    factory = "Yes/No"

    def parse(self, raw: Any, source: str) -> Any:
        if raw is MISSING or raw is None:
            return self.default
        if isinstance(raw, bool):
            return raw
        if source == "form" and isinstance(raw, str):
            return raw.strip().lower() in ("1", "on", "true", "yes")
        raise Invalid(_("Phải là true hoặc false."))


@dataclass(frozen=True)
class MultiChoice(Field):
    """Any number of values out of a vocabulary of ``(value, label)`` pairs:
    checkboxes in forms (an empty value marks the list, so ticking none means
    none), a list in JSON. Stored as a tuple in the vocabulary's order."""

    widget: str = "checkboxes"
    vocabulary: tuple = ()
    default: Any = ()
    multiple = True
    json_type = "array"
    factory = "Multiple Choice"

    def choices(self, request) -> tuple:
        """The ``(value, label)`` pairs a form offers."""
        return self.vocabulary

    def parse(self, raw: Any, source: str) -> Any:
        if raw is MISSING or raw is None:
            if self.required:
                raise Invalid(_("Bắt buộc nhập."))
            return self.default
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
            raise Invalid(_("Phải là một danh sách các giá trị."))
        chosen = {v for v in raw if v}
        known = [value for value, _label in self.vocabulary]
        unknown = sorted(chosen - set(known))
        if unknown:
            raise Invalid(
                _(
                    "Giá trị không nằm trong danh sách cho phép: ${values}.",
                    mapping={"values": ", ".join(unknown)[:200]},
                )
            )
        if self.required and not chosen:
            raise Invalid(_("Bắt buộc nhập."))
        return tuple(v for v in known if v in chosen)

    def serialize(self, obj):
        return list(getattr(obj, self.name, None) or ())

    def schema_details(self, request):
        return {"uniqueItems": True, "items": choices_schema(request, self.choices(request))}


def choices_schema(request, vocabulary) -> dict:
    """The JSON Schema of one value out of ``(value, label)`` pairs: its ``type``,
    ``enum``, ``enumNames`` and ``choices`` as plone.restapi gives them."""
    values = [value for value, _label in vocabulary]
    labels = [request.localizer.translate(label) for _value, label in vocabulary]
    numbers = bool(values) and all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    return {
        "type": "integer" if numbers else "string",
        "enum": values,
        "enumNames": labels,
        "choices": [[value, label] for value, label in zip(values, labels, strict=True)],
    }


#: The JSON Schema of a file sent through the API (see :class:`FileField`).
FILE_SCHEMA = {
    "data": {"type": "string", "title": "data"},
    "encoding": {"type": "string", "title": "encoding", "enum": ["base64", "utf-8"]},
    "filename": {"type": "string", "title": "filename"},
    "content-type": {"type": "string", "title": "content-type"},
}


@dataclass(frozen=True)
class Upload:
    """An uploaded file before it is stored: name, media type and bytes."""

    filename: str
    content_type: str
    data: bytes


#: The longest file name kept, in characters (as most file systems allow).
MAX_FILENAME = 255
MEDIA_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*\Z")


def clean_filename(name: str) -> str:
    """An uploaded file's name as kept: clean text (else :class:`Invalid`), without
    the folders some browsers send, on one line, at most :data:`MAX_FILENAME`
    characters (a longer one is cut before its extension)."""
    name = " ".join(check_text(name).replace("\\", "/").rsplit("/", 1)[-1].split())
    name = name or "file"
    if len(name) > MAX_FILENAME:
        stem, ext = posixpath.splitext(name)
        ext = ext if len(ext) <= 16 else ""
        name = shorten(stem, MAX_FILENAME - len(ext)) + ext
    return name


def clean_media_type(value: str) -> str:
    """A media type as kept (``image/png``, parameters left out); :class:`Invalid`
    for one that is not ``type/subtype``."""
    media_type = check_text(value).split(";", 1)[0].strip().lower()
    if not MEDIA_TYPE_RE.match(media_type):
        raise Invalid(_("Loại tệp (content-type) không hợp lệ."))
    return media_type


@dataclass(frozen=True)
class FileField(Field):
    """A file kept in a ZODB blob. JSON input follows plone.restapi:
    ``{"data": <base64>, "encoding": "base64", "filename": ..., "content-type": ...}``.
    """

    widget: str = "file"
    accept: tuple = field(default=())
    #: The view of the object holding the file that sends it (its URL in forms).
    download_view: str = "@@download"
    json_type = "object"
    factory = "File"

    @property
    def keeps_old_value_when_empty(self) -> bool:
        return True

    def schema_details(self, request):
        return {"properties": dict(FILE_SCHEMA), "required": ["data"]}

    def stored(self, obj):
        return obj if obj is not None and obj.has_data() else None

    def parse(self, raw, source):
        if source == "form" and not hasattr(raw, "file"):
            raw = MISSING  # an empty file input arrives as an empty string
        return super().parse(raw, source)

    def convert(self, raw, source) -> Upload:
        if source == "json":
            upload = self._from_json(raw)
        else:
            upload = Upload(
                filename=raw.filename or "file",
                content_type=raw.type or "application/octet-stream",
                data=raw.file.read(),
            )
        upload = Upload(
            filename=clean_filename(upload.filename),
            content_type=clean_media_type(upload.content_type),
            data=upload.data,
        )
        if not upload.data:
            raise Invalid(_("Tệp rỗng."))
        if self.accept and not upload.content_type.startswith(self.accept):
            raise Invalid(_("Loại tệp không được chấp nhận."))
        return self.check(upload)

    def check(self, upload: Upload) -> Upload:
        return upload

    @staticmethod
    def _from_json(raw) -> Upload:
        """An upload as plone.restapi sends it: the bytes in base64 (the only
        encoding it has; ``"encoding"`` may be left out)."""
        if not isinstance(raw, dict) or not isinstance(raw.get("data"), str):
            raise Invalid(_('Cần một đối tượng {"data", "encoding", "filename"}.'))
        if raw.get("encoding", "base64") != "base64":
            raise Invalid(_('Dữ liệu tệp phải được mã hóa base64 ("encoding": "base64").'))
        try:
            data = base64.b64decode(raw["data"], validate=True)
        except (binascii.Error, ValueError):
            raise Invalid(_("Dữ liệu base64 không hợp lệ.")) from None
        return Upload(
            filename=as_text(raw.get("filename") or "file"),
            content_type=as_text(raw.get("content-type") or "application/octet-stream"),
            data=data,
        )

    def store(self, obj, value: Upload) -> None:
        obj.set_data(value)

    def serialize(self, obj):
        return obj.file_info() if obj.has_data() else None


@dataclass(frozen=True)
class ImageField(FileField):
    """An image file; the bytes must open as an image."""

    widget: str = "file"
    accept: tuple = ("image/",)
    factory = "Image"

    def check(self, upload: Upload) -> Upload:
        from PIL import UnidentifiedImageError

        from core.images import ImageTooLarge, open_image

        try:
            with open_image(upload.data) as img:
                img.verify()
        except ImageTooLarge as exc:
            raise Invalid(
                _(
                    "Ảnh quá lớn: tối đa ${limit} triệu điểm ảnh (chiều rộng × chiều cao).",
                    mapping={"limit": f"{exc.limit / 1_000_000:g}"},
                )
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise Invalid(_("Tệp không phải là ảnh hợp lệ.")) from None
        return upload


@dataclass(frozen=True)
class ImageAttribute(Field):
    """An image kept on the object under the field's name (a subsite's logo, a news
    article's lead image), sent by the view named like the field (``@@logo``). Input
    as for image uploads; left empty on edit, the stored image stays."""

    widget: str = "file"
    accept: tuple = ("image/",)
    json_type = "object"
    factory = "Image"

    @property
    def keeps_old_value_when_empty(self) -> bool:
        return True

    def schema_details(self, request):
        return ImageField(self.name, self.label).schema_details(request)

    @property
    def download_view(self) -> str:
        return "@@" + self.name

    def stored(self, obj):
        return getattr(obj, self.name, None) if obj is not None else None

    def parse(self, raw, source):
        return ImageField(self.name, self.label).parse(raw, source)

    def store(self, obj, value) -> None:
        from core.blobs import AttachedImage

        if value is None:
            return
        image = AttachedImage()
        image.set_data(value)
        setattr(obj, self.name, image)

    def serialize(self, obj):
        image = getattr(obj, self.name, None)
        return image.file_info() if image is not None else None


def apply_values(
    fields: tuple[Field, ...],
    obj,
    data: dict,
    source: str,
    partial: bool = False,
    check: Callable[[dict], dict] | None = None,
) -> dict[str, TranslationString | str]:
    """Validate ``data`` against ``fields`` and store it on ``obj`` if all is valid.

    Returns the errors by field name; when there are any, nothing is stored, so a
    refused edit leaves the object exactly as it was. With ``partial`` (a PATCH),
    fields absent from ``data`` are left alone. ``check(values)``, given the parsed
    values when each field accepted its own, may refuse some more (a value another
    object already has...) by returning errors.
    """
    values, errors = {}, {}
    for f in fields:
        if f.name not in data:
            if partial or f.stored(obj) is not None:
                continue
        raw = data.get(f.name, MISSING)
        try:
            value = f.parse(raw, source)
        except Invalid as exc:
            errors[f.name] = exc.message
            continue
        if value is None and f.stored(obj) is not None:
            continue
        values[f.name] = value
    if not errors and check is not None:
        errors = dict(check(values) or {})
    if not errors:
        for f in fields:
            if f.name in values:
                f.store(obj, values[f.name])
    return errors
