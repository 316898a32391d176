"""Decision, fees, PBB check, permit issue/freeze/revoke/expiry, PAdES
signatures and the public verification page (see docs/permits.md)."""

ROUTES = (
    ("api.permit.pdf", r"/api/v1/permits/{number:.+}/pdf"),
    ("api.permit", r"/api/v1/permits/{number:.+}"),
)


def includeme(config):
    from silat.permits.interfaces import IPbbRecords
    from silat.permits.pbb import CsvPbbRecords
    from silat.resources.site import root_factory
    for name, pattern in ROUTES:
        config.add_api_route(name, pattern)
    # a route, not a view name: "/verifikasi" alone is the verifier's home
    config.add_route("permit.verify", "/verifikasi/{token}", factory=root_factory)
    if config.registry.queryUtility(IPbbRecords) is None:
        config.registry.registerUtility(CsvPbbRecords(), IPbbRecords)
    config.scan(__name__)
