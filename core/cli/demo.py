"""``cong demo``: load the demo portal (users, groups, site details, content)."""

from __future__ import annotations

from core.cli.app import CommandEnv, CommandError, act_as
from core.demo import DemoError, load_demo, read_demo, site_has_content


def add_commands(subparsers) -> None:
    """Add ``demo`` to the command line."""
    cmd = subparsers.add_parser("demo", help="load demo content into the site")
    cmd.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the site already has content (safe on every start)",
    )
    cmd.add_argument("--file", help="a demo file (default: the portal in etc/demo/portal.json)")
    cmd.add_argument(
        "--as",
        dest="login",
        default="admin",
        metavar="LOGIN",
        help="the user who adds the content (default: admin)",
    )
    cmd.set_defaults(func=demo)


def demo(env: CommandEnv, args) -> None:
    if args.if_empty and site_has_content(env.root):
        print("The site already has content: the demo was not loaded.")
        return
    try:
        data = read_demo(args.file)
    except DemoError as exc:
        raise CommandError(f"The demo cannot be loaded: {exc}.") from None
    user = env.root.principals.get_user(args.login)
    if user is None:
        raise CommandError(f"There is no user '{args.login}' to add the demo content as.")
    act_as(env.request, user)
    summary = load_demo(env.request, data, echo=print)
    counts = ", ".join(f"{name} {n}" for name, n in sorted(summary.items.items()))
    total = sum(summary.items.values())
    print(
        f"Demo loaded: {summary.users} users, {summary.groups} groups, {total} items"
        + (f" ({counts})" if counts else "")
        + (f"; {len(summary.skipped)} skipped" if summary.skipped else "")
        + "."
    )
