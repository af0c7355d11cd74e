"""Full-text backends by name, and the one the settings choose.

A backend is registered under a name, by the ``config.add_text_backend(name,
factory)`` directive or by an entry point in the ``cong.text_backends`` group (a
separately installed engine: ``postgres = cong_postgres:open_backend``). A factory
takes the application's registry and returns an
:class:`~catalog.backends.ITextBackend`; it may be given as a dotted name
(``"package.module:function"``), imported when the backend is first opened, so that
an engine's libraries load only when it is used.

The setting ``cong.text_backend`` (default ``whoosh``) names the one the application
uses; a name no backend has stops start-up with a :class:`ConfigurationError`
listing the installed ones. The chosen factory is the registry's
:class:`~catalog.backends.ITextBackendFactory` utility, and the backend it opens, on
first use, its :class:`~catalog.backends.ITextBackend` utility: the catalog, the
index queue and the command line reach the engine only through
:func:`get_backend`. Decision note: docs/decisions/0025-text-backend-seam.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.path import DottedNameResolver
from zope.interface import implementer

from catalog.backends import ITextBackend, ITextBackendFactory

#: The entry-point group of installed full-text backends.
ENTRY_POINT_GROUP = "cong.text_backends"
#: The setting naming the backend, and its default.
SETTING = "cong.text_backend"
DEFAULT = "whoosh"
#: The kernel's backends: name -> factory (dotted: loaded on first use).
KERNEL_BACKENDS = {"whoosh": "catalog.backends.whoosh:open_backend"}
#: The order of the choice among configuration actions: after every registration.
CHOICE_ORDER = 10

_lock = threading.Lock()


@implementer(ITextBackendFactory)
class NamedFactory:
    """The backend registered as ``name``: ``factory`` is a callable taking the
    registry, its dotted name or an entry point, loaded on first call."""

    def __init__(self, name: str, factory: Callable | str | EntryPoint):
        self.name = name
        self.factory = factory

    def __call__(self, registry) -> ITextBackend:
        factory = self.factory
        if isinstance(factory, EntryPoint):
            factory = factory.load()
        elif isinstance(factory, str):
            factory = DottedNameResolver().resolve(factory)
        return factory(registry)

    def __repr__(self) -> str:
        return f"<full-text backend {self.name!r}>"


def add_text_backend(config: Configurator, name: str, factory: Callable | str) -> None:
    """Directive ``config.add_text_backend(name, factory)``: register the full-text
    backend ``name``; ``factory(registry)`` opens it (a callable or its dotted
    name). Two registrations of one name conflict at start-up."""

    def register() -> None:
        utility = NamedFactory(name, factory)
        config.registry.registerUtility(utility, ITextBackendFactory, name=name)

    config.action(("cong.text_backend", name), register)


def installed_backends(registry) -> dict[str, ITextBackendFactory]:
    """Every backend that can be chosen, by name: those of the ``cong.text_backends``
    entry points, and those registered in the configuration (which win)."""
    found: dict[str, ITextBackendFactory] = {
        ep.name: NamedFactory(ep.name, ep) for ep in entry_points(group=ENTRY_POINT_GROUP)
    }
    for name, factory in registry.getUtilitiesFor(ITextBackendFactory):
        if name:  # (the unnamed one is the choice)
            found[name] = factory
    return found


def find_backend(registry, name: str) -> ITextBackendFactory | None:
    """The backend called ``name``: registered in the configuration, else installed
    with an entry point; None if there is none."""
    factory = registry.queryUtility(ITextBackendFactory, name=name)
    if factory is None and name:
        for ep in entry_points(group=ENTRY_POINT_GROUP, name=name):
            return NamedFactory(name, ep)
    return factory


def choose_text_backend(config: Configurator, name: str) -> None:
    """Make ``name`` the application's backend, once every backend is registered;
    a name no backend has is a :class:`ConfigurationError`."""
    registry = config.registry

    def choose() -> None:
        factory = find_backend(registry, name)
        if factory is None:
            installed = ", ".join(sorted(installed_backends(registry))) or "none"
            raise ConfigurationError(
                f"{SETTING} = {name}: no full-text backend has this name (installed: "
                f"{installed}; others are added with the '{ENTRY_POINT_GROUP}' entry points)"
            )
        registry.registerUtility(factory, ITextBackendFactory)

    config.action(("cong.text_backend",), choose, order=CHOICE_ORDER)


def get_backend(registry) -> ITextBackend:
    """The application's full-text backend, opened on first use."""
    backend = registry.queryUtility(ITextBackend)
    if backend is None:
        with _lock:
            backend = registry.queryUtility(ITextBackend)
            if backend is None:
                backend = registry.getUtility(ITextBackendFactory)(registry)
                registry.registerUtility(backend, ITextBackend)
    return backend


def close_backend(registry) -> None:
    """Close the application's full-text backend if it was opened (the next
    :func:`get_backend` opens it again)."""
    with _lock:
        backend = registry.queryUtility(ITextBackend)
        if backend is None:
            return
        registry.unregisterUtility(backend, ITextBackend)
    backend.close()


def includeme(config: Configurator) -> None:
    """Add the ``add_text_backend`` directive, register the kernel's backends and
    use the one ``cong.text_backend`` names."""
    config.add_directive("add_text_backend", add_text_backend)
    for name, factory in KERNEL_BACKENDS.items():
        config.add_text_backend(name, factory)
    name = str(config.registry.settings.get(SETTING) or "").strip() or DEFAULT
    choose_text_backend(config, name)
