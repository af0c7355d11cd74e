"""Data migrations: named evolve steps, run in order, each once, recorded in the site.

A plugin adds steps in its ``cong_configure`` hook::

    config.add_evolve_step("news-0001-add-effective-date", add_effective_dates)

A step is ``func(site)``; it runs in its own transaction and is recorded as done
in ``site.evolved`` in that same transaction, so a crash re-runs only the step that
had not committed. A new site records all known steps as done; those added with
``new_sites=True`` (steps creating a structure, such as the catalog) also run on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import transaction
from pyramid.config import Configurator

from core.clock import now
from core.site import get_site

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvolveStep:
    name: str
    func: Callable
    new_sites: bool = False


def get_steps(registry) -> list[EvolveStep]:
    return registry.cong_evolve_steps


def pending(site, steps: list[EvolveStep]) -> list[EvolveStep]:
    """The steps not yet recorded as done in ``site``."""
    return [step for step in steps if step.name not in site.evolved]


def run_pending(db, steps: list[EvolveStep], echo=log.info) -> list[str]:
    """Run every pending step in order, one transaction each; return their names."""
    done = []
    conn = db.open()
    try:
        for step in steps:
            with transaction.manager:
                site = get_site(conn)
                if step.name in site.evolved:
                    continue
                echo(f"evolve: {step.name}")
                step.func(site)
                site.evolved[step.name] = now()
            done.append(step.name)
    finally:
        conn.close()
    return done


def add_evolve_step(
    config: Configurator, name: str, func: Callable, new_sites: bool = False
) -> None:
    """Directive: add a named evolve step (after the ones already added); with
    ``new_sites`` it also runs when a new site is created."""

    def register():
        get_steps(config.registry).append(EvolveStep(name, func, new_sites))

    config.action(("cong.evolve", name), register)


def includeme(config: Configurator) -> None:
    config.registry.cong_evolve_steps = []
    config.add_directive("add_evolve_step", add_evolve_step)
