"""Helpers for tests that drive SILAT through its pages and API."""
import json
import socket


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


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
