"""``@workflow``: reading the state and history, making transitions."""

import base64

import pytest
import webtest

from core.testing import api_token

PASSWORD = "Mat-khau-api-9753"


@pytest.fixture
def page(api):
    api.post_json("/", {"@type": "Page", "id": "thong-bao", "title": "Thông báo"}, status=201)
    return "/thong-bao"


@pytest.fixture
def anonymous(app):
    return webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})


@pytest.fixture
def contributor(app, api, site_access):
    """A user who may add to and submit in ``/ho-so`` (published), but not publish."""
    api.post_json("/", {"@type": "Folder", "id": "ho-so", "title": "Hồ sơ"}, status=201)
    api.post_json("/ho-so/@workflow/publish", {})
    with site_access() as site:
        site.principals.add_user("u1", PASSWORD)
        site["ho-so"].local_roles["u1"] = ("Contributor",)
    client = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    client.authorization = ("Bearer", api_token(client, "u1", PASSWORD))
    return client


def test_get_workflow_gives_state_transitions_and_history(api, page):
    data = api.get(page + "/@workflow").json
    assert data["@id"] == "http://localhost/thong-bao/@workflow"
    assert data["state"] == {"id": "private", "title": "Riêng tư"}
    assert [(e["action"], e["review_state"], e["actor"]) for e in data["history"]] == [
        (None, "private", "admin")
    ]
    assert data["history"][0]["title"] == "Riêng tư"
    assert {t["@id"].rsplit("/", 1)[1] for t in data["transitions"]} == {"submit", "publish"}
    assert all(t["@id"].startswith(data["@id"] + "/") and t["title"] for t in data["transitions"])


def test_publishing_makes_content_public_and_is_recorded(api, page, anonymous):
    anonymous.get(page, status=401)
    response = api.post_json(page + "/@workflow/publish", {"comment": "Đã duyệt nội dung"})
    entry = response.json
    assert entry["action"] == "publish"
    assert entry["actor"] == "admin"
    assert entry["comments"] == "Đã duyệt nội dung"
    assert entry["review_state"] == "published"
    assert entry["title"] == "Đã xuất bản"
    assert entry["time"]
    assert anonymous.get(page).json["review_state"] == "published"
    info = api.get(page + "/@workflow").json
    assert info["history"][1:] == [entry]
    assert [t["@id"].rsplit("/", 1)[1] for t in info["transitions"]] == ["retract"]


def test_a_transition_needs_no_body(api, page):
    api.post(page + "/@workflow/submit", status=200)
    assert api.get(page).json["review_state"] == "pending"


@pytest.mark.parametrize("name", ["reject", "retract", "khong-co"])
def test_a_transition_not_possible_now_is_400_and_changes_nothing(api, page, name):
    before = api.get(page).json
    response = api.post_json(page + f"/@workflow/{name}", {}, status=400)
    assert response.json["type"] == "WorkflowError"
    assert name in response.json["message"]
    assert api.get(page).json == before


def test_a_comment_must_be_text(api, page):
    before = api.get(page).json
    response = api.post_json(page + "/@workflow/publish", {"comment": ["x"]}, status=400)
    assert response.json["errors"][0]["field"] == "comment"
    assert api.get(page).json == before


def test_a_missing_transition_name_is_400(api, page):
    assert api.post_json(page + "/@workflow", {}, status=400).json["type"] == "BadRequest"


def test_a_contributor_may_submit_but_not_publish(api, contributor):
    created = contributor.post_json("/ho-so", {"@type": "Page", "title": "Đơn"}, status=201)
    path = created.json["@id"]
    names = [
        t["@id"].rsplit("/", 1)[1] for t in contributor.get(path + "/@workflow").json["transitions"]
    ]
    assert names == ["submit"]
    before = api.get(path).json
    response = contributor.post_json(path + "/@workflow/publish", {}, status=403)
    assert response.json["type"] == "Forbidden"
    assert api.get(path).json == before
    contributor.post_json(path + "/@workflow/submit", {"comment": "Nhờ duyệt"})
    assert api.get(path).json["review_state"] == "pending"


def test_anonymous_transitions_are_401(api, page, app):
    api.post_json(page + "/@workflow/publish", {})
    stranger = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    stranger.authorization = ("Bearer", "forged")
    before = api.get(page).json
    stranger.post_json(page + "/@workflow/retract", {}, status=401)
    assert api.get(page).json == before


def test_one_state_content_has_no_transitions(api):
    body = {
        "@type": "File",
        "file": {"data": base64.b64encode(b"abc").decode(), "filename": "a.txt"},
    }
    path = api.post_json("/", body).json["@id"]
    data = api.get(path + "/@workflow").json
    assert data["state"]["id"] == "visible"
    assert data["transitions"] == []


def test_other_methods_on_workflow_get_405(api, page):
    assert api.delete(page + "/@workflow", status=405).headers["Allow"] == "GET, POST"
    assert api.get(page + "/@workflow/publish", status=405).headers["Allow"] == "POST"
