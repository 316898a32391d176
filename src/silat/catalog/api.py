"""``/api/v1/services``: the public, read-only catalog API."""
from pyramid.view import view_config

from silat.api import ApiError, api_view
from silat.catalog.model import CATEGORIES, TEXT_COMPONENTS
from silat.catalog.present import find_services
from silat.i18n import _
from silat.resources.site import get_site
from silat.security.permissions import VIEW

ROUTES = (
    ("api.catalog.services", "/api/v1/services"),
    ("api.catalog.service", "/api/v1/services/{code}"),
)


def _plain(value):
    return value.plain() if value is not None else None


def summary(service, rev):
    return {
        "code": service.code,
        "name": rev.name,
        "category": rev.category,
        "agency": rev.agency,
        "completion_time": _plain(rev.completion_time),
        "fee": _plain(rev.fee),
        "requires_recommendation_from": list(rev.recommendations_from),
    }


def full(request, service, rev):
    """The whole standard as JSON (``null`` = still to be configured)."""
    out = summary(service, rev)
    agency = get_site(request)["opd"].get(rev.agency)
    out.update({
        "revision": rev.number,
        "effective_date": rev.effective_date.isoformat(),
        "category_title": request.localizer.translate(CATEGORIES[rev.category]),
        "agency_name": agency.title if agency is not None else None,
        "legal_basis": list(rev.legal_basis) if rev.legal_basis else None,
        "requirements": [r.plain() for r in rev.requirements] if rev.requirements else None,
        "procedure": [s.plain() for s in rev.procedure] if rev.procedure else None,
        "validity": _plain(rev.validity),
        "classification_code": rev.classification_code,
        "to_configure": list(rev.to_configure),
        "url": request.resource_url(service),
    })
    for name in TEXT_COMPONENTS:
        out[name] = getattr(rev, name)
    return out


@view_config(**api_view(route_name="api.catalog.services", request_method="GET", permission=VIEW))
def list_services(context, request):
    params = request.GET
    category = params.get("category", "")
    if category and category not in CATEGORIES:
        raise ApiError(400, "invalid_category", _("Kategori tidak dikenal."),
                       {"category": _("Pilihan: ${choices}.",
                                      mapping={"choices": ", ".join(CATEGORIES)})})
    site = get_site(request)
    found = find_services(site, params.get("q", ""), params.get("agency", "").strip().upper(),
                          category)
    request.response.headers["X-Total-Count"] = str(len(found))
    return [summary(s, r) for s, r in sorted(found, key=lambda sr: sr[0].code)]


@view_config(**api_view(route_name="api.catalog.service", request_method="GET", permission=VIEW))
def get_service(context, request):
    """The standard in effect today, or revision ``?revision=n``."""
    code = request.matchdict["code"]
    service = get_site(request)["layanan"].get(code) or \
        get_site(request)["layanan"].get(code.upper())
    rev = service.current if service is not None else None
    wanted = request.GET.get("revision")
    if service is not None and wanted:
        try:
            rev = service.revision(int(wanted))
        except (KeyError, ValueError):
            raise ApiError(404, "not_found", _("Revisi ${n} tidak ada.", mapping={"n": wanted}))
    if rev is None:
        raise ApiError(404, "not_found", _("Layanan dengan kode ${code} tidak ditemukan.",
                                           mapping={"code": code}))
    return full(request, service, rev)
