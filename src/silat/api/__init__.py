"""The JSON API, version 1, under ``/api/v1/``.

Callers authenticate with ``Authorization: Bearer <token>`` (see
``silat.security.policy``); cookies are ignored here, so API views do
not take CSRF tokens. Every error has the body
``{"error": {"code", "message"}}`` (plus ``fields`` for invalid input).
"""
from silat.api.errors import ApiError, check_token


def api_view(**kw):
    """``view_config`` arguments every API view shares."""
    kw.setdefault("renderer", "json")
    kw.setdefault("require_csrf", False)
    return kw


ROUTES = (
    ("api.auth.token", "/api/v1/auth/token"),
    ("api.auth.me", "/api/v1/auth/me"),
    ("api.openapi", "/api/v1/openapi.json"),
)


def add_api_route(config, name, pattern):
    """Every API route traverses from the site root, so ACLs apply."""
    from silat.resources.site import root_factory
    config.add_route(name, pattern, factory=root_factory)


def includeme(config):
    config.add_directive("add_api_route", add_api_route)
    for name, pattern in ROUTES:
        config.add_api_route(name, pattern)
    config.add_subscriber(check_token, "pyramid.events.ContextFound")
    config.scan(__name__)


__all__ = ["ApiError", "api_view"]
