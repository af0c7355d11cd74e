"""The site root (the provincial portal) and its creation on first start."""

from __future__ import annotations

import logging
import secrets

import transaction
from BTrees.OOBTree import OOBTree
from zope.interface import implementer

from core.content import Folder
from core.fields import Text, TextLine
from core.i18n import _
from core.interfaces import INavigationRoot, ISite
from core.permissions import root_acl
from core.principals import Principals
from core.settings import SettingsError
from core.types import ContentType

log = logging.getLogger(__name__)

ROOT_KEY = "cong"


@implementer(ISite, INavigationRoot)
class Site(Folder):
    """The portal: the root of the content tree, holding users, groups, the uid
    map and the record of evolve steps done."""

    type_name = "Site"
    unit_name = ""
    address = ""
    phone = ""
    email = ""
    hotline = ""

    def __init__(self, **values):
        super().__init__(**values)
        self.__name__ = ""
        self.__acl__ = root_acl()
        self.principals = Principals()
        self.uids = OOBTree()
        self.evolved = OOBTree()  # evolve step name -> time done
        self.secret = secrets.token_hex(32)


SITE_TYPE = ContentType(
    "Site",
    Site,
    _("Cổng thông tin"),
    fields=(
        TextLine("title", _("Tên cổng thông tin"), required=True),
        Text("description", _("Giới thiệu ngắn"), max_length=1000),
        TextLine("unit_name", _("Tên cơ quan chủ quản")),
        TextLine("address", _("Địa chỉ")),
        TextLine("phone", _("Điện thoại")),
        TextLine("email", _("Thư điện tử")),
        TextLine("hotline", _("Đường dây nóng")),
    ),
    addable_to=(),
    workflow=None,
)


def get_site(conn) -> Site | None:
    """The site in an open ZODB connection, or None before the first start."""
    return conn.root().get(ROOT_KEY)


#: The name of the ``admin`` user made on first start.
ADMIN_FULLNAME = "Quản trị hệ thống"


def bootstrap(db, admin_password: str, evolve_steps, password_problem=None) -> None:
    """Create the site and the ``admin`` Manager on first start (once).

    ``password_problem(password, login, fullname)``, when given, says why the
    initial password may not be used (None: it may); start-up then stops with
    :class:`~core.settings.SettingsError` and nothing is created."""
    conn = db.open()
    try:
        with transaction.manager:
            root = conn.root()
            if ROOT_KEY in root:
                return
            problem = password_problem and password_problem(admin_password, "admin", ADMIN_FULLNAME)
            if problem:
                raise SettingsError(
                    "cong.initial_admin_password does not meet the password policy "
                    f"({problem.interpolate()}): set another before the first start."
                )
            site = Site(title="Cổng thông tin điện tử", unit_name="")
            admin = site.principals.add_user("admin", admin_password, fullname=ADMIN_FULLNAME)
            admin.roles.add("Manager")
            for step in evolve_steps:  # a new site is already at the latest schema
                if step.new_sites:
                    step.func(site)
                site.evolved[step.name] = site.created
            root[ROOT_KEY] = site
            log.info("created the site and the admin user")
    finally:
        conn.close()
