"""The error shape of the API and the exception views that produce it."""
from pyramid.httpexceptions import HTTPException
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config

from silat.i18n import _
from silat.security.policy import api_token_problem, is_api

API = r"^/api/"


class ApiError(Exception):
    """Raise from an API view to answer with the common error body."""

    def __init__(self, status, code, message, fields=None):
        super().__init__(code)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def error_body(request, code, message, fields=None):
    body = {"error": {"code": code, "message": request.localizer.translate(message)}}
    if fields:
        body["error"]["fields"] = {k: request.localizer.translate(v) for k, v in fields.items()}
    return body


_TOKEN_MESSAGES = {
    "invalid_token": _("Token API tidak sah."),
    "token_expired": _("Token API sudah kedaluwarsa atau dicabut."),
}


def check_token(event):
    """Refuse an API request whose bearer token is bad, whatever the view."""
    request = event.request
    if is_api(request):
        problem = api_token_problem(request)
        if problem:
            raise ApiError(401, problem, _TOKEN_MESSAGES[problem])


def _respond(request, status, body):
    request.response.status_int = status
    if status == 401:
        request.response.headers["WWW-Authenticate"] = 'Bearer realm="silat"'
    return body


def error_response(request, status, code, message, fields=None):
    """Answer with an error *without* aborting the transaction."""
    return _respond(request, status, error_body(request, code, message, fields))


@exception_view_config(ApiError, renderer="json")
def api_error(exc, request):
    return error_response(request, exc.status, exc.code, exc.message, exc.fields)


@forbidden_view_config(path_info=API, renderer="json")
def api_forbidden(request):
    if request.user is None:
        return _respond(request, 401, error_body(request, "authentication_required", _(
            "Perlu token API: kirim header Authorization: Bearer <token>.")))
    return _respond(request, 403, error_body(request, "forbidden", _(
        "Anda tidak berhak melakukan tindakan ini.")))


@notfound_view_config(path_info=API, renderer="json")
def api_not_found(request):
    return _respond(request, 404, error_body(request, "not_found", _("Tidak ditemukan.")))


@exception_view_config(HTTPException, path_info=API, renderer="json")
def api_http_error(exc, request):
    code = exc.title.lower().replace(" ", "_")
    return _respond(request, exc.code, error_body(request, code, _(exc.title)))
