"""The kernel: application factory, content model, security, workflow, plugins.

``main`` is the Paste/plaster application factory named in the ini files.
"""

from __future__ import annotations

import os
from functools import partial

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory

from core.settings import SettingsError, read_settings

#: The kernel's modules plugins may import: the public plugin API (docs/plugins.md).
#: Every other module of ``core`` is the kernel's own and may change without notice.
#: Kept by import-linter (``make lint``: the contract of etc/importlinter_contracts.py).
PUBLIC_MODULES = (
    "core.api",
    "core.api.components",
    "core.api.deserialize",
    "core.api.errors",
    "core.api.params",
    "core.api.serialize",
    "core.api.typealiases",
    "core.api.vocabularies",
    "core.audit",
    "core.batching",
    "core.blobs",
    "core.cache",
    "core.citizens",
    "core.cleantext",
    "core.cli",
    "core.cli.progress",
    "core.clock",
    "core.content",
    "core.contenttypes",
    "core.errors",
    "core.events",
    "core.evolve",
    "core.fields",
    "core.formatting",
    "core.hookspecs",
    "core.htmlcheck",
    "core.i18n",
    "core.interfaces",
    "core.names",
    "core.operations",
    "core.outbox",
    "core.params",
    "core.payments",
    "core.payments.platform",
    "core.periods",
    "core.permissions",
    "core.plugins",
    "core.portlets",
    "core.printing",
    "core.ratelimit",
    "core.roles",
    "core.security",
    "core.sequences",
    "core.slots",
    "core.sniffing",
    "core.tabular",
    "core.tabular.columns",
    "core.tabular.limits",
    "core.tabular.pipeline",
    "core.tabular.problems",
    "core.tabular.readers",
    "core.tabular.validation",
    "core.tabular.writers",
    "core.testing",
    "core.theme",
    "core.types",
    "core.ui",
    "core.uids",
    "core.views.forms",
    "core.workdays",
    "core.workflow",
)


def root_factory(request):
    """The site root, from the request's ZODB connection; the layer giving parts of
    the site hosts of their own (:class:`core.interfaces.IVirtualHosting`) may make
    the part the request's host names its virtual root."""
    from pyramid_zodbconn import get_connection

    from core.interfaces import IVirtualHosting
    from core.site import ROOT_KEY

    db = request.registry._zodb_databases[""]
    request.environ["cong.tid"] = db.lastTransaction()  # read before the snapshot
    site = get_connection(request).root()[ROOT_KEY]
    hosting = request.registry.queryUtility(IVirtualHosting)
    if hosting is not None:
        hosting.apply(request, site)
    return site


def make_config(settings: dict) -> Configurator:
    """A Configurator with the whole kernel and the configured plugins included."""
    from core.conflicts import ATTEMPTS
    from core.plugins import KERNEL_LAYERS, make_plugin_manager

    cong = read_settings(settings)
    os.makedirs(os.path.join(cong.data_dir, "blobs"), exist_ok=True)
    settings = dict(settings)
    settings["cong"] = cong
    settings.setdefault("zodbconn.uri", cong.zodb_uri)
    settings.setdefault("tm.manager_hook", "pyramid_tm.explicit_manager")
    settings.setdefault("retry.attempts", str(ATTEMPTS))
    settings.setdefault("tm.annotate_user", "false")
    config = Configurator(settings=settings, root_factory=root_factory)
    config.registry.cong_plugins = make_plugin_manager(cong.plugins)
    config.include("pyramid_retry")
    config.include("pyramid_tm")
    config.include("core.crypt.database")  # pyramid_zodbconn, encrypting
    config.include("core.logs")
    config.include("core.health")
    config.include("core.metrics")
    config.include("core.audit")
    config.include("core.images")
    config.include("core.names")
    config.include("core.cache")
    config.include("core.i18n")
    config.include("core.types")
    config.include("core.roles")
    config.include("core.evolve")
    config.include("core.sequences")
    config.include("core.payments")
    config.include("core.outbox")
    config.include("core.workflow")
    config.include("core.workdays")
    config.include("core.contenttypes")
    config.include("core.theme")
    config.include("core.printing")
    config.include("core.editbar")
    config.include("core.auth")
    config.include("core.sessions")
    config.include("core.passwords")
    config.include("core.citizens")
    config.include("core.oidc")
    config.include("core.security")
    config.include("core.tweens")
    config.include("core.bodytext")
    config.include("core.csp")
    config.include("core.pagecache")
    config.include("core.views")
    config.include("core.conflicts")
    config.include("core.api")
    config.include("core.cors")
    config.include("core.plugins")
    for layer in KERNEL_LAYERS:  # the catalog, then the subsites: by name, not imported
        config.include(layer)
    return config


def main(global_config, **settings):
    """The WSGI application: ``[app:main] use = egg:cong``."""
    return make_app(settings)


def make_app(settings: dict, run_evolve: bool = True):
    """The WSGI application for ``settings``, its site created on first start.

    Pending evolve steps run first when ``cong.auto_evolve`` is true, and stop
    start-up otherwise; with ``run_evolve=False`` they are left for ``cong evolve``
    (the command line opens the application this way).
    """
    from pyramid.config import ConfigurationError

    from core.evolve import get_steps, pending, run_pending
    from core.passwords import check_password
    from core.security import SESSION_COOKIE, SecurityPolicy
    from core.site import bootstrap, get_site
    from core.structure import ensure_structures

    config = make_config(settings)
    cong = config.registry.settings["cong"]
    policy = SecurityPolicy(None, secure=cong.production)  # its secret is the site's, below
    config.set_security_policy(policy)
    config.commit()
    registry = config.registry
    db = registry._zodb_databases[""]
    try:
        registry.cong_templates.chain()  # an unknown cong.theme stops start-up here
    except LookupError:
        db.close()
        raise
    checked = partial(check_password, registry) if cong.production else None
    try:
        bootstrap(db, cong.initial_admin_password, get_steps(registry), checked)
    except SettingsError:
        db.close()
        raise
    conn = db.open()
    try:
        site = get_site(conn)
        secret = cong.secret or site.secret
        todo = [s.name for s in pending(site, get_steps(registry))]
    finally:
        conn.close()
    if todo and run_evolve:
        try:
            if not cong.auto_evolve:
                raise ConfigurationError(
                    f"the database needs evolve steps {todo}: run 'cong -c INI evolve' first"
                )
            run_pending(db, get_steps(registry))
        except BaseException:
            db.close()  # release the database (its lock) for the next attempt
            raise
    if run_evolve or not todo:  # a plugin's structure, on a site up to date
        try:
            ensure_structures(registry)
        except BaseException:
            db.close()
            raise
    policy.set_secret(secret)
    config.set_session_factory(
        SignedCookieSessionFactory(
            secret,
            cookie_name=SESSION_COOKIE,
            secure=cong.production,
            httponly=True,
            samesite="Lax",
        )
    )
    return config.make_wsgi_app()
