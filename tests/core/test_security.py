"""Local roles, groups and global roles decide what a user may do where."""

from core import operations as ops


def setup_tree(model):
    request = model.request
    site = model.site
    tin = ops.create(request, site, "Folder", {"title": "Tin tức"})
    khac = ops.create(request, site, "Folder", {"title": "Khác"})
    inside = ops.create(request, tin, "Page", {"title": "Trong"})
    outside = ops.create(request, khac, "Page", {"title": "Ngoài"})
    site.principals.add_user("bientap", "mat-khau-1")
    return tin, inside, outside


def test_local_role_applies_below_the_folder_only(model):
    tin, inside, outside = setup_tree(model)
    tin.local_roles["bientap"] = ("Editor",)
    request = model.act_as("bientap")
    assert request.has_permission("edit", inside)
    assert request.has_permission("add", tin)
    assert not request.has_permission("edit", outside)
    assert not request.has_permission("add", model.site)


def test_group_roles_reach_members(model):
    tin, inside, outside = setup_tree(model)
    principals = model.site.principals
    principals.add_group("ban-bien-tap", "Ban biên tập")
    principals.add_member("ban-bien-tap", "bientap")
    tin.local_roles["group:ban-bien-tap"] = ("Editor",)
    assert model.act_as("bientap").has_permission("edit", inside)
    principals.remove_member("ban-bien-tap", "bientap")
    assert not model.act_as("bientap").has_permission("edit", inside)


def test_global_role_applies_everywhere(model):
    from core.workflow import workflow_of

    _tin, inside, outside = setup_tree(model)
    for folder in (inside.__parent__, outside.__parent__):  # a Reviewer may not view private ones
        workflow_of(model.request, folder).transition(model.request, folder, "publish")
    model.site.principals.get_user("bientap").roles.add("Reviewer")
    request = model.act_as("bientap")
    assert request.has_permission("review", inside) and request.has_permission("review", outside)
    assert not request.has_permission("edit", inside)


def test_owner_can_edit_own_private_item_but_others_cannot_see_it(model):
    model.site.principals.add_user("tacgia", "mat-khau-1").roles.add("Contributor")
    model.site.principals.add_user("khac", "mat-khau-1").roles.add("Contributor")
    page = ops.create(model.act_as("tacgia"), model.site, "Page", {"title": "Nháp"})
    assert model.request.has_permission("edit", page)
    assert not model.act_as("khac").has_permission("view", page)


def test_security_policy_tokens_are_revoked_by_a_new_password(app, model):
    from pyramid.interfaces import ISecurityPolicy

    from core import sessions

    policy = app.registry.getUtility(ISecurityPolicy)
    user = model.site.principals.get_user("admin")
    token = policy.make_token(user, sessions.start(model.request, user, "api").id)
    principals, request = model.site.principals, model.request
    assert policy._user_from_token(request, principals, token) is user
    assert policy._user_from_token(request, principals, token[:-2] + "xx") is None
    user.set_password("mot-mat-khau-moi")
    assert policy._user_from_token(request, principals, token) is None


def test_a_retried_request_finds_its_requester_anew(app, model):
    """pyramid_retry keeps the environ between attempts: the user and principals
    found by the first one (objects of its discarded connection) are dropped."""
    from pyramid_retry import BeforeRetry

    request = model.request
    assert request.identity is not None and request.has_permission("edit", model.site)
    app.registry.notify(BeforeRetry(request, RuntimeError("conflict")))
    assert "cong.identity" not in request.environ
    assert "cong.principals" not in request.environ


def test_nothing_is_granted_inside_a_folder_one_may_not_view(model):
    from core.workflow import workflow_of

    tin, inside, _outside = setup_tree(model)
    model.site.principals.get_user("bientap").roles.add("Reviewer")
    request = model.act_as("bientap")
    assert not request.has_permission("review", inside)  # tin is private
    model.act_as("admin")
    workflow_of(model.request, tin).transition(model.request, tin, "publish")
    request = model.act_as("bientap")
    assert request.has_permission("review", inside)
