"""The agency inbox and the head's delegation of signing."""
import json

from silat.resources.site import ZODB_ROOT_KEY
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
    conn.close()
    assert "Tidak direkomendasikan" in text and "Belum ada izin lingkungan" in text
    assert "a.n. Kepala" in text                          # signed on the head's behalf
    assert testapp.get("/api/v1/agencies/DINKES/requests", headers=bearer(token)).json == []
    # DISTARU still waits: the dossier stays in review
    login(testapp, "kepala.distaru", seeded)
    assert REG in testapp.get("/opd/DISTARU/kotak-masuk").text
