"""``/api/v1/auth/token``: trade a username and password for a token."""
from pyramid.view import view_config

from silat.api import api_view
from silat.api.body import json_body  # noqa: F401 (the one JSON reader; re-exported)
from silat.api.errors import ApiError, error_response
from silat.i18n import _
from silat.resources.site import get_site
from silat.security import passwords, throttle, tokens
from silat.security.permissions import USE_SITE, VIEW
from silat.security.policy import bearer_token
from silat.security.principals import utcnow


def _iso(moment):
    return moment.isoformat().replace("+00:00", "Z")


@view_config(**api_view(route_name="api.auth.token", request_method="POST", permission=VIEW))
def create_token(context, request):
    body = json_body(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username:
        raise ApiError(422, "invalid_input", _("username dan password wajib diisi."),
                       {k: _("Wajib diisi.") for k in ("username", "password")
                        if not isinstance(body.get(k), str) or not body.get(k)})
    principals = get_site(request)["pengguna"]
    now = utcnow()
    wait = throttle.login_wait(principals, username, request.client_addr, now)
    if wait:
        from silat.security.views import throttle_message
        request.response.headers["Retry-After"] = str(wait)
        return error_response(request, 429, "too_many_attempts", throttle_message(wait))
    user = principals.find(username)
    if user is None:
        passwords.verify_dummy(password)
    if user is None or not user.check_password(password):
        throttle.record_failure(principals, username, request.client_addr, now)
        # returned, not raised: the failure count must be committed
        return error_response(request, 401, "invalid_credentials",
                              _("Nama pengguna atau kata sandi salah."))
    throttle.record_success(principals, username, request.client_addr)
    ttl = int(request.registry.settings.get("silat.api_token_hours", tokens.DEFAULT_TTL_HOURS))
    token, record = tokens.issue(principals, user.username, ttl, label=request.user_agent or "")
    request.response.status_int = 201
    return {"token": token, "expires_at": _iso(record.expires_at)}


@view_config(**api_view(route_name="api.auth.token", request_method="DELETE", permission=USE_SITE))
def revoke_token(context, request):
    tokens.revoke(get_site(request)["pengguna"], bearer_token(request))
    return {"revoked": True}


@view_config(**api_view(route_name="api.auth.me", request_method="GET", permission=USE_SITE))
def whoami(context, request):
    user = request.user
    return {"username": user.username, "title": user.title, "roles": list(user.roles),
            "agency": user.agency}
