"""Who may make which transition: every workflow × state × role, through the JSON API.

The tables below are the contract. Each row is a principal: a role held on the place
of the item ("here": granted on the subsite holding it), on another subsite
("elsewhere") or site-wide ("global"); "Owner" is the creator's local role on the
item itself (elsewhere: on an item in the other subsite). A transition listed is
made (200, the item changes state); one not listed is refused: 403, or 401 for an
anonymous request. ``GET @workflow`` lists exactly the listed ones. A change to a
workflow that widens (or narrows) a transition fails here until the table says so.
"""

from __future__ import annotations

import re

import pytest
import webtest

from core.roles import get_roles
from core.testing import ModelRequest, add, api_token
from core.workflow import get_workflows, workflow_of
from tests.subsites.subsite_core_setup import add_unit, close, make_app

S, P, R, X = "submit", "publish", "reject", "retract"
NONE = ((), (), ())

#: publication: (private, pending, published) -> the transitions allowed.
PUBLICATION_STATES = ("private", "pending", "published")
PUBLICATION = {
    "Anonymous": NONE,
    "Member": NONE,
    "Reader here": NONE,
    "Reader elsewhere": NONE,
    "Reader global": NONE,
    "Contributor here": NONE,  # not the owner: retracts nothing, submits nothing
    "Contributor elsewhere": NONE,
    "Contributor global": NONE,
    "Owner here": ((S,), (X,), (X,)),
    "Owner elsewhere": NONE,
    "Editor here": ((S,), (X,), (X,)),
    "Editor elsewhere": NONE,
    "Editor global": ((S,), (X,), (X,)),
    "Reviewer here": ((), (P, R, X), (X,)),  # a private draft is not theirs to see
    "Reviewer elsewhere": NONE,
    "Reviewer global": ((), (P, R, X), (X,)),
    "SiteAdmin here": ((S, P), (P, R, X), (X,)),
    "SiteAdmin elsewhere": NONE,
    "SiteAdmin global": ((S, P), (P, R, X), (X,)),
    "Manager": ((S, P), (P, R, X), (X,)),
    # the work systems' roles hold no right on content
    "Receptionist here": NONE,
    "Specialist here": NONE,
    "Leader here": NONE,
    "Clerk here": NONE,
}

#: workflow -> (the type tested with it, its states in table order, the table).
#: ``one_state`` has no transition: nothing to grant, nothing to refuse.
EXPECTED = {
    "publication": ("Page", PUBLICATION_STATES, PUBLICATION),
    "one_state": (None, ("visible",), {}),
}

PLACES = ("here", "elsewhere", "global")
PASSWORD = "mat-khau-1"


def login_of(principal: str) -> str:
    return re.sub(r"[^a-z]+", "-", principal.lower())


def cases():
    for workflow, (_type, states, table) in EXPECTED.items():
        for principal, allowed in table.items():
            for state, transitions in zip(states, allowed, strict=True):
                yield pytest.param(
                    workflow,
                    state,
                    principal,
                    set(transitions),
                    id=f"{workflow}-{state}-{principal}",
                )


def path_to(workflow, state: str) -> list[str]:
    """The transitions that bring a new object to ``state`` (breadth first)."""
    paths = {workflow.initial: []}
    todo = [workflow.initial]
    while todo:
        here = todo.pop(0)
        for t in workflow.transitions.values():
            if here in t.source and t.dest not in paths:
                paths[t.dest] = [*paths[here], t.name]
                todo.append(t.dest)
    return paths[state]


def grant(site, unit_a, unit_b, principal: str, item_b) -> None:
    """Create the user standing for ``principal`` with its role in its place."""
    if principal == "Anonymous":
        return
    user = site.principals.add_user(login_of(principal), PASSWORD)
    name, _, place = principal.partition(" ")
    if name == "Manager" or place == "global":
        user.roles.add(name)
    elif name == "Owner":
        if place == "elsewhere":
            item_b.local_roles[user.login] = ("Owner",)
    elif place in ("here", "elsewhere"):
        unit = unit_a if place == "here" else unit_b
        unit.local_roles[user.login] = (name,)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """An application with subsites ``a`` and ``b``, a user per principal and, for
    each case and each transition out of its state, an item of its own in ``a``
    owned by the ``Owner here`` user."""
    application = make_app(tmp_path_factory.mktemp("var"))
    model = ModelRequest(application)
    try:
        site, request = model.site, model.request
        unit_a = add_unit(model, site, "a", "Xã A")
        unit_b = add_unit(model, site, "b", "Xã B")
        folder_b = add(model, unit_b, "Folder", "published", name="muc", title="Mục B")
        item_b = add(model, folder_b, "Page", "published", name="trang", title="Trang B")
        principals = {p for _t, _s, table in EXPECTED.values() for p in table}
        for principal in sorted(principals):
            grant(site, unit_a, unit_b, principal, item_b)
        folder = add(model, unit_a, "Folder", "published", name="muc", title="Mục A")
        workflows = get_workflows(application.registry)
        for wf_name, (type_name, states, table) in EXPECTED.items():
            workflow = workflows[wf_name]
            for principal in table:
                for state in states:
                    for t in outgoing(workflow, state):
                        name = f"{login_of(principal)}-{state}-{t}"
                        obj = add(model, folder, type_name, name=name, title=name)
                        obj.local_roles[login_of("Owner here")] = ("Owner",)
                        for step in path_to(workflow, state):
                            workflow_of(request, obj).transition(request, obj, step)
        model.commit()
    finally:
        model.close()
    yield application
    close(application)


def outgoing(workflow, state: str) -> list[str]:
    return sorted(t.name for t in workflow.transitions.values() if state in t.source)


def client(application, principal: str) -> webtest.TestApp:
    testapp = webtest.TestApp(application, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    if principal != "Anonymous":
        testapp.authorization = ("Bearer", api_token(testapp, login_of(principal), PASSWORD))
    testapp.extra_environ["HTTP_ACCEPT"] = "application/json"
    return testapp


def test_the_tables_cover_every_workflow_state_transition_and_role(matrix):
    workflows = get_workflows(matrix.registry)
    assert set(workflows) == set(EXPECTED)
    for name, (_type, states, table) in EXPECTED.items():
        workflow = workflows[name]
        assert set(states) == set(workflow.states)
        for allowed in table.values():
            for state, transitions in zip(states, allowed, strict=True):
                assert set(transitions) <= set(outgoing(workflow, state))
        if workflow.transitions:
            roles = {p.partition(" ")[0] for p in table}
            assert set(get_roles(matrix.registry)) | {"Anonymous"} <= roles


@pytest.mark.parametrize("workflow_name, state, principal, allowed", cases())
def test_who_may_make_which_transition(matrix, workflow_name, state, principal, allowed):
    workflow = get_workflows(matrix.registry)[workflow_name]
    testapp = client(matrix, principal)
    refused = 401 if principal == "Anonymous" else 403
    made, listed = set(), None
    for t in outgoing(workflow, state):
        url = f"/a/muc/{login_of(principal)}-{state}-{t}"
        if listed is None:
            info = testapp.get(url + "/@workflow", expect_errors=True)
            assert info.status_int in (200, refused)
            listed = {e["@id"].rsplit("/", 1)[1] for e in info.json.get("transitions", ())}
        response = testapp.post_json(f"{url}/@workflow/{t}", {}, expect_errors=True)
        if response.status_int == 200:
            assert response.json["review_state"] == workflow.transitions[t].dest
            made.add(t)
        else:
            assert response.status_int == refused, (t, response.status, response.text)
    assert made == allowed
    assert (listed or set()) == allowed
