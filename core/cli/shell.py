"""``cong shell``: an interactive Python shell on the site's database.

Nothing is stored unless ``transaction.commit()`` is called in the shell; what is
left uncommitted when the shell ends is thrown away.
"""

from __future__ import annotations

import code

import transaction

from core.cli.app import CommandEnv

BANNER = """cong shell: root (the site), registry, request, transaction.
Changes are stored only by transaction.commit(); the rest is discarded on exit (Ctrl-D)."""


def add_commands(subparsers) -> None:
    """Add ``shell`` to the command line."""
    cmd = subparsers.add_parser("shell", help="an interactive Python shell on the site")
    cmd.set_defaults(func=shell)


def shell(env: CommandEnv, args) -> None:
    namespace = {
        "root": env.root,
        "registry": env.registry,
        "request": env.request,
        "transaction": transaction,
    }
    code.interact(banner=BANNER, local=namespace, exitmsg="")
    transaction.abort()
