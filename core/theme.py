"""Themes: Chameleon templates looked up by name through a chain of folders.

A view names its template by file name (``renderer="page.pt"``); the name is
looked up in the configured theme (``cong.theme``: a folder of the ``themes``
package, or a theme a plugin registers with ``config.add_theme``), then
``themes/default``, then the template folders plugins add with
``config.add_template_dir``. So a theme overrides any template, a plugin's
included, by shipping a file of the same name. A subsite may choose its own theme
(its ``theme`` field): its pages then look it up first.

Every template gets ``request``, ``context``, ``view``, ``layout`` (the theme's
``layout.pt``, whose ``page`` macro has the slots ``main``, ``head`` and
``portlets``) and ``ui`` (:class:`core.ui.UI`, the page helpers).
"""

from __future__ import annotations

import os
from importlib import resources

from chameleon import PageTemplateFile
from pyramid.config import Configurator
from pyramid.i18n import TranslationString
from pyramid.response import FileResponse
from pyramid.settings import asbool

THEMES_PACKAGE = "themes"
DEFAULT_THEME = "default"


def theme_dir(name: str) -> str:
    """The folder of a theme shipped in the ``themes`` package."""
    return str(resources.files(THEMES_PACKAGE).joinpath(name))


def asset_dir(spec: str) -> str:
    """The folder an asset spec (``package:path``) or a plain path names."""
    package, sep, path = spec.partition(":")
    if not sep or os.path.isabs(spec):
        return spec
    return str(resources.files(package).joinpath(path))


class TemplateLookup:
    """Finds templates by name along the theme chain, compiling each once.

    The chain is the active theme's folder, then ``default``'s, then the template
    folders of plugins. Themes are the folders of the ``themes`` package plus those
    plugins register with ``config.add_theme``.
    """

    def __init__(self, active: str, auto_reload: bool = False):
        self.active = active
        self.auto_reload = auto_reload
        self.themes: dict[str, str] = {}
        self.plugin_dirs: list[str] = []
        self._cache: dict[str, PageTemplateFile] = {}
        self._variants: dict[str, TemplateLookup] = {}

    def for_theme(self, name: str) -> TemplateLookup:
        """The lookup whose chain starts with theme ``name`` (a subsite's), then
        ``default``, then the plugins' folders; this one when ``name`` is empty, the
        active theme, or not installed."""
        if not name or name == self.active:
            return self
        found = self._variants.get(name)
        if found is None:
            if name not in self.themes and not os.path.isdir(theme_dir(name)):
                return self
            found = TemplateLookup(name, self.auto_reload)
            found.themes, found.plugin_dirs = self.themes, self.plugin_dirs  # shared
            self._variants[name] = found
        return found

    def add_theme(self, name: str, folder: str) -> None:
        self.themes[name] = folder
        self._cache.clear()
        self._variants.clear()

    def add_dir(self, path: str) -> None:
        """Add a folder at the end of the chain (after every theme)."""
        self.plugin_dirs.append(path)
        self._cache.clear()
        self._variants.clear()

    def chain(self) -> list[str]:
        """The folders searched, in order; raises LookupError for an unknown theme."""
        folders = []
        for name in dict.fromkeys((self.active, DEFAULT_THEME)):
            folder = self.themes.get(name) or theme_dir(name)
            if not os.path.isdir(folder):
                raise LookupError(f"theme {name!r} (cong.theme) is not installed")
            folders.append(folder)
        return folders + self.plugin_dirs

    def __getitem__(self, name: str) -> PageTemplateFile:
        template = self._cache.get(name)
        if template is None:
            chain = self.chain()
            for folder in chain:
                path = os.path.join(folder, name)
                if os.path.isfile(path):
                    template = PageTemplateFile(path, auto_reload=self.auto_reload)
                    break
            else:
                raise LookupError(f"no template {name!r} in {chain}")
            self._cache[name] = template
        return template


def get_templates(registry) -> TemplateLookup:
    return registry.cong_templates


