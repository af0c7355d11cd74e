"""What ``@users`` and ``@groups`` share (core.api.accounts): the methods each URL
takes, a 404 for a path that names more than one, and a refusal's fields."""

from __future__ import annotations

import pytest

ENDPOINT = "GET, POST"
ONE = "GET, PATCH, DELETE"


@pytest.fixture
def bbt(site_access):
    with site_access() as site:
        site.principals.add_group("bbt", "Ban biên tập")


@pytest.mark.parametrize(
    "method, path, allow",
    [
        ("put", "/@users", ENDPOINT),
        ("patch", "/@users", ENDPOINT),
        ("delete", "/@users", ENDPOINT),
        ("post", "/@users/admin", ONE),
        ("put", "/@users/admin", ONE),
        ("put", "/@groups", ENDPOINT),
        ("patch", "/@groups", ENDPOINT),
        ("delete", "/@groups", ENDPOINT),
        ("post", "/@groups/bbt", ONE),
        ("put", "/@groups/bbt", ONE),
    ],
)
def test_each_url_says_which_methods_it_takes(api, bbt, method, path, allow):
    response = api.request(
        path, method=method.upper(), body=b"{}", content_type="application/json", status=405
    )
    assert response.headers["Allow"] == allow


@pytest.mark.parametrize("path", ["/@users/admin/more", "/@groups/bbt/more"])
def test_a_path_naming_more_than_one_is_404(api, bbt, path):
    assert api.get(path, status=404).json["type"] == "NotFound"


def test_a_group_refused_for_unknown_members_names_the_api_field(api, bbt):
    refused = api.patch_json("/@groups/bbt", {"users": ["khong-co"]}, status=400).json
    assert [e["field"] for e in refused["errors"]] == ["users"]
    assert "khong-co" in refused["errors"][0]["message"]
