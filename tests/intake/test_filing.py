"""One-request filing: POST /api/v1/applications as multipart/form-data
(the application, its documents and the submission in one transaction)."""
import datetime as dt
import hashlib
import json

from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import (APPLICANT, FIELDS, LOCATION, api_headers,
                                  encrypted_pdf_bytes, image_bytes, pdf_bytes)
from tests.web import bearer, login


def application(service, **changes):
    return {"service": service, "applicant": APPLICANT, "location": LOCATION, "fields": FIELDS,
            **changes}


def file_at_once(testapp, headers, body, files, status=None):
    """POST the JSON ``body`` as the ``application`` part and ``files``
    ({key: (name, content, mime)}) as file parts."""
    params = {"application": json.dumps(body)} if body is not None else {}
    return testapp.post("/api/v1/applications", params, headers=headers,
                        upload_files=[(key, *file) for key, file in files.items()],
                        status=status, expect_errors=status is None)


def dossiers_of(db, username):
    with db.transaction() as conn:
        site = conn.root()[ZODB_ROOT_KEY]
        return len(site["berkas"]), list(site["berkas"].intake_index.by_owner.get(username, ()))


KTP, DENAH = pdf_bytes("KTP"), pdf_bytes("Denah")
BOTH = {"ktp": ("ktp.pdf", KTP, "application/pdf"), "denah": ("denah.pdf", DENAH, "application/pdf")}


def test_files_and_submits_in_one_request(testapp, seeded, service, db):
    headers = api_headers(testapp, "pemohon", seeded)
    res = file_at_once(testapp, headers, application(service, submit=True, declaration=True),
                       {**BOTH, "foto": ("foto.png", image_bytes(), "image/png")}, status=201)
    info = res.json
    number = info["registration_number"]
    assert res.location.endswith(f"/api/v1/applications/{number}")
    assert info["status"] == "submitted" and info["submitted"] and info["due_date"]
    assert info["missing_requirements"] == []
    documents = {d["requirement"]: d for d in info["documents"]}
    assert set(documents) == {"ktp", "denah", "foto"}
    assert documents["ktp"]["sha256"] == hashlib.sha256(KTP).hexdigest()
    assert [h["action"] for h in info["history"]][:1] == ["created"]
    assert [h["transition"] for h in info["history"] if h["action"] == "transition"] == ["submit"]
    with db.transaction() as conn:
        dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][number]
        assert dossier.declarations[0]["channel"] == "api"
        assert dossier["dokumen"]["denah"].latest.open().read() == DENAH
        assert dossier.history.verify() is None
    # the three-step API sees the same application
    shown = testapp.get(f"/api/v1/applications/{number}", headers=headers).json
    assert shown["status"] == "submitted" and len(shown["documents"]) == 3


def test_without_submit_it_stays_a_draft_the_steps_can_finish(testapp, seeded, service, db):
    headers = api_headers(testapp, "pemohon", seeded)
    info = file_at_once(testapp, headers, application(service),
                        {"ktp": BOTH["ktp"]}, status=201).json
    assert info["status"] == "draft" and info["missing_requirements"] == ["denah"]
    number = info["registration_number"]
    testapp.put(f"/api/v1/applications/{number}/documents/denah", headers=headers,
                upload_files=[("file", "d.pdf", DENAH, "application/pdf")], status=201)
    done = testapp.post(f"/api/v1/applications/{number}/submit", headers=headers, status=200)
    assert done.json["status"] == "submitted"


def test_a_bad_file_leaves_nothing_behind(testapp, seeded, service, db):
    headers = api_headers(testapp, "pemohon", seeded)
    before, last = dossiers_of(db, "pemohon"), db.lastTransaction()
    for bad, code in ((b"%PDF-1.4\nrusak", "broken_pdf"), (encrypted_pdf_bytes(), "encrypted_pdf"),
                      (b"<html><script>alert(1)</script></html>", "unsupported_type")):
        res = file_at_once(testapp, headers, application(service, submit=True),
                           {"ktp": BOTH["ktp"], "denah": ("denah.pdf", bad, "application/pdf")})
        assert res.status_int in (415, 422), res.text
        assert res.json["error"]["code"] == code
        assert set(res.json["error"]["fields"]) == {"denah"}
    assert dossiers_of(db, "pemohon") == before and db.lastTransaction() == last


def test_a_missing_requirement_refuses_the_submission_and_creates_nothing(
        testapp, seeded, service, db):
    headers = api_headers(testapp, "pemohon", seeded)
    before = dossiers_of(db, "pemohon")
    res = file_at_once(testapp, headers, application(service, submit=True),
                       {"ktp": BOTH["ktp"]}, status=422)
    assert res.json["error"]["code"] == "missing_requirements"
    assert "Denah lokasi" in res.json["error"]["message"]
    assert set(res.json["error"]["fields"]) == {"denah"}
    declined = file_at_once(testapp, headers, application(service, submit=True, declaration=False),
                            BOTH, status=422)
    assert declined.json["error"]["code"] == "declaration_required"
    assert dossiers_of(db, "pemohon") == before


