"""Demo content: a whole portal described in JSON, loaded through the model.

The file (``etc/demo/portal.json`` by default) has these kernel parts, all
optional, and the parts the plugins and the kernel's upper layers load (the
``cong_demo_data`` hook: the subsites' ``"subsites"``, see :mod:`subsites.demo`)::

    {"site": {"title": ..., "description": ..., "unit_name": ..., "address": ...,
              "phone": ..., "email": ..., "hotline": ...},
     "users": [{"login", "fullname", "email", "password", "roles": [...]}],
     "groups": [{"id", "title", "roles": [...], "members": [logins]}],
     "content": [{"type", "id", "title", "description", "state", "text", "url",
                  "effective", "local_roles": {login or group id: [roles]},
                  "children": [...], other keys plugins load}]}

Content is added with :func:`core.operations.create` as the request's user (so
permissions, validation and events are those of the web forms), then moved along
its workflow to ``state``; an item with an ``id`` and no ``type`` names a section
that is already there (``tin-tuc``...) to add ``children`` to (and the ``state`` to
bring it to). The other parts are loaded after the content, through
:meth:`DemoLoader.add_item` for the items they hold.

Dates that must stay near the day the demo is loaded (upcoming events) are written
``{"days_from_now": 3, "time": "08:00"}``. An item's keys that are neither structure
nor fields of its type are offered to the plugins (the ``cong_demo_item`` hook: a
weekly schedule's ``weeks``, a folder's ``news_section``). Whatever
already exists (a user, a group, an id in its folder) is skipped with a message,
so loading twice adds nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path

from pyramid.traversal import resource_path

from core import operations
from core.clock import TIMEZONE, now
from core.localroles import SharingError, update_local_roles
from core.principals import GROUP_PREFIX, PrincipalError
from core.roles import get_roles
from core.types import get_types
from core.workflow import WorkflowError, transitions_to, workflow_of

#: The keys of an item that place it (the others are fields of its type, or keys
#: plugins load: the ``cong_demo_item`` hook).
STRUCTURE_KEYS = frozenset({"type", "id", "state", "local_roles", "children"})
SITE_FIELDS = ("title", "description", "unit_name", "address", "phone", "email", "hotline")


class DemoError(ValueError):
    """A demo file that cannot be read or does not have the expected shape."""


@dataclass
class DemoSummary:
    """What a load did: counts of what was added, and what was skipped."""

    users: int = 0
    groups: int = 0
    items: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)


def read_demo(path: str | Path | None = None) -> dict:
    """The demo data in ``path``, by default the portal shipped in ``etc/demo``."""
    try:
        if path is None:
            text = resources.files("etc.demo").joinpath("portal.json").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        data = json.loads(text)
    except OSError as exc:
        raise DemoError(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise DemoError(f"{path or 'portal.json'} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DemoError("the demo file must hold a JSON object with site, users, groups, content")
    return data


def site_has_content(site) -> bool:
    """True once anything has been added to the site."""
    return len(site) > 0


def load_demo(request, data: dict, echo: Callable[[str], object] = print) -> DemoSummary:
    """Add the users, groups, site details and content of ``data`` to
    ``request.root`` as the request's user; ``echo`` hears each thing skipped."""
    return DemoLoader(request, echo).load(data)


