"""A small province for the documents tests: two units with offices, their staff,
and a partner agency outside the portal.

Units: the department Sở Xây dựng (20001, body ``SXD``) and the commune Xã Tân Phú
(10001, body ``UBND``). Staff (password :data:`core.testing.USER_PASSWORD`):
``vanthu1``/``lanhdao1``/``chuyenvien1`` (Clerk, Leader, Specialist) at 20001,
``vanthu2``/``lanhdao2``/``chuyenvien2`` at 10001; ``nguoingoai`` with no role.
Partner: ``000.00.00.G22`` (Bộ Xây dựng).
"""

from __future__ import annotations

from contextlib import contextmanager

from core import main
from core.testing import USER_PASSWORD, ModelRequest, make_settings
from plugins.documents.registry import Partner, registry_of
from plugins.documents.units import office_in

PLUGINS = "documents news"
UNITS = (("Sở Xây dựng", "department", "20001", "SXD"), ("Xã Tân Phú", "commune", "10001", "UBND"))
STAFF = {
    "vanthu1": ("20001", "Clerk"),
    "lanhdao1": ("20001", "Leader"),
    "chuyenvien1": ("20001", "Specialist"),
    "vanthu2": ("10001", "Clerk"),
    "lanhdao2": ("10001", "Leader"),
    "chuyenvien2": ("10001", "Specialist"),
}
PARTNER = Partner("000.00.00.G22", "Bộ Xây dựng", "37 Lê Đại Hành, Hà Nội")
#: A one-page PDF: what a scan looks like to the content check.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def documents_settings(data_dir, **extra) -> dict:
    values = {"cong.plugins": PLUGINS, "cong.outbox.deliver_in_process": "false"}
    return make_settings(data_dir, **{**values, **extra})


def province(model) -> dict:
    """Make the units, staff and partner above (as the admin) and commit; the
    units by code."""
    from subsites.provisioning import create_subsite

    units = {}
    for title, kind, code, body in UNITS:
        unit = create_subsite(
            model.request, model.site, {"title": title, "unit_kind": kind, "code": code}
        )
        office_in(unit).body_abbreviation = body
        units[code] = unit
    principals = model.site.principals
    for login, (code, role) in STAFF.items():
        principals.add_user(login, USER_PASSWORD)
        units[code].local_roles[login] = (role,)
    principals.add_user("nguoingoai", USER_PASSWORD)
    registry_of(model.site).partners[PARTNER.code] = PARTNER
    model.commit()
    return units


@contextmanager
def province_app(data_dir, **extra):
    """An application on the province above, made now in ``data_dir``: a module's
    tests share it; its database closes after them."""
    app = main({}, **documents_settings(data_dir, **extra))
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
