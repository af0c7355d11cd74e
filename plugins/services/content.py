"""The public-service plugin's types: ``ServiceCatalog`` and ``Service``.

A procedure lives once, in the province's catalog (a ``ServiceCatalog`` folder at
the portal's root, ``/thu-tuc-hanh-chinh``); units show those they implement
without copies (:mod:`plugins.services.units`). Its record follows the national
portal's: code, name, field, tier, agencies, applicants, steps, methods (channel ×
working days × fee), dossier components (with form templates: the File objects
inside the procedure), fees with their legal basis, conditions, result, legal
basis, receiving address, validity, and the online level (1 to 4; Decree 43/2011)
with, at levels 3 and 4, whether it is fully or partly online (Decree 42/2022).
The types are declared to the kernel, with the checks that need the site, in
:mod:`plugins.services.types`.
"""

from __future__ import annotations

import re

from zope.interface import implementer

from core.content import Folder
from core.contenttypes import DESCRIPTION
from core.fields import Choice, Text, TextLine
from core.i18n import _
from plugins.services.fields import Column, Level, Lines, ManagedChoice, Table
from plugins.services.interfaces import IService, IServiceCatalog

SERVICE, CATALOG = "Service", "ServiceCatalog"
#: A procedure's code: the national ``1.002425`` or a local variant ``1.000948.H38``.
CODE_RE = re.compile(r"^[0-9]\.[0-9]{6}(\.[A-Z0-9]{1,10})?$")
#: A unit's administrative code (as subsites have: :data:`subsites.content.CODE_RE`).
UNIT_CODE_RE = re.compile(r"^[0-9]{1,12}$")
PROVINCE, DISTRICT, COMMUNE = "province", "district", "commune"
TIERS = ((PROVINCE, _("Cấp tỉnh")), (DISTRICT, _("Cấp huyện")), (COMMUNE, _("Cấp xã")))
LEVELS = (
    (1, _("Mức độ 1: cung cấp thông tin")),
    (2, _("Mức độ 2: tải biểu mẫu")),
    (3, _("Mức độ 3: nộp hồ sơ trực tuyến")),
    (4, _("Mức độ 4: thanh toán và nhận kết quả trực tuyến")),
)
#: The short names of the levels ("Mức độ 3"), for tables and charts.
LEVEL_NAMES = {value: _("Mức độ ${n}", mapping={"n": value}) for value, _label in LEVELS}
#: The levels at which a dossier is submitted online.
ONLINE_LEVELS = (3, 4)
FULL, PARTIAL = "toan-trinh", "mot-phan"
ONLINE = ((FULL, _("Toàn trình")), (PARTIAL, _("Một phần")))
CHANNELS = (
    ("truc-tiep", _("Trực tiếp")),
    ("truc-tuyen", _("Trực tuyến")),
    ("buu-chinh", _("Dịch vụ bưu chính")),
)


@implementer(IServiceCatalog)
class ServiceCatalog(Folder):
    type_name = CATALOG


@implementer(IService)
class Service(Folder):
    type_name = SERVICE
    code = ""
    field = ""
    tier = PROVINCE
    agency = ""
    agency_code = ""
    deciding_agency = ""
    applicants = ""
    steps: tuple = ()
    methods: tuple = ()
    components: tuple = ()
    fees: tuple = ()
    conditions = ""
    result = ""
    legal_basis: tuple = ()
    address = ""
    validity = ""
    level = 1
    online = ""

    @property
    def days(self) -> float | None:
        """The shortest processing time of its methods, in working days."""
        return min((m["days"] for m in self.methods), default=None)


def field_vocabulary(request) -> list[tuple[str, str]]:
    """The site's fields (lĩnh vực) as a form offers them."""
    from plugins.services.vocabulary import field_items

    return field_items(request.root)


