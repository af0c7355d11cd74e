"""``cong demo``'s registers: a department's incoming register over four weeks in
every state, documents exchanged between two units with the receivers' reports,
loaded once; a second load adds none. The demo file is the portal's, cut to what
the registers need (four units)."""

from __future__ import annotations

import json
from importlib import resources

from core.testing import run_cong, stored_site, write_ini
from plugins.documents import registered as R
from plugins.documents.units import office_of

PLUGINS = "documents news"


def test_the_demo_fills_a_register_and_exchanges_documents(tmp_path, capsys):
    portal = json.loads(resources.files("etc.demo").joinpath("portal.json").read_text("utf-8"))
    units = [s for s in portal["subsites"] if s["code"] in ("90001", "90002", "90004", "90005")]
    demo = {
        "subsites": [{k: v for k, v in s.items() if k != "content"} for s in units],
        "onestop": {"staff": portal["onestop"]["staff"]},
        "documents": portal["documents"],
    }
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(demo, ensure_ascii=False), encoding="utf-8")
    ini = write_ini(tmp_path, cong_plugins=PLUGINS)
    result = run_cong(capsys, ini, "demo", "--file", str(path))
    assert result.status == 0 and "skipped" not in result.out, result.out
    assert "OutgoingDocument 4" in result.out
    again = run_cong(capsys, ini, "demo", "--file", str(path))
    assert "skipped the demo registers" in again.out
    with stored_site(tmp_path / "var") as site:
        department, ward = office_of(site, "90005"), office_of(site, "90001")
        statuses = {d.status for d in department.documents.values() if d.kind == R.INCOMING}
        assert {R.REGISTERED, R.SUBMITTED, R.ASSIGNED, R.PROCESSING, R.DONE} <= statuses
        assert len(department.incoming_register) >= 20 and len(department.open_due) > 0
        sent = [d for d in department.documents.values() if d.kind == R.OUTGOING]
        assert {d.notation for d in sent} >= {"01/SXD-QLXD", "02/KH-SXD", "03/BC-SXD"}
        reports = {r.code: r.status for d in sent for r in d.recipients if r.internal}
        assert reports["90001"] in (3, 4, 6) and reports["90002"] == 1
        received = [d for d in ward.documents.values() if d.kind == R.INCOMING]
        assert {d.status for d in received} == {R.REGISTERED, R.ASSIGNED, R.DONE}
        assert site["ubnd-phuong-lam-giang"].local_roles["vanthu.lg"] == ("Clerk",)
        assert site.principals.get_user("vanthu.sxd").check_password("demo-vanthu.sxd")
