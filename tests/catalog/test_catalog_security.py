"""Security in the catalog: nobody finds what they may not view, in listings or
text searches, and results follow workflow and local-role changes at once."""

from __future__ import annotations

import pytest

import catalog
from catalog.security import allowed_principals
from core import operations as ops
from core.localroles import update_local_roles
from core.testing import add
from core.workflow import workflow_of

SECRET = "Dự thảo phương án sắp xếp đơn vị hành chính cấp xã"


def seen(request, text=None, **query) -> list[str]:
    """Titles the requester finds, by listing (no text) or by text search."""
    return sorted(r.title for r in catalog.search(request, text=text, **query).records)


def both(request, text: str) -> tuple[list[str], list[str]]:
    """What the requester finds by a listing and by a text search for ``text``."""
    return seen(request, types=["Page"]), seen(request, text=text, types=["Page"])


@pytest.fixture
def people(model):
    """An editor who writes drafts (Contributor), and a staff member with no role."""
    principals = model.site.principals
    principals.add_user("bientap", "mat-khau-1").roles.add("Contributor")
    principals.add_user("canbo", "mat-khau-2")
    principals.add_group("to-soan-thao", "Tổ soạn thảo")
    model.commit()
    return model


def test_a_private_page_is_seen_by_its_owner_and_managers_only(people):
    model = people
    folder = add(model, model.site, "Folder", state="published", title="Dự thảo", name="du-thao")
    model.commit()
    model.act_as("bientap")
    ops.create(model.request, folder, "Page", {"title": SECRET}, source="json")
    model.commit()
    assert both(model.act_as("bientap"), "phương án sắp xếp") == ([SECRET], [SECRET])
    assert both(model.act_as("admin"), "phuong an sap xep") == ([SECRET], [SECRET])
    assert both(model.act_as("canbo"), "phương án sắp xếp") == ([], [])
    assert both(model.act_as(None), "phương án sắp xếp") == ([], [])
    anonymous = catalog.search(model.request, text="phương án", facets=("type_name",))
    assert anonymous.total == 0 and anonymous.facets["type_name"] == {}
    assert [r.title for r in catalog.suggest_records(model.request, "phương")] == []
    assert [r.title for r in catalog.suggest_records(model.act_as("bientap"), "phương")] == [SECRET]


def test_local_roles_on_a_folder_reach_the_pages_below_and_are_taken_back(people):
    model = people
    folder = add(model, model.site, "Folder", title="Nội bộ", name="noi-bo")
    sub = add(model, folder, "Folder", title="Tổ soạn thảo", name="to")
    add(model, sub, "Page", title=SECRET)
    model.commit()
    assert both(model.act_as("canbo"), "đơn vị hành chính") == ([], [])
    update_local_roles(model.act_as("admin"), folder, {"canbo": ["Reader"]})
    model.commit()
    assert both(model.act_as("canbo"), "đơn vị hành chính") == ([SECRET], [SECRET])
    update_local_roles(model.act_as("admin"), folder, {"canbo": []})
    model.commit()
    assert both(model.act_as("canbo"), "đơn vị hành chính") == ([], [])


def test_a_local_role_given_to_a_group_reaches_its_members(people):
    model = people
    folder = add(model, model.site, "Folder", title="Nội bộ", name="noi-bo")
    add(model, folder, "Page", title=SECRET)
    model.site.principals.add_member("to-soan-thao", "canbo")
    update_local_roles(model.request, folder, {"group:to-soan-thao": ["Editor"]})
    model.commit()
    assert both(model.act_as("canbo"), "sắp xếp đơn vị") == ([SECRET], [SECRET])


def test_a_retracted_page_disappears_for_visitors(people):
    model = people
    page = add(model, model.site, "Page", state="published", title=SECRET)
    model.commit()
    assert both(model.act_as(None), "hành chính cấp xã") == ([SECRET], [SECRET])
    request = model.act_as("admin")
    workflow_of(request, page).transition(request, page, "retract")
    model.commit()
    assert both(model.act_as(None), "hành chính cấp xã") == ([], [])
    assert catalog.search(model.request, text="hành chính", facets=("type_name",)).facets == {
        "type_name": {}
    }


def test_files_in_a_folder_follow_the_folders_state(people):
    """A File has no state of its own: who sees it is decided by its folder."""
    from core.testing import upload

    model = people
    folder = add(model, model.site, "Folder", title="Biểu mẫu", name="bieu-mau")
    attached = upload("Mẫu đơn đăng ký kết hôn".encode(), "mau-don.txt", "text/plain")
    add(model, folder, "File", title="Mẫu đơn đăng ký", file=attached)
    model.commit()
    visitor = model.act_as(None)
    assert (seen(visitor, types=["File"]), seen(visitor, text="kết hôn")) == ([], [])
    request = model.act_as("admin")
    workflow_of(request, folder).transition(request, folder, "publish")
    model.commit()
    visitor = model.act_as(None)
    found = ["Mẫu đơn đăng ký"]
    assert (seen(visitor, types=["File"]), seen(visitor, text="ket hon")) == (found, found)


def test_allowed_principals_expand_local_roles_of_the_lineage(people):
    model = people
    folder = add(model, model.site, "Folder", title="Nội bộ", name="noi-bo")
    page = add(model, folder, "Page", title=SECRET)
    folder.local_roles["canbo"] = ("Reader",)
    folder.local_roles["group:to-soan-thao"] = ("Contributor",)  # may not view private pages
    allowed = allowed_principals(page)
    assert "canbo" in allowed and "admin" in allowed  # admin created it: Owner
    assert {"role:Manager", "role:Owner", "role:Reader", "role:Editor"} <= set(allowed)
    assert "group:to-soan-thao" not in allowed and "system.Everyone" not in allowed


@pytest.mark.parametrize(
    ("outer", "inner", "both"),
    [
        ({"system.Everyone"}, {"role:Editor", "an"}, {"role:Editor", "an"}),
        ({"role:Editor", "an"}, {"system.Everyone"}, {"role:Editor", "an"}),
        ({"system.Authenticated"}, {"role:Reader"}, {"role:Reader"}),
        ({"role:Reader"}, {"system.Authenticated", "role:Manager"}, {"role:Reader"}),
        ({"role:Editor", "an", "binh"}, {"role:Editor", "binh", "chi"}, {"role:Editor", "binh"}),
    ],
)
def test_narrow_stands_for_may_view_both(outer, inner, both):
    from catalog.security import narrow

    assert narrow(outer, inner) == both


def test_allowed_principals_are_narrowed_by_the_folders_above(people):
    model = people
    folder = add(model, model.site, "Folder", title="Nội bộ", name="noi-bo")
    page = add(model, folder, "Page", "published", title=SECRET)
    folder.local_roles["canbo"] = ("Reader",)
    allowed = set(allowed_principals(page))
    assert "system.Everyone" not in allowed  # published, but in a private folder
    assert {"canbo", "admin", "role:Reader", "role:Editor"} <= allowed
