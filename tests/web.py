"""Helpers for tests that drive SILAT through its pages and API."""
import json


def login(testapp, username, password):
    """Log in through the real login form; return the page after redirects."""
    page = testapp.get("/masuk")
    form = page.forms["deform"]
    form["login"] = username
    form["password"] = password
    return form.submit("masuk")


def api_token(testapp, username, password):
    res = testapp.post("/api/v1/auth/token",
                       json.dumps({"username": username, "password": password}),
                       content_type="application/json")
    return res.json["token"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}
