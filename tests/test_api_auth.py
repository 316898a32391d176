"""API tokens: issue, use, expiry, revocation and the common error body."""
import datetime as dt
import json

import pytest

from silat.resources.site import ZODB_ROOT_KEY
from tests.web import api_token, bearer


def assert_error(response, status, code):
    assert response.status_int == status
    assert response.content_type == "application/json"
    assert set(response.json) == {"error"}
    assert response.json["error"]["code"] == code
    assert isinstance(response.json["error"]["message"], str) and response.json["error"]["message"]


def test_token_is_issued_used_and_stored_hashed(testapp, make_user, db):
    password = make_user("verif", "verifikator")
    res = testapp.post("/api/v1/auth/token", json.dumps({"username": "verif", "password": password}),
                       content_type="application/json", status=201)
    token, expires = res.json["token"], res.json["expires_at"]
    assert len(token) >= 40 and expires.endswith("Z")
    assert dt.datetime.fromisoformat(expires.replace("Z", "+00:00")) > dt.datetime.now(dt.timezone.utc)
    me = testapp.get("/api/v1/auth/me", headers=bearer(token))
    assert me.json["username"] == "verif" and me.json["roles"] == ["verifikator"]
    with db.transaction() as conn:
        stored = conn.root()[ZODB_ROOT_KEY]["pengguna"].tokens
        assert token not in stored and len(stored) == 1


def test_bad_credentials_missing_fields_and_bad_json(testapp, make_user):
    make_user("verif", "verifikator")
    assert_error(testapp.post("/api/v1/auth/token", json.dumps({"username": "verif", "password": "nope"}),
                              content_type="application/json", status=401), 401, "invalid_credentials")
    res = testapp.post("/api/v1/auth/token", json.dumps({"username": "verif"}),
                       content_type="application/json", status=422)
    assert_error(res, 422, "invalid_input")
    assert "password" in res.json["error"]["fields"]
    assert_error(testapp.post("/api/v1/auth/token", "{not json", content_type="application/json",
                              status=400), 400, "invalid_json")
    assert_error(testapp.post("/api/v1/auth/token", "[1]", content_type="application/json",
                              status=400), 400, "invalid_json")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 500])
def test_bad_token_gets_401_json(testapp, header):
    assert_error(testapp.get("/api/v1/auth/me", headers={"Authorization": header}, status=401),
                 401, "invalid_token")


def test_missing_token_gets_401_json(testapp):
    res = testapp.get("/api/v1/auth/me", status=401)
    assert_error(res, 401, "authentication_required")
    assert res.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_gets_401(testapp, make_user, edit_site):
    password = make_user("verif", "verifikator")
    token = api_token(testapp, "verif", password)
    with edit_site() as site:
        for record in site["pengguna"].tokens.values():
            record.expires_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    assert_error(testapp.get("/api/v1/auth/me", headers=bearer(token), status=401), 401, "token_expired")


def test_revoked_token_gets_401(testapp, make_user):
    password = make_user("verif", "verifikator")
    token = api_token(testapp, "verif", password)
    assert testapp.delete("/api/v1/auth/token", headers=bearer(token)).json == {"revoked": True}
    assert_error(testapp.get("/api/v1/auth/me", headers=bearer(token), status=401), 401, "token_expired")


def test_api_ignores_the_session_cookie(testapp, make_user):
    from tests.web import login
    password = make_user("verif", "verifikator")
    login(testapp, "verif", password)
    assert_error(testapp.get("/api/v1/auth/me", status=401), 401, "authentication_required")


def test_unknown_api_path_is_a_json_404(testapp):
    assert_error(testapp.get("/api/v1/no-such-thing", status=404), 404, "not_found")


def test_api_error_messages_follow_accept_language(testapp):
    res = testapp.get("/api/v1/auth/me", headers={"Accept-Language": "en"}, status=401)
    assert res.json["error"]["message"].startswith("An API token is required")
