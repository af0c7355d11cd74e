"""Copy and move carry only what the requester may view (issue 12, defects 1 and
7b): an editor of one unit's site cannot copy another unit's private items to
their own site and read them there, through the JSON API or the contents page; one
request copies or moves at most ``cong.max_copy_sources`` objects."""

from __future__ import annotations

import pytest
from pyramid.authorization import Allow, Deny, Everyone

from core import operations
from core.permissions import VIEW, role
from core.testing import add, add_user, api_token, csrf_token, flash_texts, login
from tests.subsites.subsite_core_setup import add_unit, section

SECRET = "Biên bản họp kín"


@pytest.fixture
def units(model, site_access):
    """Units ``xa-a`` and ``xa-b``; ``xa-b/tin-tuc`` (published) holds a published
    page and a private one; ``ed`` is an Editor of ``xa-a`` only, ``cong`` a
    Contributor everywhere."""
    site = model.site
    add_unit(model, site, "xa-a", "Xã A")
    b = add_unit(model, site, "xa-b", "Xã B")
    news = section(model, b, "tin-tuc", "Tin xã B")
    add(model, news, "Page", "published", name="cong-khai", title="Tin công khai")
    add(model, news, "Page", name="mat", title=SECRET, text="<p>Nội dung mật</p>")
    model.commit()
    add_user(site_access, "ed", local=("/xa-a", ["Editor"]))
    add_user(site_access, "cong", roles=("Contributor",))


def api_as(testapp, login):
    testapp.authorization = ("Bearer", api_token(testapp, login, "secret-1"))
    testapp.extra_environ["HTTP_ACCEPT"] = "application/json"
    return testapp


def contents_of(site_access, path):
    from pyramid.traversal import find_resource

    with site_access() as site:
        return sorted(find_resource(site, path).keys())


def test_api_copy_of_a_folder_holding_private_items_is_refused(testapp, units, site_access):
    api = api_as(testapp, "ed")
    before = contents_of(site_access, "/xa-a")
    response = api.post_json("/xa-a/@copy", {"source": "/xa-b/tin-tuc"}, status=403)
    assert SECRET not in response.text
    assert contents_of(site_access, "/xa-a") == before  # nothing copied
    api.get("/xa-a/tin-tuc-1/mat", status=404)
    api.post_json("/xa-a/@move", {"source": "/xa-b/tin-tuc"}, status=403)
    assert "tin-tuc" in contents_of(site_access, "/xa-b")


def test_api_copy_of_what_the_editor_may_view_still_works(testapp, units):
    api = api_as(testapp, "ed")
    done = api.post_json("/xa-a/@copy", {"source": "/xa-b/tin-tuc/cong-khai"}).json
    assert done[0]["target"] == "http://localhost/xa-a/cong-khai"
    assert api.get("/xa-a/cong-khai").json["title"] == "Tin công khai"
    # the private page itself is not found for them, so not copied either
    api.post_json("/xa-a/@copy", {"source": "/xa-b/tin-tuc/mat"}, status=400)


def test_the_owner_of_the_source_may_copy_it_whole(api, units):
    done = api.post_json("/xa-a/@copy", {"source": "/xa-b/tin-tuc"}).json
    assert api.get(done[0]["target"] + "/mat").json["title"] == SECRET


def test_html_copy_from_another_units_folder_is_refused(testapp, units, site_access):
    login(testapp, "ed")
    # the editor of xa-a may not even list xa-b's folder, nor post to it
    testapp.get("/xa-b/@@contents", status=403)
    page = testapp.get("/xa-a/@@contents")
    testapp.post(
        "/xa-b/@@contents",
        {"action": "copy", "ids": "tin-tuc", "target": "/xa-a", "csrf_token": csrf_token(page)},
        status=403,
    )
    assert "tin-tuc-1" not in contents_of(site_access, "/xa-a")


def test_html_copy_carrying_a_private_item_is_refused(testapp, units, site_access):
    # a Contributor may list xa-b and add to xa-a, but may not view the private page
    login(testapp, "cong")
    before = contents_of(site_access, "/xa-a")
    form = testapp.get("/xa-b/@@contents").forms["contents-form"]
    form["ids"] = ["tin-tuc"]
    form["target"] = "/xa-a"
    page = form.submit("action", value="copy").follow()
    assert "Bạn không có quyền" in flash_texts(page)[0]
    assert contents_of(site_access, "/xa-a") == before
    # what they may view is copied
    testapp.get("/xa-b/tin-tuc/mat", status=403)
    form = testapp.get("/xa-b/tin-tuc/@@contents").forms["contents-form"]
    form["ids"] = ["cong-khai"]
    form["target"] = "/xa-a"
    page = form.submit("action", value="copy").follow()
    assert flash_texts(page) == ["Đã sao chép 1 mục tới “Xã A”."]


def test_a_move_carrying_an_object_the_mover_may_not_view_is_refused(model, units):
    folder = model.site["xa-a"]
    box = add(model, folder, "Folder", name="hop", title="Hộp")
    hidden = add(model, box, "Page", name="an", title="Ẩn")
    # a type whose workflow keeps editors out of one state would give this ACL
    hidden.__acl__ = ((Allow, role("Manager"), VIEW), (Deny, Everyone, VIEW))
    model.commit()
    request = model.act_as("ed")
    target = model.site["xa-a"]["tin-tuc"]
    with pytest.raises(Exception) as refused:
        operations.move(request, box, target)
    assert getattr(refused.value, "code", None) == 403
    assert "hop" in folder and "hop" not in target


@pytest.mark.parametrize("endpoint", ["@copy", "@move"])
def test_too_many_sources_are_refused_with_a_clear_message(api, units, site_access, endpoint):
    sources = ["/xa-b/tin-tuc/cong-khai"] * 101
    response = api.post_json(f"/xa-a/{endpoint}", {"source": sources}, status=400)
    assert "tối đa 100 mục" in response.json["message"]
    assert "cong-khai" not in contents_of(site_access, "/xa-a")


def test_the_bound_is_a_setting_and_applies_to_the_contents_page(data_dir, model_of):
    import webtest

    from catalog import close_backend
    from core import main
    from core.testing import make_settings

    app = main({}, **make_settings(data_dir, **{"cong.max_copy_sources": "2"}))
    try:
        with model_of(app) as m:
            folder = add(m, m.site, "Folder", "published", name="nguon", title="Nguồn")
            for name in ("p1", "p2", "p3"):
                add(m, folder, "Page", name=name, title=name)
            add(m, m.site, "Folder", name="dich", title="Đích")
            m.commit()
        client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        login(client)
        form = client.get("/nguon/@@contents").forms["contents-form"]
        form["ids"] = ["p1", "p2", "p3"]
        form["target"] = "/dich"
        page = form.submit("action", value="copy").follow()
        assert flash_texts(page) == [
            "Mỗi lần chỉ được sao chép hoặc chuyển tối đa 2 mục (đã chọn 3)."
        ]
        assert client.get("/dich", headers={"Accept": "application/json"}).json["items"] == []
        form["ids"] = ["p1", "p2"]
        page = form.submit("action", value="copy").follow()
        assert flash_texts(page) == ["Đã sao chép 2 mục tới “Đích”."]
    finally:
        close_backend(app.registry)
        for db in app.registry._zodb_databases.values():
            db.close()
