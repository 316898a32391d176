#!/usr/bin/env python3
"""Intake end to end through the real WSGI app (routing, security,
transactions, ZODB FileStorage with blobs, search queue): create an
application, upload its PDFs, submit; then time the verifier's dossier
page and worklist.

    .venv/bin/python bench/intake_bench.py [N]                 # 300 applications, two small PDFs
    .venv/bin/python bench/intake_bench.py 300 --one-pdf-kb 200 --clients 4
        # the issue's measure: one 200 KB PDF each, 4 parallel API clients
    .venv/bin/python bench/intake_bench.py 100 --profile /tmp/intake.prof   # cProfile of the intake
    .venv/bin/python bench/intake_bench.py 300 --one-pdf-kb 200 --one-request
        # each application in one multipart request (POST /api/v1/applications, submit)
    .venv/bin/python bench/intake_bench.py 300 --one-pdf-kb 200 --zeo 2 --clients 4 [--one-request]
        # two pserve processes on a ZEO server and the indexer, over HTTP (bench/intake_zeo.py)

Prints applications per second, p50/p95 per request type, the commits
and fsyncs per application and the peak resident memory of the process.
Parallel clients are threads, each with its own WebTest client, calling
the one WSGI app (what a threaded server such as waitress does, without
the HTTP layer).
"""
import argparse
import cProfile
import datetime as dt
import importlib
import io
import json
import os
import random
import resource
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import webtest
from reportlab.pdfgen.canvas import Canvas

from silat import main
from silat.catalog import loader
from silat.catalog.model import ServiceType, normalize
from silat.cli.demo import DEMO_PASSWORD, create_demo_accounts
from silat.resources.site import ZODB_ROOT_KEY

FILESTORAGE = importlib.import_module("ZODB.FileStorage.FileStorage")     # the module, for its fsync
ONE_PDF = {"key": "berkas", "name": "Berkas permohonan", "mandatory": True}
SERVICE = {
    "name": "Layanan Uji Kinerja", "category": "perizinan_tertentu", "agency": "DPMPTSP",
    "recommendations_from": [], "completion_time": {"amount": 5, "unit": "working_days"},
    "fee": {"kind": "free"},
    "requirements": [{"key": "ktp", "name": "KTP", "mandatory": True},
                     {"key": "denah", "name": "Denah", "mandatory": True}],
}
BODY = {"service": "UJI-KINERJA",
        "applicant": {"kind": "person", "name": "Pemohon Uji", "identity_number": "3275010101900001",
                      "email": "uji@contoh.invalid", "phone": "081234567890", "address": "Jl. Uji 1"},
        "location": {"address": "Jl. Uji 2", "kecamatan": "KEC-BEKASI-SELATAN",
                     "kelurahan": "Kayuringin Jaya"},
        "fields": {}}


def seed(db, one_pdf_kb):
    """The catalog, the demo accounts and the bench's service."""
    service = dict(SERVICE, requirements=[ONE_PDF]) if one_pdf_kb else SERVICE
    with db.transaction() as conn:
        site = conn.root()[ZODB_ROOT_KEY]
        loader.load(site, apply=True)
        create_demo_accounts(site)
        site["layanan"].add("UJI-KINERJA", ServiceType("UJI-KINERJA")).add_revision(
            normalize(service), dt.date.today(), "bench")


def the_files(one_pdf_kb):
    if one_pdf_kb:
        return {"berkas": pdf("Berkas", one_pdf_kb)}
    return {"ktp": pdf("KTP"), "denah": pdf("Denah")}


def pdf(text, kb=0):
    """A one-page PDF; with ``kb``, padded to about that size by an
    incompressible image (a scan)."""
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, text)
    if kb:
        from PIL import Image
        from reportlab.lib.utils import ImageReader
        side = int((kb * 1024 / 3) ** 0.5)     # incompressible RGB (PDF streams have no ASCII85 layer)
        noise = random.Random(1).randbytes(side * side * 3)
        canvas.drawImage(ImageReader(Image.frombytes("RGB", (side, side), noise)), 72, 72, 400, 400)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


class Syncs:
    """Counts the fsync calls (FileStorage's durable commits and any other
    os.fsync) while installed."""

    def __init__(self):
        self.count, self.ms, self._real = 0, 0.0, os.fsync

    def __enter__(self):
        def counted(fd):
            t0 = time.perf_counter()
            try:
                return self._real(fd)
            finally:
                self.count += 1
                self.ms += (time.perf_counter() - t0) * 1000
        os.fsync = FILESTORAGE.fsync = counted
        return self

    def __exit__(self, *exc):
        os.fsync = FILESTORAGE.fsync = self._real


def timed(samples, name, call):
    t0 = time.perf_counter()
    result = call()
    samples.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
    return result


def report(samples):
    for name, values in samples.items():
        values.sort()
        print(f"  {name:<22} p50 {statistics.median(values):7.1f} ms   p95 {values[int(len(values) * .95)]:7.1f} ms")


def drain_queue(service, count, batch=100):
    """Index the queue the run left, as the ``silat indexer`` process does
    (it polls every second: at 100 filings/s, batches of about 100), and
    print its CPU per application: the other process's share."""
    service.batch = batch
    start, cpu_start = time.perf_counter(), time.process_time()
    done = service.process_queue()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"  the queue indexed afterwards as 'silat indexer' does (batches of {batch}): {done} roots in "
          f"{elapsed:.1f} s, {cpu * 1000 / max(done, 1):.1f} ms CPU per application "
          f"({done / elapsed:.0f}/s on its own core)")
    assert done >= count, "the queue held fewer roots than applications filed"


