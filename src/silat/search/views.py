"""Pages: the officer search (``/cari``) and the public permit portal
(``/portal/izin`` and its Atom feed).

The portal lives under ``/portal/izin`` (URL dispatch) so that it never
collides with a permit container the permits package may keep at
``/izin``; tracking links go to the intake's ``/lacak`` page and each
permit links to the permits package's ``/verifikasi/{token}`` page.
"""
import datetime as dt
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from pyramid.response import Response
from pyramid.view import exception_view_config, view_config

from silat.catalog.loader import kecamatan
from silat.i18n import _
from silat.interfaces import ISite
from silat.search import query as SQ
from silat.search.indexer import IndexUnavailable
from silat.search.security import query_principals
from silat.security import permissions as P
from silat.present import facet_value_label

FACET_TITLES = {"service": _("Layanan"), "agency": _("OPD"), "state": _("Status"),
                "year": _("Tahun"), "kecamatan": _("Kecamatan")}
KIND_TITLES = {"dossier": _("Berkas"), "permit": _("Izin"), "recommendation": _("Rekomendasi"),
               "complaint": _("Pengaduan")}
PERIOD_TITLES = {"hari": _("Hari ini / per hari"), "minggu": _("Per minggu"),
                 "bulan": _("Per bulan"), "tahun": _("Per tahun")}


UNAVAILABLE = _("Pencarian sedang tidak tersedia: indeks pencarian sedang dibangun ulang. "
                "Silakan coba lagi beberapa menit lagi.")


def _unavailable(request):
    return request.search_index is None


@exception_view_config(IndexUnavailable, renderer="json")
def index_unavailable(exc, request):
    """Any caller of the search (the archive pages too) whose index is
    missing: a clear 503, never a 500; the rest of the site serves."""
    request.response.status_int = 503
    request.response.headers["Retry-After"] = "60"
    message = request.localizer.translate(UNAVAILABLE)
    if request.path.startswith("/api/"):
        from silat.api.errors import error_body
        return error_body(request, "search_unavailable", UNAVAILABLE)
    return Response(f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>503</title></head>"
                    f"<body><main><h1>503</h1><p class=\"search-error\">{escape(message)}</p></main></body></html>",
                    status=503, content_type="text/html", charset="utf-8",
                    headers={"Retry-After": "60"})


def _url(request, path, **params):
    items = []
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            items += [(key, v) for v in value]
        elif value not in (None, ""):
            items.append((key, value))
    return request.application_url + path + ("?" + urlencode(items) if items else "")


@view_config(context=ISite, name="cari", permission=P.USE_SITE, renderer="silat:templates/search/officer.pt")
def officer_page(context, request):
    result, error, params = None, None, None
    try:
        params = SQ.officer_params(request.GET)
        if _unavailable(request):
            raise SQ.SearchError(_("Indeks pencarian belum dikonfigurasi."))
        result = SQ.officer_search(request.search_index, query_principals(request.user), params)
    except SQ.SearchError as exc:
        error = exc.message
        request.response.status_int = 400
    except IndexUnavailable:
        error, result = UNAVAILABLE, None
        request.response.status_int = 503
    selected = params.facets if params else []

    def facet_url(name, value):
        chosen = [f"{n}:{v}" for n, v in selected] + [f"{name}:{value}"]
        return _url(request, "/cari", q=params.q, facet=chosen, sort=params.sort)

    def drop_url(name, value):
        chosen = [f"{n}:{v}" for n, v in selected if (n, v) != (name, value)]
        return _url(request, "/cari", q=params.q, facet=chosen, sort=params.sort)

    def page_url(number):
        return _url(request, "/cari", q=params.q, facet=[f"{n}:{v}" for n, v in selected],
                    sort=params.sort, page=number)

    return {"title": _("Pencarian"), "result": result, "error": error, "params": params,
            "q": request.GET.get("q", ""), "selected": selected, "facet_titles": FACET_TITLES,
            "label": facet_value_label,
            "kind_titles": KIND_TITLES, "facet_url": facet_url, "drop_url": drop_url,
            "page_url": page_url, "sort": params.sort if params else "relevance"}


QUOTE = {'"': "&quot;"}
SELECTED = ' selected="selected"'


def options(pairs, chosen):
    """The ``<option>`` elements of a select (value, label), ``chosen``
    selected, as one string: a template loop over the ~140 services cost
    the portal page more than its search."""
    return "".join(f'<option value="{escape(value, QUOTE)}"{SELECTED if value == chosen else ""}>'
                   f"{escape(label)}</option>" for value, label in pairs)


