"""The OpenAPI document at /api/v1/openapi.json describes exactly the API
routes and methods of the route table."""
import re

from silat.api.openapi import document


def _route_table(app):
    """{(path, method)} of every view on an /api/ route, path as in OpenAPI."""
    introspector = app.registry.introspector
    found = set()
    for route in introspector.get_category("routes"):
        pattern = route["introspectable"]["pattern"]
        if not pattern.startswith("/api/"):
            continue
        path = re.sub(r"\{(\w+):[^}]*\}", r"{\1}", pattern)
        for related in route["related"]:
            if related.category_name != "views":
                continue
            methods = related["request_methods"] or ("GET",)
            if isinstance(methods, str):
                methods = (methods,)
            found.update((path, m.lower()) for m in methods)
    return found


def test_the_document_covers_every_api_route_and_nothing_else(app):
    routes = _route_table(app)
    documented = {(path, method) for path, ops in document()["paths"].items() for method in ops}
    assert routes, "no API routes found"
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "documented operations that do not exist"


def test_the_document_is_served_and_valid(testapp):
    import schemathesis
    body = testapp.get("/api/v1/openapi.json").json
    assert body["openapi"].startswith("3.")
    schema = schemathesis.openapi.from_dict(body)
    operations = [result.ok() for result in schema.get_all_operations()]   # raises if invalid
    assert len(operations) == sum(len(ops) for ops in body["paths"].values())
    every = [op for ops in body["paths"].values() for op in ops.values()]
    assert all("default" in op["responses"] for op in every if op["summary"] != "This document")
