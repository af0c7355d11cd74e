"""Each plugin's own structure in the site, created the first time it runs there.

A plugin that needs something in the site to work (a folder at the site's root
its pages and commands work in) creates it in its ``cong_site_structure`` hook.
At every start, :func:`ensure_structures` calls the hook of each plugin that has
not yet run it on this site, one plugin per transaction, and records it in
``site.evolved`` as ``structure:<plugin>``: a new site gets every plugin's
structure, an existing one the structure of a plugin just enabled, and nothing is
done twice (what a site's managers then rename or delete stays so).

The hook runs through the same operations as the web forms (events, catalog,
workflow), as a Manager who is nobody in particular (:data:`SYSTEM_LOGIN`).
"""

from __future__ import annotations

import logging

from pyramid.request import Request, apply_request_extensions
from pyramid.scripting import prepare
from ZODB.POSException import ConflictError

from core.clock import now
from core.principals import User

log = logging.getLogger(__name__)

HOOK = "cong_site_structure"
#: The login the structure is created as (in an item's creators and history).
SYSTEM_LOGIN = "system"
#: Attempts at one plugin's structure when another process creates it meanwhile.
ATTEMPTS = 3


def record_name(plugin: str) -> str:
    """The key in ``site.evolved`` saying ``plugin``'s structure was created."""
    return f"structure:{plugin}"


def system_user() -> User:
    """A Manager not stored among the users, for work the portal does by itself."""
    user = User(SYSTEM_LOGIN, fullname="Hệ thống")
    user.roles.add("Manager")
    return user


def ensure_structures(registry) -> list[str]:
    """Run the ``cong_site_structure`` hook of every plugin that has not run it on
    the site yet, each in its own transaction; return the names of those run."""
    done = []
    for impl in getattr(registry.cong_plugins.hook, HOOK).get_hookimpls():
        for attempt in range(1, ATTEMPTS + 1):
            try:
                if _run_one(registry, impl):
                    done.append(impl.plugin_name)
                break
            except ConflictError:
                if attempt == ATTEMPTS:
                    raise
    return done


def _run_one(registry, impl) -> bool:
    request = Request.blank("/", environ={"REMOTE_ADDR": "127.0.0.1"})
    request.registry = registry
    apply_request_extensions(request)
    request.tm.begin()
    env = prepare(request=request, registry=registry)
    try:
        site = request.root = env["root"]
        key = record_name(impl.plugin_name)
        if key in site.evolved:
            request.tm.abort()
            return False
        request.environ["cong.identity"] = system_user()
        log.info("structure: %s", impl.plugin_name)
        given = {"request": request, "site": site}
        impl.function(*(given[name] for name in impl.argnames))
        site.evolved[key] = now()
        request.tm.commit()
        return True
    except BaseException:
        request.tm.abort()
        raise
    finally:
        env["closer"]()
