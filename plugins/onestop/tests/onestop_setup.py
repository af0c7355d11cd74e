"""A small province for the one-stop tests: three units with desks, procedures
(one received anywhere in the province), and their staff.

Units: the communes Tân Phú (10001) and Hòa Bình (10002), the department Sở Xây
dựng (20001). Procedures:

========  ============  =====  =========  ======================================
code      unit          level  days       components (required?)
========  ============  =====  =========  ======================================
1.000003  every commune 3      5 (3 online)  Tờ khai (yes), Bản sao giấy tờ (no)
1.000005  20001         3      15         Đơn đề nghị (yes), Bản vẽ (yes)
1.000008  20001         2      10         Đơn đề nghị (yes)
========  ============  =====  =========  ======================================

1.000005 is received anywhere ("phi địa giới") and processed by 20001.

Staff (password :data:`core.testing.USER_PASSWORD`): ``tiepnhan1`` Receptionist
at 10001, ``chuyenvien1`` Specialist and ``lanhdao1`` Leader at 10001,
``tiepnhan3``, ``chuyenvien3``, ``lanhdao3`` at 20001; ``congdan`` a citizen
without roles.
"""

from __future__ import annotations

from contextlib import contextmanager

from BTrees.OOBTree import OOBTree

from core import main, operations
from core.testing import USER_PASSWORD, ModelRequest, make_settings
from core.workflow import workflow_of
from plugins.onestop.process import settings_of

PLUGINS = "news onestop services"
UNITS = (("Xã Tân Phú", "commune", "10001"), ("Xã Hòa Bình", "commune", "10002"),
         ("Sở Xây dựng", "department", "20001"))  # fmt: skip
STAFF = {
    "tiepnhan1": ("10001", "Receptionist"),
    "chuyenvien1": ("10001", "Specialist"),
    "lanhdao1": ("10001", "Leader"),
    "tiepnhan3": ("20001", "Receptionist"),
    "chuyenvien3": ("20001", "Specialist"),
    "lanhdao3": ("20001", "Leader"),
}
PROCEDURES = (
    {
        "title": "Đăng ký hộ kinh doanh",
        "code": "1.000003",
        "field": "kinh-doanh",
        "tier": "commune",
        "agency": "UBND cấp xã",
        "agency_code": "",
        "methods": [{"channel": "truc-tiep", "days": 5}, {"channel": "truc-tuyen", "days": 3}],
        "components": [
            {"name": "Tờ khai", "copies": 1, "required": True},
            {"name": "Bản sao giấy tờ", "copies": 1, "required": False},
        ],
        "fees": [{"name": "Lệ phí đăng ký", "amount": 100000}],
        "level": 3,
        "online": "mot-phan",
    },
    {
        "title": "Cấp giấy phép xây dựng",
        "code": "1.000005",
        "field": "xay-dung",
        "tier": "province",
        "agency": "Sở Xây dựng",
        "agency_code": "20001",
        "methods": [{"channel": "truc-tiep", "days": 15}],
        "components": [
            {"name": "Đơn đề nghị", "copies": 1, "required": True},
            {"name": "Bản vẽ", "copies": 1, "required": True},
        ],
        "fees": [{"name": "Lệ phí cấp phép", "amount": 75000}],
        "level": 3,
        "online": "toan-trinh",
    },
    {
        "title": "Gia hạn giấy phép",
        "code": "1.000008",
        "field": "xay-dung",
        "tier": "province",
        "agency": "Sở Xây dựng",
        "agency_code": "20001",
        "methods": [{"channel": "truc-tiep", "days": 10}],
        "components": [{"name": "Đơn đề nghị", "copies": 1, "required": True}],
        "level": 2,
        "online": "",
    },
)
#: A one-page PDF: what a scan handed in looks like to the content check.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANT = {
    "full_name": "Nguyễn Thị Lan",
    "id_type": "cccd",
    "id_number": "001190012345",
    "birth_date": "1990-05-17",
    "phone": "0912345678",
    "email": "lan@example.com",
    "address": "Thôn Đông, xã Tân Phú",
}


def onestop_settings(data_dir, **extra) -> dict:
    """Test settings with the one-stop plugin; the outbox delivers only when a test
    asks it to (``core.outbox.deliver``), never in a thread behind its back."""
    values = {"cong.plugins": PLUGINS, "cong.outbox.deliver_in_process": "false"}
    return make_settings(data_dir, **{**values, **extra})


def province(model, site_access=None) -> dict:
    """Make the units, fields, procedures and staff above (as the admin) and
    commit; the units by code."""
    from subsites.provisioning import create_subsite

    # the fields (lĩnh vực) the services plugin keeps: a plugin's tests may not
    # import another plugin, so they are stored as that plugin stores them (its
    # Service type refuses a field it does not find there: a change shows at once)
    model.site.service_fields = OOBTree({"kinh-doanh": "Kinh doanh", "xay-dung": "Xây dựng"})
    catalog = model.site["thu-tuc-hanh-chinh"]
    workflow_of(model.request, catalog).transition(model.request, catalog, "publish")
    units = {}
    for title, kind, code in UNITS:
        units[code] = create_subsite(
            model.request, model.site, {"title": title, "unit_kind": kind, "code": code}
        )
    for values in PROCEDURES:
        service = operations.create(model.request, catalog, "Service", values, "json")
        workflow_of(model.request, service).transition(model.request, service, "publish")
    settings_of(model.site, "1.000005", create=True).anywhere = True
    principals = model.site.principals
    for login, (code, role) in STAFF.items():
        principals.add_user(login, USER_PASSWORD)
        units[code].local_roles[login] = (role,)
    principals.add_user("congdan", USER_PASSWORD)
    model.commit()
    return units


@contextmanager
def province_app(data_dir, **extra):
    """An application on the province above, made now in ``data_dir`` (``extra``
    settings added): a module's tests share it; its database closes after them."""
    app = main({}, **onestop_settings(data_dir, **extra))
    model = ModelRequest(app)
    try:
        province(model)
    finally:
        model.close()
    try:
        yield app
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()