def test_bad_parts_are_named(testapp, seeded, service, db):
    headers = api_headers(testapp, "pemohon", seeded)
    before = dossiers_of(db, "pemohon")
    unknown = file_at_once(testapp, headers, application(service),
                           {"cek_lokasi": BOTH["ktp"], "lain": BOTH["ktp"]}, status=422)
    assert set(unknown.json["error"]["fields"]) == {"cek_lokasi", "lain"}   # officer's; none
    invalid = file_at_once(testapp, headers, application(service, applicant={}), BOTH, status=422)
    assert "applicant.name" in invalid.json["error"]["fields"]
    typed = file_at_once(testapp, headers, application(service, submit="ya"), BOTH, status=422)
    assert set(typed.json["error"]["fields"]) == {"submit"}
    twice = testapp.post("/api/v1/applications", {"application": json.dumps(application(service))},
                         headers=headers, upload_files=[("ktp", *BOTH["ktp"]), ("ktp", *BOTH["ktp"])],
                         status=422)
    assert twice.json["error"]["fields"] == {"ktp": "Satu berkas untuk setiap persyaratan."}
    missing = file_at_once(testapp, headers, None, BOTH, status=422)
    assert set(missing.json["error"]["fields"]) == {"application"}
    bad_json = testapp.post("/api/v1/applications", {"application": "{bukan json"},
                            headers=headers, upload_files=[("ktp", *BOTH["ktp"])], status=400)
    assert bad_json.json["error"]["code"] == "invalid_json"
    english = file_at_once(testapp, {**headers, "Accept-Language": "en"},
                           application(service, submit=True), {"ktp": BOTH["ktp"]}, status=422)
    assert english.json["error"]["message"].startswith("Mandatory requirements")
    assert dossiers_of(db, "pemohon") == before


def test_needs_the_filing_permission_and_a_valid_token(testapp, seeded, service, db, edit_site):
    before = dossiers_of(db, "verifikator")
    officer = api_headers(testapp, "verifikator", seeded)
    refused = file_at_once(testapp, officer, application(service), BOTH, status=403)
    assert refused.json["error"]["code"] == "forbidden"
    bad = file_at_once(testapp, bearer("bukan-token"), application(service), BOTH, status=401)
    assert bad.json["error"]["code"] == "invalid_token"
    token = api_headers(testapp, "pemohon", seeded)
    with edit_site() as site:
        for record in site["pengguna"].tokens.values():
            record.expires_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    expired = file_at_once(testapp, token, application(service), BOTH, status=401)
    assert expired.json["error"]["code"] == "token_expired"
    login(testapp, "pemohon", seeded)            # a session cookie is no API credential
    cookie = file_at_once(testapp, {}, application(service), BOTH, status=401)
    assert cookie.json["error"]["code"] == "authentication_required"
    with db.transaction() as conn:
        assert len(conn.root()[ZODB_ROOT_KEY]["berkas"]) == before[0]


def _conflict_once(monkeypatch):
    """The first create_application raises a write conflict: pyramid_retry
    runs the request again with the same, rewound, upload parts."""
    from ZODB.POSException import ConflictError

    from silat.intake import applications
    real, calls = applications.create_application, []

    def create(*args, **kw):
        calls.append(1)
        if len(calls) == 1:
            raise ConflictError("first attempt")
        return real(*args, **kw)
    monkeypatch.setattr(applications, "create_application", create)
    return calls


def _temporary_files(monkeypatch):
    import tempfile
    made, real = [], tempfile.TemporaryFile

    def counted(*args, **kw):
        made.append(1)
        return real(*args, **kw)
    monkeypatch.setattr(tempfile, "TemporaryFile", counted)
    return made


def _filed_after_a_retry(testapp, seeded, service, db, monkeypatch):
    calls, made = _conflict_once(monkeypatch), _temporary_files(monkeypatch)
    headers = api_headers(testapp, "pemohon", seeded)
    res = file_at_once(testapp, headers, application(service, submit=True, declaration=True),
                       BOTH, status=201)
    assert len(calls) == 2
    with db.transaction() as conn:
        dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][res.json["registration_number"]]
        assert dossier["dokumen"]["ktp"].latest.open().read() == KTP
        assert dossier["dokumen"]["denah"].latest.open().read() == DENAH
        assert len(conn.root()[ZODB_ROOT_KEY]["berkas"]) == 1
    return made


def test_a_small_body_is_parsed_in_memory_and_a_retry_reads_it_again(
        testapp, seeded, service, db, monkeypatch):
    """Bodies up to MEMORY_BODY: neither the retry copy nor the form's file
    parts become temporary files; a retried attempt stores the same files."""
    assert _filed_after_a_retry(testapp, seeded, service, db, monkeypatch) == []


def test_a_larger_body_goes_to_temporary_files_and_a_retry_reads_it_again(
        testapp, seeded, service, db, monkeypatch):
    from silat.intake import uploads
    monkeypatch.setattr(uploads, "MEMORY_BODY", 1000)
    assert len(_filed_after_a_retry(testapp, seeded, service, db, monkeypatch)) >= 3
