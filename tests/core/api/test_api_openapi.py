"""``/@openapi``: the OpenAPI document of the JSON API, checked against the
application: it is a valid OpenAPI 3.1 document, and every path it lists answers."""

import re

import pytest
from openapi_spec_validator import validate
from pyramid.path import DottedNameResolver
from pyramid.traversal import resource_path

#: Values of path parameters that have no example usable on a new site, made by
#: the ``site`` fixture.
MADE_HERE = {"id": "bbt"}
#: A JSON body no API view accepts (not an object).
NOT_AN_OBJECT = "[]"


@pytest.fixture
def document(api):
    return api.get("/@openapi").json


@pytest.fixture
def site(api, site_access):
    """Content of several kinds (a subsite too) and a group, for the paths' parameters."""
    api.post_json("/", {"@type": "Folder", "id": "thu-muc", "title": "Thư mục"}, status=201)
    api.post_json("/thu-muc", {"@type": "Page", "id": "trang", "title": "Trang"}, status=201)
    kinds = api.get("/@types/Subsite/unit_kind").json["enum"]
    body = {"@type": "Subsite", "id": "xa", "title": "Xã", "unit_kind": kinds[0]}
    api.post_json("/", body, status=201)
    with site_access() as root:
        root.principals.add_group("bbt", "Ban biên tập")
        return [obj for obj in walk(root) if obj is not root]


def walk(folder):
    yield folder
    for child in getattr(folder, "values", lambda: ())():
        yield from walk(child)


def concrete(path: str, operation: dict, objects) -> str:
    """``path`` with each parameter replaced by a value that exists."""
    for param in operation.get("parameters", []):
        if param["in"] != "path":
            continue
        if param["name"] == "path" and "x-cong-context" in param:
            iface = DottedNameResolver().resolve(param["x-cong-context"])
            found = next((o for o in objects if iface.providedBy(o)), None)
            assert found is not None, f"no object provides {param['x-cong-context']} for {path}"
            value = resource_path(found).strip("/")
        else:
            value = param.get("example") or MADE_HERE[param["name"]]
        path = path.replace("{" + param["name"] + "}", str(value))
    assert not re.search(r"\{\w+\}", path), path
    return path


def query_of(operation: dict) -> dict:
    return {
        p["name"]: p["example"]
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)
    assert document["openapi"] == "3.1.0"
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer"
    assert schemes["basic"] == {**schemes["basic"], "type": "http", "scheme": "basic"}
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["type", "message"]


def test_it_lists_the_api_views_with_their_methods_and_summaries(document):
    paths = document["paths"]
    assert set(paths["/@users"]) == {"get", "post"}
    assert set(paths["/@users/{login}"]) == {"get", "patch", "delete"}
    assert set(paths["/{path}/@workflow/{transition}"]) == {"post"}
    assert set(paths["/{path}"]) == {"get", "post", "patch", "delete"}
    assert set(paths["/"]) == {"get", "post", "patch"}  # the site root is not deleted
    assert paths["/@users"]["post"]["summary"] == "Add a user: 201 with the user and its URL."
    assert paths["/@users"]["post"]["security"] == [{"bearer": []}, {"basic": []}]
    search = {p["name"]: p for p in paths["/@principals"]["get"]["parameters"]}
    assert search["search"]["required"] is True
    ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_content_bodies_and_answers_come_from_the_types_fields(api, document):
    schemas = document["components"]["schemas"]
    page = schemas["Page"]
    assert page["properties"]["@type"] == {"const": "Page"}
    assert page["required"] == ["@type", "title"]
    assert page["properties"]["title"]["maxLength"] == 300
    assert "factory" not in page["properties"]["title"]  # plone.restapi's own keys left out
    add = document["paths"]["/{path}"]["post"]["requestBody"]["content"]["application/json"]
    assert {"$ref": "#/components/schemas/Page"} in add["schema"]["oneOf"]
    answer = document["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert {"$ref": "#/components/schemas/SiteContent"} in answer["schema"]["anyOf"]


def parameters(document, path: str, method: str = "get") -> dict[str, dict]:
    return {p["name"]: p for p in document["paths"][path][method]["parameters"]}


def test_the_search_and_navigation_views_document_their_parameters(document):
    search = parameters(document, "/{path}/@search")
    for name in ("sort_on", "sort_order", "b_start", "b_size", "fullobjects", "Subject"):
        assert search[name]["in"] == "query", name
    assert {"metadata_fields", "portal_type", "path.query", "created.range"} <= set(search)
    assert search["sort_order"]["schema"]["enum"] == ["ascending", "descending", "reverse"]
    assert "categories" in parameters(document, "/{path}/@actions")
    assert "expand" in parameters(document, "/{path}")
    assert "expand.contextnavigation.bottomLevel" in parameters(
        document, "/{path}/@contextnavigation"
    )
    assert "name" in parameters(document, "/{path}/@vocabularies/{name}")
    body = document["paths"]["/{path}/@querystring-search"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["required"] == ["query"]
    assert {"sort_on", "b_start", "b_size", "limit"} <= set(schema["properties"])


def test_every_listed_path_answers(api, document, site):
    checked = 0
    for template, item in document["paths"].items():
        for method, operation in item.items():
            path = concrete(template, operation, site)
            if method == "get":
                response = api.get(path, query_of(operation), expect_errors=True)
            elif method == "delete":
                continue  # it would remove what the other paths need
            else:
                response = api.request(
                    path,
                    method=method.upper(),
                    body=NOT_AN_OBJECT.encode(),
                    content_type="application/json",
                    expect_errors=True,
                )
            assert response.status_int not in (404, 405), (method, path, response.text[:300])
            assert response.status_int < 500, (method, path, response.text[:300])
            checked += 1
    assert checked > 40


def test_the_document_is_public_and_read_only(app, testapp):
    assert testapp.get("/@openapi").json["paths"]
    assert testapp.post("/@openapi", status=405).headers["Allow"] == "GET"
