"""The agency inbox and the head's delegation of signing."""
import io
import json

from silat.resources.site import ZODB_ROOT_KEY
from silat.search.extract import pdf_text
from tests.permits import flow
from tests.permits.test_decisions import REG, _to_review
from tests.web import api_token, bearer, login


def test_inbox_lists_requests_and_a_delegate_may_sign(testapp, seeded, app, db, edit_site,
                                                        signing_ca):
    _to_review(app, edit_site, recommendations=("DINKES", "DISTARU"))
    login(testapp, "opd.dinkes", seeded)
    inbox = testapp.get("/opd/DINKES/kotak-masuk")
    assert REG in inbox.text and "Menunggu kajian" in inbox.text
    assert "delegasi" not in inbox.forms                  # staff: no delegation form
    token = api_token(testapp, "opd.dinkes", seeded)
    url = f"/api/v1/applications/{REG}/recommendations/DINKES"
    body = json.dumps({"decision": "not_recommended", "reasons": "Belum ada izin lingkungan"})
    assert testapp.post(url, body, headers=bearer(token), content_type="application/json",
                        status=202).json["status"] == "drafted"

    testapp.reset()
    login(testapp, "kepala.dinkes", seeded)
    form = testapp.get("/opd/DINKES/kotak-masuk").forms["delegasi"]
    form["checkbox"] = ["opd.dinkes"]
    form.submit("simpan").follow()
    with edit_site() as site:
        assert site["opd"]["DINKES"].signing_delegates == ("opd.dinkes",)

    testapp.reset()
    res = testapp.post(url, body, headers=bearer(token), content_type="application/json", status=201)
    assert flow.number_re(r"^503/1/DINKES/{R}/{Y}$").match(res.json["letter_number"])
    conn = db.open()
    rec = conn.root()[ZODB_ROOT_KEY]["berkas"][REG]["rekomendasi"]["DINKES"]
    text = flow.pdf_text(rec.letter.data())
    # the letter's text for the index was read once, when it was made, and is the signed file's
    assert rec.letter.text and rec.letter.text == pdf_text(io.BytesIO(rec.letter.data()))
    conn.close()
    assert "Tidak direkomendasikan" in text and "Belum ada izin lingkungan" in text
    assert "a.n. Kepala" in text                          # signed on the head's behalf
    assert testapp.get("/api/v1/agencies/DINKES/requests", headers=bearer(token)).json == []
    # DISTARU still waits: the dossier stays in review
    login(testapp, "kepala.distaru", seeded)
    assert REG in testapp.get("/opd/DISTARU/kotak-masuk").text


def test_inbox_is_paged_by_due_date(testapp, seeded, app, edit_site, monkeypatch):
    from silat.views import paging
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    numbers = [f"SILAT-2026-90020{n}" for n in range(3)]
    with edit_site() as site:
        flow.configure_service(site, code="IMB", recommendations=("DINKES",))
        for number in numbers:
            flow.advance(flow.file_dossier(site, app.registry, number=number, code="IMB"),
                         app.registry, ("verify", "request_review"))
        due = {n: site["berkas"][n]["rekomendasi"]["DINKES"].due_date for n in numbers}
    login(testapp, "kepala.dinkes", seeded)

    def listed(url):
        page = testapp.get(url, status=200)
        return [a.text for a in page.html.select("#permintaan tbody a")], page

    first, page = listed("/opd/DINKES/kotak-masuk")
    second, page2 = listed("/opd/DINKES/kotak-masuk?halaman=2")
    assert sorted(first + second, key=lambda n: due[n]) == first + second
    assert sorted(first + second) == numbers and len(first) == 2
    assert "Menampilkan 1-2 dari 3" in page.text and "Menampilkan 3-3 dari 3" in page2.text
    assert page.html.select_one('a[rel="next"]')["href"] == \
        "http://localhost/opd/DINKES/kotak-masuk?halaman=2"
    assert "delegasi" in page2.forms                       # the head's form stays on every page
    bad, page = listed("/opd/DINKES/kotak-masuk?halaman=abc")
    assert bad == first and "tidak valid" in page.text
