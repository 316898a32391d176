"""``GET /api/v1/stats``: the dashboard figures as JSON (see openapi.yaml).

A supervisor's token (VIEW_STATISTICS site-wide: Pengawas, the DPMPTSP
head, admin) sees every agency; an agency head's token sees only its own
agency (asking for another one is refused); anyone else gets 403.
"""
from pyramid.view import view_config

from silat.api import api_view
from silat.api.errors import ApiError
from silat.i18n import _
from silat.reports import figures as F
from silat.security.permissions import USE_SITE, VIEW_STATISTICS
from silat.workflow.calendar import local_date
from silat.workflow.sla import utcnow

ROUTES = (("api.stats", "/api/v1/stats"),)


def allowed_agency(request):
    """None for a supervisor, the agency code for an agency head; else ApiError 403."""
    site = request.context
    if request.has_permission(VIEW_STATISTICS, site):
        return None
    code = getattr(request.user, "agency", None)
    agency = site["opd"].get(code) if code else None
    if agency is not None and request.has_permission(VIEW_STATISTICS, agency):
        return code
    raise ApiError(403, "forbidden", _("Anda tidak berhak melihat statistik."))


@view_config(**api_view(route_name="api.stats", request_method="GET", permission=USE_SITE))
def stats(context, request):
    agency = allowed_agency(request)
    wanted = request.params.get("agency", "").strip()
    if agency is not None and wanted and wanted != agency:
        raise ApiError(403, "forbidden", _("Anda hanya dapat melihat statistik perangkat daerah Anda."))
    today = local_date(utcnow())
    try:
        filters = F.Filters.parse(request.params, today, agency=agency)
    except F.FilterError as bad:
        raise ApiError(422, "invalid_input", bad.reason)
    return F.compute(context, filters, today, request.registry)
