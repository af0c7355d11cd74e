"""``@breadcrumbs`` and ``@navigation``."""

import pytest
import webtest


@pytest.fixture
def tree(api):
    """/so-tnmt/tin-tuc/bai-1 and /so-tnmt/van-ban/cu/moi, /gioi-thieu (a page),
    /lien-he (a private folder); everything else published."""

    def add(parent, type_name, name, title, publish=True):
        api.post_json(parent, {"@type": type_name, "id": name, "title": title}, status=201)
        path = parent.rstrip("/") + "/" + name
        if publish:
            api.post_json(path + "/@workflow/publish", {})
        return path

    add("/", "Folder", "so-tnmt", "Sở Tài nguyên và Môi trường")
    add("/so-tnmt", "Folder", "tin-tuc", "Tin tức")
    add("/so-tnmt/tin-tuc", "Page", "bai-1", "Bài một")
    add("/so-tnmt", "Folder", "van-ban", "Văn bản")
    add("/so-tnmt/van-ban", "Folder", "cu", "Cũ")
    add("/so-tnmt/van-ban/cu", "Folder", "moi", "Mới")
    add("/", "Page", "gioi-thieu", "Giới thiệu")
    add("/", "Folder", "lien-he", "Liên hệ", publish=False)


@pytest.fixture
def anonymous(app):
    return webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})


def ids(items):
    return [i["@id"].removeprefix("http://localhost") for i in items]


def test_breadcrumbs_go_from_below_the_root_to_the_context(anonymous, tree):
    data = anonymous.get("/so-tnmt/tin-tuc/bai-1/@breadcrumbs").json
    assert data["@id"] == "http://localhost/so-tnmt/tin-tuc/bai-1/@breadcrumbs"
    assert data["root"] == "http://localhost"
    assert data["items"] == [
        {"@id": "http://localhost/so-tnmt", "title": "Sở Tài nguyên và Môi trường"},
        {"@id": "http://localhost/so-tnmt/tin-tuc", "title": "Tin tức"},
        {"@id": "http://localhost/so-tnmt/tin-tuc/bai-1", "title": "Bài một"},
    ]
    assert anonymous.get("/@breadcrumbs").json["items"] == []


def test_navigation_lists_the_folders_the_requester_may_view(api, anonymous, tree):
    data = anonymous.get("/so-tnmt/tin-tuc/@navigation").json
    assert data["@id"] == "http://localhost/so-tnmt/tin-tuc/@navigation"
    assert ids(data["items"]) == ["/so-tnmt"]
    assert data["items"][0]["title"] == "Sở Tài nguyên và Môi trường"
    assert data["items"][0]["items"] == []
    # + the services plugin's own catalog, private until published (core.structure)
    assert ids(api.get("/@navigation").json["items"]) == [
        "/thu-tuc-hanh-chinh",
        "/so-tnmt",
        "/lien-he",
    ]


def test_navigation_depth_nests_items_up_to_three_levels(anonymous, tree):
    two = anonymous.get("/@navigation", {"expand.navigation.depth": "2"}).json["items"][0]
    assert ids(two["items"]) == ["/so-tnmt/tin-tuc", "/so-tnmt/van-ban"]
    assert all(child["items"] == [] for child in two["items"])
    deep = anonymous.get("/@navigation", {"expand.navigation.depth": "9"}).json["items"][0]
    van_ban = deep["items"][1]
    assert ids(van_ban["items"]) == ["/so-tnmt/van-ban/cu"]
    assert van_ban["items"][0]["items"] == []  # a fourth level is never given
    low = anonymous.get("/@navigation", {"expand.navigation.depth": "0"}).json["items"][0]
    assert low["items"] == []
    junk = anonymous.get("/@navigation", {"expand.navigation.depth": "x"}, status=400).json
    assert "expand.navigation.depth" in junk["message"]


def test_expand_inlines_components_in_a_content_get(anonymous, tree):
    data = anonymous.get("/so-tnmt/tin-tuc", {"expand": "breadcrumbs,navigation"}).json
    assert ids(data["@components"]["breadcrumbs"]["items"]) == ["/so-tnmt", "/so-tnmt/tin-tuc"]
    assert ids(data["@components"]["navigation"]["items"]) == ["/so-tnmt"]
    assert data["@components"]["workflow"] == {"@id": "http://localhost/so-tnmt/tin-tuc/@workflow"}


def test_navigation_of_private_content_is_401_for_anonymous(anonymous, tree):
    anonymous.get("/lien-he/@breadcrumbs", status=401)
    anonymous.get("/lien-he/@navigation", status=401)


def test_other_methods_get_405(api, tree):
    for name in ("@breadcrumbs", "@navigation"):
        response = api.post_json("/so-tnmt/" + name, {}, status=405)
        assert response.headers["Allow"] == "GET"
