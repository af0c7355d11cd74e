"""What is in a folder one may not view is hidden with it (issue 12, defect 8;
docs/decisions/0012): its pages, titles and paths appear nowhere to whom may not
view the folder (pages, error pages, breadcrumbs, ``resolveuid``, the contents
table, search, sitemap, feeds, the province's aggregation), and the folder's
change of state or sharing reaches what it holds at once."""

from __future__ import annotations

import pytest

from core.testing import add, add_user, login
from tests.subsites.subsite_core_setup import add_unit, section

FOLDER = "Phòng họp kín"
INSIDE = "Kết luận phiên họp"
NEWS = "Lễ hội làng hoa"
#: A word only the item inside the hidden folder holds.
WORD = "kimtuyenhoa"


@pytest.fixture
def hidden(model, site_access):
    """``/kin`` (private, admin's) holds ``/kin/ket-luan``, published; unit ``xa-b``
    has ``tin-tuc`` (published) with published news. ``u1`` is a logged-in user
    with no role, ``c1`` a Contributor everywhere."""
    site = model.site
    folder = add(model, site, "Folder", name="kin", title=FOLDER)
    add(
        model,
        folder,
        "Page",
        "published",
        name="ket-luan",
        title=INSIDE,
        text=f"<p>Nội dung {WORD} của phiên họp.</p>",
    )
    unit = add_unit(model, site, "xa-b", "Xã B")
    news = section(model, unit, "tin-tuc", "Tin xã B")
    add(model, news, "News", "published", name="le-hoi", title=NEWS, text=f"<p>{WORD}</p>")
    model.commit()
    add_user(site_access, "u1")
    add_user(site_access, "c1", roles=("Contributor",))
    return site_access


def uid_of(site_access, *path):
    with site_access() as site:
        obj = site
        for name in path:
            obj = obj[name]
        return obj.uid


def search_titles(client, text=WORD, path="") -> list[str]:
    found = client.get(f"{path}/@search", {"SearchableText": text}, headers=JSON).json
    return [item["title"] for item in found["items"]]


JSON = {"Accept": "application/json"}


def test_a_page_published_in_a_private_folder_is_not_shown_to_visitors(testapp, hidden):
    response = testapp.get("/kin/ket-luan/")
    assert response.status_int == 302 and "/@@login" in response.location
    assert FOLDER not in response.text and INSIDE not in response.text
    testapp.get("/kin/ket-luan/", headers=JSON, status=401)


def test_error_pages_keep_hidden_titles_out_of_their_breadcrumbs(testapp, hidden):
    for path in ("/kin/khong-co", "/kin/ket-luan/khong-co"):
        page = testapp.get(path, status=404)
        assert FOLDER not in page.text and INSIDE not in page.text
    login(testapp, "u1")
    for path in ("/kin/", "/kin/ket-luan/", "/kin/ket-luan/@@edit"):
        page = testapp.get(path, status=403)
        assert FOLDER not in page.text and INSIDE not in page.text
        assert "/kin/" not in " ".join(a["href"] for a in page.html.select(".breadcrumbs a"))


def test_resolveuid_is_not_found_for_whom_may_not_view(testapp, hidden, admin_client):
    for uid in (uid_of(hidden, "kin"), uid_of(hidden, "kin", "ket-luan")):
        response = testapp.get(f"/resolveuid/{uid}", status=404)
        assert "/kin" not in response.text
        assert admin_client.get(f"/resolveuid/{uid}", status=302).location.startswith(
            "http://localhost/kin/"
        )


@pytest.fixture
def admin_client(app):
    import webtest

    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.2"})
    login(client)
    return client


def test_a_contributor_may_not_list_a_private_folder(testapp, hidden, admin_client):
    login(testapp, "c1")
    page = testapp.get("/kin/@@contents", status=403)
    assert "ket-luan" not in page.text and FOLDER not in page.text
    testapp.get("/kin/", headers=JSON, status=403)
    listed = admin_client.get("/kin/@@contents")
    assert INSIDE in listed.text


def test_search_sitemap_and_listings_leave_out_what_a_hidden_folder_holds(
    testapp, hidden, admin_client
):
    assert search_titles(testapp) == [NEWS]
    page = testapp.get("/@@search", {"SearchableText": WORD})
    assert INSIDE not in page.text and "/kin/" not in page.text
    sitemap = testapp.get("/sitemap.xml?trang=1").text
    assert "/kin/" not in sitemap and "/xa-b/tin-tuc/le-hoi/" not in sitemap  # the unit's own
    assert "/tin-tuc/le-hoi/" in testapp.get("/xa-b/sitemap.xml").text
    assert testapp.get("/@@rss").status_int == 200
    # the owner still finds it
    assert sorted(search_titles(admin_client)) == sorted([INSIDE, NEWS])
    assert INSIDE in admin_client.get("/kin/ket-luan/").text


