"""The status message the national public-service portal receives on every change
of a dossier it should know of (its sync payload: field names as the national
portal publishes them, dates ``yyyyMMddHHmmss`` in Vietnam time).

A liên thông sub-dossier is never sent: its origin carries the whole history."""

from __future__ import annotations

from datetime import datetime

from core.clock import TIMEZONE
from plugins.onestop.dossier import CHANNEL_COUNTER, Dossier

#: KenhThucHien: 1 at a counter, 2 online (this portal or the national one), 3 by post.
CHANNEL_CODES = {CHANNEL_COUNTER: 1, "online": 2, "national": 2}
#: HinhThuc (how the result is returned): 0 at the counter, 1 by post, 2 online.
RETURN_CODES = {"counter": 0, "post": 1, "online": 2}
#: LoaiDinhDanh: 1 citizen identity number, 2 passport, 3 tax code.
ID_TYPE_CODES = {"cccd": 1, "passport": 2, "tax": 3}


def national_time(moment: datetime | None) -> str:
    """``moment`` as the national portal writes times, '' for none."""
    return moment.astimezone(TIMEZONE).strftime("%Y%m%d%H%M%S") if moment else ""


def status_message(dossier: Dossier, unit_titles: dict[str, str] | None = None) -> dict:
    """The whole sync payload of ``dossier`` as it stands."""
    titles = unit_titles or {}
    refused = next((e.when for e in dossier.history if e.transition == "refuse"), None)
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure_code,
        "MaLinhVuc": dossier.field,
        "KenhThucHien": CHANNEL_CODES.get(dossier.channel, 2),
        "ChuHoSo": dossier.applicant.full_name,
        "DinhDanhCHS": [
            {
                "LoaiDinhDanh": ID_TYPE_CODES.get(dossier.applicant.id_type, 1),
                "SoDinhDanh": dossier.applicant.id_number,
            }
        ],
        "NoiNopHoSo": dossier.receiving_unit,
        "DonViXuLy": dossier.processing_unit,
        "HinhThuc": RETURN_CODES.get(dossier.return_method, 0),
        "TrangThaiHoSo": dossier.status,
        "NgayNopHoSo": national_time(dossier.submitted),
        "NgayTiepNhan": national_time(dossier.received),
        "NgayHenTra": national_time(
            dossier.apologies[-1].new_due if dossier.apologies else dossier.due
        ),
        "NgayTra": national_time(dossier.returned),
        "NgayTuChoi": national_time(refused),
        "NgayKetThucXuLy": national_time(dossier.finished),
        "QuaTrinhXuLy": [
            {
                "NguoiXuLy": event.actor_title or event.actor,
                "ChucDanh": "",
                "PhongBan": titles.get(event.unit, event.unit),
                "ThoiDiem": national_time(event.when),
                "TrangThai": event.dest,
                "NgayKetThucTheoQuyDinh": national_time(event.step_due),
            }
            for event in dossier.history
        ],
        "DanhSachHoSoBoSung": [
            {
                "NgayYeuCau": national_time(s.requested),
                "NoiDungYeuCau": s.reason,
                "NgayBoSung": national_time(s.supplied),
                "NgayHenTraTruoc": national_time(s.previous_due),
                "NgayHenTraMoi": national_time(s.new_due),
            }
            for s in dossier.supplements
        ],
        "DanhSachGiayToKetQua": (
            [
                {
                    "SoKyHieu": dossier.result.number,
                    "NguoiKy": dossier.result.signer,
                    "KetQua": dossier.result.outcome,
                    "TenTep": dossier.result.document.filename if dossier.result.document else "",
                }
            ]
            if dossier.result is not None
            else []
        ),
        "DanhSachLePhi": [{"SoTien": dossier.fee_total}] if dossier.fee_total else [],
    }
