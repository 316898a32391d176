"""Searching the index: the officer search (permission-filtered, with
facets) and the public search of issued permits.

Permission filtering happens inside the query: the caller's principals
become a filter on ``allowed``, whose matching document set is cached per
(searcher generation, principals). Counts, facets and pages are computed
over the filtered set only, and no ZODB object is loaded to build a page.
"""
import datetime as dt
import threading
from dataclasses import dataclass, field

from whoosh import qparser, query as Q, sorting
from whoosh.highlight import ContextFragmenter, HtmlFormatter

from silat.i18n import _
from silat.search.schema import FACETS

MAX_QUERY = 500
MAX_PAGE = 1000
MAX_SIZE = 100
OFFICER_FIELDS = ("nomor", "title", "pemohon", "layanan", "text", "identity")
PUBLIC_FIELDS = ("nomor", "title", "pemohon", "layanan", "kecamatan_name")
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


def _parser(schema, fields):
    parser = qparser.MultifieldParser(list(fields), schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.PrefixPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({k: v for k, v in ALIASES.items() if k in fields}))
    return parser


def parse_query(schema, text, fields):
    """The user's query, refused when it names a field it may not use."""
    if not text:
        return Q.Every()
    try:
        parsed = _parser(schema, fields).parse(text)
    except Exception:
        raise SearchError(_("Kata kunci tidak dapat dibaca; periksa tanda kutip dan kurung."), "q")
    for leaf in parsed.leaves():
        name = getattr(leaf, "fieldname", None)
        if name is not None and name not in fields:
            raise SearchError(_("Kolom pencarian tidak dikenal: ${name}. Gunakan nomor:, pemohon: atau layanan:.",
                                mapping={"name": name}), "q")
    if parsed is Q.NullQuery:
        return Q.Every()
    return parsed


class FilterCache:
    """Document sets of permission filters, per searcher generation."""

    def __init__(self, size=256):
        self.size = size
        self._data = {}
        self._generation = None
        self._lock = threading.Lock()

    def get(self, service, searcher, key, make_query):
        with self._lock:
            if self._generation != service.generation:
                self._data, self._generation = {}, service.generation
            found = self._data.get(key)
        if found is None:
            found = set(searcher.docs_for_query(make_query()))
            with self._lock:
                if len(self._data) >= self.size:
                    self._data.clear()
                self._data[key] = found
        return found


class _PerService:
    """Each index service has its own filter cache."""

    def get(self, service, searcher, key, make_query):
        cache = getattr(service, "filter_cache", None)
        if cache is None:
            cache = service.filter_cache = FilterCache()
        return cache.get(service, searcher, key, make_query)


FILTERS = _PerService()


def _permission_query(principals):
    return Q.Or([Q.Term("allowed", p) for p in principals])


def _facet_map():
    return sorting.Facets({name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS})


def officer_search(service, principals, params):
    searcher = service.searcher()
    parsed = parse_query(searcher.schema, params.q, OFFICER_FIELDS)
    clauses = [parsed] + [Q.Term(name, value) for name, value in params.facets]
    q = Q.And(clauses) if len(clauses) > 1 else parsed
    allowed = FILTERS.get(service, searcher, ("perm",) + tuple(principals),
                          lambda: _permission_query(principals))
    kw = {"filter": allowed, "groupedby": _facet_map(), "terms": True}
    if params.sort == "date":
        kw["sortedby"] = sorting.FieldFacet("date", reverse=True)
    page = searcher.search_page(q, params.page, pagelen=params.size, **kw)
    results = page.results
    results.fragmenter = ContextFragmenter(maxchars=200, surround=40)
    results.formatter = HtmlFormatter(tagname="mark", classname="hl", termclass="t")
    items = []
    if params.page <= page.pagecount or page.total == 0:
        for hit in page:
            stored = hit.fields()
            snippet = ""
            if stored.get("excerpt") and stored.get("kind") != "permit":
                snippet = hit.highlights("text", text=stored["excerpt"]) or ""
            items.append({"uid": stored["uid"], "kind": stored.get("kind"),
                          "number": stored.get("nomor", ""), "title": stored.get("title", ""),
                          "state": stored.get("state", ""), "service": stored.get("service", ""),
                          "agency": stored.get("agency", ""), "kecamatan": stored.get("kecamatan", ""),
                          "year": stored.get("year", ""), "path": stored.get("path", ""),
                          "date": stored["date"].isoformat() if stored.get("date") else None,
                          "snippet": snippet, "scan_only": stored.get("scan_only", 0)})
    facets = {name: dict(sorted(results.groups(name).items(), key=lambda kv: (-kv[1], str(kv[0]))))
              for name in FACETS}
    for counts in facets.values():
        counts.pop(None, None)
        counts.pop("", None)
    return {"total": page.total, "page": params.page, "size": params.size,
            "pages": max(1, -(-page.total // params.size)), "items": items, "facets": facets}


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


def public_params(get):
    q = (get.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        raise SearchError(_("Kata kunci terlalu panjang (paling banyak ${n} karakter).",
                            mapping={"n": MAX_QUERY}), "q")
    params = PublicParams(
        q, (get.get("service") or "").strip()[:100], (get.get("kecamatan") or "").strip()[:100],
        parse_date(get.get("issued_from"), "issued_from"), parse_date(get.get("issued_to"), "issued_to"),
        _int(get.get("page"), 1, "page", MAX_PAGE), _int(get.get("size"), 20, "size", MAX_SIZE))
    if params.issued_from and params.issued_to and params.issued_from > params.issued_to:
        raise SearchError(_("Tanggal awal (issued_from) harus sebelum tanggal akhir (issued_to)."),
                          "issued_from")
    return params


def _day_start(day):
    return dt.datetime(day.year, day.month, day.day)


def public_search(service, params):
    """Issued permits; only the public stored fields are read."""
    searcher = service.searcher()
    parsed = parse_query(searcher.schema, params.q, PUBLIC_FIELDS)
    clauses = [parsed]
    if params.service:
        clauses.append(Q.Term("service", params.service))
    if params.kecamatan:
        clauses.append(Q.Term("kecamatan", params.kecamatan))
    if params.issued_from or params.issued_to:
        start = _day_start(params.issued_from) if params.issued_from else None
        end = (_day_start(params.issued_to) + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
               if params.issued_to else None)
        clauses.append(Q.DateRange("issued_at", start, end))
    q = Q.And(clauses) if len(clauses) > 1 else parsed
    public = FILTERS.get(service, searcher, ("public",), lambda: Q.Term("public", "y"))
    kw = {"filter": public}
    if not params.q:
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
            "verification_token": stored.get("excerpt") or None}


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
