"""Internationalisation: Vietnamese is the default UI language, English is available.

Message ids are written in Vietnamese (the language of the people who use the
portal), so an untranslated string still reads right to them; ``locale/en`` holds
the English catalog. See docs/decisions/0002-vietnamese-message-ids.md.
Vietnamese is the portal's language: a page is in English only when the visitor
chose it, with the link in the page header (``?lang=en``, kept in the ``lang``
cookie). The browser's ``Accept-Language`` is not enough: an official portal reads
in the official language unless one asks otherwise, and a page's language does not
change with who fetched it first.
"""

from pyramid.config import Configurator
from pyramid.i18n import Localizer as PyramidLocalizer
from pyramid.i18n import TranslationStringFactory, make_localizer
from pyramid.interfaces import ILocalizer, ITranslationDirectories

DOMAIN = "cong"
DEFAULT_LANGUAGE = "vi"
LANGUAGES = (DEFAULT_LANGUAGE, "en")
#: Each language's name, in that language (what the language links say).
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}

_ = TranslationStringFactory(DOMAIN)


def negotiate_locale(request) -> str:
    """Pick the UI language of a request (a Pyramid locale negotiator)."""
    asked = request.GET.get("lang") or request.cookies.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.registry.settings.get("cong.default_locale", DEFAULT_LANGUAGE)


def other_languages(request) -> list[dict]:
    """Links ``{"code", "name", "url"}`` to the page of ``request`` in the other UI
    languages."""
    return [
        {"code": code, "name": LANGUAGE_NAMES[code], "url": request.path_url + f"?lang={code}"}
        for code in LANGUAGES
        if code != request.locale_name
    ]


def remember_language(event) -> None:
    """Keep a language picked with ``?lang=`` in a cookie for the next pages."""
    request = event.request
    asked = request.GET.get("lang")
    if asked in LANGUAGES and request.cookies.get("lang") != asked:
        event.response.set_cookie("lang", asked, max_age=365 * 86400, samesite="Lax")


class Localizer(PyramidLocalizer):
    """Pyramid's localizer, translating the messages inside a message's mapping
    too (``_("Dòng ${number}: ${message}", mapping={"message": _("...")})``), which
    Pyramid's would insert untranslated and uninterpolated."""

    def translate(self, tstring, domain=None, mapping=None):
        inner = mapping if mapping is not None else getattr(tstring, "mapping", None)
        if inner and any(hasattr(value, "interpolate") for value in inner.values()):
            mapping = {
                key: self.translate(value) if hasattr(value, "interpolate") else value
                for key, value in inner.items()
            }
        return super().translate(tstring, domain=domain, mapping=mapping)


def register_localizers(registry) -> None:
    """Register a :class:`Localizer` per language, with the translation folders
    known once the configuration is committed (Pyramid would make its own on the
    first request of each language)."""
    folders = registry.queryUtility(ITranslationDirectories, default=[])
    for name in LANGUAGES:
        translations = make_localizer(name, folders).translations
        registry.registerUtility(Localizer(name, translations), ILocalizer, name=name)


def includeme(config: Configurator) -> None:
    from pyramid.events import ApplicationCreated, NewResponse

    config.set_locale_negotiator(negotiate_locale)
    config.add_translation_dirs("core:locale/")
    config.add_subscriber(remember_language, NewResponse)
    config.add_subscriber(lambda event: register_localizers(event.app.registry), ApplicationCreated)
