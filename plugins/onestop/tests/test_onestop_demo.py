"""``cong demo``'s one-stop part: staff with their roles at two units and dossiers
in every state, loaded once; a second load adds none. The demo file is the
portal's, cut to what the desks need (the catalog, the two units)."""

from __future__ import annotations

import json
from importlib import resources

from core.testing import run_cong, stored_site, write_ini
from plugins.onestop import statuses as S
from plugins.onestop.units import desk_of

PLUGINS = "news onestop services"


def test_the_demo_fills_two_desks_with_dossiers_in_every_state(tmp_path, capsys):
    portal = json.loads(resources.files("etc.demo").joinpath("portal.json").read_text("utf-8"))
    units = [s for s in portal["subsites"] if s["code"] in ("90001", "90005")]
    demo = {
        "content": [c for c in portal["content"] if c.get("id") == "thu-tuc-hanh-chinh"],
        "subsites": [{k: v for k, v in s.items() if k != "content"} for s in units],
        "onestop": portal["onestop"],
    }
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(demo, ensure_ascii=False), encoding="utf-8")
    ini = write_ini(tmp_path, cong_plugins=PLUGINS)
    result = run_cong(capsys, ini, "demo", "--file", str(path))
    assert result.status == 0 and "skipped" not in result.out, result.out
    assert "Dossier 30" in result.out
    again = run_cong(capsys, ini, "demo", "--file", str(path))
    assert "skipped the demo dossiers" in again.out
    report = run_cong(capsys, ini, "onestop", "stats", "--from", "2020-01-01", "--to", "2024-12-31")
    assert report.status == 2 and "1826" in report.err  # over five years
    anonymised = run_cong(capsys, ini, "onestop", "anonymise", "--older-than-days", "1")
    assert anonymised.status == 0 and "dossier(s) closed more than 1 day(s)" in anonymised.out
    assert "Anonymised 0 " not in anonymised.out
    with stored_site(tmp_path / "var") as site:
        found = set()
        for code in ("90001", "90005"):
            desk = desk_of(site, code)
            found |= {d.status for d in desk.dossiers.values()}
            assert any(e.due for e in desk.queue.values())
        assert found == set(S.STATUSES) - {S.PAYMENT}
        assert site["ubnd-phuong-lam-giang"].local_roles["tiepnhan.lg"] == ("Receptionist",)
        assert site.principals.get_user("congdan").check_password("demo-congdan")
