"""``@types``: the content types and their JSON Schemas, from the fields the forms use."""

import json

import jsonschema
import pytest
import webtest

from core.testing import api_token

PASSWORD = "Mat-khau-kieu-7531"


@pytest.fixture
def anonymous(app):
    return webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})


@pytest.fixture
def contributor(app, api, site_access):
    """A user who may add in ``/tin`` only."""
    api.post_json("/", {"@type": "Folder", "id": "tin", "title": "Tin"}, status=201)
    api.post_json("/tin/@workflow/publish", {})
    with site_access() as site:
        site.principals.add_user("ctv", PASSWORD)
        site["tin"].local_roles["ctv"] = ("Contributor",)
    client = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    client.authorization = ("Bearer", api_token(client, "ctv", PASSWORD))
    return client


def schema_of(response) -> dict:
    assert response.content_type == "application/json+schema"
    return json.loads(response.body)


def test_types_lists_the_types_and_what_may_be_added_here(api):
    types = {t["id"]: t for t in api.get("/@types").json}
    assert {"Folder", "Page", "File", "Image", "Link", "News"} <= set(types)
    assert "Site" not in types  # never addable
    page = types["Page"]
    assert page == {
        "@id": "http://localhost/@types/Page",
        "id": "Page",
        "title": "Trang",
        "addable": True,
        "immediately_addable": True,
    }
    # a page is not a folder: nothing may be added to it
    api.post_json("/", {"@type": "Page", "id": "p", "title": "P"}, status=201)
    assert not any(t["addable"] for t in api.get("/p/@types").json)


def test_addable_follows_the_requesters_permissions(contributor):
    assert all(not t["addable"] for t in contributor.get("/@types").json)
    assert {t["id"] for t in contributor.get("/tin/@types").json if t["addable"]} >= {"Page"}


def test_types_need_a_logged_in_user(anonymous):
    assert anonymous.get("/@types", status=401).json["type"] == "Unauthorized"
    anonymous.get("/@types/Page", status=401)


def test_the_schema_of_a_type_comes_from_its_fields(api):
    schema = schema_of(api.get("/@types/Page"))
    assert schema["title"] == "Trang"
    assert schema["type"] == "object"
    assert schema["required"] == ["title"]
    assert [f["fields"] for f in schema["fieldsets"]] == [["title", "description", "text"]]
    title = schema["properties"]["title"]
    assert title["type"] == "string"
    assert title["title"] == "Tiêu đề"
    assert title["factory"] == "Text line (String)"
    assert title["maxLength"] == 300
    assert schema["properties"]["description"]["widget"] == "textarea"
    assert schema["properties"]["text"]["widget"] == "richtext"
    assert schema["properties"]["text"]["factory"] == "Rich Text"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_schema_speaks_the_requesters_language(api):
    schema = schema_of(api.get("/@types/Page", {"lang": "en"}))
    assert schema["properties"]["title"]["title"] == "Title"


def test_plugin_types_and_every_kind_of_field_are_described(api):
    for item in api.get("/@types").json:
        schema = schema_of(api.get(f"/@types/{item['id']}"))
        jsonschema.Draft202012Validator.check_schema(schema)
        for name, prop in schema["properties"].items():
            assert prop["type"] in ("string", "integer", "boolean", "array", "object"), name
            assert prop["title"] and prop["factory"], name
    news = schema_of(api.get("/@types/News"))
    assert news["properties"]["effective"]["widget"] == "datetime"
    assert news["properties"]["tags"]["type"] == "array"
    image = schema_of(api.get("/@types/Image"))["properties"]["image"]
    assert image["type"] == "object" and image["factory"] == "Image"
    assert image["required"] == ["data"]


def test_a_choice_lists_its_values_and_labels(api):
    prop = api.get("/@types/Subsite/unit_kind").json
    assert prop["type"] == "string"
    assert prop["enum"] and len(prop["enum"]) == len(prop["enumNames"]) == len(prop["choices"])
    assert prop["choices"][0] == [prop["enum"][0], prop["enumNames"][0]]


def test_a_body_the_schema_accepts_is_accepted_by_the_api(api):
    schema = schema_of(api.get("/@types/Link"))
    body = {"title": "Cổng dịch vụ công", "url": "https://dichvucong.gov.vn"}
    jsonschema.validate(body, schema)
    api.post_json("/", {"@type": "Link", **body}, status=201)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"url": "https://x.vn"}, schema)  # no title
    api.post_json("/", {"@type": "Link", "url": "https://x.vn"}, status=400)


def test_one_field_of_a_type(api):
    assert api.get("/@types/Link/url").json["widget"] == "url"


@pytest.mark.parametrize("path", ["/@types/Khong", "/@types/Page/khong", "/@types/Page/title/x"])
def test_unknown_types_and_fields_are_404(api, path):
    assert api.get(path, status=404).json["type"] == "NotFound"


def test_types_is_read_only(api):
    response = api.post_json("/@types/Page", {}, status=405)
    assert response.headers["Allow"] == "GET"


def test_plones_name_of_a_type_answers_that_types_schema(api):
    document = api.get("/@types/Document")
    assert document.content_type == "application/json+schema"
    assert schema_of(document) == schema_of(api.get("/@types/Page"))
    assert schema_of(document)["properties"]["text"]
    assert api.get("/@types/Document/title").json["type"] == "string"


def test_expand_types_embeds_the_type_list_for_logged_in_users(api, anonymous):
    data = api.get("/", {"expand": "types"}).json["@components"]["types"]
    assert data == api.get("/@types").json
    assert {"Page", "Folder"} <= {item["id"] for item in data}
    shown = anonymous.get("/", {"expand": "types"}, headers={"Accept": "application/json"})
    assert shown.json["@components"]["types"] == {"@id": "http://localhost/@types"}
