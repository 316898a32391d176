"""Property-based fuzzing of the whole API with schemathesis, from the
OpenAPI document the app serves, against the real WSGI app on a FileStorage
(seeded catalog, demo accounts, one dossier in review, real API tokens).

Valid and invalid inputs (wrong types, missing keys, odd strings, huge
numbers) go to every operation; the run fails on any 5xx and on any
response that breaks the documented status codes, content types or
schemas. ``SILAT_FUZZ_EXAMPLES`` sets the examples per operation (default
small for CI; raise it for a long local run).
"""
import os
import shutil
import zlib

import pytest
import schemathesis
import transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from silat import main
from silat.api.openapi import document
from silat.resources.site import ZODB_ROOT_KEY
from silat.security import tokens as T

EXAMPLES = int(os.environ.get("SILAT_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# the callers the fuzzer speaks as (and anonymous)
USERS = ("pemohon", "verifikator", "opd.dinkes", "penandatangan", "admin")


class Fuzzed:
    """The app under fuzzing and the tokens of its users."""

    def __init__(self, app):
        self.app = app
        self.db = app.registry._zodb_databases[""]
        self.tokens = [None] + [self.token(u) for u in USERS]

    def token(self, username):
        tm = transaction.TransactionManager(explicit=True)
        conn = self.db.open(transaction_manager=tm)
        try:
            with tm:
                token, _record = T.issue(conn.root()[ZODB_ROOT_KEY]["pengguna"], username, 1)
        finally:
            conn.close()
        return token

    def headers_for(self, case):
        """A caller picked from the case itself, so a run is reproducible."""
        if case.method == "DELETE":           # revoking: never one of the shared tokens
            return {"Authorization": f"Bearer {self.token('pemohon')}"}
        key = zlib.crc32(repr((case.path, case.path_parameters, case.query, case.body)).encode())
        token = self.tokens[key % len(self.tokens)]
        if key % 3 and case.path_parameters:      # mostly reach the real dossier and agency
            for name, real in REAL.items():
                if name in case.path_parameters:
                    case.path_parameters[name] = real
        return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture(scope="module")
def fuzzed(seeded_template, tmp_path_factory):
    var = tmp_path_factory.mktemp("fuzz") / "var"
    shutil.copytree(seeded_template, var)
    settings_ = {
        "zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs",
        "silat.secret_file": str(var / "secret"), "silat.var_dir": str(var),
        "silat.secure_cookies": "false", "retry.attempts": "5",
        "silat.search.background": "false", "silat.argon2.time_cost": "1",
        "silat.argon2.memory_cost": "1024", "silat.argon2.parallelism": "1",
    }
    from silat.permits.signing import generate_dev_ca
    generate_dev_ca(settings_)          # as ``silat init`` does: signing works
    app = main({"__file__": "test"}, **settings_)
    _dossier_in_review(app)
    yield Fuzzed(app)
    for db in app.registry._zodb_databases.values():
        db.close()


def _dossier_in_review(app):
    """One real dossier (the documents' example number) awaiting DINKES."""
    from tests.permits import flow
    db = app.registry._zodb_databases[""]
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    try:
        with tm:
            site = conn.root()[ZODB_ROOT_KEY]
            flow.configure_service(site, code="IMB", recommendations=("DINKES",))
            flow.advance(flow.file_dossier(site, app.registry, number=EXAMPLE_NUMBER, code="IMB"),
                         app.registry, ("verify", "request_review"))
    finally:
        conn.close()


EXAMPLE_NUMBER = "SILAT-2026-900001"
REAL = {"number": EXAMPLE_NUMBER, "registration_number": EXAMPLE_NUMBER, "agency_code": "DINKES"}


@pytest.fixture(scope="module")
def api_schema(fuzzed):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed.app)


def _runs():
    """(mode, method, path): invalid inputs only where there is something to
    break (a query parameter or a body; any string is a valid path segment)."""
    for path, ops in document()["paths"].items():
        for method, op in ops.items():
            yield pytest.param(GenerationMode.POSITIVE, method.upper(), path,
                               id=f"valid-{method.upper()} {path}")
            if "requestBody" in op or any(p["in"] == "query" for p in op["parameters"]):
                yield pytest.param(GenerationMode.NEGATIVE, method.upper(), path,
                                   id=f"invalid-{method.upper()} {path}")


@pytest.mark.parametrize("mode, method, path", list(_runs()))
def test_no_5xx_and_every_response_as_documented(api_schema, fuzzed, method, path, mode):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.generate])
    def call(case):
        headers = {**(case.headers or {}), **fuzzed.headers_for(case)}
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
