"""``cong user ...``: add users, set passwords, list them, grant and revoke roles,
turn a user's two-factor login off, remove expired login sessions.

Roles are granted globally (on the user or group) or, with ``--path``, as local
roles on one folder and everything below it (what the Sharing page does).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from itertools import chain

from pyramid.traversal import resource_path

from core import audit, events, sessions
from core.cli.app import CommandEnv, CommandError, find_object, translate
from core.localroles import SharingError, check_local_roles, local_roles_of, sharing_roles
from core.passwords import check_password
from core.principals import Group, PrincipalError, User
from core.roles import get_roles
from core.twofactor import disable, two_factor_of

#: Who the audit log says acted, for a command (the shell's user is not known to the site).
CLI = "cli"


def add_commands(subparsers) -> None:
    """Add ``user`` and its actions to the command line."""
    user = subparsers.add_parser("user", help="manage users and their roles")
    actions = user.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add a user")
    add.add_argument("login")
    add.add_argument("--fullname", default="", help="the person's full name")
    add.add_argument("--email", default="")
    add.add_argument(
        "--role", action="append", default=[], metavar="ROLE", help="a global role (repeatable)"
    )
    password_option(add)
    add.set_defaults(func=add_user)

    passwd = actions.add_parser("passwd", help="set a user's password")
    passwd.add_argument("login")
    password_option(passwd)
    passwd.set_defaults(func=set_password)

    reset = actions.add_parser("reset-2fa", help="turn a user's two-factor login off")
    reset.add_argument("login")
    reset.set_defaults(func=reset_two_factor)

    sweep = actions.add_parser("sweep-sessions", help="remove the expired login sessions")
    sweep.set_defaults(func=sweep_sessions)

    listing = actions.add_parser("list", help="list the users with their roles and groups")
    listing.set_defaults(func=list_users)

    for name, func, verb in (("grant", grant, "give"), ("revoke", revoke, "take away")):
        cmd = actions.add_parser(name, help=f"{verb} a role, globally or on a folder")
        cmd.add_argument("principal", metavar="LOGIN", help="a login, or group:ID for a group")
        cmd.add_argument("role", metavar="ROLE")
        cmd.add_argument("--path", help="a folder such as /tin-tuc: the role is local to it")
        cmd.set_defaults(func=func)


def password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password",
        help="the password (else it is asked for twice, or read from standard input "
        "when that is not a terminal); other users of the machine may see it here",
    )


def ask_password(login: str) -> str:
    """A new password for ``login``: typed twice at a terminal, or one line of
    standard input when a script pipes it in."""
    try:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\r\n")
        first = getpass.getpass(f"New password for {login}: ")
        second = getpass.getpass("Type it again: ")
    except EOFError:
        raise CommandError("No password was given; nothing was changed.") from None
    if first != second:
        raise CommandError("The two passwords differ; nothing was changed.")
    return first


def check_policy(env: CommandEnv, password: str, login: str, fullname: str) -> None:
    """Refuse (CommandError) a password the policy refuses (:mod:`core.passwords`)."""
    problem = check_password(env.registry, password, login.strip().lower(), fullname)
    if problem:
        raise CommandError(translate(env.request, problem) + " Nothing was changed.")


def find_principal(env: CommandEnv, principal_id: str) -> User | Group:
    found = env.root.principals.get(principal_id)
    if found is None:
        kind = "group" if principal_id.startswith("group:") else "user"
        raise CommandError(f"There is no {kind} '{principal_id}'.")
    return found


def find_user(env: CommandEnv, login: str) -> User:
    user = env.root.principals.get_user(login)
    if user is None:
        raise CommandError(f"There is no user '{login}'.")
    return user


def check_role(env: CommandEnv, name: str) -> str:
    """``name`` if it is a role that can be granted, else a CommandError."""
    roles = get_roles(env.registry)
    if name not in roles or not roles[name].grantable:
        known = ", ".join(r.name for r in roles.values() if r.grantable)
        raise CommandError(f"Unknown role '{name}'. Roles that can be granted: {known}.")
    return name


# commands --------------------------------------------------------------------------
def add_user(env: CommandEnv, args) -> None:
    roles = [check_role(env, name) for name in args.role]
    password = args.password if args.password is not None else ask_password(args.login)
    check_policy(env, password, args.login, args.fullname)
    try:
        user = env.root.principals.add_user(args.login, password, args.fullname, args.email)
    except PrincipalError as exc:
        raise CommandError(translate(env.request, exc.args[0])) from None
    for name in roles:
        user.roles.add(name)
    audit.record(env.request, "user.create", user.login, actor=CLI, roles=roles)
    shown = f" with roles {', '.join(roles)}" if roles else ""
    print(f"Added user {user.login}{shown}.")


def set_password(env: CommandEnv, args) -> None:
    user = find_user(env, args.login)
    password = args.password if args.password is not None else ask_password(user.login)
    check_policy(env, password, user.login, user.fullname)
    try:
        user.set_password(password)
    except PrincipalError as exc:
        raise CommandError(translate(env.request, exc.args[0])) from None
    audit.record(env.request, "user.update", user.login, actor=CLI, password_reset=True)
    print(f"Changed the password of {user.login}.")


def sweep_sessions(env: CommandEnv, args) -> None:
    """Remove every account's expired login sessions, staff and citizens (signing
    in removes an account's own)."""
    principals = env.root.principals
    citizens = principals.citizens.accounts.values() if principals.citizens is not None else ()
    accounts = chain(principals.users.values(), citizens)
    count = sum(sessions.sweep(env.request, user, actor=CLI) for user in accounts)
    print(f"Removed {count} expired login sessions.")


