"""The ``cong`` command line: ``cong -c <ini> <command>``.

:mod:`core.cli.main` parses the arguments and runs a command; :mod:`core.cli.app`
opens the application and its database for it. Each other module holds the
commands of one job (users, evolve, demo, shell). Plugins add commands through the
``cong_cli_commands`` hook, and write them with what this package gives them (their
public API; its modules are the kernel's own):

- :class:`CommandEnv`: what a command works with (``root``, ``request``, ``registry``);
- :class:`CommandError`: a failure the person running the command can act on,
  printed without a traceback, with its exit status;
- :func:`find_object`: the object at a path, or a :class:`CommandError`;
- :func:`act_as_login`, :func:`act_as`: the user the command acts as;
- :func:`translate`: a message of the model in the command line's language.
"""

from core.cli.app import CommandEnv, CommandError, act_as, act_as_login, find_object, translate

__all__ = ["CommandEnv", "CommandError", "act_as", "act_as_login", "find_object", "translate"]
