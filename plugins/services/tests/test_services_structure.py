"""The services plugin's own structure, its procedure catalog, is made the first time
the plugin runs on a site: a new site has the catalog to import into, a site that
enables the plugin later gets it at its next start, and once made it is never made
again."""

from __future__ import annotations

from core.structure import record_name
from core.testing import SiteAccess, api_token, login, run_cong, web, write_ini
from plugins.services.tests.test_services_import import csv_file


def test_a_new_site_can_import_procedures_without_the_demo(tmp_path, capsys):
    ini = write_ini(tmp_path, cong_plugins="news services")
    data = tmp_path / "thu-tuc.csv"
    data.write_bytes(
        csv_file("1.000201,Đăng ký kết hôn,Hộ tịch,Cấp xã,UBND cấp xã,Trực tiếp | 3,2")
    )
    result = run_cong(capsys, ini, "services", "import", str(data), "--create-fields")
    assert result.status == 0, result.err
    assert "added 1 procedure(s)" in result.out
    with web(tmp_path / "var", **{"cong.plugins": "news services"}) as client:
        client.get("/thu-tuc-hanh-chinh/", status=302)  # private until its managers publish it
        login(client, "admin", "admin")
        page = client.get("/thu-tuc-hanh-chinh/")
        assert page.html.h1.get_text(strip=True) == "Thủ tục hành chính"
        assert "Đăng ký kết hôn" in page.text


def test_a_plugin_enabled_later_makes_its_structure_once(tmp_path):
    data_dir = tmp_path / "var"
    with web(data_dir, **{"cong.plugins": "news"}) as client:
        client.get("/thu-tuc-hanh-chinh/", status=404)  # no services plugin yet
    with web(data_dir, **{"cong.plugins": "news services"}) as client:
        token = api_token(client)
        client.get("/thu-tuc-hanh-chinh", headers={"Authorization": f"Bearer {token}"})  # made
        with SiteAccess(client.app) as site:
            assert record_name("services") in site.evolved
        client.delete("/thu-tuc-hanh-chinh", headers={"Authorization": f"Bearer {token}",
                      "Accept": "application/json"}, status=204)  # fmt: skip
    with web(data_dir, **{"cong.plugins": "news services"}) as client:
        token = api_token(client)
        # the managers' choice is kept
        client.get("/thu-tuc-hanh-chinh", headers={"Authorization": f"Bearer {token}"},
                   status=404)  # fmt: skip
