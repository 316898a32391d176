"""A real threaded waitress server around a SILAT app, for tests that need
true parallel HTTP requests, plus a tiny HTTP client (stdlib only)."""
import contextlib
import json
import threading
import uuid
from http.client import HTTPConnection

import waitress
from waitress import wasyncore

from tests.web import free_port


@contextlib.contextmanager
def serving(app, threads=8):
    """Serve ``app`` on a free loopback port; yield its base URL parts."""
    port = free_port()
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=threads,
                                    connection_limit=200, channel_timeout=60)
    runner = threading.Thread(target=server.run, daemon=True)
    runner.start()
    try:
        yield port
    finally:      # closed inside the server's own loop: closing its sockets from this
        # thread while it waits in select() raised EBADF in the server thread
        server.trigger.pull_trigger(lambda: (server.task_dispatcher.shutdown(), wasyncore.close_all(server._map)))
        runner.join(10)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def json(self):
        return json.loads(self.body)


def call(port, method, path, body=None, headers=None, content_type=None):
    conn = HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = dict(headers or {})
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        res = conn.getresponse()
        return Response(res.status, dict(res.getheaders()), res.read())
    finally:
        conn.close()


def call_json(port, method, path, data=None, headers=None):
    body = json.dumps(data).encode() if data is not None else None
    return call(port, method, path, body, headers, "application/json" if body else None)


def multipart(field, filename, content, mime="application/octet-stream"):
    """(body, content type) of a multipart form with one file field."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n").encode() + content + \
        f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def token(port, username, password):
    res = call_json(port, "POST", "/api/v1/auth/token",
                    {"username": username, "password": password})
    assert res.status == 201, res.body
    return {"Authorization": f"Bearer {res.json['token']}"}


def parallel(count, work):
    """Run ``work(n)`` in ``count`` threads started together; return the
    results in order (an exception is returned as its value)."""
    results = [None] * count
    barrier = threading.Barrier(count)

    def run(n):
        barrier.wait()
        try:
            results[n] = work(n)
        except Exception as exc:      # noqa: BLE001 - handed back to the test
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
