"""Declarative workflows: states, guarded transitions, per-state permission maps.

A workflow is data (see ``etc/workflows/*.json``)::

    {"name": "publication", "title": "...", "initial": "private",
     "states": {"private": {"title": "...", "permissions": {"view": ["Owner", ...]}}},
     "transitions": {"publish": {"title": "...", "from": ["private", "pending"],
                                 "to": "published", "permission": "review"}}}

A state's permission map becomes the object's ``__acl__``: each listed permission is
allowed to the listed roles (``Anonymous`` is everyone, ``Authenticated`` every
logged-in user) and denied to all others; permissions a state does not list are
inherited from the parent. Every transition is recorded in the object's history.

A transition's permission must be listed in the map of every state it leaves from:
inherited, it would reach whoever holds it on the folder (a site-wide Contributor
holds ``submit`` there), so a workflow that leaves one out stops start-up. A
transition is never available on an object the requester may not view.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from functools import partial
from importlib import resources

from pyramid.authorization import ALL_PERMISSIONS, Allow, Authenticated, Deny, Everyone
from pyramid.config import Configurator
from pyramid.traversal import resource_path

from core import audit, events
from core.clock import now
from core.i18n import _
from core.permissions import VIEW, role

PSEUDO_ROLES = {"Anonymous": Everyone, "Authenticated": Authenticated}


class WorkflowError(ValueError):
    """A transition that cannot be made now; ``message`` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Transition:
    name: str
    title: str
    source: tuple[str, ...]
    dest: str
    permission: str


@dataclass(frozen=True)
class State:
    name: str
    title: str
    permissions: dict[str, tuple[str, ...]] = field(default_factory=dict)


class Workflow:
    """A state machine over content objects."""

    def __init__(self, name, title, initial, states, transitions):
        self.name = name
        self.title = title
        self.initial = initial
        self.states: dict[str, State] = {s.name: s for s in states}
        self.transitions: dict[str, Transition] = {t.name: t for t in transitions}
        if initial not in self.states:
            raise ValueError(f"workflow {name}: initial state {initial!r} is not a state")
        for t in transitions:
            unknown = {t.dest, *t.source} - set(self.states)
            if unknown:
                raise ValueError(f"workflow {name}: transition {t.name} names {unknown}")
            for source in t.source:
                if t.permission not in self.states[source].permissions:
                    raise ValueError(
                        f"workflow {name}: state {source!r} does not set {t.permission!r}, "
                        f"the permission of transition {t.name} (it would be inherited)"
                    )
        self._acls = {s.name: tuple(state_acl(s)) for s in states}

    def acl(self, state: str) -> tuple | None:
        """The ACL of objects in ``state``; None when the state inherits everything."""
        return self._acls.get(state) or None

    def state_title(self, state: str):
        """The state's title, as a message to translate."""
        found = self.states.get(state)
        return _(found.title) if found else state

    def initialize(self, obj) -> None:
        """Put a new object in the initial state."""
        self.set_state(obj, self.initial)

    def set_state(self, obj, state: str) -> None:
        obj.workflow_state = state
        obj.__acl__ = self.acl(state) or ()

    def may(self, request, obj, transition: Transition) -> bool:
        """Whether the requester may make ``transition`` on ``obj`` (whatever its
        state): they hold its permission there and may view ``obj``."""
        return bool(
            request.has_permission(transition.permission, obj) and request.has_permission(VIEW, obj)
        )

    def available(self, request, obj) -> list[Transition]:
        """The transitions the requester may make on ``obj`` now."""
        return [
            t
            for t in self.transitions.values()
            if obj.workflow_state in t.source and self.may(request, obj, t)
        ]

    def transition(self, request, obj, name: str, comment: str = "") -> Transition:
        """Make transition ``name`` on ``obj`` as the requester, or raise WorkflowError."""
        t = self.transitions.get(name)
        if t is None or obj.workflow_state not in t.source:
            raise WorkflowError(
                _("Không thể thực hiện '${name}' ở trạng thái này.", mapping={"name": name})
            )
        if not self.may(request, obj, t):
            raise WorkflowError(_("Bạn không có quyền thực hiện thao tác này."))
        old = obj.workflow_state
        self.set_state(obj, t.dest)
        obj.workflow_history.append(
            {
                "actor": request.authenticated_userid,
                "time": now(),
                "transition": t.name,
                "from": old,
                "to": t.dest,
                "comment": (comment or "").strip()[:2000],
            }
        )
        obj.modified = now()
        events.workflow_transition(request, obj, t.name, old, t.dest, comment)
        audit.record(request, "workflow", resource_path(obj), transition=t.name, to=t.dest)
        return t


