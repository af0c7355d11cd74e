"""Plugins per subsite: each subsite enables the plugins it uses.

The plugins that run are the portal's (``cong.plugins``); each subsite keeps the
names of those enabled on it in ``enabled_plugins`` (a new subsite gets them all).
On a subsite where a plugin is disabled:

- its views answer 404 (the :func:`plugin_views` view deriver; the plugin a view
  belongs to is the one whose package holds the view's code; the kernel's views,
  ``core``, ``catalog`` and ``subsites``, are never disabled), or, for a view whose
  function has ``stands_aside = True`` (a subsite's home page), leave the request
  to the next view registered for the context;
- its content types cannot be added, and its portlets, header widgets and
  navigation entries are not asked for: the kernel asks :class:`SubsitePlugins`,
  registered as its :class:`core.interfaces.IPluginScope`
  (:func:`core.plugins.type_enabled`, :func:`core.plugins.page_hook`).

Its data stays where it is, and is served again when the plugin is enabled again.
The portal itself (outside any subsite) has every running plugin.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.config import Configurator
from pyramid.exceptions import PredicateMismatch
from pyramid.httpexceptions import HTTPNotFound
from pyramid.traversal import find_interface, resource_path
from pyramid.viewderivers import INGRESS
from zope.interface import implementer

from core import audit, events
from core.interfaces import IPluginScope
from subsites.interfaces import ISubsite


@dataclass(frozen=True)
class PluginInfo:
    """A running plugin as people see it: ``label`` (the plugin's ``title`` if it
    has one, else its name) and ``description`` (its docstring's first line)."""

    name: str
    label: str
    description: str
    package: str


def plugin_infos(registry) -> list[PluginInfo]:
    """The plugins running on the portal, in the order of ``cong.plugins``."""
    found = getattr(registry, "cong_plugin_infos", None)
    if found is None:
        pm = registry.cong_plugins
        found = []
        for name in registry.settings["cong"].plugins:
            plugin = pm.get_plugin(name)
            if plugin is None:
                continue
            doc = (getattr(plugin, "__doc__", None) or "").strip().splitlines()
            package = getattr(plugin, "__name__", None) or type(plugin).__module__
            found.append(
                PluginInfo(
                    name=name,
                    label=str(getattr(plugin, "title", "") or name),
                    description=doc[0] if doc else "",
                    package=package,
                )
            )
        registry.cong_plugin_infos = found
    return found


def running_names(registry) -> tuple[str, ...]:
    """The names of the plugins running on the portal."""
    return tuple(info.name for info in plugin_infos(registry))


def subsite_of(obj):
    """The nearest subsite at or above ``obj``, or None on the portal."""
    return find_interface(obj, ISubsite) if obj is not None else None


def enabled_names(subsite) -> frozenset[str]:
    """The names of the plugins enabled on ``subsite``."""
    return frozenset(getattr(subsite, "enabled_plugins", None) or ())


def _check_name(request, name: str) -> None:
    if name not in running_names(request.registry):
        known = ", ".join(running_names(request.registry)) or "-"
        raise ValueError(f"no plugin {name!r} runs on this portal (running: {known})")


def _store(request, subsite, names) -> None:
    order = running_names(request.registry)
    kept = [n for n in subsite.enabled_plugins or () if n not in order]  # not running now
    subsite.enabled_plugins = tuple(n for n in order if n in names) + tuple(kept)
    events.object_modified(request, subsite, ["enabled_plugins"])
    audit.record(request, "settings.plugins", resource_path(subsite), enabled=sorted(names))


def enable(request, subsite, name: str) -> None:
    """Enable plugin ``name`` on ``subsite`` (ValueError: no such plugin runs)."""
    _check_name(request, name)
    if name not in enabled_names(subsite):
        _store(request, subsite, enabled_names(subsite) | {name})


def disable(request, subsite, name: str) -> None:
    """Disable plugin ``name`` on ``subsite``; its data stays (ValueError: no such
    plugin runs)."""
    _check_name(request, name)
    if name in enabled_names(subsite):
        _store(request, subsite, enabled_names(subsite) - {name})


def enabled_at(obj, name: str) -> bool:
    """Whether plugin ``name`` is enabled where ``obj`` is."""
    subsite = subsite_of(obj)
    return subsite is None or name in enabled_names(subsite)


def plugin_enabled(request, name: str) -> bool:
    """Whether plugin ``name`` is enabled where the request is (its context's
    subsite; everything is enabled on the portal)."""
    return enabled_at(getattr(request, "context", None), name)


@implementer(IPluginScope)
class SubsitePlugins:
    """The kernel's :class:`~core.interfaces.IPluginScope`: plugins are disabled
    where a subsite has not enabled them."""

    @staticmethod
    def disabled(request, obj) -> frozenset[str]:
        subsite = subsite_of(obj)
        if subsite is None:
            return frozenset()
        return frozenset(running_names(request.registry)) - enabled_names(subsite)


def plugin_of_module(registry, module: str) -> str | None:
    """The running plugin whose package holds ``module`` (None: the kernel's)."""
    for info in plugin_infos(registry):
        if module == info.package or module.startswith(info.package + "."):
            return info.name
    return None


def plugin_views(view, info):
    """View deriver: a plugin's views answer 404 where the plugin is disabled."""
    if info.exception_only:
        return view
    original = info.original_view
    module = getattr(original, "__module__", None) or type(original).__module__
    name = plugin_of_module(info.registry, module)
    if name is None:
        return view

    stands_aside = getattr(original, "stands_aside", False)

    def where_enabled(context, request):
        if not enabled_at(context, name):
            # a view marked ``stands_aside`` lets the next view for the context answer
            raise PredicateMismatch() if stands_aside else HTTPNotFound()
        return view(context, request)

    return where_enabled


def includeme(config: Configurator) -> None:
    config.registry.registerUtility(SubsitePlugins(), IPluginScope)
    config.add_view_deriver(plugin_views, under=INGRESS, over="html_default_views")
