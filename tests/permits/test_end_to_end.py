"""Done-when of issue 6: one application from verification through two
agencies' recommendations (one with a disposition chain and a site
inspection), fee and payment, to an issued and signed permit."""
import json

from webtest import Upload

from silat.permits import signing
from silat.resources.site import ZODB_ROOT_KEY
from tests.permits import flow
from tests.web import api_token, bearer, login

REG = "SILAT-2026-900001"
PATH = f"/berkas/{REG}"


def _site(db):
    conn = db.open()
    return conn, conn.root()[ZODB_ROOT_KEY]


def test_application_to_signed_permit(testapp, seeded, app, db, edit_site, make_user, settings,
                                       signing_ca):
    password = seeded
    kabid = make_user("kabid.distaru", "petugas_opd", agency="DISTARU", title="Kabid Bangunan")
    dishub = make_user("opd.dishub", "petugas_opd", agency="DISHUB")
    with edit_site() as site:
        flow.configure_service(site)
        flow.file_dossier(site, app.registry)

    # -- Bapenda's PBB records: a bad file changes nothing, then a good one
    login(testapp, "admin", password)
    page = testapp.get("/impor-pbb")
    form = page.forms["impor"]
    form["upload"] = Upload("pbb.csv", b"nop,tahun,nama_wajib_pajak,jumlah,tanggal_bayar\n"
                      b"32.75.010.001.002-0123.0,2026,Siti Aminah,350000,2026-03-01\n"
                      b"1234,2026,Salah,abc,2026-03-01\n")
    refused = form.submit("impor", status=422)
    assert "Baris 3" in refused.text and "NOP harus 18 digit" in refused.text
    form = testapp.get("/impor-pbb").forms["impor"]
    form["upload"] = Upload("pbb.csv", b"nop,tahun,nama_wajib_pajak,jumlah,tanggal_bayar\n"
                      b"32.75.010.001.002-0123.0,2026,Siti Aminah,350000,2026-03-01\n")
    assert 'data-applied="1"' in form.submit("impor").text
    testapp.reset()

    # -- the verifier checks the PBB proof against Bapenda's records, verifies, forwards
    login(testapp, "verifikator", password)
    form = testapp.get(PATH + "/cek-pbb").forms["cek-pbb"]
    form["nop"], form["year"] = "32.75.010.001.999-0000.0", "2026"
    assert "tidak ditemukan" in form.submit("periksa").follow().text
    form = testapp.get(PATH + "/cek-pbb").forms["cek-pbb"]
    form["nop"], form["year"] = flow.NOP, "2026"
    assert "lunas pada 2026-03-01" in form.submit("periksa").follow().text
    flow.take_action(testapp, PATH, "verify")
    flow.take_action(testapp, PATH, "request_review")
    conn, site = _site(db)
    dossier = site["berkas"][REG]
    assert dossier.state == "in_review"
    assert sorted(dossier["rekomendasi"]) == ["DINKES", "DISTARU"]
    conn.close()
    testapp.reset()

    # -- both agencies see the request with its deadline
    token = api_token(testapp, "opd.distaru", password)
    listed = testapp.get("/api/v1/agencies/DISTARU/requests", headers=bearer(token)).json
    assert [r["registration_number"] for r in listed] == [REG]
    assert listed[0]["due_date"] and listed[0]["status"] == "requested"
    assert testapp.get("/api/v1/agencies/DINKES/requests", headers=bearer(token),
                       status=403).json["error"]["code"] == "forbidden"

    # -- an officer of a third agency sees nothing of it
    testapp.reset()
    login(testapp, "opd.dishub", dishub)
    testapp.get(PATH + "/rekomendasi/DISTARU", status=404)     # like an unknown number
    testapp.get(PATH + "/transisi", status=404)
    testapp.get(PATH + "/rekomendasi/DISTARU/lembar-disposisi.pdf", status=404)
    other = api_token(testapp, "opd.dishub", dishub)
    assert testapp.post(f"/api/v1/applications/{REG}/recommendations/DISTARU",
                        json.dumps({"decision": "recommended"}), headers=bearer(other),
                        content_type="application/json", status=404).json["error"]["code"] == "not_found"
    testapp.get("/opd/DISTARU/kotak-masuk", status=403)

    # -- DISTARU: the head disposes to the division head, who disposes to staff
    testapp.reset()
    login(testapp, "kepala.distaru", password)
    inbox = testapp.get("/opd/DISTARU/kotak-masuk")
    assert REG in inbox.text
    page = testapp.get(PATH + "/rekomendasi/DISTARU")
    form = page.forms["disposisi"]
    form["to_user"] = "kabid.distaru"
    form["instruction"] = "Mohon kaji teknis dan tinjau lokasi"
    form["date"] = "2099-01-31"
    form.submit("kirim").follow()
    testapp.reset()
    login(testapp, "kabid.distaru", kabid)
    assert "Mohon kaji teknis dan tinjau lokasi" in testapp.get("/opd/DISTARU/kotak-masuk").text
    page = testapp.get(PATH + "/rekomendasi/DISTARU")
    read_form = [f for f in page.forms.values() if f.action.endswith("/baca")][0]
    page = read_form.submit().follow()
    form = page.forms["disposisi"]
    form["to_user"] = "opd.distaru"
    form["instruction"] = "Lakukan peninjauan lapangan dan susun draf"
    form["date"] = "2099-01-20"
    page = form.submit("kirim").follow()
    done_form = [f for f in page.forms.values() if f.action.endswith("/selesai")][0]
    done_form["note"] = "Diteruskan ke staf"
    done_form.submit().follow()

    # -- staff: inspection with a photo, then a draft
    testapp.reset()
    login(testapp, "opd.distaru", password)
    form = testapp.get(PATH + "/rekomendasi/DISTARU/peninjauan").forms["peninjauan"]
    form["date"] = "2026-01-05"
    form["team"] = "Ir. Budi Hartono\nDewi Lestari, ST"
    form["findings"] = "Bangunan sesuai rencana tapak; sempadan jalan 5 meter terpenuhi."
    form.set("upload", Upload("lokasi.png", flow.png_bytes("red")), index=0)
    form.set("upload", Upload("denah.png", flow.png_bytes("blue")), index=1)
    form.submit("simpan").follow()
    page = testapp.get(PATH + "/rekomendasi/DISTARU")
    form = page.forms["rekomendasi"]
    assert "tandatangani" not in form.fields        # staff draft, never sign
    form["decision"] = "conditional"
    form["conditions"] = "Menyediakan sumur resapan\nGaris sempadan bangunan minimal 5 meter"
    form["notes"] = "KDB 60%"
    form.submit("simpan").follow()
    done_form = [f for f in testapp.get(PATH + "/rekomendasi/DISTARU").forms.values()
                 if f.action.endswith("/selesai")][0]
    done_form.submit().follow()
    # staff cannot sign even by forging the button
    form = testapp.get(PATH + "/rekomendasi/DISTARU").forms["rekomendasi"]
    testapp.post(PATH + "/rekomendasi/DISTARU/draf",
                 dict(form.submit_fields(), tandatangani="tandatangani"), status=403)

    # -- the head signs the draft
    testapp.reset()
    login(testapp, "kepala.distaru", password)
    sheet_text = flow.pdf_text(testapp.get(PATH + "/rekomendasi/DISTARU/lembar-disposisi.pdf").body)
    form = testapp.get(PATH + "/rekomendasi/DISTARU").forms["rekomendasi"]
    assert form["decision"].value == "conditional"
    form.submit("tandatangani").follow()
    conn, site = _site(db)
    dossier = site["berkas"][REG]
    rec = dossier["rekomendasi"]["DISTARU"]
    assert rec.decision == "conditional"
    assert flow.number_re(r"^503/1/DISTARU/{R}/{Y}$").match(rec.letter_number)
    letter = rec.letter.data()
    chain = [(d.from_user, d.to_user, d.parent is not None, d.done_at is not None)
             for d in sorted(dossier["disposisi"].values(), key=lambda d: d.created)]
    assert chain == [("kepala.distaru", "kabid.distaru", False, True),
                     ("kabid.distaru", "opd.distaru", True, True)]
    actions = [(e["action"], e["data"].get("step")) for e in dossier.history]
    assert ("disposition", "sent") in actions and ("inspection", None) in actions
    assert ("recommendation", "signed") in actions and dossier.history.verify() is None
    bap = dossier["inspeksi"]["DISTARU-1"].bap.data()
    conn.close()
    text = flow.pdf_text(letter)
    assert rec.letter_number in text and "Direkomendasikan dengan syarat" in text
    assert "Menyediakan sumur resapan" in text and "CV Maju Bersama" in text
    assert flow.NIK not in text and flow.PHONE not in text
    assert signing.validate_pdf(letter, settings).ok
    assert "LEMBAR DISPOSISI" in sheet_text and "Mohon kaji teknis" in sheet_text
    assert "Kabid Bangunan" in sheet_text and "Selesai" in sheet_text
    bap_text = flow.pdf_text(bap)
    assert "BERITA ACARA PEMERIKSAAN LAPANGAN" in bap_text and "Ir. Budi Hartono" in bap_text
    assert "sempadan jalan 5 meter" in bap_text
    from pypdf import PdfReader
    import io
    assert sum(len(p.images) for p in PdfReader(io.BytesIO(bap)).pages) == 2

    # the signed request is closed: the agency keeps read access only (issue 12)
    testapp.reset()
    login(testapp, "opd.distaru", password)
    testapp.get(PATH + "/rekomendasi/DISTARU")
    testapp.get(PATH)
    testapp.get(PATH + "/rekomendasi/DISTARU/peninjauan", status=403)
    assert REG not in testapp.get("/opd/DISTARU/kotak-masuk").text

    # -- DINKES over the API: staff drafts (202), bad input refused, the head signs (201)
    testapp.reset()
    staff = api_token(testapp, "opd.dinkes", password)
    url = f"/api/v1/applications/{REG}/recommendations/DINKES"
    res = testapp.post(url, json.dumps({"decision": "recommended", "notes": "Sanitasi baik"}),
                       headers=bearer(staff), content_type="application/json", status=202)
    assert res.json["status"] == "drafted"
    head = api_token(testapp, "kepala.dinkes", password)
    bad = testapp.post(url, json.dumps({"decision": "maybe"}), headers=bearer(head),
                       content_type="application/json", status=422)
    assert "decision" in bad.json["error"]["fields"]
    res = testapp.post(url, json.dumps({"decision": "recommended", "conditions": [],
                                        "notes": "Sanitasi baik"}),
                       headers=bearer(head), content_type="application/json", status=201)
    assert flow.number_re(r"^503/1/DINKES/{R}/{Y}$").match(res.json["letter_number"])

    # -- DPMPTSP decides: both recommendations together, approve -> SKRD
    login(testapp, "penandatangan", password)
    assert REG in testapp.get("/tanda-tangan").text
    page = testapp.get(PATH + "/keputusan")
    assert "503/1/DISTARU/" in page.text and "503/1/DINKES/" in page.text
    assert "Rp 120.000" in page.text
    page.forms["keputusan"].submit("action", value="approve").follow()
    conn, site = _site(db)
    dossier = site["berkas"][REG]
    assert dossier.state == "awaiting_payment" and dossier.fee_outstanding() == 120000
    skrd = dossier["retribusi"]["skrd-1"]
    skrd_number, skrd_pdf = skrd.number, skrd.pdf.data()
    conn.close()
    skrd_text = flow.pdf_text(skrd_pdf)
    assert skrd_number in skrd_text and "Rp 120.000" in skrd_text
    assert flow.number_re(r"^SKRD/00001/DPMPTSP/{Y}$").match(skrd_number)
    testapp.get(PATH + "/terbitkan", status=404)   # POST only; and not before payment:
    testapp.post(PATH + "/terbitkan", {"csrf_token": page.forms["keputusan"]["csrf_token"].value},
                 status=403)
    conn, site = _site(db)
    assert site["berkas"][REG].state == "awaiting_payment" and site["berkas"][REG].permit is None
    conn.close()

    # -- the treasury's payment file: a wrong amount refuses the file, then it is booked
    testapp.reset()
    login(testapp, "admin", password)
    form = testapp.get("/impor-pembayaran").forms["impor"]
    form["upload"] = Upload("kasda.csv", f"nomor_skrd,jumlah,tanggal_bayar,referensi\n"
                                   f"{skrd_number},999999,2026-01-10,NTPD-001\n".encode())
    assert "melebihi sisa tagihan" in form.submit("impor", status=422).text
    form = testapp.get("/impor-pembayaran").forms["impor"]
    form["upload"] = Upload("kasda.csv", f"nomor_skrd,jumlah,tanggal_bayar,referensi\n"
                                   f"{skrd_number},120.000,2026-01-10,NTPD-001\n".encode())
    assert 'data-applied="1"' in form.submit("impor").text
    conn, site = _site(db)
    assert site["berkas"][REG].state == "approved"
    conn.close()

    # -- the delegated signer issues and signs the permit
    testapp.reset()
    login(testapp, "penandatangan", password)
    assert REG in testapp.get("/tanda-tangan").text
    testapp.get(PATH + "/keputusan").forms["terbitkan"].submit().follow()
    conn, site = _site(db)
    dossier = site["berkas"][REG]
    permit = dossier.permit
    assert dossier.state == "issued" and permit.state == "active"
    number, token, pdf = permit.number, permit.token, permit.pdf.data()
    assert permit.sha256 == signing.sha256(pdf)
    assert permit.valid_until.year == permit.issued_at.year + 5
    assert [e["data"].get("document") for e in dossier.history if e["action"] == "signature"] \
        == ["recommendation", "recommendation", "permit"]
    conn.close()
    assert flow.number_re(r"^503/1/IMB/DPMPTSP/{R}/{Y}$").match(number)

    # the PDF read back: text, QR, signature
    text = flow.pdf_text(pdf)
    assert number in text and "Siti Aminah" in text and "CV Maju Bersama" in text
    assert "Menyediakan sumur resapan (DISTARU)" in text and "Jakamulya" in text
    assert flow.NIK not in text and flow.PHONE not in text and flow.HOME not in text
    verify_url = f"http://localhost/verifikasi/{token}"
    assert flow.pdf_qr_codes(pdf) == [verify_url]
    from pypdf import PdfReader
    import io
    first = PdfReader(io.BytesIO(pdf)).pages[0]          # signature and QR on page 1 (issue 12)
    assert "Ditandatangani secara elektronik" in first.extract_text()
    assert flow.pdf_qr_codes(pdf, first_page_only=True) == [verify_url]
    assert not first.images                              # the QR code is vector paths
    check = signing.validate_pdf(pdf, settings)
    assert check.ok and "DPMPTSP" in check.signer
    # one bit flipped in the rendered document, or in the signature's own
    # dictionary after its /Contents (both inside the signed /ByteRange)
    import re
    signed_head = int(re.search(rb"/ByteRange \[0 (\d+)", pdf).group(1))
    for offset in (signed_head // 2, len(pdf) - 200):
        altered = bytearray(pdf)
        altered[offset] ^= 0x01
        assert not signing.validate_pdf(bytes(altered), settings).ok

    # the public verification page and API
    testapp.reset()
    page = testapp.get(f"/verifikasi/{token}")
    assert number in page.text and "CV Maju Bersama" in page.text and "Berlaku" in page.text
    for private in (flow.NIK, flow.PHONE, flow.HOME, "siti@example.invalid"):
        assert private not in page.text
    form = page.forms["periksa"]
    form["upload"] = Upload("izin.pdf", pdf)
    assert "ASLI: berkas ini sama" in form.submit("periksa").text
    altered = bytearray(pdf)
    altered[len(pdf) // 2] ^= 0x01
    form = testapp.get(f"/verifikasi/{token}").forms["periksa"]
    form["upload"] = Upload("izin.pdf", bytes(altered))
    assert "TIDAK ASLI" in form.submit("periksa").text
    testapp.get("/verifikasi/tidak-ada", status=404)
    public = testapp.get(f"/api/v1/permits/{number}").json
    assert public["number"] == number and public["holder"] == "CV Maju Bersama"
    assert public["state"] == "active" and public["valid_until"]
    assert flow.NIK not in json.dumps(public) and flow.PHONE not in json.dumps(public)
    testapp.get(f"/api/v1/permits/{number}/pdf", status=401)
    officer = api_token(testapp, "penandatangan", password)
    assert testapp.get(f"/api/v1/permits/{number}/pdf", headers=bearer(officer)).body == pdf
    testapp.get("/api/v1/permits/503/0/NOPE/pdf", headers=bearer(officer), status=404)

    # freezing shows on the verification page, and the expiry job ends it
    login(testapp, "penandatangan", password)
    flow.take_action(testapp, PATH + "/izin", "freeze", comment="Bangunan melanggar GSB")
    assert "Dibekukan" in testapp.get(f"/verifikasi/{token}").text
    assert testapp.get(f"/api/v1/permits/{number}").json["state"] == "frozen"
    from silat.permits.services import expire_permits
    import datetime as dt
    from silat.permits.registry import registry
    with edit_site() as site:
        permit = site["berkas"][REG].permit
        assert expire_permits(site, app.registry) == []          # still valid today
        registry(site).forget_expiry(permit)                       # five years pass ...
        permit.valid_until = dt.date.today() - dt.timedelta(days=1)
        registry(site).add_permit(permit)
    with edit_site() as site:
        assert expire_permits(site, app.registry) == [number]
        permit = site["berkas"][REG].permit
        assert permit.state == "expired"
        letter_text = flow.pdf_text(permit.letters[0].data())
    assert "PEMBEKUAN" in letter_text and "melanggar GSB" in letter_text
    assert "Kedaluwarsa" in testapp.get(f"/verifikasi/{token}").text
