"""A new subsite's default structure: the part the subsites package owns.

Each plugin creates its own sections of a new subsite in its
``cong_subsite_created`` hook (the news plugin its "Tin tức" and "Thông báo"
folders, the documents plugin its "Văn bản"...). This module gives them
:func:`ensure_child`, which adds a section only when it is missing, so the hook can
run again on an existing subsite and add only what a newer plugin brings, and adds
the subsites package's own pages: "Giới thiệu" (the unit's details) first and
"Liên hệ" (how to reach it) last.

The sections are content, written in the portal's language (Vietnamese), not
interface text: they are stored as they are, whatever the requester's language.
"""

from __future__ import annotations

from html import escape

from core import operations
from core.hookspecs import hookimpl
from core.workflow import workflow_of

#: Names (URL segments) and titles of the subsites package's own pages.
INTRO = ("gioi-thieu", "Giới thiệu")
CONTACT = ("lien-he", "Liên hệ")
#: The transition that makes a new section visible to visitors.
PUBLISH = "publish"


def ensure_child(request, folder, name: str, type_name: str, values: dict):
    """The child ``name`` of ``folder``: created from ``values`` (through
    :func:`core.operations.create`, so the requester's permission is checked and
    the events fire) and published when it is missing; the existing one, untouched,
    otherwise. Returns ``(child, created)``."""
    existing = folder.get(name)
    if existing is not None:
        return existing, False
    child = operations.create(request, folder, type_name, values, source="json", name=name)
    workflow = workflow_of(request, child)
    if workflow is not None and any(t.name == PUBLISH for t in workflow.available(request, child)):
        workflow.transition(request, child, PUBLISH)
    return child, True


def parent_unit_title(request, subsite) -> str:
    """The name of the unit ``subsite``'s unit belongs to: the unit whose code is
    its ``parent_code``, else the province (the portal's unit name or title)."""
    site = request.root
    code = getattr(subsite, "parent_code", "")
    uid = site.unit_codes.get(code) if code and hasattr(site, "unit_codes") else None
    parent = site.uids.get(uid) if uid else None
    if parent is not None:
        return parent.title
    return site.unit_name or site.title


def kind_label(request, subsite) -> str:
    """The label of ``subsite``'s unit kind, in the portal's language."""
    from subsites.units import unit_kind

    kind = unit_kind(request.registry, getattr(subsite, "unit_kind", ""))
    return str(kind.label) if kind is not None else ""


def contact_lines(subsite) -> list[str]:
    """The unit's address, phone and email as HTML list items (escaped)."""
    lines = []
    if subsite.address:
        lines.append(f"<li>Địa chỉ: {escape(subsite.address)}</li>")
    if subsite.phone:
        phone = escape(subsite.phone)
        tel = escape("".join(subsite.phone.split()), quote=True)
        lines.append(f'<li>Điện thoại: <a href="tel:{tel}">{phone}</a></li>')
    if subsite.email:
        email = escape(subsite.email, quote=True)
        lines.append(f'<li>Thư điện tử: <a href="mailto:{email}">{escape(subsite.email)}</a></li>')
    return lines


def intro_text(request, subsite) -> str:
    """The body of the "Giới thiệu" page: what the unit is, its code and contacts."""
    text = (
        f"<p><strong>{escape(subsite.title)}</strong> trực thuộc "
        f"{escape(parent_unit_title(request, subsite))}.</p>"
    )
    details = []
    kind = kind_label(request, subsite)
    if kind:
        details.append(f"<li>Loại đơn vị: {escape(kind)}</li>")
    if subsite.code:
        details.append(f"<li>Mã đơn vị hành chính: {escape(subsite.code)}</li>")
    details += contact_lines(subsite)
    return text + "<ul>" + "".join(details) + "</ul>" if details else text


def contact_text(subsite) -> str:
    """The body of the "Liên hệ" page."""
    lines = contact_lines(subsite)
    if not lines:
        return f"<p>{escape(subsite.title)}.</p>"
    return f"<p>{escape(subsite.title)}</p><ul>{''.join(lines)}</ul>"


@hookimpl(trylast=True)
def cong_subsite_created(request, subsite):
    """Add "Giới thiệu" (first) and "Liên hệ" (last) to a new subsite, after the
    plugins have added their sections; an existing page is left as it is."""
    name, title = INTRO
    _page, created = ensure_child(
        request, subsite, name, "Page", {"title": title, "text": intro_text(request, subsite)}
    )
    if created:
        operations.reorder(request, subsite, name, 0)
    name, title = CONTACT
    ensure_child(request, subsite, name, "Page", {"title": title, "text": contact_text(subsite)})
