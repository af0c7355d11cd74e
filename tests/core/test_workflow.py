"""Workflow: transitions, guards, per-state ACLs and history."""

import pytest

from core import operations as ops
from core.workflow import WorkflowError, workflow_from_dict, workflow_of


def test_new_content_starts_private_and_is_hidden_from_anonymous(model):
    page = ops.create(model.request, model.site, "Page", {"title": "Dự thảo"})
    assert page.workflow_state == "private"
    anonymous = model.act_as(None)
    assert not anonymous.has_permission("view", page)


def test_publish_makes_it_public_and_retract_hides_it_again(model):
    request = model.request
    page = ops.create(request, model.site, "Page", {"title": "Thông báo"})
    workflow = workflow_of(request, page)
    workflow.transition(request, page, "publish", "Duyệt đăng")
    assert model.act_as(None).has_permission("view", page)
    workflow.transition(model.act_as("admin"), page, "retract")
    assert not model.act_as(None).has_permission("view", page)
    history = [(h["transition"], h["actor"], h["comment"]) for h in page.workflow_history]
    assert history == [("publish", "admin", "Duyệt đăng"), ("retract", "admin", "")]


def test_transitions_are_guarded_by_permission(model):
    request = model.request
    model.site.principals.add_user("tacgia", "mat-khau-1").roles.add("Contributor")
    page = ops.create(model.act_as("tacgia"), model.site, "Page", {"title": "Bài viết"})
    workflow = workflow_of(request, page)
    names = [t.name for t in workflow.available(request, page)]
    assert names == ["submit"]  # an author can ask for review, not publish
    with pytest.raises(WorkflowError):
        workflow.transition(request, page, "publish")
    workflow.transition(request, page, "submit")
    assert page.workflow_state == "pending"
    assert not request.has_permission("edit", page)  # locked while under review


def test_a_transition_from_the_wrong_state_is_refused(model):
    page = ops.create(model.request, model.site, "Page", {"title": "x"})
    with pytest.raises(WorkflowError):
        workflow_of(model.request, page).transition(model.request, page, "reject")
    assert page.workflow_state == "private" and not page.workflow_history


def test_files_follow_their_folder(model):
    request = model.request
    folder = ops.create(request, model.site, "Folder", {"title": "Tài liệu"})
    item = ops.create(request, folder, "Link", {"title": "l", "url": "https://chinhphu.vn"})
    workflow_of(request, item).transition(request, item, "publish")
    image_like = ops.create(
        request, folder, "File", {"file": {"data": "aGk=", "filename": "a.txt"}}, "json"
    )
    assert not model.act_as(None).has_permission("view", image_like)
    workflow_of(request, folder).transition(model.act_as("admin"), folder, "publish")
    assert model.act_as(None).has_permission("view", image_like)


def test_declarative_workflow_is_checked():
    with pytest.raises(ValueError):
        workflow_from_dict({"name": "w", "initial": "nowhere", "states": {"a": {}}})
    with pytest.raises(ValueError):
        workflow_from_dict(
            {
                "name": "w",
                "initial": "a",
                "states": {"a": {}},
                "transitions": {"go": {"from": ["a"], "to": "b", "permission": "edit"}},
            }
        )


def test_a_transition_guard_left_to_inheritance_stops_start_up():
    data = {
        "name": "w",
        "initial": "a",
        "states": {"a": {"permissions": {"view": ["Owner"]}}, "b": {}},
        "transitions": {"go": {"from": ["a"], "to": "b", "permission": "submit"}},
    }
    with pytest.raises(ValueError, match="does not set 'submit'"):
        workflow_from_dict(data)
    data["states"]["a"]["permissions"]["submit"] = ["Owner"]
    assert workflow_from_dict(data).transitions["go"].dest == "b"


def test_a_contributor_retracts_only_what_they_own(model):
    request = model.request
    model.site.principals.add_user("tacgia", "mat-khau-1").roles.add("Contributor")
    model.site.principals.add_user("khac", "mat-khau-1").roles.add("Contributor")
    page = ops.create(model.act_as("tacgia"), model.site, "Page", {"title": "Của tác giả"})
    workflow = workflow_of(request, page)
    workflow.transition(model.act_as("admin"), page, "publish")
    other = model.act_as("khac")
    assert workflow.available(other, page) == []
    with pytest.raises(WorkflowError):
        workflow.transition(other, page, "retract")
    workflow.transition(model.act_as("tacgia"), page, "retract")
    assert page.workflow_state == "private"


def test_the_evolve_step_stores_the_new_guards_on_existing_objects(app, model):
    from pyramid.authorization import Allow

    from core.permissions import role
    from core.workflow import reapply_security

    model.site.principals.add_user("khac", "mat-khau-1").roles.add("Contributor")
    page = ops.create(model.request, model.site, "Page", {"title": "Cũ"})
    workflow_of(model.request, page).transition(model.request, page, "publish")
    page.__acl__ = tuple(e for e in page.__acl__ if e[2] != "retract")  # as stored before
    page.__acl__ += ((Allow, role("Contributor"), "retract"),)
    assert model.act_as("khac").has_permission("retract", page)
    assert reapply_security(app.registry, model.site) >= 1
    assert not model.act_as("khac").has_permission("retract", page)
