"""The API described as an OpenAPI 3 document, served at
``/api/v1/openapi.json``.

``tests/api/test_openapi.py`` checks that every API route and method of
the route table is described here (and nothing else), and
``tests/api/test_fuzz.py`` runs schemathesis over this document: no 5xx,
and every response matches what is documented.
"""
import functools
from importlib import resources

import yaml
from pyramid.view import view_config

from silat.api import api_view
from silat.security.permissions import VIEW


def _nullable(kind, **kw):
    return {"type": kind, "nullable": True, **kw}


TEXT = {"type": "string"}
ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": TEXT, "message": TEXT,
                       "fields": {"type": "object", "additionalProperties": TEXT}}}},
}
APPLICATION_SUMMARY = {
    "type": "object",
    "required": ["registration_number", "status", "status_title", "service", "tracking_code"],
    "properties": {"registration_number": TEXT, "status": TEXT, "status_title": TEXT,
                   "service": TEXT, "service_name": TEXT, "service_revision": {"type": "integer"},
                   "created": _nullable("string"), "modified": _nullable("string"),
                   "submitted": _nullable("string"), "due_date": _nullable("string"),
                   "tracking_code": TEXT},
}
APPLICATION = {
    "allOf": [APPLICATION_SUMMARY, {
        "type": "object",
        "required": ["applicant", "location", "fields", "documents", "missing_requirements",
                     "checklist", "history"],
        "properties": {"applicant": {"type": "object"}, "location": {"type": "object"},
                       "fields": {"type": "object"},
                       "documents": {"type": "array", "items": {"type": "object"}},
                       "missing_requirements": {"type": "array", "items": TEXT},
                       "checklist": {"type": "object"},
                       "history": {"type": "array", "items": {"type": "object"}}}}],
}
STATE = {
    "type": "object", "required": ["registration_number", "state", "state_title", "transitions"],
    "properties": {"registration_number": TEXT, "state": TEXT, "state_title": TEXT,
                   "due_date": _nullable("string"), "sla": {"type": "object"},
                   "may_edit": {"type": "boolean"},
                   "transitions": {"type": "array", "items": {
                       "type": "object", "required": ["name", "title"],
                       "properties": {"name": TEXT, "title": TEXT,
                                      "needs_comment": {"type": "boolean"}}}}},
}
SERVICE = {
    "type": "object", "required": ["code", "name", "category", "agency"],
    "properties": {"code": TEXT, "name": TEXT, "category": TEXT, "agency": _nullable("string"),
                   "completion_time": _nullable("object"), "fee": _nullable("object"),
                   "requires_recommendation_from": {"type": "array", "items": TEXT}},
}
PERMIT_ITEM = {
    "type": "object", "required": ["permit_number", "service", "holder", "state"],
    "properties": {"permit_number": TEXT, "service": TEXT, "holder": TEXT,
                   "kecamatan": _nullable("string"), "issued_at": _nullable("string"),
                   "valid_until": _nullable("string"), "state": TEXT},
}
PAGE = {"items_total": {"type": "integer", "minimum": 0}, "page": {"type": "integer"},
        "size": {"type": "integer"}}
DATE = {"type": "string", "format": "date"}


CHECKLIST = {
    "type": "object", "required": ["registration_number", "status", "checklist"],
    "properties": {"registration_number": TEXT, "status": TEXT,
                   "modified": _nullable("string"),
                   "checklist": {"type": "object", "additionalProperties": {"type": "object"}}},
}


def _json(schema):
    return {"content": {"application/json": {"schema": schema}}}


def _ok(description, schema, status="200"):
    return {status: {"description": description, **_json(schema)}}


def _errors(*statuses):
    """The documented error statuses; ``default`` keeps the error body for
    the rest (400 for a body that is not JSON, 401 for a bad token, 405...)."""
    out = {str(s): {"description": "error", **_json(ERROR)} for s in statuses}
    out["default"] = {"description": "error", **_json(ERROR)}
    return out


