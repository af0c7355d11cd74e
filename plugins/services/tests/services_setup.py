"""A known catalog of procedures for the statistics and API tests: three units and
ten procedures whose counts are written out below.

Units: the communes Tân Phú (10001) and Hòa Bình (10002), the department Sở Xây
dựng (20001). Published procedures (anonymous visitors count them):

===========  ==========  ============  =====  ==========
code         field       unit key      level  online
===========  ==========  ============  =====  ==========
1.000001     ho-tich     commune:*     1
1.000002     ho-tich     commune:*     2
1.000003     kinh-doanh  commune:*     3      mot-phan
1.000004     kinh-doanh  commune:10002 4      toan-trinh
1.000005     xay-dung    province:20001 3     toan-trinh
1.000006     xay-dung    province:20001 3     mot-phan
1.000007     xay-dung    province:20001 4     toan-trinh
1.000008     xay-dung    province:20001 2
1.000009     kinh-doanh  province:*    3      mot-phan
===========  ==========  ============  =====  ==========

and 1.000010 (xay-dung, province:20001, level 4, toàn trình) left private.
"""

from __future__ import annotations

from core import operations
from core.workflow import workflow_of
from plugins.services.vocabulary import add_field

CATALOG = "thu-tuc-hanh-chinh"
FIELDS = (("ho-tich", "Hộ tịch"), ("kinh-doanh", "Kinh doanh"), ("xay-dung", "Xây dựng"))
UNITS = (("Xã Tân Phú", "commune", "10001"), ("Xã Hòa Bình", "commune", "10002"),
         ("Sở Xây dựng", "department", "20001"))  # fmt: skip
#: code, field, tier, unit code, level, online kind, published
PROCEDURES = (
    ("1.000001", "ho-tich", "commune", "", 1, "", True),
    ("1.000002", "ho-tich", "commune", "", 2, "", True),
    ("1.000003", "kinh-doanh", "commune", "", 3, "mot-phan", True),
    ("1.000004", "kinh-doanh", "commune", "10002", 4, "toan-trinh", True),
    ("1.000005", "xay-dung", "province", "20001", 3, "toan-trinh", True),
    ("1.000006", "xay-dung", "province", "20001", 3, "mot-phan", True),
    ("1.000007", "xay-dung", "province", "20001", 4, "toan-trinh", True),
    ("1.000008", "xay-dung", "province", "20001", 2, "", True),
    ("1.000009", "kinh-doanh", "province", "", 3, "mot-phan", True),
    ("1.000010", "xay-dung", "province", "20001", 4, "toan-trinh", False),
)


def record(code, field, tier, unit_code, level, online) -> dict:
    """A procedure's JSON values."""
    return {
        "title": f"Thủ tục số {code[-2:]}",
        "code": code,
        "field": field,
        "tier": tier,
        "agency": "UBND cấp xã" if tier == "commune" else "Sở Xây dựng",
        "agency_code": unit_code,
        "methods": [{"channel": "truc-tiep", "days": 5}],
        "level": level,
        "online": online,
    }


def published_catalog(model):
    """The services plugin's own catalog (made, private, when the plugin first ran
    on the site), published."""
    folder = model.site[CATALOG]
    if folder.workflow_state != "published":
        workflow_of(model.request, folder).transition(model.request, folder, "publish")
    return folder


def known_catalog(model):
    """Make the units, fields and procedures above (as the admin) and commit;
    return the catalog folder and the units by code."""
    from subsites.provisioning import create_subsite

    for slug, label in FIELDS:
        add_field(model.site, label, slug)
    folder = published_catalog(model)
    units = {}
    for title, kind, code in UNITS:
        values = {"title": title, "unit_kind": kind, "code": code}
        units[code] = create_subsite(model.request, model.site, values)
    for *values, published in PROCEDURES:
        service = operations.create(model.request, folder, "Service", record(*values), "json")
        if published:
            workflow_of(model.request, service).transition(model.request, service, "publish")
    model.commit()
    return folder, units
