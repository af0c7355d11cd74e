"""``cong evolve``: run the pending data migrations (evolve steps), or list them.

Each step runs in its own transaction (see :mod:`core.evolve`): when one fails,
the ones before it stay done, it is rolled back, and the next run tries it again.
"""

from __future__ import annotations

from core.cli.app import CommandEnv, CommandError
from core.evolve import get_steps, pending, run_pending


def add_commands(subparsers) -> None:
    """Add ``evolve`` to the command line."""
    cmd = subparsers.add_parser("evolve", help="run the pending evolve steps (data migrations)")
    cmd.add_argument(
        "--list", action="store_true", help="only show which steps are done and which pending"
    )
    cmd.set_defaults(func=evolve)


def evolve(env: CommandEnv, args) -> None:
    steps = get_steps(env.registry)
    if args.list:
        list_steps(env, steps)
        return
    if not pending(env.root, steps):
        print("Nothing to do: every evolve step is done.")
        return
    try:
        done = run_pending(env.db, steps, echo=print)
    except Exception as exc:  # noqa: BLE001 - a step's failure is reported, not raised
        failed = pending(env.root, steps)[0].name
        raise CommandError(
            f"The evolve step {failed} failed and was rolled back: {exc!r}. The steps "
            "before it are done; fix the cause and run 'cong evolve' again.",
            status=1,
        ) from exc
    print(f"Done: {len(done)} evolve step(s).")


def list_steps(env: CommandEnv, steps) -> None:
    if not steps:
        print("No evolve steps are known.")
        return
    evolved = env.root.evolved
    for step in steps:
        when = evolved.get(step.name)
        status = f"done {when:%Y-%m-%d %H:%M}" if when is not None else "pending"
        print(f"{status:<22} {step.name}")