def state_acl(state: State) -> list:
    """The ACL a state's permission map stands for."""
    if not state.permissions:
        return []
    acl = [(Allow, role("Manager"), ALL_PERMISSIONS)]
    for permission, roles in state.permissions.items():
        for name in roles:
            acl.append((Allow, PSEUDO_ROLES.get(name) or role(name), permission))
    for permission in state.permissions:
        acl.append((Deny, Everyone, permission))
    return acl


def transitions_to(workflow: Workflow, start: str, goal: str) -> list[str] | None:
    """The shortest list of transition names leading from state ``start`` to state
    ``goal`` of ``workflow`` (empty when they are one state; None when ``goal``
    cannot be reached), to bring an object to a state (demo content, imports)."""
    paths = {start: []}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state == goal:
            return paths[state]
        for t in workflow.transitions.values():
            if state in t.source and t.dest not in paths:
                paths[t.dest] = [*paths[state], t.name]
                queue.append(t.dest)
    return None


def workflow_from_dict(data: dict) -> Workflow:
    """Build a workflow from its declarative form (see the module docstring)."""
    states = [
        State(
            name, s.get("title", name), {p: tuple(r) for p, r in s.get("permissions", {}).items()}
        )
        for name, s in data["states"].items()
    ]
    transitions = [
        Transition(name, t.get("title", name), tuple(t["from"]), t["to"], t["permission"])
        for name, t in data.get("transitions", {}).items()
    ]
    return Workflow(
        data["name"], data.get("title", data["name"]), data["initial"], states, transitions
    )


def load_workflow(package: str, filename: str) -> Workflow:
    """Load a workflow from a JSON file shipped in ``package``."""
    text = resources.files(package).joinpath(filename).read_text("utf-8")
    return workflow_from_dict(json.loads(text))


def get_workflows(registry) -> dict[str, Workflow]:
    return registry.cong_workflows


def workflow_of(request, obj) -> Workflow | None:
    """The workflow that governs ``obj`` (through its content type)."""
    ct = request.registry.cong_types.get(obj.type_name)
    return get_workflows(request.registry).get(ct.workflow) if ct else None


def add_workflow(config: Configurator, workflow: Workflow) -> None:
    """Directive: register a workflow; two of one name conflict at start-up."""

    def register():
        get_workflows(config.registry)[workflow.name] = workflow

    config.action(("cong.workflow", workflow.name), register)


def reapply_security(registry, site) -> int:
    """Store again the ACL of its state on every object under ``site`` (after a
    workflow's permission maps changed, see decision 0003); return how many."""
    from core.uids import walk

    workflows, types = get_workflows(registry), registry.cong_types
    count = 0
    for obj in walk(site):
        ct = types.get(getattr(obj, "type_name", None))
        workflow = workflows.get(ct.workflow) if ct is not None else None
        if workflow is not None and getattr(obj, "workflow_state", None) in workflow.states:
            workflow.set_state(obj, obj.workflow_state)
            count += 1
    return count


#: The evolve step that gave each transition of the publication workflow its own
#: permission in every state it leaves from (issue 12, defect 3).
GUARDS_STEP = "core-0001-workflow-transition-guards"


def includeme(config: Configurator) -> None:
    config.registry.cong_workflows = {}
    config.add_directive("add_workflow", add_workflow)
    for filename in ("publication.json", "one_state.json"):
        config.add_workflow(load_workflow("etc.workflows", filename))
    config.add_evolve_step(GUARDS_STEP, partial(reapply_security, config.registry))
