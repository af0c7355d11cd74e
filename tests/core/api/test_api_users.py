"""``@users``, ``@groups``, ``@principals`` and ``@roles``: user management through
the API, by the same rules as the pages."""

import pytest
import webtest

from core.testing import api_token

PASSWORD = "Mat-khau-nguoi-dung-8642"


def client_of(app, login=None, password=PASSWORD):
    client = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    if login:
        client.authorization = ("Bearer", api_token(client, login, password))
    return client


@pytest.fixture
def people(api, site_access):
    """The editor ``bien-tap`` (global Editor) and the group ``bbt`` (with her)."""
    with site_access() as site:
        user = site.principals.add_user("bien-tap", PASSWORD, "Lê Thị Biên", "bt@tinh.gov.vn")
        user.roles.add("Editor")
        site.principals.add_group("bbt", "Ban biên tập")
        site.principals.add_member("bbt", "bien-tap")


@pytest.fixture
def editor(app, people):
    return client_of(app, "bien-tap")


@pytest.fixture
def anonymous(app):
    return client_of(app)


# @users -----------------------------------------------------------------------------
def test_managers_list_and_search_users(api, people):
    data = api.get("/@users").json
    assert data["@id"] == "http://localhost/@users"
    assert [u["id"] for u in data["items"]] == ["admin", "bien-tap"]
    assert data["items_total"] == 2
    found = api.get("/@users", {"query": "biên"}).json["items"]
    assert [u["username"] for u in found] == ["bien-tap"]
    assert api.get("/@users", {"search": "bt@tinh"}).json["items_total"] == 1
    in_group = api.get("/@users", {"groups-filter:list": "bbt"}).json["items"]
    assert [u["id"] for u in in_group] == ["bien-tap"]
    assert api.get("/@users", {"limit": "1"}).json["items_total"] == 1
    assert api.get("/@users", {"limit": "x"}, status=400).json["type"] == "BadRequest"


def test_one_user_in_plone_restapi_form(api, people):
    user = api.get("/@users/bien-tap").json
    assert user["@id"] == "http://localhost/@users/bien-tap"
    assert user["fullname"] == "Lê Thị Biên"
    assert user["email"] == "bt@tinh.gov.vn"
    assert user["roles"] == ["Editor"]
    assert user["groups"]["items"] == [{"id": "bbt", "title": "Ban biên tập"}]
    assert "password" not in str(user) and "hash" not in str(user)


def test_users_are_for_managers_but_each_sees_themself(anonymous, editor):
    anonymous.get("/@users", status=401)
    anonymous.get("/@users/admin", status=401)
    editor.get("/@users", status=403)
    editor.get("/@users/admin", status=403)
    editor.get("/@users/khong-co", status=403)  # no one learns which logins exist
    assert editor.get("/@users/bien-tap").json["id"] == "bien-tap"


def test_create_a_user_and_log_in_with_it(app, api, people):
    body = {
        "username": "nguoi-moi",
        "password": PASSWORD,
        "fullname": "Người Mới",
        "email": "moi@tinh.gov.vn",
        "roles": ["Contributor"],
        "groups": ["bbt"],
    }
    response = api.post_json("/@users", body, status=201)
    assert response.headers["Location"] == "http://localhost/@users/nguoi-moi"
    assert response.json["roles"] == ["Contributor"]
    assert response.json["groups"]["items_total"] == 1
    assert client_of(app, "nguoi-moi").get("/@users/nguoi-moi").json["fullname"] == "Người Mới"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "x1", "password": PASSWORD, "roles": ["Vua"]}, "roles"),
        ({"username": "x1", "password": PASSWORD, "groups": ["khong-co"]}, "groups"),
        ({"username": "x1", "password": PASSWORD, "email": "khong-phai-thu"}, "email"),
        ({"username": "x1"}, "password"),
        ({"username": "x1", "password": PASSWORD, "roles": "Editor"}, "roles"),
        ({"username": ["x1"], "password": PASSWORD}, "username"),
        ({"username": "x1", "password": PASSWORD, "fullname": "Lê\x00Văn"}, "fullname"),
        ({"username": "x1", "password": PASSWORD, "fullname": "Lê \ud800"}, "fullname"),
        ({"username": "x1", "password": PASSWORD, "fullname": "L" * 201}, "fullname"),
        ({"username": "x1", "password": "mat-khau-\ud800"}, "password"),
    ],
)
def test_bad_users_are_refused_with_the_field(api, people, body, field):
    response = api.post_json("/@users", body, status=400)
    assert [e["field"] for e in response.json["errors"]] == [field]
    api.get("/@users/x1", status=404)


def test_a_bad_login_or_a_taken_one_is_refused(api, people):
    for login in ("Có Dấu", "bien-tap"):
        body = {"username": login, "password": PASSWORD}
        assert api.post_json("/@users", body, status=400).json["message"]
    api.post("/@users", "không phải json", {"Content-Type": "application/json"}, status=400)


def test_creating_users_needs_a_manager(editor, anonymous):
    body = {"username": "x2", "password": PASSWORD}
    editor.post_json("/@users", body, status=403)
    anonymous.post_json("/@users", body, status=401)


