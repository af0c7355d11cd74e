"""``cong subsite ...`` on the command line: the commands (:mod:`subsites.cli`) are
loaded only when the command line runs, not by the application."""

from __future__ import annotations

from core.hookspecs import hookimpl


@hookimpl
def cong_cli_commands(subparsers):
    from subsites.cli import add_commands

    add_commands(subparsers)
