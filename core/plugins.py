"""The plugin manager: finding, loading and asking plugins.

Plugins, built-in or third-party, are found through the ``cong.plugins``
entry-point group; the ini's ``cong.plugins`` setting names the ones that run, in
order. A name that is not installed, or whose module fails to import, stops
start-up with a :class:`PluginError` naming it.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import pluggy
from pyramid.config import Configurator

import catalog.hooks
import subsites
from core import hookspecs, uids

ENTRY_POINT_GROUP = "cong.plugins"


class PluginError(RuntimeError):
    """A plugin named in the settings that cannot be loaded."""


def available_plugins() -> dict[str, object]:
    """Entry points of every installed plugin, by name."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def make_plugin_manager(names: tuple[str, ...]) -> pluggy.PluginManager:
    """A plugin manager with the kernel's own hooks and the named plugins."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(uids, name="kernel.uids")
    pm.register(catalog.hooks, name="kernel.catalog")
    for module in subsites.kernel_modules():
        pm.register(module, name="kernel." + module.__name__)
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


def includeme(config: Configurator) -> None:
    """Register the plugins' types, workflows, roles and catalog fields, then let
    each configure itself."""
    pm = config.registry.cong_plugins
    for ct in collect(pm, "cong_content_types"):
        config.add_content_type(ct)
    for workflow in collect(pm, "cong_workflows"):
        config.add_workflow(workflow)
    for role in collect(pm, "cong_roles"):
        config.add_role(role)
    config.registry.cong_catalog_fields = {f.name: f for f in collect(pm, "cong_catalog_fields")}
    pm.hook.cong_configure(config=config)
