"""Technical recommendations: agency inboxes, dispositions, site
inspections and recommendation letters (see docs/permits.md)."""

ROUTES = (
    ("api.agency.requests", "/api/v1/agencies/{code}/requests"),
    ("api.recommendation", "/api/v1/applications/{registration_number}/recommendations/{agency_code}"),
)


def includeme(config):
    for name, pattern in ROUTES:
        config.add_api_route(name, pattern)
    config.scan(__name__)
