"""``POST /api/v1/surveys/{survey_token}``: 201 stored, 404 unknown
token, 409 already answered, 422 bad answers. The token in the path is
the credential (it is only given to the person served)."""
from pyramid.view import view_config

from silat.api import api_view
from silat.api.auth import json_body
from silat.api.errors import ApiError
from silat.i18n import _
from silat.security.permissions import VIEW
from silat.survey import store
from silat.survey.answers import check_answers
from silat.survey.methods import methods

ROUTES = (("api.surveys.answer", "/api/v1/surveys/{survey_token}"),)


def save_answer(request, site, token, body, channel):
    """Validate and store; raise ApiError. Shared with the web form."""
    info = store.token_info(site, token) if token is not None else None
    if token is not None and info is None:
        raise ApiError(404, "not_found", _("Tautan survei tidak dikenal."))
    if info is not None and info["answered"] is not None:
        raise ApiError(409, "already_answered", _("Survei untuk layanan ini sudah diisi."))
    name = body.get("method", store.DEFAULT_METHOD)
    method = methods(request.registry.settings).get(name) if isinstance(name, str) else None
    if method is None:
        raise ApiError(422, "invalid_input", _("Metode survei tidak dikenal."),
                       {"method": _("Pilih skm9 atau ikm14.")})
    suggestion = body.get("suggestion", "") or ""
    clean, errors = check_answers(method, body.get("answers"), suggestion)
    if errors:
        raise ApiError(422, "invalid_input", _("Jawaban survei belum lengkap atau tidak sah."), errors)
    service = body.get("service", "") if token is None else ""
    if not isinstance(service, str) or len(service) > 40:
        raise ApiError(422, "invalid_input", _("Kode layanan tidak sah."), {"service": _("Kode layanan tidak sah.")})
    return store.add_response(site, clean, method.name, suggestion, token=token, service=service,
                              agency="DPMPTSP" if token is None else "", channel=channel)


@view_config(**api_view(route_name="api.surveys.answer", request_method="POST", permission=VIEW))
def answer(context, request):
    save_answer(request, context, request.matchdict["survey_token"], json_body(request), "api")
    request.response.status_int = 201
    return {"status": "recorded"}
