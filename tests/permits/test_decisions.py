"""Rejection letter, delegation to the camat, bad input changes nothing."""
import json

from webtest import Upload

from silat.resources.site import ZODB_ROOT_KEY
from tests.permits import flow
from tests.web import api_token, bearer, login

REG = "SILAT-2026-900001"
PATH = f"/berkas/{REG}"


def _dossier(db):
    conn = db.open()
    return conn, conn.root()[ZODB_ROOT_KEY]["berkas"][REG]


def _to_review(app, edit_site, recommendations=("DINKES",), code="IMB", **kw):
    with edit_site() as site:
        flow.configure_service(site, code=code, recommendations=recommendations, **kw)
        flow.advance(flow.file_dossier(site, app.registry, code=code), app.registry,
                               ("verify", "request_review") if recommendations else ("verify",))


def test_rejection_with_reason_produces_a_letter(testapp, seeded, app, db, edit_site, signing_ca):
    _to_review(app, edit_site)
    login(testapp, "penandatangan", seeded)
    page = testapp.get(PATH + "/keputusan")
    page.forms["keputusan"].submit("action", value="approve").follow()   # recommendation pending
    conn, dossier = _dossier(db)
    assert dossier.state == "in_review"
    conn.close()
    refused = page.forms["keputusan"].submit("action", value="reject").follow()
    assert "Alasan wajib diisi" in refused.text
    form = testapp.get(PATH + "/keputusan").forms["keputusan"]
    form["reason"] = "Lokasi berada di jalur hijau menurut RTRW"
    form.submit("action", value="reject").follow()
    conn, dossier = _dossier(db)
    assert dossier.state == "rejected"
    letter = dossier.letters[0]
    number, data = letter.number, letter.data()
    assert dossier.pending_recommendations() == ["DINKES"]
    conn.close()
    text = flow.pdf_text(data)
    assert "SURAT PENOLAKAN PERMOHONAN" in text and number in text
    assert "jalur hijau" in text and REG in text
    # the agency's request is closed with the dossier
    testapp.reset()
    token = api_token(testapp, "kepala.dinkes", seeded)
    assert testapp.get("/api/v1/agencies/DINKES/requests", headers=bearer(token)).json == []


def test_permit_delegated_to_the_camat(testapp, seeded, app, db, edit_site, make_user, signing_ca):
    camat = make_user("camat.bekasiselatan", "penandatangan", agency="KEC-BEKASI-SELATAN",
                      title="Camat Bekasi Selatan")
    _to_review(app, edit_site, recommendations=(), formula=None)
    login(testapp, "admin", seeded)
    form = testapp.get("/delegasi-tanda-tangan").forms["delegasi"]
    form["service"], form["kind"] = "IMB", "camat"
    form.submit("simpan").follow()
    testapp.reset()
    login(testapp, "penandatangan", seeded)
    page = testapp.get(PATH + "/keputusan")
    page.forms["keputusan"].submit("action", value="approve").follow()
    page = testapp.get(PATH + "/keputusan")
    assert "terbitkan" not in page.forms          # not the delegated official
    refused = testapp.post(PATH + "/terbitkan", {"csrf_token": page.forms["keputusan"]["csrf_token"].value},
                           status=403)
    assert "didelegasikan kepada Camat Bekasi Selatan" in refused.text
    conn, dossier = _dossier(db)
    assert dossier.state == "approved" and dossier.permit is None    # nothing changed
    conn.close()
    testapp.reset()
    login(testapp, "camat.bekasiselatan", camat)
    assert REG in testapp.get("/tanda-tangan").text
    testapp.get(PATH + "/keputusan").forms["terbitkan"].submit().follow()
    conn, dossier = _dossier(db)
    permit = dossier.permit
    assert permit.number.split("/")[2:4] == ["IMB", "KEC-BEKASI-SELATAN"]
    text = flow.pdf_text(permit.pdf.data())
    conn.close()
    assert "CAMAT BEKASI SELATAN" in text and "060/Kep.51-Org/II/2014" in text