def translator(request):
    """A Chameleon ``translate`` function speaking the request's language.

    Static template text (no mapping) is translated once per language and process:
    catalogs only change on restart."""
    localizer = request.localizer
    memo = request.registry.cong_translations.setdefault(localizer.locale_name, {})

    def translate(
        msgid, domain=None, mapping=None, context=None, target_language=None, default=None
    ):
        if isinstance(msgid, TranslationString):
            return localizer.translate(msgid)
        if mapping:
            ts = TranslationString(msgid, domain=domain or "cong", default=default, mapping=mapping)
            return localizer.translate(ts)
        key = (msgid, domain, default)
        found = memo.get(key)
        if found is None:
            ts = TranslationString(msgid, domain=domain or "cong", default=default)
            found = memo[key] = localizer.translate(ts)
        return found

    return translate


def templates_for(request, context) -> TemplateLookup:
    """The templates of the page: the theme of the nearest navigation root that
    names one (a subsite's ``theme``), else the configured theme."""
    from pyramid.traversal import find_interface

    from core.interfaces import INavigationRoot

    templates = get_templates(request.registry)
    where = getattr(request, "context", None) or context
    nav_root = find_interface(where, INavigationRoot) if where is not None else None
    return templates.for_theme(getattr(nav_root, "theme", "") or "")


def render_template(request, name: str, context=None, **values) -> str:
    """Render template ``name`` with the standard namespace plus ``values``, in the
    theme of the page's subsite (see :func:`templates_for`)."""
    from core.ui import get_ui

    context = context if context is not None else request.context
    templates = templates_for(request, context)
    namespace = {
        "request": request,
        "context": context,
        "layout": templates["layout.pt"],
        "ui": get_ui(request),
    }
    namespace.update(values)
    return with_doctype(templates[name](translate=translator(request), **namespace))


DOCTYPE = "<!DOCTYPE html>\n"


def with_doctype(html: str) -> str:
    """``html`` with the HTML5 doctype in front when it is a whole document.

    A page template's root is ``<html metal:use-macro=...>``: the layout's own
    doctype, outside its macro, never reaches the page, and without it browsers
    render in quirks mode. Adding it here, where every page is rendered, means no
    template can forget it; fragments (portlets, widgets) are left as they are."""
    start = html.lstrip()
    if start[:5].lower() == "<html":
        return DOCTYPE + start
    return html


class ThemeRenderer:
    """Pyramid renderer for ``*.pt`` names, resolved through the theme chain."""

    def __init__(self, info):
        self.name = os.path.basename(info.name)

    def __call__(self, value, system):
        request = system["request"]
        values = dict(value or {})
        values.setdefault("view", system.get("view"))
        return render_template(request, self.name, context=system.get("context"), **values)


def add_template_dir(config: Configurator, spec: str) -> None:
    """Directive: let a plugin ship templates (``"myplugin:templates"``); themes
    can still override them by name."""
    get_templates(config.registry).add_dir(asset_dir(spec))


def add_theme(config: Configurator, name: str, spec: str) -> None:
    """Directive: register a theme shipped by a plugin (``"myplugin:theme"``), to
    be chosen with ``cong.theme = name``. Its templates override the default
    theme's by file name; what it does not ship comes from ``default``."""
    get_templates(config.registry).add_theme(name, asset_dir(spec))


FAVICON = "favicon.ico"


def favicon(request):
    """``/favicon.ico``, which browsers ask every host for: the default theme's icon
    (pages link it from their head too)."""
    path = os.path.join(theme_dir(DEFAULT_THEME), "static", FAVICON)
    return FileResponse(path, request, cache_max_age=86400, content_type="image/x-icon")


def includeme(config: Configurator) -> None:
    from core.interfaces import INavigationRoot

    settings = config.registry.settings
    reload = asbool(settings.get("pyramid.reload_templates", False))
    config.registry.cong_templates = TemplateLookup(settings["cong"].theme, auto_reload=reload)
    config.registry.cong_translations = {}
    config.add_renderer(".pt", ThemeRenderer)
    config.add_directive("add_template_dir", add_template_dir)
    config.add_directive("add_theme", add_theme)
    config.add_static_view("_static", "themes:default/static", cache_max_age=86400)
    config.add_view(favicon, context=INavigationRoot, name=FAVICON, request_method=("GET", "HEAD"))