def reset_two_factor(env: CommandEnv, args) -> None:
    """Take a user's second factor away (a lost phone and recovery codes): they
    sign in with their password alone until they enrol again."""
    user = find_user(env, args.login)
    if two_factor_of(user) is None:
        print(f"{user.login} has no two-factor login; nothing changed.")
        return
    disable(user)
    audit.record(env.request, "two_factor.disable", user.login, actor=CLI)
    print(f"Turned two-factor login off for {user.login}.")


def list_users(env: CommandEnv, args) -> None:
    rows = [("LOGIN", "NAME", "ROLES", "GROUPS")]
    for user in env.root.principals.users.values():
        rows.append((user.login, user.fullname, ", ".join(user.roles), ", ".join(user.groups)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[3]]).rstrip())


def grant(env: CommandEnv, args) -> None:
    principal = find_principal(env, args.principal)
    role = check_role(env, args.role)
    if args.path is None:
        if role in principal.roles:
            print(f"{principal.id} already has the role {role}; nothing changed.")
            return
        principal.roles.add(role)
        audit.record(env.request, "roles", principal.id, actor=CLI, granted=role)
        print(f"Granted {role} to {principal.id}.")
        return
    obj = find_object(env, args.path)
    where = resource_path(obj) or "/"
    current = local_roles_of(obj).get(principal.id, ())
    if role in current:
        print(f"{principal.id} already has the role {role} on {where}; nothing changed.")
        return
    offered = {r.name for r in sharing_roles(env.registry)}
    try:
        roles = check_local_roles(
            env.request, obj, principal.id, {r for r in current if r in offered} | {role}
        )
    except SharingError as exc:
        raise CommandError(translate(env.request, exc.message)) from None
    store_local_roles(env, obj, principal.id, roles)
    print(f"Granted {role} to {principal.id} on {where}.")


def revoke(env: CommandEnv, args) -> None:
    principal = find_principal(env, args.principal)
    role = check_role(env, args.role)
    if args.path is None:
        if role not in principal.roles:
            print(f"{principal.id} does not have the role {role}; nothing changed.")
            return
        principal.roles.remove(role)
        audit.record(env.request, "roles", principal.id, actor=CLI, revoked=role)
        print(f"Revoked {role} from {principal.id}.")
        return
    obj = find_object(env, args.path)
    where = resource_path(obj) or "/"
    current = local_roles_of(obj).get(principal.id, ())
    if role not in current:
        print(f"{principal.id} does not have the role {role} on {where}; nothing changed.")
        return
    store_local_roles(env, obj, principal.id, tuple(r for r in current if r != role))
    print(f"Revoked {role} from {principal.id} on {where}.")


def store_local_roles(env: CommandEnv, obj, principal_id: str, roles: tuple[str, ...]) -> None:
    """Store the local roles of one principal on ``obj`` and tell the plugins (the
    catalog reindexes who may see it), as the Sharing page does."""
    if roles:
        obj.local_roles[principal_id] = roles
    else:
        del obj.local_roles[principal_id]
    events.object_modified(env.request, obj, ["local_roles"])
    audit.record(
        env.request, "sharing", resource_path(obj), actor=CLI, principal=principal_id, roles=roles
    )