def test_bad_recommendation_and_inspection_input_store_nothing(testapp, seeded, app, db, edit_site,
                                                                signing_ca):
    _to_review(app, edit_site)
    login(testapp, "kepala.dinkes", seeded)
    page = testapp.get(PATH + "/rekomendasi/DINKES")
    form = page.forms["rekomendasi"]
    form["decision"] = "conditional"                     # conditions missing
    res = form.submit("tandatangani", status=422)
    assert "paling sedikit satu syarat" in res.text
    form = testapp.get(PATH + "/rekomendasi/DINKES").forms["rekomendasi"]
    form["decision"] = "not_recommended"                 # reasons missing
    assert "Alasan wajib diisi" in form.submit("simpan", status=422).text
    form = testapp.get(PATH + "/rekomendasi/DINKES/peninjauan").forms["peninjauan"]
    form["date"], form["team"], form["findings"] = "2026-01-05", "Tim A", "Baik"
    form.set("upload", Upload("foto.jpg", b"ini bukan gambar"), index=0)
    res = form.submit("simpan", status=415)
    assert "Jenis berkas tidak diterima" in res.text and "Tidak ada yang disimpan" in res.text
    form = testapp.get(PATH + "/rekomendasi/DINKES/peninjauan").forms["peninjauan"]
    form["date"], form["team"], form["findings"] = "", "", ""
    res = form.submit("simpan", status=422)
    assert res.text.count("Wajib diisi") >= 2
    token = api_token(testapp, "kepala.dinkes", seeded)
    url = f"/api/v1/applications/{REG}/recommendations/DINKES"
    res = testapp.post(url, json.dumps({"decision": "recommended", "conditions": "x"}),
                       headers=bearer(token), content_type="application/json", status=422)
    assert "conditions" in res.json["error"]["fields"]
    conn, dossier = _dossier(db)
    rec = dossier["rekomendasi"]["DINKES"]
    assert rec.decision is None and rec.draft is None and rec.letter_number is None
    assert len(dossier["inspeksi"]) == 0
    assert getattr(dossier.__parent__.__parent__["opd"]["DINKES"], "counters", None) is None
    conn.close()


def test_signers_lists_are_paged_each_on_its_own(testapp, seeded, app, edit_site, monkeypatch):
    """Verified dossiers of a service without recommendations wait for a
    decision: 50 a page, ``halaman`` pages that list and keeps the other
    list's ``halaman_tanda_tangan``; the lists still check permissions."""
    from silat.views import paging
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    numbers = [f"SILAT-2026-90010{n}" for n in range(5)]
    with edit_site() as site:
        flow.configure_service(site, code="IMB", recommendations=(), formula=None)
        for number in numbers:
            flow.advance(flow.file_dossier(site, app.registry, number=number, code="IMB"),
                         app.registry, ("verify",))
    login(testapp, "penandatangan", seeded)

    def decide(url):
        page = testapp.get(url, status=200)
        return [a.text for a in page.html.select("#keputusan a")], page

    first, page = decide("/tanda-tangan")
    assert first == numbers[:2] and "Menampilkan 1-2 dari 5" in page.text
    assert page.html.select_one('a[rel="next"]')["href"] == "http://localhost/tanda-tangan?halaman=2"
    third, page = decide("/tanda-tangan?halaman_tanda_tangan=4&halaman=3")
    assert third == numbers[4:]
    # the other list's page is kept as shown: 4 is past its end (it is empty here)
    assert page.html.select_one('a[rel="prev"]')["href"] == "http://localhost/tanda-tangan?halaman=2"
    rows, page = decide("/tanda-tangan?halaman=x")
    assert rows == first and "tidak valid" in page.text
    rows, page = decide("/tanda-tangan?halaman=x&halaman_tanda_tangan=9&q=1")   # links corrected
    assert {a["href"] for a in page.html.select('a[rel="next"]')} == {
        "http://localhost/tanda-tangan?q=1&halaman=2"}
    import silat.workflow
    from pyramid.authorization import DENY_ALL
    acl_for = silat.workflow.acl_for
    monkeypatch.setattr(silat.workflow, "acl_for", lambda d: [DENY_ALL] if getattr(
        d, "registration_number", None) == numbers[1] else acl_for(d))
    rows, page = decide("/tanda-tangan")
    assert rows == [numbers[0], numbers[2]] and "Menampilkan 1-2 dari 4" in page.text