class DemoLoader:
    """One load of demo data into the site of a request."""

    def __init__(self, request, echo: Callable[[str], object]):
        self.request = request
        self.site = request.root
        self.principals = self.site.principals
        self.roles = get_roles(request.registry)
        self.echo = echo
        self.summary = DemoSummary()

    def load(self, data: dict) -> DemoSummary:
        for user in data.get("users", ()):
            self.add_user(user)
        for group in data.get("groups", ()):
            self.add_group(group)
        if data.get("site"):
            self.edit_site(data["site"])
        for item in data.get("content", ()):
            self.add_item(self.site, item)
        hook = self.request.registry.cong_plugins.hook.cong_demo_data
        hook(request=self.request, data=data, loader=self)
        return self.summary

    # messages ------------------------------------------------------------------------
    def text(self, message) -> str:
        return self.request.localizer.translate(message)

    def skip(self, what: str, why) -> None:
        line = f"skipped {what}: {self.text(why)}"
        self.summary.skipped.append(line)
        self.echo(line)

    def known_roles(self, names, what: str) -> list[str]:
        found = [name for name in names if name in self.roles]
        for name in names:
            if name not in self.roles:
                self.skip(f"role {name} of {what}", "no such role")
        return found

    # principals ----------------------------------------------------------------------
    def add_user(self, values: dict) -> None:
        login = values.get("login", "")
        try:
            user = self.principals.add_user(
                login,
                values.get("password", ""),
                values.get("fullname", ""),
                values.get("email", ""),
            )
        except PrincipalError as exc:
            self.skip(f"user {login}", exc.args[0])
            return
        for name in self.known_roles(values.get("roles", ()), f"user {login}"):
            user.roles.add(name)
        self.summary.users += 1

    def add_group(self, values: dict) -> None:
        gid = values.get("id", "")
        try:
            group = self.principals.add_group(gid, values.get("title", ""))
        except PrincipalError as exc:
            self.skip(f"group {gid}", exc.args[0])
            return
        for name in self.known_roles(values.get("roles", ()), f"group {gid}"):
            group.roles.add(name)
        for login in values.get("members", ()):
            if self.principals.get_user(login) is None:
                self.skip(f"member {login} of group {gid}", "no such user")
            else:
                self.principals.add_member(group.gid, login)
        self.summary.groups += 1

    def principal_id(self, name: str) -> str | None:
        """The principal id of a login or group id named in ``local_roles``."""
        if self.principals.get_user(name) is not None:
            return name
        group = self.principals.get_group(name)
        return GROUP_PREFIX + group.gid if group is not None else None

    # content -------------------------------------------------------------------------
    def edit_site(self, values: dict) -> None:
        data = {key: values[key] for key in SITE_FIELDS if key in values}
        try:
            operations.edit(self.request, self.site, data, source="json", partial=True)
        except operations.ValidationFailed as exc:
            self.skip("the site's details", self.errors(exc))

    def add_item(self, folder, values: dict) -> None:
        name = values.get("id")
        where = f"{resource_path(folder).rstrip('/')}/{name}"
        if isinstance(name, str) and "type" not in values and name in folder:
            section = folder[name]  # a section already there
            self.offer_extras(section, values, where)
            if values.get("state"):
                self.reach_state(section, values["state"], where)
            for child in values.get("children", ()):
                self.add_item(section, child)
            return
        if not isinstance(name, str) or not isinstance(values.get("type"), str):
            self.skip(f"an item in {resource_path(folder) or '/'}", "it needs a type and an id")
            return
        obj = folder.get(name)
        if obj is not None:
            self.skip(where, "it already exists")
        else:
            obj = self.create(folder, name, values, where)
            if obj is None:
                return
        for child in values.get("children", ()):
            self.add_item(obj, child)

    def create(self, folder, name: str, values: dict, where: str):
        data = {
            key: self.moment(value) for key, value in values.items() if key not in STRUCTURE_KEYS
        }
        try:
            obj = operations.create(
                self.request, folder, values["type"], data, source="json", name=name
            )
        except operations.ValidationFailed as exc:
            self.skip(f"{where} and everything in it", self.errors(exc))
            return None
        self.summary.items[obj.type_name] += 1
        self.offer_extras(obj, values, where)
        self.share(obj, values.get("local_roles") or {}, where)
        if values.get("state"):
            self.reach_state(obj, values["state"], where)
        return obj

    @staticmethod
    def moment(value):
        """``{"days_from_now": n, "time": "HH:MM"}`` as the date and time it names
        (Vietnam time) for this load; any other value as it is."""
        if not isinstance(value, dict) or "days_from_now" not in value:
            return value
        day = now().astimezone(TIMEZONE).date() + timedelta(days=int(value["days_from_now"]))
        clock = value.get("time")
        return f"{day.isoformat()}T{clock}" if clock else day.isoformat()

    def offer_extras(self, obj, values: dict, where: str) -> None:
        """Offer the plugins (the ``cong_demo_item`` hook) the keys of ``values``
        that are neither structure nor fields of ``obj``'s type."""
        fields = {f.name for f in get_types(self.request.registry)[obj.type_name].fields}
        extras = {
            key: value
            for key, value in values.items()
            if key not in STRUCTURE_KEYS and key not in fields
        }
        if not extras:
            return

        def skip(what: str, why) -> None:
            self.skip(f"{what} of {where}", why)

        hook = self.request.registry.cong_plugins.hook.cong_demo_item
        hook(request=self.request, obj=obj, values=extras, skip=skip)

    def add_staff(self, unit, values: dict) -> bool:
        """A member of ``unit``'s staff (a subsite): the user of ``values`` (login,
        fullname, email, password; made unless it exists, since several plugins'
        demos may name one person) and their ``roles`` granted on the unit. False
        when the user could not be made."""
        login = values.get("login", "")
        if self.principals.get_user(login) is None:
            self.add_user({k: v for k, v in values.items() if k not in ("unit", "roles")})
            if self.principals.get_user(login) is None:
                return False
        roles = set(unit.local_roles.get(login, ())) | set(values.get("roles", ()))
        self.share(unit, {login: sorted(roles)}, f"unit {values.get('unit', '')}")
        return True

    def share(self, obj, local_roles: dict, where: str) -> None:
        changes = {}
        for name, roles in local_roles.items():
            pid = self.principal_id(name)
            if pid is None:
                self.skip(f"local roles of {name} on {where}", "no such user or group")
            else:
                changes[pid] = roles
        if changes:
            try:
                update_local_roles(self.request, obj, changes)
            except SharingError as exc:
                self.skip(f"local roles on {where}", exc.message)

    def reach_state(self, obj, state: str, where: str) -> None:
        workflow = workflow_of(self.request, obj)
        if workflow is None or obj.workflow_state == state:
            return
        path = transitions_to(workflow, obj.workflow_state, state)
        if path is None:
            self.skip(f"state {state} of {where}", "no transition leads there")
            return
        try:
            for name in path:
                workflow.transition(self.request, obj, name)
        except WorkflowError as exc:
            self.skip(f"state {state} of {where}", exc.message)

    def errors(self, exc: operations.ValidationFailed) -> str:
        return "; ".join(f"{key}: {self.text(message)}" for key, message in exc.errors.items())
