"""Searching the index: the officer search (permission-filtered, with
facets) and the public search of issued permits.

Permission filtering happens through the security module only
(``allowed_mask`` for the hit set, ``search_allowed`` for the relevance
pages of queries Whoosh ranks): the caller's principals become the
documents they may view; when they allow nothing there are no hits
(never "no filter"). Counts, facets and pages are computed over the
filtered set only (``search.columns``), and no ZODB object is loaded to
build a page. The public search
reads a separate index, the public register (``schema.make_public_schema``).
"""
import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
from whoosh import qparser, query as Q, sorting
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight

from silat.i18n import _
from silat.search.schema import FACETS, PUBLIC_ALIASES, PUBLIC_USER_FIELDS
from silat.search.words import analyse
from silat.search.security import allowed_mask, search_allowed

MAX_QUERY = 500
MAX_PAGE = 1000
MAX_SIZE = 100
OFFICER_FIELDS = ("nomor", "title", "pemohon", "layanan", "text", "identity")
PUBLIC_FIELDS = PUBLIC_USER_FIELDS
ALIASES = {"pemohon": ["pemegang", "usaha"], "text": ["isi"], "kecamatan_name": ["kecamatan"],
           "identity": ["nik", "nib"], "title": ["judul"]}
SORTS = ("relevance", "date")


