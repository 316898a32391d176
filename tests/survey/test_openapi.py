"""The per-package OpenAPI files describe exactly the routes registered."""
from pathlib import Path

import yaml

import silat

PACKAGES = ("complaints", "information", "survey")


def test_openapi_paths_match_routes(app):
    from pyramid.interfaces import IRoutesMapper
    patterns = {r.pattern for r in app.registry.getUtility(IRoutesMapper).get_routes()}
    for package in PACKAGES:
        spec = yaml.safe_load((Path(silat.__file__).parent / package / "openapi.yaml").read_text())
        assert spec["openapi"].startswith("3.")
        for path in spec["paths"]:
            assert path in patterns, (package, path)
