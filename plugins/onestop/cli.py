"""``cong onestop connector ...``: the connectors of the national portal's intake
(:mod:`plugins.onestop.connectors`).

- ``cong onestop connector add NAME --unit CODE``: make a connector whose dossiers
  are received at unit CODE when they name none; prints its token, once;
- ``cong onestop connector list``: the connectors (name, unit, when made);
- ``cong onestop connector revoke NAME``: its token is refused from now on.
"""

from __future__ import annotations

from core.cli import CommandEnv, CommandError
from core.hookspecs import hookimpl
from plugins.onestop.connectors import add_connector, connectors_of, revoke_connector
from plugins.onestop.units import desk_of


@hookimpl
def cong_cli_commands(subparsers):
    """Add ``onestop connector add|list|revoke``."""
    cmd = subparsers.add_parser("onestop", help="the one-stop desk: national portal connectors")
    groups = cmd.add_subparsers(dest="group", metavar="GROUP", required=True)
    connector = groups.add_parser("connector", help="connectors of the national portal's intake")
    actions = connector.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="make a connector and print its token (once)")
    add.add_argument("name", metavar="NAME", help="lower-case letters, digits, - and _")
    add.add_argument(
        "--unit", required=True, metavar="CODE", help="the unit receiving its dossiers by default"
    )
    add.set_defaults(func=add_command)
    listing = actions.add_parser("list", help="list the connectors")
    listing.set_defaults(func=list_command)
    revoke = actions.add_parser("revoke", help="remove a connector: its token stops working")
    revoke.add_argument("name", metavar="NAME")
    revoke.set_defaults(func=revoke_command)


def add_command(env: CommandEnv, args) -> None:
    if desk_of(env.root, args.unit) is None:
        raise CommandError(f"No unit with code {args.unit} has a one-stop desk.")
    try:
        connector, token = add_connector(env.root, args.name, args.unit)
    except ValueError as exc:
        raise CommandError(f"{exc}.") from None
    print(f"Connector {connector.name} made for unit {connector.unit}. Its token (shown once):")
    print(token)


def list_command(env: CommandEnv, args) -> None:
    connectors = connectors_of(env.root)
    if not connectors:
        print("No connectors.")
        return
    for connector in connectors.values():
        print(f"{connector.name}\t{connector.unit}\t{connector.created:%Y-%m-%d %H:%M}")


def revoke_command(env: CommandEnv, args) -> None:
    if not revoke_connector(env.root, args.name):
        raise CommandError(f"There is no connector named {args.name}.")
    print(f"Connector {args.name} revoked.")