def _day(request):
    value = request.GET.get("tanggal")
    return SQ.parse_date(value, "tanggal") or dt.date.today()


@view_config(route_name="portal.izin", permission=P.VIEW, renderer="silat:templates/search/portal.pt")
def portal_page(context, request):
    result, listing, error = None, None, None
    period = request.GET.get("periode")
    try:
        if _unavailable(request):
            raise SQ.SearchError(_("Indeks pencarian belum dikonfigurasi."))
        if period:
            day = _day(request)
            page = SQ._int(request.GET.get("page"), 1, "page", SQ.MAX_PAGE)
            listing = SQ.issued_in(request.search_index, period, day, page=page)
        else:
            params = SQ.public_params(request.GET)
            result = SQ.public_search(request.search_index, params)
    except SQ.SearchError as exc:
        error = exc.message
        request.response.status_int = 400
    except IndexUnavailable:
        error, result, listing = UNAVAILABLE, None, None
        request.response.status_int = 503
    services = sorted(((s.code, s.title) for s in context["layanan"].values()), key=lambda x: x[1])

    def page_url(number):
        params = {k: v for k, v in request.GET.items() if k != "page"}
        return _url(request, "/portal/izin", page=number, **params)

    return {"title": _("Daftar Izin Terbit"), "result": result, "listing": listing, "error": error,
            "get": request.GET, "service_options": options(services, request.GET.get("service")),
            "kecamatan_options": options(((k["name"], k["name"]) for k in kecamatan()),
                                         request.GET.get("kecamatan")),
            "periods": PERIOD_TITLES, "page_url": page_url,
            "feed_url": _url(request, "/portal/izin/feed.atom", periode=period,
                             tanggal=request.GET.get("tanggal")),
            "verify_url": lambda token: f"{request.application_url}/verifikasi/{token}",
            "period_url": lambda p: _url(request, "/portal/izin", periode=p,
                                         tanggal=request.GET.get("tanggal"))}


def _atom_time(value):
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    return dt.datetime.combine(value, dt.time()).isoformat() + "Z"


@view_config(route_name="portal.izin.feed", permission=P.VIEW)
def portal_feed(context, request):
    """Atom feed of issued permits: the newest 50, or one day/week/month/year."""
    period = request.GET.get("periode")
    try:
        if _unavailable(request):
            raise SQ.SearchError(_("Indeks pencarian belum dikonfigurasi."))
        if period:
            result = SQ.issued_in(request.search_index, period, _day(request), size=100)
        else:
            result = SQ.public_search(request.search_index, SQ.PublicParams(size=50))
    except SQ.SearchError as exc:
        return Response(request.localizer.translate(exc.message), status=400,
                        content_type="text/plain", charset="utf-8")
    except IndexUnavailable:
        return Response(request.localizer.translate(UNAVAILABLE), status=503,
                        content_type="text/plain", charset="utf-8", headers={"Retry-After": "60"})
    translate = request.localizer.translate
    base = request.application_url
    self_url = request.url
    updated = max((item["issued_at"] for item in result["items"] if item["issued_at"]),
                  default=dt.date.today().isoformat())
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<title>{escape(translate(_('Izin terbit - DPMPTSP Kota Bekasi')))}</title>",
             f"<id>{escape(self_url)}</id>",
             f'<link rel="self" href="{escape(self_url)}"/>',
             f'<link rel="alternate" href="{escape(base)}/portal/izin"/>',
             f"<updated>{_atom_time(dt.date.fromisoformat(updated))}</updated>",
             "<author><name>DPMPTSP Kota Bekasi</name></author>"]
    for item in result["items"]:
        token = item.get("verification_token")
        link = f"{base}/verifikasi/{token}" if token else \
            f"{base}/portal/izin?{urlencode({'q': 'nomor:' + chr(34) + item['permit_number'] + chr(34)})}"
        issued = _atom_time(dt.date.fromisoformat(item["issued_at"])) if item["issued_at"] else \
            _atom_time(dt.date.today())
        summary = " - ".join(x for x in (item["service"], item["holder"], item["kecamatan"],
                                         item["issued_at"], item["state"]) if x)
        parts += ["<entry>",
                  f"<title>{escape(item['permit_number'])} - {escape(item['service'])}</title>",
                  f"<id>urn:silat:izin:{escape(item['permit_number'])}</id>",
                  f'<link href="{escape(link)}"/>',
                  f"<updated>{issued}</updated>",
                  f"<summary>{escape(summary)}</summary>",
                  "</entry>"]
    parts.append("</feed>")
    return Response("\n".join(parts), content_type="application/atom+xml", charset="utf-8")