METHODS = Table(
    "methods",
    _("Cách thức thực hiện"),
    required=True,
    description=_(
        "Mỗi dòng một cách: kênh | thời hạn (ngày làm việc) | phí, lệ phí | ghi chú. "
        "Ví dụ: Trực tiếp | 15 | 50.000 đồng"
    ),
    columns=(
        Column("channel", _("Hình thức nộp"), "choice", required=True, vocabulary=CHANNELS),
        Column("days", _("Thời hạn giải quyết"), "days", required=True),
        Column("fee", _("Phí, lệ phí"), max_length=300, default=""),
        Column("note", _("Mô tả"), default=""),
    ),
)
COMPONENTS = Table(
    "components",
    _("Thành phần hồ sơ"),
    description=_(
        "Mỗi dòng một giấy tờ: tên | số bản | bắt buộc (có/không) | tên tệp mẫu đơn "
        "trong thủ tục. Ví dụ: Giấy đề nghị đăng ký | 1 | có | mau-01.docx"
    ),
    columns=(
        Column("name", _("Tên giấy tờ"), required=True),
        Column("copies", _("Số bản"), "count", default=1),
        Column("required", _("Bắt buộc"), "bool", default=True),
        Column("template", _("Mẫu đơn, tờ khai"), "name", default=""),
    ),
)
FEES = Table(
    "fees",
    _("Phí, lệ phí"),
    description=_(
        "Mỗi dòng một khoản: tên | số tiền (đồng) | căn cứ. "
        "Ví dụ: Lệ phí đăng ký | 50.000 | Thông tư số 47/2019/TT-BTC"
    ),
    columns=(
        Column("name", _("Tên phí, lệ phí"), required=True, max_length=300),
        Column("amount", _("Mức thu (đồng)"), "amount"),
        Column("basis", _("Căn cứ"), default=""),
    ),
)

FIELDS = (
    TextLine("title", _("Tên thủ tục"), required=True, max_length=500),
    TextLine(
        "code",
        _("Mã thủ tục"),
        required=True,
        max_length=30,
        description=_("Mã trên Cơ sở dữ liệu quốc gia, ví dụ 1.002425 hoặc 1.000948.H38."),
    ),
    DESCRIPTION,
    ManagedChoice("field", _("Lĩnh vực"), required=True, vocabulary_of=field_vocabulary),
    Choice("tier", _("Cấp thực hiện"), required=True, vocabulary=TIERS, default=PROVINCE),
    TextLine("agency", _("Cơ quan thực hiện"), required=True),
    TextLine(
        "agency_code",
        _("Mã đơn vị thực hiện"),
        default="",
        max_length=12,
        description=_(
            "Mã của đơn vị có trang thành viên thực hiện thủ tục. Để trống: mọi đơn vị "
            "của cấp thực hiện (mọi xã) hoặc cấp tỉnh."
        ),
    ),
    TextLine("deciding_agency", _("Cơ quan có thẩm quyền quyết định"), default=""),
    Text("applicants", _("Đối tượng thực hiện")),
    Lines("steps", _("Trình tự thực hiện"), description=_("Mỗi dòng một bước.")),
    METHODS,
    COMPONENTS,
    FEES,
    Text("conditions", _("Yêu cầu, điều kiện thực hiện")),
    Text("result", _("Kết quả thực hiện")),
    Lines("legal_basis", _("Căn cứ pháp lý"), description=_("Mỗi dòng một văn bản.")),
    Text("address", _("Địa chỉ tiếp nhận hồ sơ")),
    TextLine("validity", _("Thời hạn hiệu lực của kết quả"), default=""),
    Level("level", _("Mức độ dịch vụ công trực tuyến"), required=True, vocabulary=LEVELS),
    Choice(
        "online",
        _("Dịch vụ công trực tuyến"),
        vocabulary=ONLINE,
        default="",
        description=_("Toàn trình hoặc một phần (Nghị định 42/2022); chỉ ở mức độ 3 và 4."),
    ),
)
