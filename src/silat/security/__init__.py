"""Principals, authentication, roles, local roles, CSRF and throttling."""


def includeme(config):
    config.include("silat.security.setup")
    config.include("silat.security.headers")
