"""What the API stores survives a restart of the application."""

import base64

import webtest

from core import main
from core.testing import api_token, make_settings


def test_content_made_through_the_api_survives_a_restart(app, api, data_dir):
    api.post_json("/", {"@type": "Folder", "id": "tin-tuc", "title": "Tin tức"}, status=201)
    page = api.post_json(
        "/tin-tuc", {"@type": "Page", "title": "Bài viết", "text": "<p>Nội dung</p>"}
    ).json
    api.post_json(page["@id"] + "/@workflow/publish", {"comment": "Duyệt"})
    data = b"\x00\x01binary\xff" * 1000
    body = {"@type": "File", "file": {"data": base64.b64encode(data).decode(), "filename": "a.bin"}}
    file_url = api.post_json("/tin-tuc", body).json["@id"]
    before = {url: api.get(url).json for url in ("/tin-tuc", page["@id"], file_url)}

    for db in app.registry._zodb_databases.values():
        db.close()
    restarted = main({}, **make_settings(data_dir))
    try:
        client = webtest.TestApp(restarted, extra_environ={"HTTP_ACCEPT": "application/json"})
        client.authorization = ("Bearer", api_token(client))
        after = {url: client.get(url).json for url in before}
        assert after == before
        assert after[page["@id"]]["review_state"] == "published"
        assert client.get(page["@id"] + "/@workflow").json["history"][-1]["comments"] == "Duyệt"
        assert client.get(file_url + "/@@download").body == data
    finally:
        for db in restarted.registry._zodb_databases.values():
            db.close()
