"""Site-wide pages: front page, the role homes, error pages."""
from pyramid.csrf import get_csrf_token
from pyramid.events import BeforeRender, subscriber


@subscriber(BeforeRender)
def add_globals(event):
    request = event.get("request")
    if request is not None and "csrf_token" not in event:
        event["csrf_token"] = get_csrf_token(request)


def includeme(config):
    config.scan(__name__)