def test_retracting_a_folder_hides_what_it_holds_everywhere_at_once(testapp, hidden, admin_client):
    def public_views():
        return {
            "search": NEWS in search_titles(testapp),
            "page": testapp.get("/xa-b/tin-tuc/le-hoi/", expect_errors=True).status_int == 200,
            "feed": NEWS in testapp.get("/xa-b/@@rss").text,
            "portal feed": NEWS in testapp.get("/@@rss").text,
            "sitemap": "/tin-tuc/le-hoi/" in testapp.get("/xa-b/sitemap.xml").text,
            "folder listing": NEWS in testapp.get("/xa-b/tin-tuc/").text,
            "province": NEWS in testapp.get("/").text,
        }

    shown = public_views()
    assert shown == dict.fromkeys(shown, True)
    from core.testing import api_token

    headers = {**JSON, "Authorization": "Bearer " + api_token(admin_client)}
    admin_client.post_json("/xa-b/tin-tuc/@workflow/retract", {}, headers=headers)
    assert public_views() == dict.fromkeys(shown, False)
    assert search_titles(admin_client, path="/xa-b") == [NEWS]  # the editors still see it
    admin_client.post_json("/xa-b/tin-tuc/@workflow/publish", {}, headers=headers)
    assert public_views() == shown


def test_sharing_a_hidden_folder_shows_what_it_holds_to_that_person(testapp, hidden, admin_client):
    from core.testing import csrf_token

    login(testapp, "u1")
    assert search_titles(testapp) == [NEWS]
    testapp.get("/kin/ket-luan/", status=403)

    def share(roles):
        token = csrf_token(admin_client.get("/kin/@@sharing"))
        data = {"principal": "u1", "roles.u1": roles, "csrf_token": token}
        admin_client.post("/kin/@@sharing", data, status=302)

    share(["Reader"])
    assert sorted(search_titles(testapp)) == sorted([INSIDE, NEWS])
    assert INSIDE in testapp.get("/kin/ket-luan/").text
    share([])
    assert search_titles(testapp) == [NEWS]
    testapp.get("/kin/ket-luan/", status=403)


def test_text_search_and_suggestions_hide_at_commit_before_the_text_index_learns_it(
    data_dir, model_of
):
    """The full-text index learns who may view at the next drain of the index
    queue; until then its hits and suggestions are checked against the catalog's
    structural indexes, which changed with the commit."""
    import catalog
    from catalog import close_backend, get_indexer
    from core import main
    from core.testing import make_settings
    from core.workflow import workflow_of

    app = main({}, **make_settings(data_dir, **{"cong.index_in_request": "false"}))
    try:
        with model_of(app) as m:
            folder = add(m, m.site, "Folder", "published", name="mo", title="Mở")
            add(m, folder, "Page", "published", name="trang", title=f"Trang {WORD}")
            m.commit()
            get_indexer(app.registry).drain()
            m.request.tm.abort()  # see the drain's commit
            m.request.tm.begin()
            visitor = m.act_as(None)
            assert titles(catalog.suggest_records(visitor, WORD)) == [f"Trang {WORD}"]
            admin = m.act_as("admin")
            workflow_of(admin, folder).transition(admin, folder, "retract")
            m.commit()
            visitor = m.act_as(None)
            assert catalog.search(visitor, text=WORD).records == []
            assert titles(catalog.suggest_records(visitor, WORD)) == []
            assert titles(catalog.suggest_records(m.act_as("admin"), WORD)) == [f"Trang {WORD}"]
    finally:
        close_backend(app.registry)
        for db in app.registry._zodb_databases.values():
            db.close()


def test_the_contents_table_leaves_out_what_the_requester_may_not_view(testapp, model, site_access):
    folder = add(model, model.site, "Folder", "published", name="chung", title="Chung")
    add(model, folder, "Page", "published", name="cong-bo", title="Công bố")
    add(model, folder, "Page", name="du-thao-sap-nhap-xa", title="Dự thảo sáp nhập xã")
    model.commit()
    add_user(site_access, "c2", roles=("Contributor",))
    login(testapp, "c2")
    page = testapp.get("/chung/@@contents")
    assert "cong-bo" in page.text
    assert "du-thao-sap-nhap-xa" not in page.text and "Riêng tư" not in page.text


def titles(records) -> list[str]:
    return [record.title for record in records]
