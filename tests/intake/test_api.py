"""The applications API: create, upload, submit, read, privacy, tracking."""
import hashlib
import json

from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import (APPLICANT, FIELDS, LOCATION, NIK, api_headers,
                                  encrypted_pdf_bytes, image_bytes, pdf_bytes)


def create(testapp, headers, service, **changes):
    body = {"service": service, "applicant": APPLICANT, "location": LOCATION, "fields": FIELDS}
    body.update(changes)
    return testapp.post("/api/v1/applications", json.dumps(body), headers=headers,
                        content_type="application/json", expect_errors=True)


def put_file(testapp, headers, number, key, name, content, mime="application/pdf"):
    return testapp.put(f"/api/v1/applications/{number}/documents/{key}", headers=headers,
                       upload_files=[("file", name, content, mime)], expect_errors=True)


def test_create_upload_submit_and_read(testapp, seeded, service, db, make_user):
    headers = api_headers(testapp, "pemohon", seeded)
    created = create(testapp, headers, service)
    assert created.status_int == 201, created.text
    number = created.json["registration_number"]
    assert created.json["status"] == "draft" and created.json["service"] == service

    submit = testapp.post(f"/api/v1/applications/{number}/submit", headers=headers,
                          expect_errors=True)
    assert submit.status_int == 422
    assert set(submit.json["error"]["fields"]) == {"ktp", "denah"}
    assert "KTP pemohon" in submit.json["error"]["message"]

    content = pdf_bytes("KTP")
    stored = put_file(testapp, headers, number, "ktp", "ktp.pdf", content)
    assert stored.status_int == 201
    assert stored.json["sha256"] == hashlib.sha256(content).hexdigest()
    assert stored.json["size"] == len(content) and stored.json["mime"] == "application/pdf"
    again = put_file(testapp, headers, number, "ktp", "ktp2.pdf", pdf_bytes("KTP 2"))
    assert again.json["version"] == 2 and again.json["versions"] == 2
    assert put_file(testapp, headers, number, "denah", "d.pdf", pdf_bytes()).status_int == 201

    done = testapp.post(f"/api/v1/applications/{number}/submit", headers=headers)
    assert done.json["status"] == "submitted"
    with db.transaction() as conn:
        dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][number]
        assert done.json["due_date"] == dossier.due_date.isoformat()
        code = dossier.tracking_code
        assert dossier.declarations[0]["channel"] == "api"

    # no more changes once submitted
    late = put_file(testapp, headers, number, "ktp", "ktp3.pdf", pdf_bytes())
    assert late.status_int == 409

    shown = testapp.get(f"/api/v1/applications/{number}", headers=headers).json
    assert shown["status"] == "submitted" and shown["due_date"] == done.json["due_date"]
    assert {d["requirement"] for d in shown["documents"]} == {"ktp", "denah"}
    assert [h["transition"] for h in shown["history"] if h["action"] == "transition"] == ["submit"]
    assert [a["registration_number"] for a in
            testapp.get("/api/v1/applications", headers=headers).json] == [number]

    # another applicant: 404, as for a number that does not exist
    other = api_headers(testapp, "pemohon2", make_user("pemohon2", "pemohon"))
    hidden = testapp.get(f"/api/v1/applications/{number}", headers=other, status=404)
    missing = testapp.get("/api/v1/applications/SILAT-2026-999999", headers=other, status=404)
    assert hidden.json == missing.json
    assert put_file(testapp, other, number, "ktp", "x.pdf", pdf_bytes()).status_int == 404
    assert testapp.get("/api/v1/applications", headers=other).json == []
    testapp.get(f"/api/v1/applications/{number}", status=401)
    # the back office may read it
    verifier = api_headers(testapp, "verifikator", seeded)
    assert testapp.get(f"/api/v1/applications/{number}", headers=verifier).json["status"] == "submitted"

    # public tracking: the code is required; minimal, no personal data
    tracked = testapp.get(f"/api/v1/track/{number}?code={code}")
    assert set(tracked.json) == {"registration_number", "status", "status_title", "stage",
                                 "due_date"}
    assert tracked.json["status"] == "submitted" and tracked.json["due_date"] == done.json["due_date"]
    assert NIK not in tracked.text and APPLICANT["name"] not in tracked.text
    assert testapp.get(f"/api/v1/track/{number}?code=wrong", status=404).json["error"]["code"] == \
        "not_found"
    testapp.get(f"/api/v1/track/{number}", status=404)


