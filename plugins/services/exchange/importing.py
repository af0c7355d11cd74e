"""Importing procedures (see :mod:`plugins.services.exchange`) through the
kernel's pipeline (:func:`core.tabular.run_import`).

Every row is checked first as the add and edit forms would check it (the Service
fields and the type's check), against the other rows (a code twice) and the site
(a field not in the vocabulary, unless asked to create it). With any problem
nothing changes, and :class:`~core.tabular.ImportFailed` lists them all by line:
the spreadsheet row (header = 1) or the JSON record's number. Otherwise a code the
catalog has is edited in place (:func:`core.operations.edit`, only when a value
differs) and a new one is added (:func:`core.operations.create`) and moved to its
state (by default published, if the requester may publish).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import operations
from core.fields import Invalid
from core.i18n import _
from core.names import NAME_RE, slugify
from core.permissions import EDIT
from core.tabular import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Importer,
    Plan,
    ProgressReport,
    Row,
    Summary,
    folded,
    parse_values,
    run_import,
)
from core.types import get_types
from core.workflow import transitions_to, workflow_of
from plugins.services.content import SERVICE
from plugins.services.exchange.reading import FileRows
from plugins.services.exchange.records import COLUMNS, STATE
from plugins.services.fields import Level, choice_of
from plugins.services.units import find_by_code
from plugins.services.vocabulary import MAX_FIELDS, MAX_LABEL, add_field, field_items

#: The state of a new procedure whose row names none (when the requester may
#: publish; otherwise it stays in its workflow's initial state, as added by hand).
DEFAULT_STATE = "published"
LEVEL_RE = re.compile(r"^(?:muc do\s*)?([0-9])(?:\s*[:.].*)?$")


@dataclass
class ImportSummary(Summary):
    """What an import did (or, dry, would do): codes created, updated, unchanged,
    and the fields (lĩnh vực) added as ``(slug, label)``."""

    fields: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ServicePlan(Plan):
    """What importing a row does: the procedure it edits (None: a new one), the
    values to give it, the names of those that change, and the state to reach."""

    existing: object | None = None
    data: dict = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    state: str | None = None


class ServiceImporter(Importer):
    """One import into the catalog ``folder`` as the requester (see the module's
    docstring); ``file_fields`` are the fields (slug -> label) a JSON file lists,
    and ``create_fields`` adds the fields the file names that the site lacks."""

    columns = COLUMNS

    def __init__(self, request, folder, file_fields: dict, create_fields: bool = False):
        self.request = request
        self.folder = folder
        self.site = request.root
        self.create_fields = create_fields
        self.type = get_types(request.registry)[SERVICE]
        self.workflow = workflow_of(request, self.type.create())
        self.fields = {f.name: f for f in self.type.fields}
        items = field_items(self.site)
        self.slugs = {slug for slug, _label in items}
        self.by_label = {folded(label): slug for slug, label in items}
        self.file_fields = dict(file_fields)
        self.new_fields: dict[str, str] = {}
        self.by_new_label: dict[str, str] = {}
        try:
            self.default_state = self.state_of(DEFAULT_STATE, None)
        except Invalid:
            self.default_state = None  # the requester may not publish: new ones stay private

    # one value -------------------------------------------------------------------------
    def field_slug(self, text) -> str:
        """The slug of the field ``text`` names (by slug or label), perhaps one to
        create; :class:`Invalid` if it cannot be."""
        if not isinstance(text, str):
            raise Invalid(_("Phải là một chuỗi ký tự."))
        text = " ".join(text.split())
        if not text:
            return ""
        slug = text if text in self.slugs else self.by_label.get(folded(text))
        if slug is None:
            slug = text if text in self.new_fields else self.by_new_label.get(folded(text))
        if slug is not None:
            return slug
        if not self.create_fields:
            raise Invalid(
                _("Lĩnh vực “${field}” chưa có trong danh mục lĩnh vực.",
                  mapping={"field": text[:100]})
            )  # fmt: skip
        if text in self.file_fields:
            slug, label = text, " ".join(self.file_fields[text].split())
        else:
            label = text
            slug = next(
                (s for s, title in self.file_fields.items() if folded(title) == folded(text)),
                slugify(text)[:80],
            )
        if not label or len(label) > MAX_LABEL:
            raise Invalid(_("Tên lĩnh vực phải có từ 1 đến ${n} ký tự.", mapping={"n": MAX_LABEL}))
        if not NAME_RE.match(slug) or slug in self.slugs:
            raise Invalid(
                _("Mã lĩnh vực “${slug}” đã có hoặc không hợp lệ.", mapping={"slug": slug})
            )
        if len(self.slugs) + len(self.new_fields) >= MAX_FIELDS:
            raise Invalid(_("Đã đủ ${n} lĩnh vực.", mapping={"n": MAX_FIELDS}))
        self.new_fields[slug] = label
        self.by_new_label[folded(label)] = slug
        return slug

    def state_of(self, text, existing) -> str | None:
        """The workflow state ``text`` names (by name or title), None for none."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        if not isinstance(text, str):
            raise Invalid(_("Phải là một chuỗi ký tự."))
        wanted = folded(text)
        for name, state in self.workflow.states.items():
            if wanted in (name, folded(state.title)):
                break
        else:
            known = ", ".join(s.title for s in self.workflow.states.values())
            raise Invalid(
                _("Không có trạng thái “${state}” (các trạng thái: ${known}).",
                  mapping={"state": text[:40], "known": known})
            )  # fmt: skip
        start = existing.workflow_state if existing is not None else self.workflow.initial
        path = transitions_to(self.workflow, start, name)
        where = existing if existing is not None else self.folder
        transitions = self.workflow.transitions
        if path is None or not all(
            self.request.has_permission(transitions[t].permission, where) for t in path
        ):
            raise Invalid(_("Bạn không thể chuyển thủ tục sang trạng thái này."))
        return name

    def choice_value(self, name: str, raw):
        """A tier, online kind or level written by value or label, as its value."""
        f = self.fields[name]
        if not isinstance(raw, str):
            return raw
        wanted = folded(raw)
        if isinstance(f, Level):
            match = LEVEL_RE.match(wanted)
            return match.group(1) if match else raw
        value = choice_of(raw, f.vocabulary)
        return raw if value is None else value

    # the pipeline's steps ----------------------------------------------------------------
    def plan(self, row: Row) -> ServicePlan:
        data = dict(row.values)
        raw_state = data.pop(STATE, None)
        code = data.get("code")
        code = " ".join(code.split()) if isinstance(code, str) else ""
        existing = find_by_code(self.site, code) if code else None
        errors: dict = {}
        for name in ("tier", "online", "level"):
            if name in data:
                data[name] = self.choice_value(name, data[name])
        if "field" in data:
            try:
                data["field"] = self.field_slug(data["field"])
            except Invalid as exc:
                errors["field"] = exc.message
                del data["field"]
        try:
            state = self.state_of(raw_state, existing)
        except Invalid as exc:
            errors[STATE] = exc.message
            state = None
        if state is None and existing is None:
            state = self.default_state
        parsed, field_errors = parse_values(
            self.request, self.type, self.folder, data, row.source, existing
        )
        if parsed.get("field") in self.new_fields:
            field_errors.pop("field", None)  # added before the procedures
        errors = {**field_errors, **errors}
        if existing is not None and not self.request.has_permission(EDIT, existing):
            errors["code"] = _("Bạn không có quyền sửa thủ tục mã này.")
        changed = []
        if existing is not None:
            changed = [n for n, v in parsed.items() if getattr(existing, n, None) != v]
            if state is not None and state != existing.workflow_state:
                changed.append(STATE)
        action = CREATE if existing is None else UPDATE if changed else UNCHANGED
        return ServicePlan(row, action, code, errors, existing, data, changed, state)

    def summary(self, dry_run: bool) -> ImportSummary:
        return ImportSummary(dry_run=dry_run, fields=sorted(self.new_fields.items()))

    def begin(self) -> None:
        """Add the new fields before the procedures that name them."""
        for slug, label in sorted(self.new_fields.items()):
            add_field(self.site, label, slug)

    def apply(self, plan: ServicePlan) -> str:
        if plan.existing is None:
            obj = operations.create(self.request, self.folder, SERVICE, plan.data, plan.row.source)
            if plan.state is not None:
                self.reach(obj, plan.state)
        elif plan.changed:
            names = [name for name in plan.changed if name != STATE]
            if names:
                data = {name: plan.data[name] for name in names}
                operations.edit(self.request, plan.existing, data, plan.row.source, True)
            if STATE in plan.changed:
                self.reach(plan.existing, plan.state)
        return plan.key

    def reach(self, obj, state: str) -> None:
        for name in transitions_to(self.workflow, obj.workflow_state, state) or ():
            self.workflow.transition(self.request, obj, name)


def import_services(
    request,
    folder,
    upload: FileRows,
    create_fields: bool = False,
    dry_run: bool = False,
    progress: ProgressReport | None = None,
) -> ImportSummary:
    """Import ``upload`` into the catalog ``folder`` (see the module's docstring):
    :class:`~core.tabular.ImportFailed` with every problem, and nothing changed, if
    any row is refused; with ``dry_run`` nothing is changed either way."""
    importer = ServiceImporter(request, folder, upload.fields, create_fields)
    return run_import(
        importer,
        upload.rows,
        dry_run=dry_run,
        tm=getattr(request, "tm", None),
        progress=progress,
    )
