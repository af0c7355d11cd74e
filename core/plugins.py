"""The plugin manager: finding, loading and asking plugins.

Plugins, built-in or third-party, are found through the ``cong.plugins``
entry-point group; the ini's ``cong.plugins`` setting names the ones that run, in
order. A name that is not installed, or whose module fails to import, stops
start-up with a :class:`PluginError` naming it.

The kernel's layers above core (:data:`KERNEL_LAYERS`) are named here, by dotted
name, and loaded like the plugins: core imports none of them. Their hook modules
are registered before the plugins, and :func:`core.make_config` includes them
after the plugins are configured. A layer may enable plugins on parts of the site
only (:class:`core.interfaces.IPluginScope`): :func:`page_hook` and
:func:`type_enabled` ask it.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from types import ModuleType

import pluggy
from pyramid.config import Configurator

from core import hookspecs, uids
from core.interfaces import IPluginScope

ENTRY_POINT_GROUP = "cong.plugins"
#: The kernel's layers above core, in order (core ← catalog ← subsites): packages
#: with an ``includeme``, a ``KERNEL_MODULES`` tuple naming their modules whose hook
#: implementations run like a plugin's, and optionally a ``HOOKSPECS`` tuple naming
#: modules of hooks they call (docs/decisions/0020).
KERNEL_LAYERS = ("catalog", "subsites")


class PluginError(RuntimeError):
    """A plugin named in the settings that cannot be loaded."""


def available_plugins() -> dict[str, object]:
    """Entry points of every installed plugin, by name."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def kernel_layers() -> list[ModuleType]:
    """The packages of :data:`KERNEL_LAYERS`, imported."""
    return [importlib.import_module(name) for name in KERNEL_LAYERS]


def make_plugin_manager(names: tuple[str, ...]) -> pluggy.PluginManager:
    """A plugin manager with the kernel's own hooks and the named plugins."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(uids, name="kernel.uids")
    for layer in kernel_layers():
        for name in getattr(layer, "HOOKSPECS", ()):
            pm.add_hookspecs(importlib.import_module(name))
        for name in layer.KERNEL_MODULES:
            pm.register(importlib.import_module(name), name="kernel." + name)
    found = available_plugins()
    for name in names:
        ep = found.get(name)
        if ep is None:
            raise PluginError(
                f"plugin '{name}' (named in cong.plugins) is not installed; "
                f"installed plugins: {', '.join(sorted(found)) or 'none'}"
            )
        try:
            plugin = ep.load()
            pm.register(plugin, name=name)
        except Exception as exc:  # noqa: BLE001 - any failure is reported by name
            raise PluginError(f"plugin '{name}' failed to load: {exc!r}") from exc
    pm.check_pending()
    return pm


def collect(pm: pluggy.PluginManager, hook: str) -> list:
    """Every item that every plugin returns from the list-returning ``hook``."""
    return [item for result in getattr(pm.hook, hook)() for item in (result or ())]


# plugins enabled on parts of the site ----------------------------------------------------
def disabled_where(request, obj) -> frozenset[str]:
    """The running plugins disabled where ``obj`` is (none without a
    :class:`~core.interfaces.IPluginScope`)."""
    scope = request.registry.queryUtility(IPluginScope)
    return scope.disabled(request, obj) if scope is not None else frozenset()


def page_hook(request, name: str):
    """The plugin hook ``name`` (``cong_portlets``...) asking only the plugins
    enabled where the request is."""
    pm = request.registry.cong_plugins
    disabled = disabled_where(request, getattr(request, "context", None))
    if not disabled:
        return getattr(pm.hook, name)
    cache = request.registry.cong_subset_hooks
    key = (name, disabled)
    caller = cache.get(key)
    if caller is None:
        plugins = [pm.get_plugin(n) for n in disabled]
        caller = cache[key] = pm.subset_hook_caller(name, remove_plugins=plugins)
    return caller


def type_plugins(registry) -> dict[str, str]:
    """Content-type name -> the running plugin that declares it (kernel types are
    absent)."""
    found = getattr(registry, "cong_type_plugins", None)
    if found is None:
        hook = registry.cong_plugins.hook.cong_content_types
        running = set(registry.settings["cong"].plugins)
        found = {}
        for impl in hook.get_hookimpls():
            if impl.plugin_name in running:
                for ct in impl.function() or ():
                    found[ct.name] = impl.plugin_name
        registry.cong_type_plugins = found
    return found


def type_enabled(request, folder, type_name: str) -> bool:
    """Whether ``type_name`` may be added in ``folder`` as far as plugins go: its
    plugin, if it has one, is enabled there."""
    plugin = type_plugins(request.registry).get(type_name)
    return plugin is None or plugin not in disabled_where(request, folder)


def includeme(config: Configurator) -> None:
    """Register the plugins' types, workflows, roles and catalog fields, then let
    each configure itself."""
    pm = config.registry.cong_plugins
    config.registry.cong_subset_hooks = {}
    for ct in collect(pm, "cong_content_types"):
        config.add_content_type(ct)
    for workflow in collect(pm, "cong_workflows"):
        config.add_workflow(workflow)
    for role in collect(pm, "cong_roles"):
        config.add_role(role)
    config.registry.cong_catalog_fields = {f.name: f for f in collect(pm, "cong_catalog_fields")}
    pm.hook.cong_configure(config=config)
