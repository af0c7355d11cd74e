"""``@login``, ``@login-renew`` and ``@logout``: bearer tokens for API clients."""

import pytest
import webtest

from core.testing import ADMIN_PASSWORD

PASSWORD = "Mat-khau-api-2468"
LOCKED = "Tài khoản tạm khoá đăng nhập"


@pytest.fixture
def client(app):
    """An anonymous JSON client."""
    return webtest.TestApp(
        app, extra_environ={"REMOTE_ADDR": "10.0.0.1", "HTTP_ACCEPT": "application/json"}
    )


@pytest.fixture
def private_page(api):
    api.post_json("/", {"@type": "Page", "id": "rieng", "title": "Riêng tư"}, status=201)
    return "/rieng"


def with_token(client, token):
    client.authorization = ("Bearer", token)
    return client


def test_login_gives_a_token_that_opens_private_content(client, private_page):
    client.get(private_page, status=401)
    response = client.post_json("/@login", {"login": "admin", "password": ADMIN_PASSWORD})
    assert response.status_int == 200
    assert response.content_type == "application/json"
    token = response.json["token"]
    assert with_token(client, token).get(private_page).json["title"] == "Riêng tư"


def test_wrong_password_and_unknown_user_get_401_and_no_token(client):
    for login, password in (("admin", "sai-mat-khau"), ("khong-co", "abc12345")):
        response = client.post_json("/@login", {"login": login, "password": password}, status=401)
        assert response.json == {
            "type": "Unauthorized",
            "message": "Tên đăng nhập hoặc mật khẩu không đúng.",
        }


def test_five_failures_lock_the_account_from_that_address_only(app, client, site_access):
    with site_access() as site:
        site.principals.add_user("u1", PASSWORD)
    for _attempt in range(5):
        client.post_json("/@login", {"login": "u1", "password": "sai"}, status=401)
    locked = client.post_json("/@login", {"login": "u1", "password": PASSWORD}, status=401)
    assert locked.json["type"] == "Unauthorized"
    assert LOCKED in locked.json["message"]
    elsewhere = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.2"})
    assert elsewhere.post_json("/@login", {"login": "u1", "password": PASSWORD}).json["token"]


def test_login_accepts_only_a_json_body(client):
    response = client.post("/@login", {"login": "admin", "password": ADMIN_PASSWORD}, status=415)
    assert response.json["type"] == "UnsupportedMediaType"
    assert "token" not in response.json


@pytest.mark.parametrize(
    "body",
    ["{bad", "[1]", '{"login": "admin"}', '{"login": 5, "password": "admin"}', ""],
)
def test_malformed_login_bodies_get_400(client, body):
    response = client.post("/@login", body, content_type="application/json", status=400)
    assert response.json["type"] == "BadRequest"
    assert response.json["message"]


def test_login_renew_gives_a_fresh_working_token(client, private_page):
    token = client.post_json("/@login", {"login": "admin", "password": ADMIN_PASSWORD}).json[
        "token"
    ]
    renewed = with_token(client, token).post_json("/@login-renew", {}).json["token"]
    fresh = webtest.TestApp(client.app, extra_environ={"HTTP_ACCEPT": "application/json"})
    assert with_token(fresh, renewed).get(private_page).status_int == 200


def test_login_renew_refuses_missing_and_forged_tokens(client):
    assert client.post_json("/@login-renew", {}, status=401).json["type"] == "Unauthorized"
    with_token(client, "forged.token")
    assert client.post_json("/@login-renew", {}, status=401).json["type"] == "Unauthorized"


def test_logout_answers_204(api):
    response = api.post("/@logout", status=204)
    assert response.body == b""


@pytest.mark.parametrize("path", ["/@login", "/@login-renew", "/@logout"])
def test_other_methods_on_login_endpoints_get_405(client, path):
    response = client.get(path, status=405)
    assert response.headers["Allow"] == "POST"
    assert response.json["type"] == "MethodNotAllowed"
