"""The Pyramid security policy: who the caller is and what they may do.

Web pages identify the caller by the signed session cookie; the JSON API
(``/api/``) only by an ``Authorization: Bearer`` token, never by cookie,
which is why API views need no CSRF token. Permission is an ACL check
over the principals of the caller plus the local roles they hold on the
context and its parents.
"""
import time

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.csrf import new_csrf_token
from pyramid.interfaces import ISecurityPolicy
from zope.interface import implementer

from silat.resources.site import get_site
from silat.security import tokens
from silat.security.localroles import local_role_principals
from silat.security.principals import utcnow

SESSION_USER = "uid"
SESSION_EPOCH = "epoch"
SESSION_SEEN = "seen"


def is_api(request):
    return request.path_info.startswith("/api/")


def bearer_token(request):
    header = request.authorization
    if header and header.authtype.lower() == "bearer" and isinstance(header.params, str):
        return header.params.strip()
    return None


def api_token_problem(request):
    """For an API request with an Authorization header: None if the token is
    valid, else an error code ('invalid_token' or 'token_expired')."""
    if request.authorization is None:
        return None
    token = bearer_token(request)
    record = tokens.lookup(get_site(request)["pengguna"], token) if token else None
    if record is None:
        return "invalid_token"
    if not record.valid(utcnow()):
        return "token_expired"
    return None


def _api_user(request):
    token = bearer_token(request)
    principals = get_site(request)["pengguna"]
    record = tokens.lookup(principals, token) if token else None
    if record is None or not record.valid(utcnow()):
        return None
    return principals.get(record.username)


def _session_user(request, idle_timeout):
    session = request.session
    username = session.get(SESSION_USER)
    if not username:
        return None
    now = int(time.time())
    if idle_timeout and now - session.get(SESSION_SEEN, 0) > idle_timeout:
        session.invalidate()
        request.environ["silat.session_expired"] = True
        return None
    user = get_site(request)["pengguna"].get(username)
    if user is None or session.get(SESSION_EPOCH) != user.session_epoch:
        session.invalidate()
        return None
    if now - session.get(SESSION_SEEN, 0) > 60:
        session[SESSION_SEEN] = now
    return user


def get_user(request):
    """The logged-in User, or None (reified as ``request.user``)."""
    if is_api(request):
        user = _api_user(request)
    else:
        user = _session_user(request, request.registry.settings.get("silat.session_idle_seconds"))
    return user if user is not None and user.active else None


@implementer(ISecurityPolicy)
class SecurityPolicy:
    def __init__(self):
        self.acl = ACLHelper()

    def identity(self, request):
        return request.user

    def authenticated_userid(self, request):
        user = request.user
        return user.username if user is not None else None

    def principals(self, request, context):
        found = [Everyone]
        user = request.user
        if user is not None:
            found.append(Authenticated)
            found += user.principals()
        found += sorted(local_role_principals(context, found))
        return found

    def permits(self, request, context, permission):
        return self.acl.permits(context, self.principals(request, context), permission)

    def remember(self, request, userid, **kw):
        """Start a fresh session for ``userid`` (prevents session fixation)."""
        user = get_site(request)["pengguna"][userid]
        session = request.session
        session.invalidate()
        session[SESSION_USER] = userid
        session[SESSION_EPOCH] = user.session_epoch
        session[SESSION_SEEN] = int(time.time())
        new_csrf_token(request)
        return []

    def forget(self, request, **kw):
        request.session.invalidate()
        return []
