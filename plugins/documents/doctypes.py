"""The kinds of administrative documents (Decree 30/2020/NĐ-CP, art. 7) with their
abbreviations, and the marks of copies.

An abbreviation is case-sensitive (``QĐ`` Quyết định, ``QyĐ`` Quy định). Công văn
and Thư công have none: a công văn's notation names the issuing body and the
drafting unit instead (:mod:`plugins.documents.numbering`). Each kind has a stable
ASCII ``code`` (``quyet-dinh``) that URLs, the JSON API and stored documents use.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from core.i18n import _


@dataclass(frozen=True)
class DocumentType:
    code: str
    title: str
    abbreviation: str  # '' for công văn and thư công


def _type(code: str, title: str, abbreviation: str = "") -> DocumentType:
    return DocumentType(code, title, abbreviation)


#: The 29 kinds, in the decree's order.
TYPES: tuple[DocumentType, ...] = (
    _type("nghi-quyet", _("Nghị quyết"), "NQ"),
    _type("quyet-dinh", _("Quyết định"), "QĐ"),
    _type("quy-dinh", _("Quy định"), "QyĐ"),
    _type("quy-che", _("Quy chế"), "QC"),
    _type("chi-thi", _("Chỉ thị"), "CT"),
    _type("thong-bao", _("Thông báo"), "TB"),
    _type("huong-dan", _("Hướng dẫn"), "HD"),
    _type("chuong-trinh", _("Chương trình"), "CTr"),
    _type("ke-hoach", _("Kế hoạch"), "KH"),
    _type("phuong-an", _("Phương án"), "PA"),
    _type("de-an", _("Đề án"), "ĐA"),
    _type("du-an", _("Dự án"), "DA"),
    _type("bao-cao", _("Báo cáo"), "BC"),
    _type("bien-ban", _("Biên bản"), "BB"),
    _type("to-trinh", _("Tờ trình"), "TTr"),
    _type("hop-dong", _("Hợp đồng"), "HĐ"),
    _type("cong-van", _("Công văn")),
    _type("cong-dien", _("Công điện"), "CĐ"),
    _type("ban-ghi-nho", _("Bản ghi nhớ"), "BGN"),
    _type("ban-thoa-thuan", _("Bản thỏa thuận"), "BTT"),
    _type("giay-uy-quyen", _("Giấy ủy quyền"), "GUQ"),
    _type("giay-moi", _("Giấy mời"), "GM"),
    _type("giay-gioi-thieu", _("Giấy giới thiệu"), "GGT"),
    _type("giay-nghi-phep", _("Giấy nghỉ phép"), "GNP"),
    _type("phieu-gui", _("Phiếu gửi"), "PG"),
    _type("phieu-chuyen", _("Phiếu chuyển"), "PC"),
    _type("phieu-bao", _("Phiếu báo"), "PB"),
    _type("thong-cao", _("Thông cáo"), "TC"),
    _type("thu-cong", _("Thư công")),
)
BY_CODE = {kind.code: kind for kind in TYPES}
BY_ABBREVIATION = {kind.abbreviation: kind for kind in TYPES if kind.abbreviation}
#: Công văn: numbered ``n/<body>-<drafting unit>``.
OFFICIAL_LETTER = "cong-van"

#: The marks of copies: sao y, trích sao, sao lục.
COPY_MARKS = {"SY": _("Sao y"), "TrS": _("Trích sao"), "SL": _("Sao lục")}


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


_BY_TITLE = {_folded(str(kind.title)): kind for kind in TYPES}


def find_type(value: object) -> DocumentType | None:
    """The kind named by ``value``: its code (``quyet-dinh``), its abbreviation,
    exactly as the decree writes it (``QĐ``; ``QyĐ`` is not ``QYĐ``), or its title
    (``Quyết định``, any case); None for anything else."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFC", value).strip()
    return BY_CODE.get(text) or BY_ABBREVIATION.get(text) or _BY_TITLE.get(_folded(text))
