"""``@history``: who created an object and moved it through its workflow."""

import pytest
import webtest

from core.testing import api_token

PASSWORD = "Mat-khau-lich-su-1357"


@pytest.fixture
def page(api):
    api.post_json("/", {"@type": "Page", "id": "tb", "title": "Thông báo"}, status=201)
    api.post_json("/tb/@workflow/submit", {"comment": "Nhờ duyệt"})
    api.post_json("/tb/@workflow/publish", {"comment": "Đã duyệt"})
    return "/tb"


def client_of(app, login=None):
    client = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    if login:
        client.authorization = ("Bearer", api_token(client, login, PASSWORD))
    return client


def test_history_lists_transitions_newest_first_then_creation(api, page):
    history = api.get(page + "/@history").json
    assert [e["action"] for e in history] == ["publish", "submit", "Create"]
    publish, submit, create = history
    assert publish["type"] == "workflow"
    assert publish["comments"] == "Đã duyệt"
    assert publish["review_state"] == "published"
    assert publish["state_title"] == "Đã xuất bản"
    assert publish["transition_title"] == "Xuất bản"
    assert publish["actor"] == {
        "@id": "http://localhost/@users/admin",
        "id": "admin",
        "fullname": "Quản trị hệ thống",
        "username": "admin",
    }
    assert publish["time"] >= submit["time"] >= create["time"]
    assert create["review_state"] == "private"
    assert create["transition_title"] == "Tạo mới"
    assert create["actor"]["id"] == "admin"


def test_history_is_for_editors_and_reviewers(app, api, page, site_access):
    with site_access() as site:
        site.principals.add_user("doc-gia", PASSWORD)
        site.principals.add_user("duyet", PASSWORD).roles.add("Reviewer")
    client_of(app).get(page + "/@history", status=401)
    client_of(app, "doc-gia").get(page + "/@history", status=403)
    assert len(client_of(app, "duyet").get(page + "/@history").json) == 3


def test_versions_are_not_kept(api, page):
    assert api.get(page + "/@history/0", status=404).json["type"] == "NotFound"
    api.patch_json(page + "/@history/0", {}, status=405)


def test_workflow_get_lists_transitions_with_links(api, page):
    data = api.get(page + "/@workflow").json
    assert data["state"] == {"id": "published", "title": "Đã xuất bản"}
    assert data["transitions"] == [
        {"@id": "http://localhost/tb/@workflow/retract", "title": "Thu hồi"}
    ]
    assert [e["action"] for e in data["history"]] == [None, "submit", "publish"]
