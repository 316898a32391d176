"""Analyzers for Indonesian text (pickled into the Whoosh index, so this
module must stay importable under this name).

Three analyzers, chosen per field:

- ``text_analyzer`` (free text: descriptions, document and letter text,
  service names): words and numbers, lower-cased, accents folded
  (``é`` -> ``e``), then stemmed with the Sastrawi stemmer, which strips
  Indonesian prefixes and suffixes: *perizinan*, *berizin*, *perizinannya*
  and *izin* all index as ``izin``, *kesehatan* as ``sehat``. Tokens with
  digits are left alone.
- ``name_analyzer`` (names of people and businesses, kecamatan): words,
  lower-cased and accent-folded, **not** stemmed: a proper name is not an
  Indonesian word to reduce (*Budiman* must not match *budi*). Prefix
  search is explicit: ``pemohon:budi*``.
- ``number_analyzer`` (registration and permit numbers): the whole
  number lower-cased as one token, so ``nomor:SILAT-2026-000123`` matches
  exactly; its parts are also in the free text.

The stemmer is created on first use and never pickled (STACK-NOTES).
"""
import functools

from whoosh.analysis import (CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter,
                             StopFilter)
from whoosh.support.charset import accent_map

_stemmer = None

# Very common words of the documents that carry no meaning in a search.
STOPWORDS = frozenset("""
dan atau yang di ke dari untuk dengan pada dalam ini itu adalah oleh sebagai
tersebut serta juga akan telah tidak bagi para kepada nomor no tahun
""".split())


def _get_stemmer():
    global _stemmer
    if _stemmer is None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
        _stemmer = StemmerFactory().create_stemmer()
    return _stemmer


@functools.lru_cache(maxsize=200_000)
def stem_id(word):
    """The Sastrawi stem of one lower-cased word; words with digits or
    shorter than four letters are returned unchanged."""
    if len(word) < 4 or not word.isalpha():
        return word
    return _get_stemmer().stem(word) or word


WORDS = r"\w+"


def text_analyzer():
    return (RegexTokenizer(WORDS) | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(stoplist=STOPWORDS, minsize=1) | StemFilter(stemfn=stem_id, cachesize=0))


def name_analyzer():
    return RegexTokenizer(WORDS) | LowercaseFilter() | CharsetFilter(accent_map)


def number_analyzer():
    return RegexTokenizer(r"[^\s,;]+") | LowercaseFilter()


def fold(text):
    """Lower-case and accent-fold ``text`` (as the analyzers do)."""
    return (text or "").lower().translate(accent_map)