def _path(name, description="", schema=TEXT, example=None):
    out = {"name": name, "in": "path", "required": True, "schema": schema,
           "description": description}
    if example:
        out["example"] = example
    return out


def _query(name, schema=TEXT, description=""):
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _body(schema, required=True):
    return {"requestBody": {"required": required, **_json(schema)}}


def op(summary, responses, params=(), auth=True, **extra):
    out = {"summary": summary, "parameters": list(params), "responses": responses, **extra}
    if not auth:
        out["security"] = []
    return out


NEW_APPLICATION = {
    "type": "object", "required": ["service"],
    "properties": {
        "service": {"type": "string", "maxLength": 100, "description": "service code",
                    "example": "IMB"},
        "applicant": {"type": "object", "additionalProperties": TEXT},
        "location": {"type": "object", "additionalProperties": TEXT},
        "fields": {"type": "object", "additionalProperties": TEXT}}}
NUMBER = _path("number", "registration number", example="SILAT-2026-900001")
REG = _path("registration_number", "registration number", example="SILAT-2026-900001")
PAGING = [_query("page", {"type": "integer", "minimum": 1}),
          _query("size", {"type": "integer", "minimum": 1, "maximum": 100})]

PATHS = {
    "/api/v1/openapi.json": {
        "get": op("This document", {"200": {"description": "OpenAPI 3 document",
                                            **_json({"type": "object"})}}, auth=False)},
    "/api/v1/auth/token": {
        "post": op("Trade username and password for a token", {
            **_ok("token", {"type": "object", "required": ["token", "expires_at"],
                            "properties": {"token": TEXT, "expires_at": TEXT}}, "201"),
            **_errors(400, 401, 413, 422, 429)}, auth=False, **_body({
                "type": "object", "required": ["username", "password"],
                "properties": {"username": TEXT, "password": TEXT}})),
        "delete": op("Revoke the token of this request", {
            **_ok("revoked", {"type": "object", "properties": {"revoked": {"type": "boolean"}}}),
            **_errors(401)}),
    },
    "/api/v1/auth/me": {
        "get": op("Who the token belongs to", {
            **_ok("the user", {"type": "object", "required": ["username", "roles"],
                               "properties": {"username": TEXT, "title": TEXT,
                                              "roles": {"type": "array", "items": TEXT},
                                              "agency": _nullable("string")}}),
            **_errors(401)}),
    },
    "/api/v1/services": {
        "get": op("Service standards (public)", {
            **_ok("services", {"type": "array", "items": SERVICE}), **_errors(400)},
            [_query("q"), _query("agency"), _query("category")], auth=False),
    },
    "/api/v1/services/{code}": {
        "get": op("One service standard (public)", {
            **_ok("the standard", SERVICE), **_errors(404)},
            [_path("code", example="IMB"), _query("revision", {"type": "integer"})], auth=False),
    },
    "/api/v1/search": {
        "get": op("Search what the caller may see", {
            **_ok("hits", {"type": "object", "required": ["items_total", "items"],
                           "properties": {**PAGE, "items": {"type": "array"},
                                          "facets": {"type": "object"}}}),
            **_errors(400, 401, 503)},
            [_query("q"), _query("facet", {"type": "array", "items": TEXT}),
             _query("sort", {"type": "string", "enum": ["relevance", "date"]}),
             *PAGING]),
    },
    "/api/v1/permits": {
        "get": op("Search issued permits (public fields only)", {
            **_ok("permits", {"type": "object", "required": ["items_total", "items"],
                              "properties": {**PAGE, "items": {"type": "array",
                                                               "items": PERMIT_ITEM}}}),
            **_errors(400, 503)},
            [_query("q"), _query("service"), _query("kecamatan"), _query("issued_from", DATE),
             _query("issued_to", DATE), *PAGING], auth=False),
    },
    "/api/v1/permits/{number}": {
        "get": op("A permit's public fields", {
            **_ok("the permit", {"type": "object", "required": ["number", "state"],
                                 "properties": {"number": TEXT, "state": TEXT,
                                                "holder": TEXT}}),
            **_errors(404)}, [_path("number", "permit number")], auth=False),
    },
    "/api/v1/permits/{number}/pdf": {
        "get": op("The permit PDF (for those who may read the dossier)", {
            "200": {"description": "PDF", "content": {"application/pdf": {
                "schema": {"type": "string", "format": "binary"}}}},
            **_errors(401, 403, 404)}, [_path("number", "permit number")]),
    },
    "/api/v1/applications": {
        "get": op("The caller's own applications", {
            **_ok("applications", {"type": "array", "items": APPLICATION_SUMMARY}),
            **_errors(401, 403)}),
        "post": op("File a new application: a draft (JSON), or in one request with its "
                   "documents and, with \"submit\": true, submitted (multipart)", {
            **_ok("the new application", APPLICATION, "201"),
            **_errors(400, 401, 403, 409, 413, 415, 422)}, requestBody={
                "required": True, "content": {
                    "application/json": {"schema": NEW_APPLICATION},
                    "multipart/form-data": {"schema": {
                        "type": "object", "required": ["application"],
                        "description": "one file part per requirement, named by its key",
                        "properties": {"application": {
                            "type": "string", "description": "JSON: the application/json body, "
                            "plus optional \"submit\" and \"declaration\" (booleans)"}},
                        "additionalProperties": {"type": "string", "format": "binary"}}}}}),
    },
    "/api/v1/applications/{number}": {
        "get": op("One application", {**_ok("the application", APPLICATION), **_errors(401, 404)},
                  [NUMBER]),
    },
    "/api/v1/applications/{number}/checklist": {
        "get": op("The verifier's checklist of the requirements",
                  {**_ok("the checklist", CHECKLIST), **_errors(401, 404)}, [NUMBER]),
        "put": op("Record requirement checks (same rules and history as the page)",
                  {**_ok("the checklist", CHECKLIST), **_errors(400, 401, 403, 404, 409, 422)},
                  [NUMBER], **_body({"type": "object", "additionalProperties": {
                      "type": "object", "required": ["valid"],
                      "properties": {"valid": {"type": "boolean"}, "reason": TEXT}}})),
    },
    "/api/v1/applications/{number}/documents/{key}": {
        "put": op("Upload a document for a requirement", {
            **_ok("stored", {"type": "object", "required": ["registration_number", "requirement"],
                             "properties": {"registration_number": TEXT, "requirement": TEXT,
                                            "versions": {"type": "integer"}}}, "201"),
            **_errors(400, 401, 403, 404, 409, 413, 415, 422)},
            [NUMBER, _path("key", "requirement key")], requestBody={
                "required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}}}}}}),
    },
    "/api/v1/applications/{number}/submit": {
        "post": op("Submit a draft (or a returned application)", {
            **_ok("submitted", {"type": "object", "required": ["registration_number", "status"],
                                "properties": {"registration_number": TEXT, "status": TEXT,
                                               "status_title": TEXT,
                                               "submitted": _nullable("string"),
                                               "due_date": _nullable("string")}}),
            **_errors(400, 401, 403, 404, 409, 422)}, [NUMBER], **_body({
                "type": "object", "properties": {"declaration": {"type": "boolean"}}},
                required=False)),
    },
    "/api/v1/applications/{registration_number}/transitions": {
        "get": op("The transitions the caller may take now", {
            **_ok("state", STATE), **_errors(401, 404)}, [REG]),
    },
    "/api/v1/applications/{registration_number}/transitions/{name}": {
        "post": op("Take a transition", {
            **_ok("new state", {"allOf": [STATE, {"type": "object", "required": ["transition"],
                                                  "properties": {"transition": TEXT}}]}),
            **_errors(400, 401, 403, 404, 409, 422)}, [REG, _path("name", "transition name", example="return")],
            **_body({"type": "object",
                     "properties": {"comment": {"type": "string", "maxLength": 2000}}},
                    required=False)),
    },
    "/api/v1/applications/{registration_number}/recommendations/{agency_code}": {
        "post": op("Give (or draft) an agency's recommendation", {
            **_ok("signed", {"type": "object", "required": ["status", "registration_number"],
                             "properties": {"status": TEXT, "registration_number": TEXT,
                                            "agency": TEXT}}, "201"),
            **_ok("drafted", {"type": "object", "required": ["status", "registration_number"],
                              "properties": {"status": TEXT, "registration_number": TEXT,
                                             "message": TEXT}}, "202"),
            **_errors(400, 401, 403, 404, 409, 422)}, [REG, _path("agency_code", example="DINKES")], **_body({
                "type": "object",
                "properties": {
                    "decision": {"type": "string",
                                 "enum": ["recommended", "conditional", "not_recommended"]},
                    "conditions": {"type": "array", "items": TEXT, "maxItems": 100},
                    "reasons": {"type": "string", "maxLength": 5000},
                    "notes": {"type": "string", "maxLength": 5000}}})),
    },
    "/api/v1/agencies/{code}/requests": {
        "get": op("An agency's open recommendation requests", {
            **_ok("requests", {"type": "array", "items": {
                "type": "object", "required": ["registration_number", "status"],
                "properties": {"registration_number": TEXT, "status": TEXT,
                               "due_date": _nullable("string")}}}),
            **_errors(401, 403, 404)}, [_path("code", "agency code", example="DINKES")]),
    },
    "/api/v1/track/{number}": {
        "get": op("Public status of an application by registration number and tracking code", {
            **_ok("status", {"type": "object", "required": ["registration_number", "status"],
                             "properties": {"registration_number": TEXT, "status": TEXT,
                                            "status_title": TEXT, "stage": TEXT,
                                            "due_date": _nullable("string")}}),
            **_errors(404, 429)}, [NUMBER, _query("code")], auth=False),
    },
}


# Packages that describe their own API routes in an ``openapi.yaml`` beside
# their code; their paths (and schemas) join the one document.
PACKAGES = ("complaints", "information", "survey", "reports")


@functools.lru_cache(maxsize=1)
def package_specs():
    """``(paths, components)`` gathered from the packages' ``openapi.yaml``."""
    paths, components = {}, {}
    for package in PACKAGES:
        text = resources.files(f"silat.{package}").joinpath("openapi.yaml").read_text("utf-8")
        spec = yaml.safe_load(text)
        for ops in (spec.get("paths") or {}).values():
            for operation in ops.values():      # the generic errors, as every operation here
                operation.setdefault("responses", {}).setdefault(
                    "default", {"description": "error", **_json(ERROR)})
        paths.update(spec.get("paths") or {})
        for section, entries in (spec.get("components") or {}).items():
            if section != "securitySchemes":
                components.setdefault(section, {}).update(entries or {})
    return paths, components


def document(server_url="/"):
    paths, components = package_specs()
    return {
        "openapi": "3.0.3",
        "info": {"title": "SILAT API", "version": "1",
                 "description": "JSON API of SILAT. Errors: "
                                "{\"error\": {\"code\", \"message\", \"fields\"?}}. "
                                "Messages follow Accept-Language (id, en)."},
        "servers": [{"url": server_url}],
        "components": {**components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {**components.get("schemas", {}), "Error": ERROR}},
        "security": [{"bearer": []}],
        "paths": {**PATHS, **paths},
    }


@view_config(**api_view(route_name="api.openapi", request_method="GET", permission=VIEW))
def openapi_json(context, request):
    return document(request.application_url)