def test_update_a_user(app, api, people):
    body = {"email": "moi@tinh.gov.vn", "roles": {"Editor": False, "Reviewer": True}}
    api.patch_json("/@users/bien-tap", body, status=204)
    user = api.get("/@users/bien-tap").json
    assert user["email"] == "moi@tinh.gov.vn"
    assert user["roles"] == ["Reviewer"]
    api.patch_json("/@users/bien-tap", {"password": "Mat-khau-moi-1357"}, status=204)
    client_of(app, "bien-tap", "Mat-khau-moi-1357")
    api.patch_json("/@users/bien-tap", {"groups": []}, status=204)
    assert api.get("/@groups/bbt").json["members"]["items"] == []


def test_users_change_their_name_but_not_their_roles(editor):
    editor.patch_json("/@users/bien-tap", {"fullname": "Lê Biên"}, status=204)
    assert editor.get("/@users/bien-tap").json["fullname"] == "Lê Biên"
    editor.patch_json("/@users/bien-tap", {"roles": ["Manager"]}, status=403)
    editor.patch_json("/@users/admin", {"fullname": "x"}, status=403)
    assert editor.get("/@users/bien-tap").json["roles"] == ["Editor"]


def test_the_last_manager_stays_a_manager(api):
    response = api.patch_json("/@users/admin", {"roles": []}, status=400)
    assert response.json["errors"][0]["field"] == "roles"
    assert api.get("/@users/admin").json["roles"] == ["Manager"]


def test_delete_a_user(api, people):
    api.delete("/@users/bien-tap", status=204)
    api.get("/@users/bien-tap", status=404)
    api.delete("/@users/bien-tap", status=404)
    assert api.delete("/@users/admin", status=400).json["message"]


def test_unknown_users_are_404(api):
    assert api.get("/@users/khong-co", status=404).json["type"] == "NotFound"
    message = api.get("/@users/khong-co", {"lang": "en"}, status=404).json["message"]
    assert message == "There is no user 'khong-co'."
    api.patch_json("/@users/khong-co", {"fullname": "x"}, status=404)


def test_methods_users_do_not_answer_are_405(api):
    assert api.put_json("/@users", {}, status=405).headers["Allow"] == "GET, POST"
    api.patch_json("/@users", {}, status=405)


# @groups ----------------------------------------------------------------------------
def test_groups_list_get_and_filter(api, people):
    groups = api.get("/@groups").json
    assert [g["id"] for g in groups] == ["bbt"]
    group = api.get("/@groups/bbt").json
    assert group["@id"] == "http://localhost/@groups/bbt"
    assert group["title"] == "Ban biên tập"
    assert group["members"] == {
        "@id": "http://localhost/@groups/bbt",
        "items": ["bien-tap"],
        "items_total": 1,
    }
    assert api.get("/@groups", {"query": "khác"}).json == []


def test_create_update_and_delete_a_group(api, people):
    body = {"groupname": "duyet", "title": "Nhóm duyệt", "roles": ["Reviewer"], "users": ["admin"]}
    response = api.post_json("/@groups", body, status=201)
    assert response.headers["Location"] == "http://localhost/@groups/duyet"
    assert response.json["members"]["items"] == ["admin"]
    patch = {"title": "Nhóm duyệt tin", "users": {"bien-tap": True, "admin": False}}
    api.patch_json("/@groups/duyet", patch, status=204)
    group = api.get("/@groups/duyet").json
    assert group["title"] == "Nhóm duyệt tin"
    assert group["members"]["items"] == ["bien-tap"]
    assert group["roles"] == ["Reviewer"]
    api.delete("/@groups/duyet", status=204)
    api.get("/@groups/duyet", status=404)


def test_bad_groups_are_refused(api, people):
    assert api.post_json("/@groups", {"groupname": "bbt"}, status=400).json["errors"]
    body = {"groupname": "moi", "users": ["khong-co"]}
    assert api.post_json("/@groups", body, status=400).json["errors"][0]["field"] == "users"
    api.get("/@groups/moi", status=404)
    response = api.patch_json("/@groups/bbt", {"roles": ["Vua"]}, status=400)
    assert response.json["errors"][0]["field"] == "roles"
    response = api.patch_json("/@groups/bbt", {"title": "Ban\nbiên tập"}, status=400)
    assert response.json["errors"][0]["field"] == "title"
    assert api.get("/@groups/bbt").json["title"] == "Ban biên tập"


def test_groups_are_for_managers(editor, anonymous):
    editor.get("/@groups", status=403)
    editor.post_json("/@groups", {"groupname": "x"}, status=403)
    anonymous.get("/@groups/bbt", status=401)


# @principals and @roles -------------------------------------------------------------
def test_principals_finds_users_and_groups(api, people):
    data = api.get("/@principals", {"search": "biên"}).json
    assert [u["id"] for u in data["users"]] == ["bien-tap"]
    assert [g["id"] for g in data["groups"]] == ["bbt"]
    assert api.get("/@principals", status=400).json["type"] == "BadRequest"


def test_principals_is_for_managers(editor):
    editor.get("/@principals", {"search": "a"}, status=403)


def test_roles_lists_the_roles_with_titles(api, editor, anonymous):
    roles = api.get("/@roles").json
    ids = [r["id"] for r in roles]
    assert {"Manager", "SiteAdmin", "Editor", "Contributor", "Reviewer", "Reader"} <= set(ids)
    assert "Owner" not in ids
    editor_role = next(r for r in roles if r["id"] == "Editor")
    assert editor_role == {
        "@id": "http://localhost/@roles/Editor",
        "@type": "role",
        "id": "Editor",
        "title": "Biên tập viên",
    }
    assert editor.get("/@roles/Editor").json == editor_role
    api.get("/@roles/Vua", status=404)
    anonymous.get("/@roles", status=401)
