"""The whole path through the real web forms: draft, uploads, submit,
receipt (text and QR read back), tracking, return for correction,
resubmission and verification; the front office desk; privacy."""
import io
import re

import zxingcpp
from pypdf import PdfReader

from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import (NIK, fill_application, image_bytes, pdf_bytes, radios,
                                  start_application, submit_with_declaration, upload_document)
from tests.web import login


def read_receipt(body):
    """The receipt's text and the decoded content of its QR code."""
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    decoded = []
    for image in reader.pages[0].images:
        decoded += [code.text for code in zxingcpp.read_barcodes(image.image.convert("L"))]
    return text, decoded


def dossier_in_db(db, number):
    conn = db.open()
    return conn, conn.root()[ZODB_ROOT_KEY]["berkas"][number]


def test_applicant_files_and_back_office_verifies(testapp, seeded, service, db, smtp_sink):
    login(testapp, "pemohon", seeded)
    services = testapp.get("/ajukan")
    assert "Izin Uji Intake" in services.text

    # step 1: a kelurahan outside the chosen kecamatan is refused, nothing stored
    page = testapp.get(f"/layanan/{service}/ajukan")
    assert page.forms["deform"]["name"].value == "Budi Santoso (demo)"   # from the account
    refused = fill_application(page.forms["deform"], location={"kelurahan": "Bintara"}).submit("simpan")
    assert refused.status_int == 200
    assert "Kelurahan tidak berada di kecamatan yang dipilih." in refused.text
    with db.transaction() as conn:
        assert len(conn.root()[ZODB_ROOT_KEY]["berkas"]) == 0

    documents, path = start_application(testapp, service)
    number = path.rsplit("/", 1)[1]
    assert re.fullmatch(r"SILAT-\d{4}-\d{6}", number)
    assert "Draf permohonan" in documents.text

    # step 2: one upload per requirement; a re-upload keeps the earlier version
    ktp_v1 = pdf_bytes("KTP lama")
    assert upload_document(testapp, path, "ktp", "ktp.pdf", ktp_v1).status_int == 303
    assert upload_document(testapp, path, "ktp", "ktp baru.pdf", pdf_bytes("KTP")).status_int == 303
    assert upload_document(testapp, path, "denah", "denah.pdf", pdf_bytes("Denah")).status_int == 303
    assert upload_document(testapp, path, "foto", "lokasi.png", image_bytes()).status_int == 303
    page = testapp.get(f"{path}/unggah")
    assert "ktp_baru.pdf" in page.text and "v2" in page.text

    # the draft is private to its owner
    assert testapp.get(path).status_int == 200
    conn, dossier = dossier_in_db(db, number)
    try:
        assert dossier.state == "draft" and dossier.owner == "pemohon"
        versions = list(dossier["dokumen"]["ktp"])
        assert [v.number for v in versions] == [1, 2]
        with versions[0].open() as f:
            assert f.read() == ktp_v1
        assert dossier.applicant["identity_number"] == NIK
        assert dossier.location["kelurahan"] == "Kayuringin Jaya"
        assert dossier.fields == {"luas_bangunan": 120}
    finally:
        conn.close()

    # step 3: the declaration is required
    page = testapp.get(f"{path}/ajukan")
    refused = page.forms["deform"].submit("ajukan")
    assert "Pernyataan wajib disetujui sebelum mengajukan." in refused.text
    done = submit_with_declaration(testapp, path).follow()
    assert "telah diajukan" in done.text and "Diajukan" in done.text

    # the receipt: its text and its QR code, read back from the PDF
    receipt = testapp.get(f"{path}/tanda-terima")
    assert receipt.content_type == "application/pdf"
    text, decoded = read_receipt(receipt.body)
    conn, dossier = dossier_in_db(db, number)
    try:
        due, code = dossier.due_date, dossier.tracking_code
    finally:
        conn.close()
    assert number in text and "Izin Uji Intake" in text and "Siti Aminah" in text
    assert "ktp_baru.pdf" in text and "denah.pdf" in text and "lokasi.png" in text
    assert due is not None and due.strftime("%d-%m-%Y") in text
    assert code in text
    assert decoded == [f"http://localhost/lacak?nomor={number}&kode={code}"]

    # the public tracking page (as the QR code opens it), for anyone, without personal data
    testapp.reset()
    tracked = testapp.get(decoded[0].replace("http://localhost", ""))
    assert "Diajukan" in tracked.text and "Pemeriksaan kelengkapan berkas" in tracked.text
    assert due.strftime("%d-%m-%Y") in tracked.text
    assert "Siti" not in tracked.text and "Melati" not in tracked.text and NIK not in tracked.text
    wrong = testapp.get(f"/lacak?nomor={number}&kode=salah", status=404)
    assert "tidak cocok" in wrong.text and "Diajukan" not in wrong.text

    # the verifier finds it in the queue and returns it with a reason
    login(testapp, "verifikator", seeded)
    queue = testapp.get("/verifikasi")
    assert number in queue.text
    assert queue.html.select_one(f'a[href="http://localhost/berkas/{number}/"]')   # the row's link
    page = testapp.get(f"{path}/verifikasi")
    form = page.forms["deform"]
    _check(form, "ktp", "invalid", "")          # a reason is needed
    refused = form.submit("kembalikan")
    assert "Alasan wajib diisi" in refused.text
    page = testapp.get(f"{path}/verifikasi")
    form = page.forms["deform"]
    _check(form, "ktp", "invalid", "KTP buram, tidak terbaca")
    _check(form, "denah", "valid")
    _check(form, "cek_lokasi", "valid")
    returned = form.submit("kembalikan").follow()
    assert "Dikembalikan ke pemohon" in returned.text
    assert "KTP buram, tidak terbaca" in returned.text

    # the applicant sees the reason, replaces the document and resubmits
    login(testapp, "pemohon", seeded)
    mine = testapp.get("/permohonan-saya")
    assert number in mine.text and "Dikembalikan ke pemohon" in mine.text
    page = testapp.get(path)
    assert "KTP buram, tidak terbaca" in page.text
    assert upload_document(testapp, path, "ktp", "ktp-jelas.jpg", image_bytes("JPEG")).status_int == 303
    assert "Diajukan" in submit_with_declaration(testapp, path).follow().text

    # second round: everything valid -> complete
    login(testapp, "verifikator", seeded)
    page = testapp.get(f"{path}/verifikasi")
    form = page.forms["deform"]
    assert radios(form, "valid")[1].value == "valid"     # denah: kept from round 1
    _check(form, "ktp", "valid")
    done = form.submit("lengkap").follow()
    assert "Terverifikasi" in done.text
    assert number not in testapp.get("/verifikasi").text

    conn, dossier = dossier_in_db(db, number)
    try:
        assert dossier.state == "verified"
        rounds = dossier.verification_rounds
        assert [r["outcome"] for r in rounds] == ["returned", "complete"]
        assert rounds[0]["checklist"]["ktp"]["reason"] == "KTP buram, tidak terbaca"
        assert len(dossier["dokumen"]["ktp"]) == 3
        transitions = [e["data"].get("transition") for e in dossier.history
                       if e["action"] == "transition"]
        assert transitions == ["submit", "return", "resubmit", "verify"]
        assert dossier.history.verify() is None
    finally:
        conn.close()


def _check(form, key, status, reason=None):
    """Set one checklist item (fields are in requirement order)."""
    order = ["ktp", "denah", "foto", "cek_lokasi"]
    index = order.index(key)
    radios(form, "valid")[index].value = status
    if reason is not None:
        form.set("reason", reason, index=index)
