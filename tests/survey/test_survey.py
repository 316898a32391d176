"""Survey answers into an index and grade, by both methods, checked
against hand-computed examples; tokens answer once (409)."""
import datetime as dt
import json

from silat.interfaces import ISurveyResults
from silat.survey import store
from silat.survey.methods import krejcie_morgan, methods
from tests.web import api_token, bearer, login

SKM = methods()["skm9"]
IKM = methods()["ikm14"]


def _csrf(page):
    return page.html.find("input", {"name": "csrf_token"})["value"]


def test_hand_computed_skm9():
    # NRR: u1 = (3+3)/2 = 3; u2..u9 = (4+3)/2 = 3.5; sum = 31; 31/9*25 = 86.11 -> B
    first = {f"u{i}": 4 for i in range(1, 10)} | {"u1": 3}
    second = {f"u{i}": 3 for i in range(1, 10)}
    assert SKM.index([first, second]) == 86.11
    assert SKM.grade(86.11) == "B"
    assert [SKM.grade(v) for v in (100, 88.31, 88.30, 76.61, 76.60, 65.0, 64.99, 25)] == \
        ["A", "A", "B", "B", "C", "C", "D", "D"]


def test_hand_computed_ikm14():
    # NRR u1..u7 = 3.5, u8..u14 = 3.0; sum 45.5; 45.5/14*25 = 81.25 -> B (A starts at 81.26)
    first = {f"u{i}": 4 for i in range(1, 15)}
    second = {f"u{i}": 3 if i <= 7 else 2 for i in range(1, 15)}
    assert IKM.index([first, second]) == 81.25
    assert IKM.grade(81.25) == "B" and IKM.grade(81.26) == "A"


def test_krejcie_morgan_table_values():
    # Krejcie & Morgan (1970) table: N=100 -> 80, 1000 -> 278, 10000 -> 370
    assert [krejcie_morgan(n) for n in (10, 100, 1000, 10000)] == [10, 80, 278, 370]


def test_token_once_kiosk_and_report(app, testapp, make_user, edit_site, smtp_sink):
    pw = make_user("warga", "pemohon", email="warga@example.org")
    make_user("ppid", "analis_pengaduan")
    make_user("awas", "pengawas")
    token = api_token(testapp, "warga", pw)
    res = testapp.post("/api/v1/information-requests", json.dumps({
        "name": "Warga", "email": "warga@example.org", "subject": "Data", "purpose": "Riset"}),
        content_type="application/json", headers=bearer(token), status=201)
    number = res.json["number"]
    login(testapp, "ppid", "Rahasia-2026x")
    page = testapp.get(f"/informasi/{number}")
    from webtest import Upload
    from silat.pdf import build_pdf, para
    document = build_pdf([para("Daftar izin")], title="data")
    testapp.post(f"/informasi/{number}/tindakan", {"csrf_token": _csrf(page), "action": "grant",
                                                   "comment": "Terlampir",
                                                   "lampiran": Upload("x.pdf", b"no")}, status=422)
    testapp.post(f"/informasi/{number}/tindakan", {"csrf_token": _csrf(page), "action": "grant",
                                                   "comment": "Terlampir",
                                                   "lampiran": Upload("data.pdf", document)}, status=303)
    testapp.get("/keluar", status="*")
    with edit_site() as site:
        survey_token = site["informasi"][number].survey_token
    assert survey_token
    # the requester is sent the answer letter's link and the survey link
    bodies = " ".join(m["body"] for m in smtp_sink.wait(2) if m["to"] == ["warga@example.org"])
    assert f"/survei/isi?token={survey_token}" in bodies and "surat=jawaban" in bodies
    code = res.json["tracking_code"]
    assert testapp.get(f"/informasi/lacak?nomor={number}&kode={code}&dokumen=1").body == document
    url = f"/api/v1/surveys/{survey_token}"
    answers = {f"u{i}": 4 for i in range(1, 10)} | {"u1": 3}
    bad = testapp.post(url, json.dumps({"answers": answers | {"u2": 5}}), content_type="application/json",
                       status=422)
    assert "u2" in bad.json["error"]["fields"]
    testapp.post(url, json.dumps({"answers": {"u1": 3}}), content_type="application/json", status=422)
    testapp.post("/api/v1/surveys/nope", json.dumps({"answers": answers}), content_type="application/json",
                 status=404)
    testapp.post(url, json.dumps({"answers": answers, "suggestion": "Ruang tunggu sempit"}),
                 content_type="application/json", status=201)
    testapp.post(url, json.dumps({"answers": answers}), content_type="application/json", status=409)
    form = testapp.get(f"/survei/isi?token={survey_token}")
    assert "sudah diisi" in form.text
    # the kiosk form: open, anonymous
    kiosk = testapp.get("/survei/kiosk")
    data = {"csrf_token": _csrf(kiosk)} | {f"u{i}": "3" for i in range(1, 10)}
    testapp.post("/survei/kiosk", {**data, "u9": "0"}, status=422)
    testapp.post("/survei/kiosk", data)
    # both responses: NRR u1 = 3, others 3.5 -> 86.11, B (as hand-computed above)
    with edit_site() as site:
        summary = app.registry.getUtility(ISurveyResults).summary(site)
        assert summary == {"responses": 2, "index": 86.11, "grade": "B", "method": "skm9"}
        today = store.responses(site)[0]["date"]
        assert app.registry.getUtility(ISurveyResults).summary(
            site, start=today + dt.timedelta(days=1))["responses"] == 0
    login(testapp, "awas", "Rahasia-2026x")
    report = testapp.get("/survei/laporan")
    assert report.html.select_one(".silat-index").text == "86.11"
    assert report.html.select_one(".silat-grade").text == "B"
    assert report.html.select_one(".silat-required").text == "1"     # one person served
    assert "Ruang tunggu sempit" in report.text
    assert testapp.get("/survei/laporan.pdf").body.startswith(b"%PDF")


def test_rejected_dossier_gets_one_survey_link(app, seeded, edit_site, make_user, smtp_sink):
    """A decided dossier gets its survey token once, sent to the applicant."""
    from silat.resources.dossier import Dossier
    from silat.survey.issue import survey_url
    from silat.workflow import transition
    make_user("pemohon1", "pemohon", email="p1@example.org")
    with edit_site() as site:
        dossier = Dossier("SILAT-2026-000777", "IMB", site["layanan"]["IMB"].latest.number, "pemohon1")
        site["berkas"].add(dossier.registration_number, dossier)
        dossier.state = "verified"
        transition(dossier, "reject", None, comment="Tidak sesuai tata ruang", actor="sistem",
                   check_permission=False, registry=app.registry)
        token = dossier.survey_token
    with edit_site() as site:       # the token store is written in a transaction of its own
        assert store.token_info(site, token)["kind"] == "dossier"
        assert store.token_info(site, token)["service"] == "IMB"
    assert any(survey_url(app.registry, token) in m["body"] for m in smtp_sink.wait(2))
