#!/usr/bin/env python3
"""Intake end to end through the real WSGI app (routing, security,
transactions, ZODB FileStorage with blobs, search queue): create an
application, upload two PDFs, submit; then time the verifier's dossier
page and worklist.

    .venv/bin/python bench/intake_bench.py [N]     # default 300 applications

Prints applications per second, p50/p95 per request type and the peak
resident memory of the process.
"""
import datetime as dt
import io
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import webtest
from reportlab.pdfgen.canvas import Canvas

from silat import main
from silat.catalog import loader
from silat.catalog.model import ServiceType, normalize
from silat.cli.demo import DEMO_PASSWORD, create_demo_accounts
from silat.resources.site import ZODB_ROOT_KEY

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


def pdf(text):
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def timed(samples, name, call):
    t0 = time.perf_counter()
    result = call()
    samples.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
    return result


def report(samples):
    for name, values in samples.items():
        values.sort()
        print(f"  {name:<22} p50 {statistics.median(values):7.1f} ms   p95 {values[int(len(values) * .95)]:7.1f} ms")


def run(count):
    var = Path(tempfile.mkdtemp(prefix="silat-intake-bench-"))
    app = main({}, **{"zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs",
                      "silat.var_dir": str(var), "silat.secret_file": str(var / "secret")})
    db = app.registry._zodb_databases[""]
    with db.transaction() as conn:
        site = conn.root()[ZODB_ROOT_KEY]
        loader.load(site, apply=True)
        create_demo_accounts(site)
        site["layanan"].add("UJI-KINERJA", ServiceType("UJI-KINERJA")).add_revision(
            normalize(SERVICE), dt.date.today(), "bench")
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    token = client.post("/api/v1/auth/token", json.dumps({"username": "pemohon", "password": DEMO_PASSWORD}),
                        content_type="application/json").json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    files = {"ktp": pdf("KTP"), "denah": pdf("Denah")}
    samples, numbers = {}, []
    start = time.perf_counter()
    for _ in range(count):
        created = timed(samples, "create", lambda: client.post(
            "/api/v1/applications", json.dumps(BODY), headers=headers, content_type="application/json"))
        number = created.json["registration_number"]
        for key, content in files.items():
            timed(samples, "upload", lambda: client.put(
                f"/api/v1/applications/{number}/documents/{key}", headers=headers,
                upload_files=[("file", f"{key}.pdf", content, "application/pdf")]))
        timed(samples, "submit", lambda: client.post(f"/api/v1/applications/{number}/submit", headers=headers))
        numbers.append(number)
    elapsed = time.perf_counter() - start
    print(f"{count} applications (create + 2 uploads + submit) in {elapsed:.1f} s: "
          f"{count / elapsed:.1f} applications/s, {4 * count / elapsed:.0f} requests/s")
    report(samples)

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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {peak:,.0f} MB")


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
