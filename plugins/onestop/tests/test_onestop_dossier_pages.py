"""After intake: the desk's queue for its staff only, the dossier's page and its
transitions (with CSRF), the citizen's look-up and own dossiers, the Managers'
processes; the main pages valid HTML."""

from __future__ import annotations

import pytest

from core.htmlcheck import csp_violations, java_missing, validate
from core.testing import csrf_token
from plugins.onestop.tests.onestop_setup import APPLICANT
from plugins.onestop.tests.pages_setup import app, client, submit_online

__all__ = ["app"]
DESK = "/xa-tan-phu/mot-cua/"


@pytest.fixture(scope="module")
def citizen(app):
    """A signed-in citizen who handed a dossier in online: (client, code)."""
    browser = client(app, "congdan")
    done = submit_online(browser)
    return browser, done.html.select_one(".onestop-dossier-code").get_text()


def queue_codes(page) -> list[str]:
    return [a.get_text() for a in page.html.select(".onestop-queue tbody th")]


def test_the_queue_is_the_units_staffs_only(app, citizen):
    _browser, code = citizen
    staff = client(app, "tiepnhan1").get(DESK)
    new = staff.html.select_one("#moi")
    assert code in new.get_text() and APPLICANT["full_name"] in new.get_text()
    for outsider in (client(app, "congdan"), client(app, "tiepnhan3"), client(app)):
        page = outsider.get(DESK)
        assert code not in page.text and page.html.select_one("#lookup-form") is not None
    client(app, "tiepnhan3").get(DESK + code, status=404)
    client(app).get(DESK + code, status=404)


def act(browser, page, transition, **fields):
    form = page.forms[f"transition-{transition}"]
    for key, value in fields.items():
        form[key] = value
    return form.submit()


def test_transitions_on_the_dossier_page(app, citizen):
    _browser, code = citizen
    receptionist = client(app, "tiepnhan1")
    page = receptionist.get(DESK + code)
    page = act(receptionist, page, "receive").follow()
    assert "Được tiếp nhận (2)" in page.html.select_one(".onestop-status").get_text()
    forged = {"transition": "refuse", "comment": "x", "csrf_token": "forged"}
    receptionist.post(DESK + code + "/@@thao-tac", forged, status=400)

    specialist = client(app, "chuyenvien1")
    page = specialist.get(DESK + code)
    assert "approve" not in page.forms
    page = act(specialist, page, "assign", assignee="chuyenvien1").follow()
    assert "Đang xử lý (4)" in page.html.select_one(".onestop-status").get_text()
    page = act(specialist, page, "assign").follow()  # on to the Leader's approval

    assert page.html.select_one(".onestop-openings") is None  # only its auditors see who opened it
    leader = client(app, "lanhdao1")
    page = leader.get(DESK + code)
    opened = [td.get_text() for td in page.html.select(".onestop-openings tbody td")]
    assert {"tiepnhan1", "chuyenvien1", "lanhdao1"} <= set(opened)
    page = act(leader, page, "approve", result_number="12/GCN", signer="Lê Văn C").follow()
    assert "Đã xử lý xong (9)" in page.html.select_one(".onestop-status").get_text()
    page = act(receptionist, receptionist.get(DESK + code), "return_result").follow()
    assert "Đã trả kết quả (10)" in page.html.select_one(".onestop-status").get_text()
    assert "12/GCN" in page.text
    again = {"transition": "return_result", "csrf_token": csrf_token(page)}
    refused = receptionist.post(DESK + code + "/@@thao-tac", again, status=409)
    assert "Không thể" in refused.html.select_one("#error-summary").get_text()


def looked_up(visitor, code):
    form = visitor.get("/@@tra-cuu").forms["lookup-form"]
    form["code"], form["number"] = code, APPLICANT["id_number"]
    return form.submit()


def test_the_look_up_answers_the_right_pair_only(app, citizen):
    _browser, code = citizen
    visitor = client(app)
    form = visitor.get("/@@tra-cuu?code=" + code).forms["lookup-form"]
    assert form["code"].value == code and form.method == "post"
    form["number"] = APPLICANT["id_number"]
    page = form.submit()
    assert code in page.html.select_one(".onestop-result h2").get_text()
    assert page.html.select_one(".onestop-status") is not None
    assert APPLICANT["full_name"] not in page.text
    form["number"] = "001190099999"
    wrong = form.submit(status=404)
    assert wrong.html.select_one(".onestop-not-found").get_text() == "Không tìm thấy hồ sơ."
    assert wrong.html.select_one(".onestop-result") is None
    visitor.get("/@@tra-cuu", {"code": code, "number": APPLICANT["id_number"]})  # not by GET
    assert (
        ".onestop-result"
        not in visitor.get("/@@tra-cuu", {"code": code, "number": APPLICANT["id_number"]}).text
    )
    unit_form = visitor.get("/xa-tan-phu/@@tra-cuu").forms["lookup-form"]
    unit_form["code"], unit_form["number"] = code, APPLICANT["id_number"]
    assert code in unit_form.submit().html.select_one(".onestop-result h2").get_text()


def test_my_dossiers_and_the_menu_link(app, citizen):
    browser, code = citizen
    page = browser.get("/")
    link = [a for a in page.html.select(".nav-list a") if a.get_text() == "Hồ sơ của tôi"]
    page = browser.get(link[0]["href"])
    assert code in [a.get_text() for a in page.html.select(".onestop-table tbody th a")]
    assert "/@@login" in client(app).get("/@@ho-so-cua-toi", status=302).location
    other = client(app, "tiepnhan3").get("/@@ho-so-cua-toi")
    assert code not in other.text


def test_a_manager_saves_a_process_as_a_new_version(app):
    admin = client(app, "admin")
    page = admin.get("/@@quy-trinh-mot-cua", {"ma": "1.000008"})
    form = page.forms["process-form"]
    form["amount-1"] = "abc"
    bad = form.submit(status=400)
    assert bad.html.select_one("#error-summary") is not None
    form = bad.forms["process-form"]
    form["amount-1"] = "2"
    form["anywhere"] = True  # 1.000008: no other test's dossier depends on its process
    page = form.submit().follow()
    assert [td.get_text() for td in page.html.select(".onestop-versions tbody th")] == ["1"]
    assert "1.000008" in page.html.select_one(".onestop-processes-list").get_text()
    client(app, "lanhdao1").get("/@@quy-trinh-mot-cua", status=403)


@pytest.mark.skipif(java_missing(), reason="the HTML checker (vnu.jar) needs java")
def test_the_pages_are_valid_html_within_their_policy(app, citizen, tmp_path):
    browser, code = citizen
    staff = client(app, "tiepnhan1")
    responses = {
        "form": client(app).get("/xa-tan-phu/mot-cua/@@nop-ho-so?thu-tuc=1.000003"),
        "public desk": client(app).get(DESK),
        "queue": staff.get(DESK),
        "dossier": staff.get(DESK + code),
        "counter": staff.get(DESK + "@@tiep-nhan?thu-tuc=1.000003"),
        "look-up": looked_up(client(app), code),
        "mine": browser.get("/@@ho-so-cua-toi"),
        "processes": client(app, "admin").get("/@@quy-trinh-mot-cua?ma=1.000005"),
    }
    refused = {
        name: csp_violations(page.text, page.headers["Content-Security-Policy"])
        for name, page in responses.items()
    }
    assert {name: found for name, found in refused.items() if found} == {}
    errors = validate({name: page.text for name, page in responses.items()}, tmp_path)
    report = [f"{name}: {error}" for name, found in errors.items() for error in found]
    assert not report, "\n".join(report)
