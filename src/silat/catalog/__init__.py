"""Service standards (standar pelayanan) and agencies: model, seed data
loader, public catalog pages, admin forms and the catalog API."""


def includeme(config):
    from silat.catalog.api import ROUTES
    for name, pattern in ROUTES:
        config.add_api_route(name, pattern)
    config.scan(__name__)
