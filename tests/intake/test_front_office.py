"""The front office files for a walk-in applicant and prints the receipt;
applicants see only their own applications."""
from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import (image_bytes, pdf_bytes, start_application,
                                  submit_with_declaration, upload_document)
from tests.intake.test_wizard import read_receipt
from tests.web import login


def test_walk_in_application_at_the_desk(testapp, seeded, service, db, smtp_sink):
    login(testapp, "loket", seeded)
    desk = testapp.get("/loket")
    assert "Ajukan untuk pemohon yang datang langsung" in desk.text
    page = testapp.get(f"/layanan/{service}/ajukan")
    assert page.forms["deform"]["name"].value == ""          # nothing prefilled from the officer
    _docs, path = start_application(testapp, service)
    number = path.rsplit("/", 1)[1]
    for key, name, content in (("ktp", "ktp.jpg", image_bytes("JPEG")),
                               ("denah", "denah.pdf", pdf_bytes("Denah"))):
        assert upload_document(testapp, path, key, name, content).status_int == 303
    submit_with_declaration(testapp, path)
    text, decoded = read_receipt(testapp.get(f"{path}/tanda-terima").body)
    assert number in text and "Siti Aminah" in text and "ktp.jpg" in text
    assert decoded and decoded[0].startswith(f"http://localhost/lacak?nomor={number}&kode=")
    assert number in testapp.get("/loket").text                # today's intake at the desk
    with db.transaction() as conn:
        dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][number]
        assert dossier.walk_in is True and dossier.filed_by == "loket"
        assert dossier.__local_roles__["user:loket"] == ("owner",)
        assert dossier["dokumen"]["ktp"].latest.by == "loket"


def test_applicants_see_only_their_own(testapp, seeded, service, make_user, smtp_sink):
    password = make_user("pemohon2", "pemohon", title="Pemohon Dua")
    login(testapp, "pemohon", seeded)
    _docs, path = start_application(testapp, service)
    number = path.rsplit("/", 1)[1]
    upload_document(testapp, path, "ktp", "ktp.pdf", pdf_bytes())
    testapp.reset()
    login(testapp, "pemohon2", password)
    assert number not in testapp.get("/permohonan-saya").text
    # another applicant's dossier answers like an unknown number (issue 10)
    assert testapp.get(path, status=404)
    assert testapp.get(f"{path}/dokumen/ktp", status=404)
    assert testapp.get(f"{path}/unggah", status=404)
    # a verifier cannot see a draft either; after submission they can
    testapp.reset()
    login(testapp, "verifikator", seeded)
    testapp.get(path, status=404)
    testapp.reset()
    login(testapp, "pemohon", seeded)
    assert number in testapp.get("/permohonan-saya").text
    download = testapp.get(f"{path}/dokumen/ktp")
    assert download.content_type == "application/pdf" and download.body.startswith(b"%PDF-")
    assert "attachment" in download.headers["Content-Disposition"]
    preview = testapp.get(f"{path}/dokumen/ktp/pratinjau")
    assert preview.headers["Content-Disposition"].startswith("inline")
    assert preview.headers["X-Content-Type-Options"] == "nosniff"
