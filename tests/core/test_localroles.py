"""Local roles: what the Sharing page stores, checks and reports as inherited."""

import pytest
from pyramid.httpexceptions import HTTPForbidden

from core import operations as ops
from core.hookspecs import hookimpl
from core.localroles import (
    SharingError,
    inherited_roles,
    local_roles_of,
    search_principals,
    set_local_roles,
    sharing_roles,
    update_local_roles,
)


@pytest.fixture
def tree(model):
    """/tin-tuc/thoi-su/bai and two users and a group, created as the admin."""
    request, site = model.request, model.site
    tin = ops.create(request, site, "Folder", {"title": "Tin tức"})
    sub = ops.create(request, tin, "Folder", {"title": "Thời sự"})
    page = ops.create(request, sub, "Page", {"title": "Bài"})
    site.principals.add_user("u1", "mat-khau-1", fullname="Nguyễn Văn An")
    site.principals.add_user("u2", "mat-khau-2", fullname="Trần Thị Bình")
    site.principals.add_group("bbt", "Ban biên tập")
    return tin, sub, page


class Recorder:
    """A plugin that records the object_modified events it hears."""

    def __init__(self):
        self.calls = []

    @hookimpl
    def cong_object_modified(self, request, obj, fields):
        self.calls.append((obj, fields))


@pytest.fixture
def modified_events(app):
    recorder = Recorder()
    app.registry.cong_plugins.register(recorder)
    yield recorder.calls
    app.registry.cong_plugins.unregister(recorder)


def test_sharing_roles_are_the_grantable_ones_without_manager_owner_and_member(app):
    names = [r.name for r in sharing_roles(app.registry)]
    assert {"SiteAdmin", "Editor", "Contributor", "Reviewer", "Reader"} <= set(names)
    assert not {"Manager", "Owner", "Member"} & set(names)


def test_set_stores_a_sorted_tuple_and_fires_one_event(model, tree, modified_events):
    tin, _sub, _page = tree
    assert set_local_roles(model.request, tin, "u1", ["Reader", "Editor"])
    assert tin.local_roles["u1"] == ("Editor", "Reader")
    assert local_roles_of(tin)["u1"] == ("Editor", "Reader")
    assert modified_events == [(tin, ("local_roles",))]


def test_setting_the_same_roles_again_changes_nothing(model, tree, modified_events):
    tin, _sub, _page = tree
    set_local_roles(model.request, tin, "u1", ["Editor"])
    assert not set_local_roles(model.request, tin, "u1", ["Editor"])
    assert len(modified_events) == 1


def test_no_roles_removes_the_entry(model, tree):
    tin, _sub, _page = tree
    set_local_roles(model.request, tin, "group:bbt", ["Editor"])
    set_local_roles(model.request, tin, "group:bbt", [])
    assert "group:bbt" not in tin.local_roles


def test_roles_outside_sharing_such_as_owner_are_kept(model, tree):
    tin, _sub, _page = tree
    assert tin.local_roles["admin"] == ("Owner",)  # the creator
    set_local_roles(model.request, tin, "admin", ["Reviewer"])
    assert tin.local_roles["admin"] == ("Owner", "Reviewer")
    set_local_roles(model.request, tin, "admin", [])
    assert tin.local_roles["admin"] == ("Owner",)


@pytest.mark.parametrize("role", ["Manager", "Owner", "Member", "NoSuchRole"])
def test_roles_that_cannot_be_shared_are_refused(model, tree, role):
    tin, _sub, _page = tree
    with pytest.raises(SharingError):
        set_local_roles(model.request, tin, "u1", ["Editor", role])
    assert "u1" not in tin.local_roles


def test_an_unknown_principal_is_refused_but_a_stale_entry_can_be_removed(model, tree):
    tin, _sub, _page = tree
    with pytest.raises(SharingError) as refused:
        set_local_roles(model.request, tin, "ghost", ["Editor"])
    assert "ghost" in model.request.localizer.translate(refused.value.message)
    assert "ghost" not in tin.local_roles
    tin.local_roles["deleted-user"] = ("Editor",)
    set_local_roles(model.request, tin, "deleted-user", [])
    assert "deleted-user" not in tin.local_roles


def test_several_changes_are_all_or_nothing(model, tree, modified_events):
    tin, _sub, _page = tree
    with pytest.raises(SharingError):
        update_local_roles(model.request, tin, {"u1": ["Editor"], "ghost": ["Reader"]})
    assert dict(tin.local_roles) == {"admin": ("Owner",)}
    assert modified_events == []
    changed = update_local_roles(model.request, tin, {"u1": ["Editor"], "group:bbt": ["Reader"]})
    assert sorted(changed) == ["group:bbt", "u1"]
    assert len(modified_events) == 1


def test_sharing_needs_the_sharing_permission(model, tree):
    tin, _sub, _page = tree
    tin.local_roles["u1"] = ("Editor",)  # may edit, may not share
    with pytest.raises(HTTPForbidden):
        set_local_roles(model.act_as("u1"), tin, "u2", ["Editor"])
    assert "u2" not in tin.local_roles
    tin.local_roles["u1"] = ("SiteAdmin",)
    assert set_local_roles(model.act_as("u1"), tin, "u2", ["Editor"])


def test_inherited_roles_come_from_every_folder_above_and_not_the_object_itself(model, tree):
    tin, sub, page = tree
    model.site.local_roles["u2"] = ("Reader",)
    tin.local_roles["u1"] = ("Editor",)
    sub.local_roles["u1"] = ("Reviewer",)
    found = inherited_roles(page)
    assert found["u1"] == {"Editor", "Reviewer"}
    assert found["u2"] == {"Reader"}
    assert inherited_roles(sub)["u1"] == {"Editor"}
    assert "u1" not in inherited_roles(tin)
    assert inherited_roles(model.site) == {}


def test_search_ignores_case_and_looks_at_ids_and_names(model, tree):
    principals = model.site.principals
    assert [p.id for p in search_principals(principals, "U1")] == ["u1"]
    assert [p.id for p in search_principals(principals, "văn an")] == ["u1"]
    assert [p.id for p in search_principals(principals, "BIÊN TẬP")] == ["group:bbt"]
    assert [p.id for p in search_principals(principals, "bb")] == ["group:bbt"]
    assert search_principals(principals, "  ") == []
    assert search_principals(principals, "khong-co") == []


def test_search_returns_at_most_the_limit(model):
    principals = model.site.principals
    for n in range(30):
        principals.add_user(f"canbo{n:02d}", "mat-khau-1")
    assert len(search_principals(principals, "canbo")) == 20
    assert len(search_principals(principals, "canbo", limit=5)) == 5
