"""``POST /api/v1/complaints`` (a token holder files: 201 with number and
tracking code, 422 bad input) and ``GET /api/v1/complaints/{number}?code=``
(public status and steps; 404 unless number and code match)."""
from pyramid.view import view_config

from silat.api import api_view
from silat.api.auth import json_body
from silat.api.errors import ApiError
from silat.complaints import service
from silat.i18n import _
from silat.security.permissions import USE_SITE, VIEW
from silat.workflow.sla import utcnow

ROUTES = (("api.complaints", "/api/v1/complaints"),
          ("api.complaints.status", "/api/v1/complaints/{number}"))


@view_config(**api_view(route_name="api.complaints", request_method="POST", permission=USE_SITE))
def file_complaint(context, request):
    body = json_body(request)
    anonymous = body.get("anonymous") is True
    clean, errors = service.check_input(body, anonymous)
    if errors:
        raise ApiError(422, "invalid_input", _("Data pengaduan belum lengkap atau tidak sah."), errors)
    channel, owner = service.channel_for(request, anonymous)
    complaint = service.file_complaint(context, clean, channel, owner, request.user.username)
    request.response.status_int = 201
    return {"number": complaint.number, "tracking_code": complaint.tracking_code}


@view_config(**api_view(route_name="api.complaints.status", request_method="GET", permission=VIEW))
def complaint_status(context, request):
    complaint = context["pengaduan"].get(request.matchdict["number"])
    if complaint is None or not hasattr(complaint, "code_matches") \
            or not complaint.code_matches(request.params.get("code")):
        raise ApiError(404, "not_found", _("Nomor atau kode pelacakan tidak cocok."))
    return service.public_status(complaint, request, utcnow())
