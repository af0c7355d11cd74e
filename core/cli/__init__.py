"""The ``cong`` command line: ``cong -c <ini> <command>``.

:mod:`core.cli.main` parses the arguments and runs a command; :mod:`core.cli.app`
opens the application and its database for it. Each other module holds the
commands of one job (users, evolve, demo, shell). Plugins add commands through the
``cong_cli_commands`` hook.
"""