def run(count, one_pdf_kb=0, clients=1, profile=None, block=20, one_request=False,
        indexer="thread"):
    var = Path(tempfile.mkdtemp(prefix="silat-intake-bench-"))
    app = main({}, **{"zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs",
                      "silat.var_dir": str(var), "silat.secret_file": str(var / "secret"),
                      "silat.registration_block": str(block), "silat.search.indexer": indexer})
    db = app.registry._zodb_databases[""]
    seed(db, one_pdf_kb)
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    token = client.post("/api/v1/auth/token", json.dumps({"username": "pemohon", "password": DEMO_PASSWORD}),
                        content_type="application/json").json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    files = the_files(one_pdf_kb)
    sizes = ", ".join(f"{len(c) / 1024:.0f} KB" for c in files.values())
    samples, numbers = {}, []

    def one(client):
        if one_request:
            filed = timed(samples, "file at once", lambda: client.post(
                "/api/v1/applications", {"application": json.dumps({**BODY, "submit": True})},
                headers=headers, upload_files=[(key, f"{key}.pdf", content, "application/pdf")
                                               for key, content in files.items()]))
            numbers.append(filed.json["registration_number"])
            return
        created = timed(samples, "create", lambda: client.post(
            "/api/v1/applications", json.dumps(BODY), headers=headers, content_type="application/json"))
        number = created.json["registration_number"]
        for key, content in files.items():
            timed(samples, "upload", lambda: client.put(
                f"/api/v1/applications/{number}/documents/{key}", headers=headers,
                upload_files=[("file", f"{key}.pdf", content, "application/pdf")]))
        timed(samples, "submit", lambda: client.post(f"/api/v1/applications/{number}/submit", headers=headers))
        numbers.append(number)

    def worker(share):
        own = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        for _ in range(share):
            one(own)

    one(client)                  # warm-up (the search index and shared trees exist), not counted
    app.registry.silat_index.wait_idle()
    samples.clear()
    numbers.clear()
    # this thread's CPU time, not wall time (on a shared machine waiting for
    # the disk or for a core would dominate) nor process time (the indexer's
    # thread would be charged to whatever call the requests' thread waits in)
    profiler = cProfile.Profile(time.thread_time) if profile else None
    with Syncs() as syncs:
        start, cpu_start = time.perf_counter(), time.process_time()
        own_start = time.thread_time()
        if profiler:
            profiler.enable()
        if clients == 1:
            worker(count)
        else:
            threads = [threading.Thread(target=worker, args=(count // clients + (i < count % clients),))
                       for i in range(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        elapsed = time.perf_counter() - start
        own = time.thread_time() - own_start        # this thread: the requests (one client)
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        app.registry.silat_index.wait_idle()
        cpu = time.process_time() - cpu_start       # every thread, the indexer's included
    requests = 1 if one_request else 2 + len(files)
    steps = f"one request with {len(files)} file(s)" if one_request else f"create + {len(files)} upload(s)"
    print(f"{count} applications ({steps} of {sizes} + submit), {clients} client(s), "
          f"in {elapsed:.1f} s: {count / elapsed:.1f} applications/s, {requests * count / elapsed:.0f} requests/s")
    print(f"  CPU time of the process: {cpu * 1000 / count:.1f} ms per application (all threads, "
          f"the indexer's included); load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if clients == 1:
        print(f"  of which the requests' thread: {own * 1000 / count:.1f} ms per application "
              f"(client and app; the rest is the search indexer and other threads)")
    print(f"  fsync: {syncs.count / count:.1f} per application, {syncs.ms / syncs.count:.1f} ms each "
          f"on average ({syncs.ms / count:.1f} ms per application; includes the search indexer's)")
    report(samples)
    if indexer == "external":
        drain_queue(app.registry.silat_index, count)
    numbers.sort()

    officer = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    page = officer.get("/masuk")
    form = page.forms["deform"]
    form["login"], form["password"] = "verifikator", DEMO_PASSWORD
    assert form.submit("masuk").status_int == 303
    pages = {}
    for number in numbers[-100:]:
        shown = timed(pages, "dossier page", lambda: officer.get(f"/berkas/{number}", status=200))
        assert number in shown.text
    for _ in range(50):
        listed = timed(pages, "verifier worklist", lambda: officer.get("/verifikasi", status=200))
    assert numbers[0] in listed.text          # the oldest first (the list shows at most 500)
    report(pages)
    app.registry.silat_index.wait_idle()     # let the background indexer finish before closing
    db.close()
    shutil.rmtree(var, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {peak:,.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=300, help="applications (default 300)")
    parser.add_argument("--one-pdf-kb", type=int, default=0, metavar="KB",
                        help="one requirement, one PDF of about KB kilobytes (the issue's measure: 200)")
    parser.add_argument("--clients", type=int, default=1, help="parallel API clients (threads)")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile the intake part into FILE (CPU time of the requests' thread)")
    parser.add_argument("--registration-block", type=int, default=20, metavar="N",
                        help="silat.registration_block: numbers reserved per commit (default 20)")
    parser.add_argument("--one-request", action="store_true",
                        help="file each application in one multipart request (with submit)")
    parser.add_argument("--indexer", choices=("thread", "external"), default="thread",
                        help="silat.search.indexer: 'external' leaves the queue to a 'silat indexer' "
                             "process (not run here): the intake process's own cost")
    parser.add_argument("--zeo", type=int, default=0, metavar="N",
                        help="N app processes (pserve) on a ZEO server, over HTTP (bench/intake_zeo.py)")
    args = parser.parse_args()
    if args.zeo:
        from intake_zeo import run_zeo
        run_zeo(args.count, args.zeo, max(args.clients, args.zeo), args.one_pdf_kb, args.one_request,
                BODY, seed, the_files, report)
        raise SystemExit(0)
    run(args.count, args.one_pdf_kb, args.clients, args.profile, args.registration_block,
        args.one_request, args.indexer)
