"""Opening the application for a command: its settings, its database, and a
request whose ``root`` is the site.

A command runs in one transaction of the thread's ``transaction.manager``: it is
committed when the command returns and aborted when it raises. The databases are
closed at the end either way.
"""

from __future__ import annotations

import configparser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import transaction
from pyramid.exceptions import ConfigurationError, ConfigurationExecutionError
from pyramid.paster import get_appsettings
from pyramid.request import Request
from pyramid.scripting import prepare
from pyramid.traversal import find_resource
from zc.lockfile import LockError

from core import make_app
from core.plugins import PluginError
from core.settings import SettingsError, read_settings

#: The language of the messages the command line prints.
CLI_LANGUAGE = "en"

DATABASE_IN_USE = (
    "The database at {path} is in use by another process (is the server running?). "
    "Stop it, or use a ZEO setup, then run this command again."
)


class CommandError(Exception):
    """A failure the person running the command can act on: ``message`` says
    what went wrong, ``status`` is the exit status (2: wrong input, 3: database
    in use)."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class CommandEnv:
    """What a command works with: ``root`` is the site, ``request`` a request on
    it (``request.root`` is set), ``registry`` the application's registry."""

    app: object
    registry: object
    request: Request
    root: object

    @property
    def db(self):
        """The application's main ZODB database."""
        return self.registry._zodb_databases[""]


def load_settings(config_uri: str) -> dict:
    """The ``[app:main]`` settings of an ini file, or a :class:`CommandError`."""
    try:
        return dict(get_appsettings(config_uri))
    except FileNotFoundError:
        raise CommandError(
            f"The settings file {config_uri} does not exist: name one with -c FILE."
        ) from None
    except (LookupError, configparser.Error) as exc:
        raise CommandError(f"The settings file {config_uri} cannot be used: {exc}") from None


def database_path(settings: dict) -> str:
    """Where the database of ``settings`` lives: a file path, or the URI."""
    uri = settings.get("zodbconn.uri") or read_settings(settings).zodb_uri
    parts = urlsplit(uri)
    return parts.path if parts.scheme == "file" else uri


@contextmanager
def open_app(settings: dict) -> Iterator[CommandEnv]:
    """Build the application from ``settings`` without running pending evolve
    steps, and give a :class:`CommandEnv` inside a transaction that is committed
    when the block ends normally and aborted otherwise."""
    try:
        app = make_app(settings, run_evolve=False)
    except LockError:
        raise CommandError(DATABASE_IN_USE.format(path=database_path(settings)), 3) from None
    except ConfigurationExecutionError as exc:  # a setting refused by a configuration action
        raise CommandError(f"The application cannot start: {exc.evalue}") from None
    except (SettingsError, PluginError, ConfigurationError) as exc:
        raise CommandError(f"The application cannot start: {exc}") from None
    registry = app.registry
    try:
        transaction.manager.begin()
        request = Request.blank("/", environ={"tm.manager": transaction.manager})
        request.locale_name = CLI_LANGUAGE
        with prepare(request=request, registry=registry) as env:
            request.root = env["root"]
            try:
                yield CommandEnv(app=app, registry=registry, request=request, root=env["root"])
            except BaseException:
                transaction.manager.abort()
                raise
            transaction.manager.commit()
    finally:
        courier = getattr(registry, "cong_outbox_courier", None)
        if courier is not None:  # mail queued by the command goes before the database closes
            courier.stop()
        for db in registry._zodb_databases.values():
            db.close()


def act_as(request, user) -> None:
    """Make ``user`` (a :class:`core.principals.User`, or None for anonymous) the
    identity of ``request`` from now on."""
    request.environ["cong.identity"] = user
    request.environ.pop("cong.principals", None)


def find_object(env: CommandEnv, path: str, what: str = "content", provides=None):
    """The object at ``path`` (one providing interface ``provides``, if given), or
    :class:`CommandError` "There is no <what> at <path>." """
    try:
        found = find_resource(env.root, path)
    except KeyError:
        found = None
    if found is None or (provides is not None and not provides.providedBy(found)):
        raise CommandError(f"There is no {what} at {path}.")
    return found


def act_as_login(env: CommandEnv, login: str) -> None:
    """Make the user ``login`` the identity of the command's request
    (:class:`CommandError` when there is no such user)."""
    user = env.root.principals.get_user(login)
    if user is None:
        raise CommandError(f"There is no user '{login}' to act as.")
    act_as(env.request, user)


def translate(request, message) -> str:
    """A message of the model (perhaps a TranslationString) in the CLI's language."""
    return request.localizer.translate(message)
