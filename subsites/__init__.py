"""Department and commune sites: the Subsite type, the unit hierarchy, virtual
hosting, provisioning, per-subsite plugins, theme and admins, and provincial
aggregation.

The package is the kernel's top layer (:data:`core.plugins.KERNEL_LAYERS`):
:func:`core.make_config` includes it after the plugins (so their themes and types
are known), and :func:`core.plugins.make_plugin_manager` registers the modules of
:data:`KERNEL_MODULES` with the plugin manager, so their hook implementations (the
site maps kept on content events, the redirects, the default structure of new
subsites...) run like any plugin's. What the kernel asks of subsites it declares
in :mod:`core.interfaces` and this package provides: the virtual hosts
(:mod:`subsites.hosting`) and the plugins enabled per subsite
(:mod:`subsites.plugins`).

- :mod:`subsites.units`: the kinds of units and the levels of local government;
- :mod:`subsites.content`: the Subsite type and the site maps (hosts, codes);
- :mod:`subsites.hosting`: virtual hosting (a Host picks its subsite);
- :mod:`subsites.plugins`: plugins enabled per subsite;
- :mod:`subsites.redirects`: old URLs of renamed and moved content keep working;
- :mod:`subsites.aliases`: ``@aliases``, those old URLs through the API;
- :mod:`subsites.catalog_fields`: the unit's kind, codes and hosts in the catalog;
- :mod:`subsites.views`, :mod:`subsites.api`: the subsites' pages and ``@subsites``;
- :mod:`subsites.cli`: ``cong subsite ...`` (offered by :mod:`subsites.commands`).
"""

from __future__ import annotations

import importlib

from pyramid.config import Configurator

#: The modules of subsites plugins may import: the public plugin API (docs/plugins.md).
#: Every other module of ``subsites`` is its own and may change without notice.
PUBLIC_MODULES = (
    "subsites.catalog_fields",
    "subsites.directory",
    "subsites.hosting",
    "subsites.interfaces",
    "subsites.plugins",
    "subsites.structure",
    "subsites.units",
)
#: Modules registered with the plugin manager at start-up (their ``@hookimpl``
#: functions) and included in the configuration when they have an ``includeme``.
KERNEL_MODULES = (
    "subsites.catalog_fields",
    "subsites.api",
    "subsites.content",
    "subsites.redirects",
    "subsites.structure",
    "subsites.provisioning",
    "subsites.commands",
    "subsites.demo",
    "subsites.aggregation",
    "subsites.directory",
    "subsites.portal_views",
)


#: Modules of the hooks this layer calls (see :mod:`subsites.hookspecs`).
HOOKSPECS = ("subsites.hookspecs",)


def kernel_modules() -> list:
    """The modules of :data:`KERNEL_MODULES`, imported."""
    return [importlib.import_module(name) for name in KERNEL_MODULES]


def includeme(config: Configurator) -> None:
    from core.i18n import _
    from core.permissions import SHARING
    from subsites.content import EVOLVE_STEP, create_maps, subsite_type
    from subsites.interfaces import ISubsite

    config.include("subsites.units")
    config.include("subsites.plugins")
    config.add_content_type(subsite_type(config.registry))
    config.add_evolve_step(EVOLVE_STEP, create_maps, new_sites=True)
    config.include("subsites.hosting")
    config.add_template_dir("subsites:templates")
    config.add_edit_tab("@@plugins", _("Chức năng"), SHARING, context=ISubsite)
    config.scan("subsites.views")
    config.scan("subsites.api")
    config.scan("subsites.aliases")
    config.include("subsites.aliases")
    for module in kernel_modules():
        if hasattr(module, "includeme"):
            config.include(module)
