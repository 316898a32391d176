"""``POST /api/v1/information-requests`` (201 number, tracking code,
due date; 422 bad input) and ``GET .../{number}?code=`` (public status)."""
from pyramid.view import view_config

from silat.api import api_view
from silat.api.auth import json_body
from silat.api.errors import ApiError
from silat.i18n import _
from silat.information import service
from silat.security.permissions import USE_SITE, VIEW

ROUTES = (("api.information", "/api/v1/information-requests"),
          ("api.information.status", "/api/v1/information-requests/{number}"))


@view_config(**api_view(route_name="api.information", request_method="POST", permission=USE_SITE))
def file_request(context, request):
    clean, errors = service.check_input(json_body(request))
    if errors:
        raise ApiError(422, "invalid_input", _("Data permohonan informasi belum lengkap atau tidak sah."),
                       errors)
    obj = service.file_request(context, clean, request.user.username, request.user.username)
    request.response.status_int = 201
    return {"number": obj.number, "tracking_code": obj.tracking_code,
            "due_date": obj.answer_due.isoformat()}


@view_config(**api_view(route_name="api.information.status", request_method="GET", permission=VIEW))
def request_status(context, request):
    obj = context["informasi"].get(request.matchdict["number"])
    if obj is None or not hasattr(obj, "code_matches") or not obj.code_matches(request.params.get("code")):
        raise ApiError(404, "not_found", _("Nomor atau kode pelacakan tidak cocok."))
    return service.public_status(obj, request)