def test_invalid_application_gives_field_errors(testapp, seeded, service, db):
    headers = api_headers(testapp, "pemohon", seeded)
    bad = create(testapp, headers, service,
                 applicant={**APPLICANT, "identity_number": "9975010101900001", "email": "x"},
                 location={**LOCATION, "kelurahan": "Bintara"}, fields={"luas_bangunan": -5})
    assert bad.status_int == 422
    fields = bad.json["error"]["fields"]
    assert fields["applicant.email"] == "Alamat email tidak sah."
    assert fields["fields.luas_bangunan"] == "Tidak boleh negatif."
    company = create(testapp, headers, service,
                     applicant={**APPLICANT, "kind": "company", "identity_number": "12345"})
    assert company.json["error"]["fields"]["applicant.identity_number"] == "NIB harus 13 digit angka."
    person = create(testapp, headers, service,
                    applicant={**APPLICANT, "identity_number": "9975010101900001"})
    assert "Kode provinsi" in person.json["error"]["fields"]["applicant.identity_number"]
    place = create(testapp, headers, service, location={**LOCATION, "kelurahan": "Bintara"})
    assert place.json["error"]["fields"]["location.kelurahan"] == \
        "Kelurahan tidak berada di kecamatan yang dipilih."
    unknown = create(testapp, headers, "TIDAK-ADA")
    assert unknown.status_int == 422 and "service" in unknown.json["error"]["fields"]
    with db.transaction() as conn:
        assert len(conn.root()[ZODB_ROOT_KEY]["berkas"]) == 0


def test_the_shared_api_schema_answers_each_request_in_its_own_language(testapp, seeded,
                                                                         service, db):
    """The API's application schema is built once per service shape and
    shared: each request still gets its own errors in its own language."""
    headers = api_headers(testapp, "pemohon", seeded)
    english = create(testapp, {**headers, "Accept-Language": "en"}, service,
                     applicant={**APPLICANT, "email": "x"})
    assert english.json["error"]["fields"] == {"applicant.email": "Invalid email address."}
    good = create(testapp, headers, service)
    assert good.status_int == 201
    indonesian = create(testapp, headers, service, fields={"luas_bangunan": -5})
    assert indonesian.json["error"]["fields"] == {"fields.luas_bangunan": "Tidak boleh negatif."}


def test_refused_api_uploads_store_nothing(testapp, seeded, service, db, settings):
    headers = api_headers(testapp, "loket", seeded)
    number = create(testapp, headers, service).json["registration_number"]
    cases = [("ktp", "a.pdf", b"not a pdf at all", 415, "unsupported_type"),
             ("ktp", "a.pdf", encrypted_pdf_bytes(), 422, "encrypted_pdf"),
             ("ktp", "a.pdf", b"%PDF-1.4 broken", 422, "broken_pdf"),
             ("denah", "a.png", image_bytes(), 415, "unsupported_type"),
             ("tidak_ada", "a.pdf", pdf_bytes(), 404, "unknown_requirement"),
             ("cek_lokasi", "a.pdf", pdf_bytes(), 404, "unknown_requirement")]
    for key, name, content, status, code in cases:
        response = put_file(testapp, headers, number, key, name, content)
        assert (response.status_int, response.json["error"]["code"]) == (status, code), key
        assert response.json["error"]["message"]
    too_big = put_file(testapp, headers, number, "ktp", "a.pdf", b"%PDF-" + b"0" * (21 * 2 ** 20))
    assert too_big.status_int == 413 and too_big.json["error"]["code"] == "file_too_large"
    with db.transaction() as conn:
        dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][number]
        assert len(dossier["dokumen"]) == 0


def test_an_uploads_text_is_read_at_upload_and_indexed_from_there(testapp, seeded, service, db,
                                                                   monkeypatch):
    """search.extract: a PDF's text is read once, from the reader the
    upload checks parsed, and kept on its version; indexing (at every step
    of the dossier) then parses no PDF. A PDF longer than UPLOAD_PAGES is
    read when indexed, not while the applicant waits; both are found."""
    import pypdf
    from silat.search.extract import UPLOAD_PAGES
    headers = api_headers(testapp, "pemohon", seeded)
    number = create(testapp, headers, service).json["registration_number"]
    parsed = []
    real = pypdf.PdfReader
    monkeypatch.setattr(pypdf, "PdfReader", lambda *a, **kw: parsed.append(1) or real(*a, **kw))
    assert put_file(testapp, headers, number, "ktp", "ktp.pdf",
                    pdf_bytes("Sertifikat kelayakan gudang")).status_int == 201
    assert len(parsed) == 1                                   # the checks' parse, and no other
    long = pdf_bytes("Lampiran denah bangunan", pages=UPLOAD_PAGES + 1)
    assert put_file(testapp, headers, number, "denah", "denah.pdf", long).status_int == 201
    with db.transaction() as conn:
        documents = conn.root()[ZODB_ROOT_KEY]["berkas"][number]["dokumen"]
        assert "Sertifikat kelayakan gudang 1" in documents["ktp"].latest.text
        assert documents["denah"].latest.text is None
    parsed.clear()
    assert testapp.post(f"/api/v1/applications/{number}/submit", headers=headers).status_int == 200
    assert len(parsed) == 1                                   # indexed: only the long PDF is read
    verifier = api_headers(testapp, "verifikator", seeded)
    for word in ("kelayakan", "lampiran"):
        found = testapp.get("/api/v1/search", params={"q": word}, headers=verifier).json
        assert [item["number"] for item in found["items"]] == [number], word
