"""``/api/v1/applications/{registration_number}/transitions[/{name}]``.

GET lists the transitions the caller may take now; POST ``{"comment"}``
takes one: 200 with the new state, 404 when the caller may not see the
dossier, 403 when the transition is not theirs, 409 when it is not
possible now (with the reason), 422 when a reason is missing.
"""
from pyramid.view import view_config

from silat.api import api_view
from silat.api.auth import json_body
from silat.api.errors import ApiError
from silat.i18n import _
from silat.security.permissions import EDIT_DOSSIER, USE_SITE, VIEW_DOSSIER
from silat.workflow.engine import WorkflowError, available, transition, workflow_for
from silat.workflow.sla import due_soon_days, sla_status
from silat.workflow.calendar import local_date
from silat.workflow.sla import utcnow

BASE = "/api/v1/applications/{registration_number}/transitions"
ROUTES = (
    ("api.applications.transitions", BASE),
    ("api.applications.transition", BASE + "/{name}"),
)


def _dossier(request):
    dossier = request.context["berkas"].get(request.matchdict["registration_number"])
    if dossier is None or not request.has_permission(VIEW_DOSSIER, dossier):
        raise ApiError(404, "not_found", _("Permohonan tidak ditemukan."))
    return dossier


def state_body(dossier, request):
    translate = request.localizer.translate
    mark, remaining = sla_status(dossier, local_date(utcnow()),
                                 due_soon_days(request.registry.settings))
    return {
        "registration_number": dossier.registration_number,
        "state": dossier.state,
        "state_title": translate(workflow_for(dossier).states[dossier.state].title),
        "due_date": dossier.due_date.isoformat() if dossier.due_date else None,
        "sla": {"mark": mark, "remaining_working_days": remaining},
        "may_edit": bool(request.has_permission(EDIT_DOSSIER, dossier)),
        "transitions": [{"name": t.name, "title": translate(t.title), "needs_comment": t.needs_comment}
                        for t in available(dossier, request)],
    }


@view_config(**api_view(route_name="api.applications.transitions", request_method="GET",
                        permission=USE_SITE))
def list_transitions(context, request):
    return state_body(_dossier(request), request)


@view_config(**api_view(route_name="api.applications.transition", request_method="POST",
                        permission=USE_SITE))
def take_transition(context, request):
    dossier = _dossier(request)
    body = json_body(request)
    comment = body.get("comment", "")
    if not isinstance(comment, str) or len(comment) > 2000:
        raise ApiError(422, "invalid_input", _("Catatan harus berupa teks paling banyak 2000 karakter."),
                       {"comment": _("Teks paling banyak 2000 karakter.")})
    try:
        transition(dossier, request.matchdict["name"], request, comment=comment.strip())
    except WorkflowError as refused:
        raise ApiError(refused.status, refused.code, refused.reason)
    result = state_body(dossier, request)
    result["transition"] = request.matchdict["name"]
    return result
