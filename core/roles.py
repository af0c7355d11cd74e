"""The roles a principal can hold, globally or locally on a folder (Sharing).

The kernel declares Manager, SiteAdmin, Editor, Contributor, Reviewer, Reader, Member
and Owner, and the domain roles the work systems share (Clerk, Leader, Specialist,
Receptionist: the one-stop desk and the document registers grant them on a unit);
plugins declare theirs through the ``cong_roles`` hook. Registering one name twice
is a start-up conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.config import Configurator

from core.i18n import _


@dataclass(frozen=True)
class Role:
    """A role: ``grantable`` roles are offered on the Sharing page."""

    name: str
    label: str
    grantable: bool = True


KERNEL_ROLES = (
    Role("Manager", _("Quản trị hệ thống")),
    Role("SiteAdmin", _("Quản trị trang")),
    Role("Editor", _("Biên tập viên")),
    Role("Contributor", _("Cộng tác viên")),
    Role("Reviewer", _("Người duyệt")),
    Role("Reader", _("Người đọc")),
    Role("Member", _("Thành viên")),
    Role("Owner", _("Người tạo"), grantable=False),
    Role("Receptionist", _("Cán bộ tiếp nhận")),
    Role("Specialist", _("Chuyên viên")),
    Role("Leader", _("Lãnh đạo")),
    Role("Clerk", _("Văn thư")),
)


def get_roles(registry) -> dict[str, Role]:
    """The declared roles by name, in declaration order."""
    return registry.cong_roles


def add_role(config: Configurator, role: Role) -> None:
    """Directive: declare a role."""

    def register():
        get_roles(config.registry)[role.name] = role

    config.action(("cong.role", role.name), register)


def includeme(config: Configurator) -> None:
    config.registry.cong_roles = {}
    config.add_directive("add_role", add_role)
    for role in KERNEL_ROLES:
        config.add_role(role)
