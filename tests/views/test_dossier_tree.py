"""Issue 12: the dossier as a tree people can work in, history as
sentences, agencies keeping read access after signing, the checklist API
and the application API's outcome (recommendations, fees, permit)."""
import hashlib
import io
import json

from pypdf import PdfReader

from webtest import Upload

from silat.resources.attachment import add_document_version
from silat.resources.site import ZODB_ROOT_KEY
from tests.permits import flow
from tests.web import api_token, bearer, login

REG = "SILAT-2026-900012"
PATH = f"/berkas/{REG}"
API = f"/api/v1/applications/{REG}"
RAW = ("in_review", "awaiting_payment", "role_granted", "old_state", "'valid'", "conditional",
       "user:", "agency:")


def _post(testapp, token, url, body, status=None):
    return testapp.post(url, json.dumps(body), headers=bearer(token),
                        content_type="application/json", status=status)


def _put(testapp, token, url, body, status=None):
    return testapp.put(url, json.dumps(body), headers=bearer(token),
                       content_type="application/json", status=status)


def _visible(page):
    """The page's text without scripts (what a person reads)."""
    html = page.html
    for tag in html.select("script, style"):
        tag.decompose()
    return html.get_text(" ", strip=True)


def test_dossier_tree_history_api_and_agency_access(testapp, seeded, app, db, edit_site, make_user,
                                                   signing_ca, tmp_path):
    password = seeded
    with edit_site() as site:
        flow.configure_service(site, recommendations=("DISTARU",))
        dossier = flow.file_dossier(site, app.registry, number=REG)
        first = dossier.requirements()[0]
        upload = tmp_path / "ktp.pdf"
        body = b"%PDF-1.4 test document"
        upload.write_bytes(body)
        add_document_version(dossier, first, str(upload), "ktp.pdf", "application/pdf", len(body),
                             hashlib.sha256(body).hexdigest(), "pemohon")
        keys = [r.key for r in dossier.requirements() if r.mandatory]
    checksum = hashlib.sha256(body).hexdigest()

    # -- the checklist over the API: same rules as the page
    verifier = api_token(testapp, "verifikator", password)
    owner = api_token(testapp, "pemohon", password)
    got = testapp.get(API + "/checklist", headers=bearer(verifier)).json
    assert set(keys) <= set(got["checklist"]) and got["checklist"][keys[0]]["valid"] is None
    refused = _put(testapp, verifier, API + "/checklist", {keys[0]: {"valid": False}}, status=422)
    assert refused.json["error"]["code"] == "reason_required"
    bad = _put(testapp, verifier, API + "/checklist", {"nope": {"valid": True}}, status=422)
    assert "nope" in bad.json["error"]["fields"]
    _put(testapp, owner, API + "/checklist", {keys[0]: {"valid": True}}, status=403)
    done = _put(testapp, verifier, API + "/checklist", {k: {"valid": True} for k in keys}).json
    assert all(done["checklist"][k]["valid"] is True for k in keys)
    # the PBB check is linked from the dossier page (it was reachable by URL only)
    login(testapp, "admin", password)
    form = testapp.get("/impor-pbb").forms["impor"]
    form["upload"] = Upload("pbb.csv", b"nop,tahun,nama_wajib_pajak,jumlah,tanggal_bayar\n"
                                       b"32.75.010.001.002-0123.0,2026,Siti Aminah,350000,2026-03-01\n")
    form.submit("impor")
    testapp.reset()
    login(testapp, "verifikator", password)
    link = testapp.get(PATH).html.find("a", href=lambda h: h and h.endswith("/cek-pbb"))
    form = testapp.get(link["href"]).forms["cek-pbb"]
    form["nop"], form["year"] = flow.NOP, "2026"
    form.submit("periksa").follow()
    testapp.reset()
    for name in ("verify", "request_review"):
        _post(testapp, verifier, f"{API}/transitions/{name}", {})

    # -- DISTARU: the head disposes, staff inspects, the head signs over the API
    login(testapp, "kepala.distaru", password)
    form = testapp.get(PATH + "/rekomendasi/DISTARU").forms["disposisi"]
    form["to_user"], form["date"] = "opd.distaru", "2099-01-31"
    form["instruction"] = "Tinjau lokasi dan susun draf"
    form.submit("kirim").follow()
    testapp.reset()
    login(testapp, "opd.distaru", password)
    form = testapp.get(PATH + "/rekomendasi/DISTARU/peninjauan").forms["peninjauan"]
    form["date"], form["team"] = "2026-01-05", "Ir. Budi Hartono"
    form["findings"] = "Sempadan jalan terpenuhi."
    form.set("upload", Upload("lokasi.png", flow.png_bytes("red")), index=0)
    form.submit("simpan").follow()
    testapp.reset()
    head = api_token(testapp, "kepala.distaru", password)
    _post(testapp, head, API + "/recommendations/DISTARU",
          {"decision": "conditional", "conditions": ["Menyediakan sumur resapan"]}, status=201)

    # the head of the agency still reads the dossier it signed (was a 403)
    login(testapp, "kepala.distaru", password)
    page = testapp.get(PATH)
    assert "Menyediakan sumur resapan" in page.text
    testapp.get(PATH + "/rekomendasi/DISTARU")
    testapp.reset()
    login(testapp, "opd.dishub", make_user("opd.dishub", "petugas_opd", agency="DISHUB"))
    testapp.get(PATH, status=404)     # another agency still sees nothing (as an unknown number)
    testapp.reset()

    # -- DPMPTSP decides, the fee is paid, the permit is issued
    login(testapp, "penandatangan", password)
    testapp.get(PATH + "/keputusan").forms["keputusan"].submit("action", value="approve").follow()
    conn = db.open()
    skrd = conn.root()[ZODB_ROOT_KEY]["berkas"][REG]["retribusi"]["skrd-1"].number
    conn.close()
    testapp.reset()
    login(testapp, "admin", password)
    form = testapp.get("/impor-pembayaran").forms["impor"]
    form["upload"] = Upload("kasda.csv", f"nomor_skrd,jumlah,tanggal_bayar,referensi\n"
                                         f"{skrd},120000,2026-01-10,NTPD-9\n".encode())
    form.submit("impor")
    testapp.reset()
    login(testapp, "penandatangan", password)
    testapp.get(PATH + "/keputusan").forms["terbitkan"].submit().follow()
    conn = db.open()
    dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][REG]
    assert dossier.state == "issued"
    permit_number, token = dossier.permit.number, dossier.permit.token
    conn.close()

    # -- the officer's tree: every part, openable in place, no raw keys
    page = testapp.get(PATH)
    html = page.html
    for part in ("dokumen", "rekomendasi", "retribusi", "izin", "riwayat"):
        assert html.select_one(f"details#{part}") is not None, part
    assert html.select_one("#pengaduan") is None          # no complaints: no panel
    doc = html.select_one(f"#dok-{first.key}")
    assert "ktp.pdf" in doc.text and checksum in doc.text and "Sah" in doc.text
    assert doc.select_one(f'a[href$="pratinjau?versi=1"]') is not None
    rec = html.select_one("#rek-DISTARU")
    assert "Direkomendasikan dengan syarat" in rec.text and "503/1/DISTARU/" in rec.text
    assert rec.select_one('a[href$="/rekomendasi/DISTARU/surat.pdf"]') is not None
    assert "Tinjau lokasi dan susun draf" in rec.select_one(".silat-dispositions").text
    inspection = rec.select_one(".silat-inspection")
    assert inspection.select_one('a[href$="bap.pdf"]') and inspection.select_one('a[href$="foto/1"]')
    testapp.get(inspection.select_one('a[href$="foto/1"]')["href"])
    assert skrd in html.select_one("#retribusi").text and "lunas" in html.select_one("#retribusi").text
    izin = html.select_one("#izin")
    assert permit_number in izin.text and "Berlaku" in izin.text
    assert izin.select_one(f'a[href$="/verifikasi/{token}"]')
    pdf = testapp.get(izin.select_one('a[href$="izin.pdf"]')["href"]).body
    pages = PdfReader(io.BytesIO(pdf)).pages
    first_page = pages[0].extract_text()
    # the signature block and the QR code are on the first page, with the decree
    assert "Ditandatangani secara elektronik" in first_page, len(pages)
    assert flow.pdf_qr_codes(pdf, first_page_only=True) == [f"http://localhost/verifikasi/{token}"]
    text = flow.pdf_text(pdf)
    assert "Masa berlaku tidak dibatasi" not in text
    mengingat = text.split("Mengingat", 1)[1].split("Memperhatikan", 1)[0]
    lines = [line.strip() for line in mengingat.splitlines() if line.strip()[:2].rstrip(".").isdigit()]
    assert len(lines) == len(set(lines))
    timeline = html.select_one(".silat-timeline").get_text(" ", strip=True)
    assert f"menandai {first.name} sah" in timeline
    assert "Status berubah dari Diajukan menjadi Terverifikasi" in timeline
    assert "mendisposisikan berkas kepada" in timeline and "peran" in timeline
    assert "menandatangani rekomendasi" in timeline and "WIB" in timeline
    text = _visible(page)
    for raw in RAW:
        assert raw not in text, raw
    assert "UTC" not in text

    # -- the applicant: progress, the permit PDF, no internal notes
    testapp.reset()
    login(testapp, "pemohon", password)
    page = testapp.get(PATH)
    steps = {li["data-step"]: li.get_text(" ", strip=True) for li in page.html.select(".silat-progress li")}
    assert list(steps) == ["submitted", "verified", "in_review", "approved", "paid", "issued"]
    assert all("[selesai]" in s for s in steps.values())
    assert page.html.select_one("a.silat-permit-pdf")["href"].endswith(PATH + "/izin.pdf")
    text = _visible(page)
    assert "Tinjau lokasi dan susun draf" not in text and "peran" not in text.lower()
    assert "mendisposisikan" not in text
    for raw in RAW:
        assert raw not in text, raw

    # the same page in English
    testapp.set_cookie("silat_lang", "en")
    english = _visible(testapp.get(PATH))
    assert "Permit issued" in english and "[done]" in english
    testapp.set_cookie("silat_lang", "id")

    # -- the application API carries recommendations, fees and the permit
    info = testapp.get(API, headers=bearer(owner)).json
    assert info["recommendations"][0]["agency"] == "DISTARU"
    assert info["recommendations"][0]["decision"] == "conditional"
    assert info["recommendations"][0]["conditions"] == ["Menyediakan sumur resapan"]
    assert info["recommendations"][0]["letter_number"].startswith("503/1/DISTARU/")
    assert info["fees"][0] == {**info["fees"][0], "skrd_number": skrd, "amount": 120000,
                               "paid": 120000, "settled": True}
    assert info["permit"]["number"] == permit_number and info["permit"]["state"] == "active"
    assert info["permit"]["valid_until"]
    assert info["permit"]["verification_url"].endswith(f"/verifikasi/{token}")
    assert testapp.get(info["permit"]["pdf_url"]).body.startswith(b"%PDF")
    # the checklist can no longer change once the permit is issued
    _put(testapp, verifier, API + "/checklist", {keys[0]: {"valid": True}}, status=403)

    # -- the archivist opens every document of the tree and exports a valid bag
    testapp.reset()
    login(testapp, "arsiparis", password)
    found = testapp.get("/arsip/cari", {"q": REG})
    page = found.click(href=f"/arsip/berkas/{REG}")
    links = [a["href"] for a in page.html.select(".silat-files a")]
    groups = page.html.select_one(".silat-files").get_text(" ", strip=True)
    for group in ("Dokumen persyaratan", "Rekomendasi teknis", "Peninjauan lapangan", "Retribusi", "Izin"):
        assert group in groups, group
    for href in links:
        assert testapp.get(href).body, href
    import zipfile
    import bagit
    bag_zip = testapp.get("/arsip/ekspor", params={"nomor": REG}).body
    zipfile.ZipFile(io.BytesIO(bag_zip)).extractall(tmp_path / "bag")
    bag = bagit.Bag(str(tmp_path / "bag"))
    bag.validate()
    files = set(bag.payload_files())
    for part in ("izin.pdf", "rekomendasi/DISTARU.pdf", "inspeksi/DISTARU-1/bap.pdf", "retribusi/skrd-1.pdf"):
        assert f"data/{REG}/{part}" in files, part
    assert any("/inspeksi/DISTARU-1/foto-1-" in f for f in files)
