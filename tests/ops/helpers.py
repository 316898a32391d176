"""Sites in temp dirs, real processes (ZEO, pserve, silat) and a small HTTP client."""
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import transaction
from ZODB import DB

from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.conftest import CODE, SERVICE
from tests.intake.helpers import APPLICANT, FIELDS, LOCATION, pdf_bytes

ETC = Path(__file__).resolve().parents[2] / "etc"
PY = sys.executable
BIN = Path(PY).parent
FAST = ("silat.argon2.time_cost = 1\nsilat.argon2.memory_cost = 1024\n"
        "silat.argon2.parallelism = 1\n")


def make_site(root, ini="development.ini", extra=""):
    """A copy of ``etc/<ini>`` under ``root/etc`` (data in ``root/var``); its path."""
    (root / "etc").mkdir(parents=True, exist_ok=True)
    text = (ETC / ini).read_text()
    text = text.replace("use = egg:silat\n", "use = egg:silat\n" + FAST + extra, 1)
    path = root / "etc" / ini
    path.write_text(text)
    (root / "var" / "log").mkdir(parents=True, exist_ok=True)
    return str(path)


def silat(ini, *args, stdin=None, timeout=120):
    """Run ``silat -c INI ARGS`` in a new process."""
    return subprocess.run([PY, "-m", "silat.cli.main", "-c", ini, *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def silat_ok(ini, *args, **kw):
    result = silat(ini, *args, **kw)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, process=None, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def wait_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"port {port} did not open")


def stop(process, sig=signal.SIGTERM, timeout=20):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def start_zeo(var, port):
    """A real ZEO server (runzeo) over var/Data.fs + var/blobs on a TCP port."""
    conf = Path(var) / "zeo-test.conf"
    conf.write_text(f"<zeo>\n  address 127.0.0.1:{port}\n</zeo>\n<blobstorage 1>\n"
                    f"  blob-dir {var}/blobs\n  <filestorage>\n    path {var}/Data.fs\n"
                    f"  </filestorage>\n</blobstorage>\n<eventlog>\n  <logfile>\n"
                    f"    path {var}/log/zeo.log\n  </logfile>\n</eventlog>\n")
    process = subprocess.Popen([PY, "-m", "ZEO.runzeo", "-C", str(conf)])
    wait_port(port)
    return process


def zeo_site(root, zeo_port, extra=""):
    """An ini whose app is a client of the ZEO server on ``zeo_port`` (shared blob dir)."""
    var = root / "var"
    uri = (f"zeo://127.0.0.1:{zeo_port}?blob_dir={var}/blobs&shared_blob_dir=true"
           "&wait_timeout=30")
    ini = make_site(root, "standalone.ini", extra)
    text = Path(ini).read_text()
    start = text.index("zodbconn.uri = ")
    end = text.index("\n", start)
    Path(ini).write_text(text[:start] + f"zodbconn.uri = {uri}" + text[end:])
    return ini


def pserve(ini, port, env=None):
    log = open(os.path.join(os.path.dirname(str(ini)), f"pserve-{port}.log"), "ab")   # for post-mortems
    process = subprocess.Popen([str(BIN / "pserve"), ini, f"http_port={port}"],
                               env={**os.environ, **(env or {}), "SILAT_PORT": str(port)},
                               stdout=log, stderr=subprocess.STDOUT)
    log.close()
    wait_http(f"http://127.0.0.1:{port}/layanan", process)
    return process


def open_db(storage):
    return DB(storage)


def zeo_db(port, var):
    from ZEO.ClientStorage import ClientStorage
    # server_sync: each transaction sees every write acknowledged before it
    # began, whichever process made it (as the app processes do, silat.read_your_writes)
    return DB(ClientStorage(("127.0.0.1", port), blob_dir=str(var / "blobs"), shared_blob_dir=True,
                            server_sync=True))


def file_db(var):
    from ZODB.FileStorage import FileStorage
    return DB(FileStorage(str(var / "Data.fs"), blob_dir=str(var / "blobs")))


def prepare(db, applicants=()):
    """Add the intake test service and pemohon accounts to an initialised site."""
    from silat.catalog.model import ServiceType, normalize
    from silat.security.accounts import create_user
    with db.transaction() as conn:
        site = conn.root()[ZODB_ROOT_KEY]
        if CODE not in site["layanan"]:
            item = site["layanan"].add(CODE, ServiceType(CODE))
            item.add_revision(normalize(SERVICE), dt.date.today(), "test")
        for name in applicants:
            create_user(site, name, "Rahasia-2026x", roles=("pemohon",))
    return CODE


def history(db, number):
    """The dossier's history as (action, transition, actor) for a failure message."""
    with db.transaction() as conn:
        dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][number]
        return [(e["action"], (e.get("data") or {}).get("transition"), e["actor"])
                for e in dossier.history]


def dossiers(db):
    """{number: (owner, state, {document key: sha256 of the stored blob})}."""
    import hashlib
    found = {}
    with db.transaction() as conn:
        for number, dossier in conn.root()[ZODB_ROOT_KEY]["berkas"].items():
            docs = {}
            for key, document in dossier["dokumen"].items():
                with document.latest.open() as f:
                    docs[key] = hashlib.sha256(f.read()).hexdigest()
            found[number] = (dossier.owner, dossier.state, docs)
    return found


class Client:
    """JSON + multipart over real HTTP (urllib)."""

    def __init__(self, base):
        self.base = base
        self.headers = {}

    def call(self, method, path, body=None, files=None, timeout=60):
        headers = dict(self.headers)
        data = None
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for field, (name, content) in files.items():
                parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
                             f"filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n".encode()
                             + content + b"\r\n")
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def login(self, username, password="Rahasia-2026x", attempts=4):
        """Get an API token (retried: on a loaded machine a login may time
        out or exhaust its conflict retries; logging in is not under test)."""
        for attempt in range(attempts):
            try:
                status, body = self.call("POST", "/api/v1/auth/token",
                                         {"username": username, "password": password})
            except OSError as exc:
                status, body = 0, repr(exc)
            if status in (200, 201) or 400 <= status < 500 or attempt == attempts - 1:
                break
            time.sleep(1)
        assert status in (200, 201), body
        self.headers["Authorization"] = f"Bearer {body['token']}"
        return self

    def submit(self, service, pdf=None):
        """Create, upload both documents, submit; the registration number
        once the submission is acknowledged (200), else raise."""
        pdf = pdf or pdf_bytes()
        status, body = self.call("POST", "/api/v1/applications",
                                 {"service": service, "applicant": APPLICANT,
                                  "location": LOCATION, "fields": FIELDS})
        if status != 201:
            raise RuntimeError(f"create: {status} {body}")
        number = body["registration_number"]
        for key in ("ktp", "denah"):
            status, body = self.call("PUT", f"/api/v1/applications/{number}/documents/{key}",
                                     files={"file": ("a.pdf", pdf)})
            if status != 201:
                raise RuntimeError(f"upload: {status} {body}")
        status, body = self.call("POST", f"/api/v1/applications/{number}/submit")
        if status != 200:
            raise RuntimeError(f"submit: {status} {body}")
        return number
