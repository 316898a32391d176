"""Uploads survive ConflictError retries: a retried request reads the same
upload body as its first attempt (issue 10, "Valid uploads refused as
empty under concurrency"). Runs over a real threaded waitress server."""
import io

import transaction
from PIL import Image

from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import APPLICANT, FIELDS, LOCATION, pdf_bytes
from tests.trust.live import call, call_json, multipart, parallel, serving, token

THREADS = 8
PER_THREAD = 3


def create_application(port, headers, service):
    res = call_json(port, "POST", "/api/v1/applications",
                    {"service": service, "applicant": APPLICANT, "location": LOCATION,
                     "fields": FIELDS}, headers)
    assert res.status == 201, res.body
    return res.json["registration_number"]


def put_document(port, headers, number, key, name, content):
    body, ctype = multipart("file", name, content)
    return call(port, "PUT", f"/api/v1/applications/{number}/documents/{key}", body,
                headers, ctype)


def stored_versions(db, number):
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    try:
        tm.begin()
        dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][number]
        found = {key: [(v.size, v.filename) for v in doc] for key, doc in dossier["dokumen"].items()}
        tm.abort()
        return found
    finally:
        conn.close()


def test_parallel_uploads_to_one_dossier_are_all_stored(app, db, service, make_user):
    password = make_user("pemohon1", "pemohon")
    with serving(app, threads=THREADS) as port:
        headers = token(port, "pemohon1", password)
        number = create_application(port, headers, service)
        files = {n: pdf_bytes(f"Dokumen {n}", pages=1 + n % 3) for n in range(THREADS)}

        def work(n):
            statuses = []
            for round_ in range(PER_THREAD):
                key = ("ktp", "denah")[(n + round_) % 2]
                res = put_document(port, headers, number, key, f"berkas-{n}-{round_}.pdf", files[n])
                statuses.append((res.status, res.body[:200]))
            return statuses

        results = parallel(THREADS, work)
    flat = [s for r in results for s in (r if isinstance(r, list) else [(0, repr(r))])]
    assert [s for s in flat if s[0] != 201] == []
    versions = stored_versions(db, number)
    assert sum(len(v) for v in versions.values()) == THREADS * PER_THREAD
    sizes = {len(content) for content in files.values()}
    assert all(size in sizes for v in versions.values() for size, _name in v)


def large_png():
    image = Image.new("RGB", (5000, 5000), (200, 200, 200))
    for x in range(0, 5000, 50):               # some structure, still compresses well
        image.paste((20, 120, 60), (x, 0, x + 10, 5000))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_large_png_is_stored_every_time_while_others_write(app, db, service, make_user):
    """The large image takes long to check, so small uploads to the same
    dossier commit meanwhile and force its transaction to retry."""
    password = make_user("pemohon1", "pemohon")
    png = large_png()
    with serving(app, threads=4) as port:
        headers = token(port, "pemohon1", password)
        number = create_application(port, headers, service)

        def work(n):
            if n == 0:
                return [put_document(port, headers, number, "foto", "besar.png", png).status
                        for _ in range(3)]
            return [put_document(port, headers, number, "ktp", f"k{n}-{i}.pdf",
                                 pdf_bytes(f"k{n}")).status for i in range(6)]

        results = parallel(3, work)
    assert results[0] == [201, 201, 201], results
    assert all(status == 201 for r in results[1:] for status in r), results
    versions = stored_versions(db, number)
    assert [size for size, _n in versions["foto"]] == [len(png)] * 3
