"""Messages for the terminal, in the language of $SILAT_LANG (default id)."""
import os

from pyramid.i18n import make_localizer
from pyramid.path import AssetResolver

from silat.i18n import DEFAULT_LOCALE, LOCALES


def text(message):
    lang = os.environ.get("SILAT_LANG", DEFAULT_LOCALE)
    lang = lang if lang in LOCALES else DEFAULT_LOCALE
    locale_dir = AssetResolver().resolve("silat:locale").abspath()
    return make_localizer(lang, [locale_dir]).translate(message)
