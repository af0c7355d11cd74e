"""A new subsite's default structure: the part the subsites package owns.

Each plugin creates its own sections of a new subsite in its
``cong_subsite_created`` hook (a folder of the unit's news, of its documents...).
This module gives them
:func:`ensure_child`, which adds a section only when it is missing, so the hook can
run again on an existing subsite and add only what a newer plugin brings, and adds
the subsites package's own sections: "Giới thiệu" first, a folder of pages about
the unit ("Cơ cấu tổ chức" with its details, "Chức năng, nhiệm vụ", "Lãnh đạo" with
the leaders' contacts to fill in), and "Liên hệ" (how to reach it) last.

The sections are content, written in the portal's language (Vietnamese), not
interface text: they are stored as they are, whatever the requester's language.
"""

from __future__ import annotations

from html import escape

from core import operations
from core.hookspecs import hookimpl
from core.interfaces import IFolder
from core.workflow import workflow_of

#: Names (URL segments) and titles of the subsites package's own sections.
INTRO = ("gioi-thieu", "Giới thiệu")
CONTACT = ("lien-he", "Liên hệ")
#: The pages of "Giới thiệu": name, title, and the function writing their text.
ORGANISATION = ("co-cau-to-chuc", "Cơ cấu tổ chức")
FUNCTIONS = ("chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ")
LEADERS = ("lanh-dao", "Lãnh đạo")
#: The leaders' positions by unit kind (the head first), for the "Lãnh đạo" page.
POSITIONS = {
    "department": ("Giám đốc", "Phó Giám đốc"),
    "district": ("Chủ tịch UBND", "Phó Chủ tịch UBND"),
    "commune": ("Chủ tịch UBND", "Phó Chủ tịch UBND"),
}
OTHER_POSITIONS = ("Thủ trưởng đơn vị", "Phó Thủ trưởng đơn vị")
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


def functions_text(request, subsite) -> str:
    """The body of the "Chức năng, nhiệm vụ" page: the frame the unit fills in."""
    title = escape(subsite.title)
    return (
        f"<p>{title} thực hiện chức năng tham mưu, quản lý nhà nước và cung cấp dịch vụ "
        f"công trong phạm vi được giao, theo quy định của pháp luật và sự chỉ đạo của "
        f"{escape(parent_unit_title(request, subsite))}.</p>"
        "<h2>Nhiệm vụ, quyền hạn</h2>"
        "<ul><li>Xây dựng và tổ chức thực hiện kế hoạch công tác hằng năm.</li>"
        "<li>Giải quyết thủ tục hành chính cho tổ chức, công dân đúng hạn, công khai.</li>"
        "<li>Thực hiện các nhiệm vụ khác do cấp có thẩm quyền giao.</li></ul>"
    )


def leaders_text(subsite) -> str:
    """The body of the "Lãnh đạo" page: a table of the leaders and how to reach
    them (names to fill in), then the unit's own contacts."""
    head, deputy = POSITIONS.get(getattr(subsite, "unit_kind", ""), OTHER_POSITIONS)
    rows = "".join(
        f"<tr><td>{position}</td><td>Đang cập nhật</td><td></td><td></td></tr>"
        for position in (head, deputy)
    )
    table = (
        "<table><thead><tr><th>Chức vụ</th><th>Họ và tên</th><th>Điện thoại</th>"
        f"<th>Thư điện tử</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    lines = contact_lines(subsite)
    contacts = f"<h2>Liên hệ</h2><ul>{''.join(lines)}</ul>" if lines else ""
    return f"<p>Lãnh đạo {escape(subsite.title)}.</p>{table}{contacts}"


def contact_text(subsite) -> str:
    """The body of the "Liên hệ" page."""
    lines = contact_lines(subsite)
    if not lines:
        return f"<p>{escape(subsite.title)}.</p>"
    return f"<p>{escape(subsite.title)}</p><ul>{''.join(lines)}</ul>"


def intro_pages(request, subsite) -> list[tuple[str, str, str]]:
    """``(name, title, text)`` of each page of "Giới thiệu", in order."""
    return [
        (*ORGANISATION, intro_text(request, subsite)),
        (*FUNCTIONS, functions_text(request, subsite)),
        (*LEADERS, leaders_text(subsite)),
    ]


@hookimpl(trylast=True)
def cong_subsite_created(request, subsite):
    """Add "Giới thiệu" (first, a folder of pages) and "Liên hệ" (last) to a new
    subsite, after the plugins have added their sections; what is already there
    is left as it is (a "Giới thiệu" page of an older subsite too)."""
    name, title = INTRO
    description = f"Giới thiệu về {subsite.title}."
    intro, created = ensure_child(
        request, subsite, name, "Folder", {"title": title, "description": description}
    )
    if created:
        operations.reorder(request, subsite, name, 0)
    if IFolder.providedBy(intro):
        for page_name, page_title, text in intro_pages(request, subsite):
            ensure_child(request, intro, page_name, "Page", {"title": page_title, "text": text})
    name, title = CONTACT
    ensure_child(request, subsite, name, "Page", {"title": title, "text": contact_text(subsite)})
