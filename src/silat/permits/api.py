"""API: a permit's public fields, and its PDF (for those who may read the dossier)."""
from pyramid.view import view_config

from silat.api import ApiError, api_view
from silat.i18n import _
from silat.permits.files import pdf_response
from silat.permits.registry import registry
from silat.permits.services import public_fields
from silat.resources.site import get_site
from silat.security import permissions as P


def _permit(request):
    site = get_site(request)
    permit = registry(site).by_number.get(request.matchdict["number"]) if "izin" in site else None
    if permit is None:
        raise ApiError(404, "not_found", _("Izin tidak ditemukan."))
    return permit


@view_config(**api_view(route_name="api.permit", request_method="GET", permission=P.VIEW))
def permit_json(context, request):
    permit = _permit(request)
    body = public_fields(permit, request)
    body["verification_url"] = getattr(permit, "verify_url", None)
    return body


@view_config(route_name="api.permit.pdf", request_method="GET", permission=P.USE_SITE,
             require_csrf=False)
def permit_pdf(context, request):
    permit = _permit(request)
    if not request.has_permission(P.VIEW_DOSSIER, permit.__parent__):
        raise ApiError(403, "forbidden", _("Anda tidak berhak melakukan tindakan ini."))
    return pdf_response(request, permit.pdf)
