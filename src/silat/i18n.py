"""Translation helpers. UI strings are written in Bahasa Indonesia (the
default locale) and translated to English by the message catalogs under
``locale/``."""
from pyramid.i18n import TranslationStringFactory

DOMAIN = "silat"
LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"
COOKIE = "silat_lang"

_ = TranslationStringFactory(DOMAIN)


def locale_negotiator(request):
    """Cookie set by the language switch, then the API's Accept-Language."""
    lang = request.cookies.get(COOKIE)
    if lang in LOCALES:
        return lang
    if request.path_info.startswith("/api/") and request.accept_language:
        best = request.accept_language.lookup(LOCALES, default=DEFAULT_LOCALE)
        return best
    return DEFAULT_LOCALE


def includeme(config):
    config.add_translation_dirs("colander:locale/", "deform:locale/",
                                "silat:locale/")
    config.set_locale_negotiator(locale_negotiator)
