"""JSON API: ``GET /api/v1/search`` (token; permission-filtered like the
page) and ``GET /api/v1/permits`` (public search of issued permits)."""
from pyramid.view import view_config

from silat.api import ApiError, api_view
from silat.i18n import _
from silat.search import query as SQ
from silat.search.indexer import IndexUnavailable
from silat.search.views import UNAVAILABLE
from silat.search.security import query_principals
from silat.security import permissions as P


def _service(request):
    if request.search_index is None:
        raise ApiError(503, "search_unavailable", _("Indeks pencarian belum dikonfigurasi."))
    return request.search_index


def _bad(exc):
    return ApiError(400, "invalid_query", exc.message,
                    fields={exc.field: exc.message} if exc.field else None)


@view_config(**api_view(route_name="api.search", request_method="GET", permission=P.USE_SITE))
def search_api(context, request):
    try:
        params = SQ.officer_params(request.GET)
        result = SQ.officer_search(_service(request), query_principals(request.user), params)
    except SQ.SearchError as exc:
        raise _bad(exc)
    except IndexUnavailable:
        raise ApiError(503, "search_unavailable", UNAVAILABLE)
    return {"items_total": result["total"], "page": result["page"], "size": result["size"],
            "items": result["items"], "facets": result["facets"]}


@view_config(**api_view(route_name="api.permits.search", request_method="GET", permission=P.VIEW))
def permits_api(context, request):
    try:
        params = SQ.public_params(request.GET)
        result = SQ.public_search(_service(request), params)
    except SQ.SearchError as exc:
        raise _bad(exc)
    except IndexUnavailable:
        raise ApiError(503, "search_unavailable", UNAVAILABLE)
    items = [{k: item[k] for k in ("permit_number", "service", "holder", "kecamatan", "issued_at",
                                   "valid_until", "state")} for item in result["items"]]
    return {"items_total": result["items_total"], "page": result["page"], "size": result["size"],
            "items": items}
