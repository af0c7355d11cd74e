"""``cong -c INI COMMAND``: the entry point of the command line.

The settings file is read first (``-c``, default ``development.ini``) so that the
plugins it names can add their commands (``cong_cli_commands`` hook) before the
full command line is parsed. A command is a function ``func(env, args)`` taking a
:class:`core.cli.app.CommandEnv`; it returns an exit status (None is 0) or raises
:class:`core.cli.app.CommandError`, whose message is printed without a traceback.
A command whose parser sets ``without_app=True`` gets the settings (a dict) instead
of an environment: the database is not opened for it (``cong backup``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core.cli import audit, backup, demo, evolve, outbox, shell, users, zeo
from core.cli.app import CommandError, load_settings, open_app
from core.crypt import cli as crypt
from core.payments import cli as payments
from core.plugins import PluginError, make_plugin_manager
from core.settings import SettingsError, read_settings

DEFAULT_INI = "development.ini"
KERNEL_COMMANDS = (users, evolve, demo, shell, payments, outbox, audit, backup, crypt, zeo)


def global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-c",
        "--config",
        default=DEFAULT_INI,
        metavar="INI",
        help=f"the settings file of the site (default: {DEFAULT_INI})",
    )


def build_parser(plugins=None) -> argparse.ArgumentParser:
    """The full parser: the kernel's commands, then those of ``plugins`` (a
    plugin manager, or None when the settings could not be read)."""
    parser = argparse.ArgumentParser(
        prog="cong", description="Manage a cong portal: users, data migrations, demo content."
    )
    global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in KERNEL_COMMANDS:
        module.add_commands(subparsers)
    if plugins is not None:
        plugins.hook.cong_cli_commands(subparsers=subparsers)
    return parser


def read_plugins(settings: dict):
    """The plugin manager for ``settings``, or a CommandError naming the problem."""
    try:
        return make_plugin_manager(read_settings(settings).plugins)
    except (SettingsError, PluginError) as exc:
        raise CommandError(f"The application cannot start: {exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    first = argparse.ArgumentParser(add_help=False)
    global_options(first)
    known, _rest = first.parse_known_args(argv)
    try:
        settings = load_settings(known.config)
        plugins = read_plugins(settings)
    except CommandError as exc:
        settings_error, plugins = exc, None
    else:
        settings_error = None
    parser = build_parser(plugins)
    args = parser.parse_args(argv)  # --help and usage errors exit here
    try:
        if settings_error is not None:
            raise settings_error
        if getattr(args, "without_app", False):  # e.g. backup: the server holds the database
            return args.func(settings, args) or 0
        with open_app(settings) as env:
            return args.func(env, args) or 0
    except CommandError as exc:
        print(f"cong: {exc.message}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("cong: interrupted.", file=sys.stderr)
        return 130
