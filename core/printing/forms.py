"""The printable forms plugins register, by name and version, and the one of each
name in use.

A form is a Chameleon template registered with ``config.add_print_form``. Several
versions of one form may be registered (the 2018 form of a circular, the form a
province adapted); the one in use is the version the setting
``cong.print_forms.<name>`` names, else the latest (versions compare as numbers
where they hold digits: ``2018`` < ``2018.1`` < ``2024``). A file ``<name>.pt`` in
the folder ``cong.print_forms_dir`` replaces whichever version is in use.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from chameleon import PageTemplateFile
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.path import AssetResolver

from core.settings import SettingsError

#: A form's name: lower-case letters without accents, digits, ``.``, ``_``, ``-``
#: (it is also the name of its file in ``cong.print_forms_dir``).
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}\Z")
#: A version: letters without accents, digits, ``.``, ``_``, ``-``.
VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}\Z")
#: ``cong.print_forms.<name> = <version>`` chooses a form's version.
VERSION_SETTING = "cong.print_forms."
#: ``cong.print_forms_dir``: a folder whose ``<name>.pt`` replaces form ``<name>``.
FOLDER_SETTING = "cong.print_forms_dir"
#: The discriminator of a registration: one (name, version) once.
DISCRIMINATOR = "cong.print_form"


class UnknownForm(LookupError):
    """A form no plugin registered (``str()`` says which, and which there are)."""


@dataclass(frozen=True)
class PrintForm:
    """One version of a form: its ``name``, ``version``, template file (``path``)
    and ``title`` (a message to translate)."""

    name: str
    version: str
    path: str
    title: str


def version_key(version: str) -> tuple:
    """The order of versions: runs of digits as numbers, the rest as text."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|[^\d._-]+", version)
    )


class PrintForms:
    """The forms registered, which version of each is in use, their compiled templates."""

    def __init__(self, chosen: Mapping[str, str], folder: str = "", auto_reload: bool = False):
        self.chosen = dict(chosen)
        self.folder = folder
        self.auto_reload = auto_reload
        self._forms: dict[str, dict[str, PrintForm]] = {}
        self._templates: dict[str, PageTemplateFile] = {}

    def add(self, form: PrintForm) -> None:
        self._forms.setdefault(form.name, {})[form.version] = form

    def names(self) -> list[str]:
        """The names of the forms registered, sorted."""
        return sorted(self._forms)

    def versions(self, name: str) -> list[PrintForm]:
        """The versions of form ``name`` registered, oldest first (:class:`UnknownForm`)."""
        found = self._forms.get(name)
        if not found:
            known = ", ".join(self.names()) or "none"
            raise UnknownForm(f"no print form {name!r} is registered (the forms: {known})")
        return sorted(found.values(), key=lambda form: version_key(form.version))

    def active(self, name: str) -> PrintForm:
        """The form ``name`` in use: the version its setting names, else the latest;
        its template is ``<name>.pt`` of ``cong.print_forms_dir`` when there is one."""
        versions = self.versions(name)
        chosen = self.chosen.get(name)
        form = next((f for f in versions if f.version == chosen), versions[-1])
        if self.folder:
            override = os.path.join(self.folder, f"{name}.pt")
            if os.path.isfile(override):
                return replace(form, path=override)
        return form

    def template(self, path: str) -> PageTemplateFile:
        """The compiled template of file ``path`` (compiled once)."""
        template = self._templates.get(path)
        if template is None:
            template = self._templates[path] = PageTemplateFile(path, auto_reload=self.auto_reload)
        return template

    def check_settings(self) -> None:
        """:class:`~core.settings.SettingsError` when a ``cong.print_forms.<name>``
        setting names a form or a version nobody registered."""
        for name, version in sorted(self.chosen.items()):
            setting = f"{VERSION_SETTING}{name}"
            if name not in self._forms:
                raise SettingsError(
                    f"{setting} names a print form no plugin registers "
                    f"(the forms: {', '.join(self.names()) or 'none'})"
                )
            if version not in self._forms[name]:
                known = ", ".join(form.version for form in self.versions(name))
                raise SettingsError(f"{setting} = {version}: no such version (there are {known})")


def forms_from_settings(settings: Mapping[str, str]) -> PrintForms:
    """The (empty) forms of an installation: the versions its settings choose and its
    folder of replacements; :class:`~core.settings.SettingsError` for a folder that
    is not there."""
    from pyramid.settings import asbool

    chosen = {
        key[len(VERSION_SETTING) :]: str(value).strip()
        for key, value in settings.items()
        if key.startswith(VERSION_SETTING)
    }
    folder = str(settings.get(FOLDER_SETTING, "") or "").strip()
    if folder and not os.path.isdir(folder):
        raise SettingsError(f"{FOLDER_SETTING} = {folder}: no such folder")
    reload = asbool(settings.get("pyramid.reload_templates", False))
    return PrintForms(chosen, folder, auto_reload=reload)


def get_print_forms(registry) -> PrintForms:
    """The installation's :class:`PrintForms`."""
    return registry.cong_print_forms


def add_print_form(
    config: Configurator, name: str, template: str, version: str = "2018", title: str = ""
) -> None:
    """Directive: register ``version`` of form ``name``, the Chameleon template at
    asset spec ``template`` (``"myplugin:templates/slips/receipt.pt"``); ``title``
    names it to people (``_("Giấy tiếp nhận hồ sơ")``). One (name, version) twice
    is a configuration conflict."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ConfigurationError(
            f"print form name {name!r}: lower-case letters without accents, digits, '.', '_', '-'"
        )
    if not isinstance(version, str) or not VERSION_RE.match(version):
        raise ConfigurationError(
            f"print form {name!r}: version {version!r} must be letters, digits, '.', '_', '-'"
        )
    path = AssetResolver(config.package).resolve(template).abspath()
    if not os.path.isfile(path):
        raise ConfigurationError(f"print form {name!r}: no template {template!r}")
    form = PrintForm(name, version, path, title or name)
    forms = get_print_forms(config.registry)
    config.action((DISCRIMINATOR, name, version), lambda: forms.add(form))