class SearchError(ValueError):
    """Bad search input; ``message`` is a translation string for the user."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def _int(value, default, name, maximum):
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise SearchError(_("${name} harus berupa bilangan bulat.", mapping={"name": name}), name)
    if number < 1:
        raise SearchError(_("${name} minimal 1.", mapping={"name": name}), name)
    if number > maximum:
        raise SearchError(_("${name} paling besar ${max}.", mapping={"name": name, "max": maximum}), name)
    return number


def parse_date(value, name):
    """A date between 1900 and 9998: a whole year after it still fits in
    ``datetime`` (ranges add up to a year), so no caller can overflow."""
    if value in (None, ""):
        return None
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SearchError(_("Tanggal ${name} tidak sah; gunakan format TTTT-BB-HH (mis. 2026-03-31).",
                            mapping={"name": name}), name)
    if not dt.date(1900, 1, 1) <= day <= dt.date(9998, 12, 31):
        raise SearchError(_("Tanggal ${name} harus antara 1900-01-01 dan 9998-12-31.",
                            mapping={"name": name}), name)
    return day


@dataclass
class Params:
    q: str = ""
    facets: list = field(default_factory=list)     # [(facet, value)]
    sort: str = "relevance"
    page: int = 1
    size: int = 20


def officer_params(get):
    """Params from a request's GET (a MultiDict)."""
    q = (get.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        raise SearchError(_("Kata kunci terlalu panjang (paling banyak ${n} karakter).",
                            mapping={"n": MAX_QUERY}), "q")
    facets = []
    for item in get.getall("facet"):
        name, sep, value = str(item).partition(":")
        if not sep or name not in FACETS or not value or len(value) > 100:
            raise SearchError(_("Filter tidak dikenal: ${f}. Gunakan nama:nilai dengan nama salah satu dari ${names}.",
                                mapping={"f": item[:60], "names": ", ".join(FACETS)}), "facet")
        facets.append((name, value))
    sort = get.get("sort") or "relevance"
    if sort not in SORTS:
        raise SearchError(_("Urutan tidak dikenal: pilih relevance atau date."), "sort")
    return Params(q, facets, sort, _int(get.get("page"), 1, "page", MAX_PAGE),
                  _int(get.get("size"), 20, "size", MAX_SIZE))


def _parser(schema, fields, aliases):
    parser = qparser.MultifieldParser(list(fields), schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.PrefixPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({k: v for k, v in aliases.items() if k in fields}))
    return parser


_QUOTED = re.compile(r'"[^"]*"?')
_FIELD = re.compile(r"(?<![\w/.-])([A-Za-z_]\w*):")


def _named_fields(text):
    """The ``name:`` prefixes a user typed (outside quotes)."""
    return _FIELD.findall(_QUOTED.sub(" ", text))


def parse_query(schema, text, fields, aliases=None):
    """The user's query, refused when it names a field it may not use
    (Whoosh would otherwise read an unknown ``name:`` as plain words)."""
    aliases = ALIASES if aliases is None else aliases
    if not text:
        return Q.Every()
    known = set(fields) | {a for k, names in aliases.items() if k in fields for a in names}
    for name in _named_fields(text):
        if name not in known:
            raise SearchError(_("Kolom pencarian tidak dikenal: ${name}. Gunakan nomor:, pemohon: atau layanan:.",
                                mapping={"name": name}), "q")
    try:
        parsed = _parser(schema, fields, aliases).parse(text)
    except Exception:
        raise SearchError(_("Kata kunci tidak dapat dibaca; periksa tanda kutip dan kurung."), "q")
    for leaf in parsed.leaves():
        name = getattr(leaf, "fieldname", None)
        if name is not None and name not in fields:
            raise SearchError(_("Kolom pencarian tidak dikenal: ${name}. Gunakan nomor:, pemohon: atau layanan:.",
                                mapping={"name": name}), "q")
    if parsed is Q.NullQuery:
        return Q.Every()
    return _phrases_where_positions(parsed, schema)


def _phrases_where_positions(query, schema):
    """A quoted phrase searched in a field that keeps no word positions
    (``identity``) becomes "all these words" there instead of an error."""
    if isinstance(query, Q.Phrase):
        if schema[query.fieldname].format.supports("positions"):
            return query
        return Q.And([Q.Term(query.fieldname, word) for word in query.words])
    return query.apply(lambda child: _phrases_where_positions(child, schema))


def officer_search(service, principals, params):
    """A page of what ``principals`` may view, with totals and facet
    numbers over all of it. Plain words (and ``field:word``) are matched
    and ranked on the index's arrays (``search.columns``, BM25F as Whoosh
    ranks); other syntax (wildcards, phrases, operators) is matched by
    Whoosh and then counted, sorted and paged on the same arrays."""
    searcher = service.searcher()
    parsed = parse_query(searcher.schema, params.q, OFFICER_FIELDS)
    columns = service.doc_columns.generation(searcher)
    mask = allowed_mask(searcher, columns, principals) & columns.facet_mask(params.facets)
    relevance = params.sort == "relevance" and bool(params.q)
    words = analyse(params.q, searcher.schema, OFFICER_FIELDS, ALIASES) if params.q else []
    scores = None
    if words is None:
        if mask.any():
            mask &= columns.mask_of(searcher.docs_for_query(parsed))
    elif words:
        matched, scores = columns.match(searcher, words, scored=relevance)
        mask &= matched
    total = int(np.count_nonzero(mask))
    if relevance and words is None:
        clauses = [parsed] + [Q.Term(name, value) for name, value in params.facets]
        page = search_allowed(searcher, Q.And(clauses) if len(clauses) > 1 else parsed, principals,
                              pagenum=params.page, pagelen=params.size)
        docs = [hit.docnum for hit in page] if params.page <= page.pagecount else []
    else:
        docs = columns.page(mask, params.page, params.size, scores if relevance else None)
    items = [_officer_item(searcher.stored_fields(d), _snippet(searcher, parsed, d)) for d in docs]
    return {"total": total, "page": params.page, "size": params.size,
            "pages": max(1, -(-total // params.size)), "items": items,
            "facets": columns.facet_counts(mask, FACETS)}


def _fragmenter():
    return ContextFragmenter(maxchars=200, surround=40)


def _formatter():
    return HtmlFormatter(tagname="mark", classname="hl", termclass="t")


def _snippet(searcher, query, docnum):
    """The highlighted excerpt of a hit found by its date, as Whoosh
    highlights a hit found by relevance."""
    stored = searcher.stored_fields(docnum)
    if not stored.get("excerpt") or stored.get("kind") == "permit":
        return ""
    terms = {text for name, text in query.iter_all_terms() if name == "text"}
    if not terms:
        return ""
    analyzer = searcher.schema["text"].analyzer
    return highlight(stored["excerpt"], terms, analyzer, _fragmenter(), _formatter()) or ""


def _officer_item(stored, snippet):
    return {"uid": stored["uid"], "kind": stored.get("kind"),
            "number": stored.get("nomor", ""), "title": stored.get("title", ""),
            "state": stored.get("state", ""), "service": stored.get("service", ""),
            "agency": stored.get("agency", ""), "kecamatan": stored.get("kecamatan", ""),
            "year": stored.get("year", ""), "path": stored.get("path", ""),
            "date": stored["date"].isoformat() if stored.get("date") else None,
            "snippet": snippet, "scan_only": stored.get("scan_only", 0)}


# -- public permits ------------------------------------------------------

@dataclass
class PublicParams:
    q: str = ""
    service: str = ""
    kecamatan: str = ""
    issued_from: dt.date = None
    issued_to: dt.date = None
    page: int = 1
    size: int = 20
    sort: str = "date"           # newest first; "relevance" ranks words (Whoosh BM25F)


def public_params(get):
    q = (get.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        raise SearchError(_("Kata kunci terlalu panjang (paling banyak ${n} karakter).",
                            mapping={"n": MAX_QUERY}), "q")
    params = PublicParams(
        q, (get.get("service") or "").strip()[:100], (get.get("kecamatan") or "").strip()[:100],
        parse_date(get.get("issued_from"), "issued_from"), parse_date(get.get("issued_to"), "issued_to"),
        _int(get.get("page"), 1, "page", MAX_PAGE), _int(get.get("size"), 20, "size", MAX_SIZE),
        get.get("sort") or "date")
    if params.sort not in SORTS:
        raise SearchError(_("Urutan tidak dikenal: pilih relevance atau date."), "sort")
    if params.issued_from and params.issued_to and params.issued_from > params.issued_to:
        raise SearchError(_("Tanggal awal (issued_from) harus sebelum tanggal akhir (issued_to)."),
                          "issued_from")
    return params


def _day_start(day):
    return dt.datetime(day.year, day.month, day.day)


def public_search(service, params):
    """Issued permits, from the public register (a separate index that
    holds public fields only). Plain words are matched, ranked and paged
    on the register's arrays (``search.columns``); other syntax goes
    through Whoosh."""
    searcher = service.public_searcher()
    start = _day_start(params.issued_from) if params.issued_from else None
    end = (_day_start(params.issued_to) + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
           if params.issued_to else None)
    filters = [(name, value) for name, value in (("service", params.service),
                                                 ("kecamatan", params.kecamatan)) if value]
    words = analyse(params.q, searcher.schema) if params.q else []
    if words is None:
        return whoosh_public_search(searcher, params, filters, start, end)
    columns = service.public_columns.generation(searcher)
    mask = columns.facet_mask(filters) & columns.date_mask(start, end)
    relevance = params.sort == "relevance" and bool(params.q)
    scores = None
    if words:
        matched, scores = columns.match(searcher, words, scored=relevance)
        mask &= matched
    total = int(np.count_nonzero(mask))
    docs = columns.page(mask, params.page, params.size, scores if relevance else None)
    return {"items_total": total, "page": params.page, "size": params.size,
            "pages": max(1, -(-total // params.size)),
            "items": [public_item(searcher.stored_fields(d)) for d in docs]}


def whoosh_public_search(searcher, params, filters, start, end):
    """The same search through Whoosh's parser: any query syntax, relevance order."""
    parsed = parse_query(searcher.schema, params.q, PUBLIC_FIELDS, PUBLIC_ALIASES)
    clauses = [parsed] + [Q.Term(name, value) for name, value in filters]
    if start or end:
        clauses.append(Q.DateRange("issued_at", start, end))
    q = Q.And(clauses) if len(clauses) > 1 else parsed
    kw = {}
    if not params.q or params.sort == "date":
        kw["sortedby"] = sorting.FieldFacet("issued_at", reverse=True)
    page = searcher.search_page(q, params.page, pagelen=params.size, **kw)
    items = []
    if params.page <= page.pagecount or page.total == 0:
        for hit in page:
            items.append(public_item(hit.fields()))
    return {"items_total": page.total, "page": params.page, "size": params.size,
            "pages": max(1, -(-page.total // params.size)), "items": items}


def public_item(stored):
    issued = stored.get("issued_at")
    return {"permit_number": stored.get("permit_number", ""),
            "service": stored.get("service_title") or stored.get("service", ""),
            "service_code": stored.get("service", ""),
            "holder": stored.get("holder", ""), "kecamatan": stored.get("kecamatan", ""),
            "issued_at": issued.date().isoformat() if issued else None,
            "valid_until": stored.get("valid_until") or None, "state": stored.get("state", ""),
            "verification_token": stored.get("token") or None}


PERIODS = ("hari", "minggu", "bulan", "tahun")


def period_range(period, day):
    """[start, end) dates of the day, ISO week, month or year containing ``day``."""
    if period == "hari":
        return day, day + dt.timedelta(days=1)
    if period == "minggu":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=7)
    if period == "bulan":
        start = day.replace(day=1)
        end = (start.replace(year=start.year + 1, month=1) if start.month == 12
               else start.replace(month=start.month + 1))
        return start, end
    if period == "tahun":
        return day.replace(month=1, day=1), day.replace(year=day.year + 1, month=1, day=1)
    raise SearchError(_("Periode tidak dikenal: pilih hari, minggu, bulan atau tahun."), "periode")


def issued_in(service, period, day, page=1, size=50):
    start, end = period_range(period, day)
    params = PublicParams(issued_from=start, issued_to=end - dt.timedelta(days=1), page=page, size=size)
    result = public_search(service, params)
    result.update(start=start, end=end - dt.timedelta(days=1), period=period)
    return result
