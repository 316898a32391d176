"""Intake over real HTTP against app processes sharing a ZEO server (the
production layout, etc/production.ini and etc/zeo.conf): ``intake_bench.py
--zeo N`` runs it.

Seeds a FileStorage, serves it with ``runzeo``, starts N ``pserve``
processes on it (``silat.search.indexer = external``, as in production)
and the ``silat indexer`` process, then parallel keep-alive HTTP clients
(threads, spread over the app processes) file applications: three steps
(create, upload, submit) or, with ``--one-request``, one multipart POST.
Prints applications/s, latencies and the CPU time per application of the
app processes, the ZEO server and the indexer. The servers are always
stopped at the end. The pserve/CPU/ini helpers are bench/http_bench.py's.
"""
import http.client
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from http_bench import (PASSWORD, cpu_seconds, free_port, start_server, stop_server, token,
                        write_ini)

from silat import main
from silat.resources.site import ZODB_ROOT_KEY
from silat.security.accounts import create_user

BIN = Path(sys.executable).parent
ZEO_CONF = """<zeo>
  address 127.0.0.1:{port}
</zeo>
<blobstorage 1>
  blob-dir {var}/blobs
  <filestorage>
    path {var}/Data.fs
  </filestorage>
</blobstorage>
"""


def multipart(fields, files):
    """A multipart/form-data body: (content type, bytes)."""
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                   .encode() + value.encode() + b"\r\n")
    for name, (filename, content) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                   f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                   + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(out)


class Client:
    """One keep-alive HTTP client filing applications as one applicant."""

    def __init__(self, port, token, files, samples, lock):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.auth = {"Authorization": f"Bearer {token}"}
        self.files, self.samples, self.lock = files, samples, lock

    def call(self, name, method, path, body=b"", content_type="application/json", ok=(200, 201)):
        t0 = time.perf_counter()
        self.conn.request(method, path, body, {**self.auth, "Content-Type": content_type})
        response = self.conn.getresponse()
        data = response.read()
        with self.lock:
            self.samples.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        if response.status not in ok:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data)

    def file(self, body, one_request):
        files = {key: (f"{key}.pdf", content) for key, content in self.files.items()}
        if one_request:
            kind, data = multipart({"application": json.dumps({**body, "submit": True})}, files)
            return self.call("file at once", "POST", "/api/v1/applications", data, kind)
        number = self.call("create", "POST", "/api/v1/applications",
                           json.dumps(body))["registration_number"]
        for key, item in files.items():
            kind, data = multipart({}, {"file": item})
            self.call("upload", "PUT", f"/api/v1/applications/{number}/documents/{key}", data, kind)
        return self.call("submit", "POST", f"/api/v1/applications/{number}/submit")


def run_zeo(count, processes, clients, one_pdf_kb, one_request, body, seed, the_files, report):
    """``body``, ``seed``, ``the_files`` and ``report``: intake_bench.py's."""
    root = Path(tempfile.mkdtemp(prefix="silat-intake-zeo-"))
    var = root / "var"
    (var / "log").mkdir(parents=True)
    app = main({"__file__": "bench"}, **{
        "zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs",
        "silat.var_dir": str(var), "silat.secret_file": str(var / "secret")})
    db = app.registry._zodb_databases[""]
    seed(db, one_pdf_kb)
    with db.transaction() as conn:
        for n in range(clients):     # one applicant per client, as on a real site
            create_user(conn.root()[ZODB_ROOT_KEY], f"pemohon.bench{n}", PASSWORD, roles=["pemohon"])
    app.registry.silat_index.close()
    db.close()
    zeo_port = free_port()
    (root / "etc").mkdir()
    (root / "etc" / "zeo.conf").write_text(ZEO_CONF.format(port=zeo_port, var=var))
    ini = write_ini(root, 8, "production.ini", [
        ("zeo://127.0.0.1:8100", f"zeo://127.0.0.1:{zeo_port}"),
        ("mail.host = localhost", "mail.mailer = debug\nmail.debug_dir = %(here)s/../var/mail\n"
                                  "mail.host = localhost"),
        ("silat.secure_cookies = true", "silat.secure_cookies = false")])
    started = []
    try:
        zeo = subprocess.Popen([str(BIN / "runzeo"), "-C", str(root / "etc" / "zeo.conf")],
                               stdout=open(root / "zeo.log", "ab"), stderr=subprocess.STDOUT)
        started.append(zeo)
        ports = [free_port() for _ in range(processes)]
        for port in ports:
            started.append(start_server(ini, port, root / f"pserve-{port}.log"))
        indexer = subprocess.Popen([str(BIN / "silat"), "-c", ini, "indexer"],
                                   stdout=open(root / "indexer.log", "ab"), stderr=subprocess.STDOUT)
        started.append(indexer)
        files = the_files(one_pdf_kb)
        samples, lock, errors, counter = {}, threading.Lock(), [], itertools.count()

        workers = [Client(ports[n % processes], token(ports[n % processes], f"pemohon.bench{n}"),
                          files, samples, lock) for n in range(clients)]
        for worker in workers:                  # warm-up: each process's first application
            worker.file(body, one_request)
        samples.clear()

        def drive(worker):
            while next(counter) < count:
                try:
                    worker.file(body, one_request)
                except (OSError, RuntimeError, http.client.HTTPException) as exc:
                    errors.append(repr(exc))

        cpu_before = [cpu_seconds(p.pid) for p in started]
        load = os.getloadavg()
        t0 = time.perf_counter()
        threads = [threading.Thread(target=drive, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - t0
        time.sleep(2)                        # let the indexer drain the queue
        cpu = [(cpu_seconds(p.pid) - before) * 1000 / count for p, before in zip(started, cpu_before)]
        steps = "one request" if one_request else "create + upload + submit"
        sizes = ", ".join(f"{len(c) / 1024:.0f} KB" for c in files.values())
        print(f"ZEO, {processes} app processes (pserve, 8 threads), {clients} HTTP clients: "
              f"{count} applications ({steps}, {sizes}) in {elapsed:.1f} s: "
              f"{count / elapsed:.1f} applications/s; errors {len(errors)}")
        print(f"  load average before {' '.join(f'{x:.2f}' for x in load)}, after "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        apps = " + ".join(f"{c:.1f}" for c in cpu[1:1 + processes])
        print(f"  CPU per application: app processes {apps} ms, "
              f"ZEO {cpu[0]:.1f} ms, indexer {cpu[-1]:.1f} ms (indexer includes the 2 s drain)")
        report(samples)
        for line in errors[:5]:
            print(f"    error: {line}")
    finally:
        for process in reversed(started):
            stop_server(process)
        shutil.rmtree(root, ignore_errors=True)
