"""A complaint through every SOP step, each step timed against its
standard (office hours / working days), one of them late."""
import datetime as dt
import json

from silat.complaints.model import linked
from silat.complaints.sop import STEPS
from silat.workflow.calendar import WIB
from tests.web import api_token, bearer, login


def _csrf(page):
    return page.html.find("input", {"name": "csrf_token"})["value"]


# (step, entered, left) on the week of Monday 7 December 2026, WIB; office
# hours 08:00-16:00 (the default until silat.office_hours is configured)
def at(day, hour, minute=0):
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=WIB)


TIMES = [
    ("register", at(7, 8, 0), at(7, 8, 25)),        # 25 of 30 minutes
    ("distribute", at(7, 8, 25), at(7, 8, 35)),     # 10 of 10
    ("report", at(7, 8, 35), at(7, 8, 40)),         # 5 of 10
    ("dispose", at(7, 8, 40), at(7, 9, 0)),         # 20 of 30
    ("identify", at(7, 9, 0), at(7, 12, 0)),        # 3 hours of 2: late
    ("collect", at(7, 12, 0), at(9, 12, 0)),        # 2 of 2 working days
    ("joint_review", at(9, 12, 0), at(14, 10, 0)),  # 3 of 3 working days (Thu, Fri, Mon)
    ("draft", at(14, 15, 30), at(15, 8, 30)),       # 30 + 30 office minutes = 1 of 1 hour
    ("review", at(15, 8, 30), at(15, 9, 0)),        # 30 of 30
    ("approve", at(15, 9, 0), at(15, 9, 15)),       # 15 of 20
    ("send", at(15, 9, 15), at(15, 10, 0)),         # 45 of 60
    ("archive", at(15, 10, 0), at(15, 10, 10)),     # 10 of 15
]
SPENT = [25, 10, 5, 20, 3.0, 2, 3, 1.0, 30, 15, 45, 10]


def test_complaint_walks_every_sop_step(testapp, app, make_user, edit_site, smtp_sink):
    make_user("analis", "analis_pengaduan", email="analis@example.org")
    make_user("awas", "pengawas")
    # anonymous filing on the public page: number and tracking code only
    form = testapp.get("/pengaduan/ajukan")
    bad = testapp.post("/pengaduan/ajukan", {"csrf_token": _csrf(form), "subject": ""}, status=422)
    assert "Wajib diisi" in bad.text
    done = testapp.post("/pengaduan/ajukan", {"csrf_token": _csrf(form), "subject": "Izin lambat",
                                              "body": "Berkas saya belum diproses", "name": "Budi",
                                              "dossier_number": "REG-1"})
    number = done.html.find(class_="silat-number").text
    code = done.html.find(class_="silat-code").text
    with edit_site() as site:
        complaint = site["pengaduan"][number]
        assert complaint.channel == "anonim" and complaint.reporter["name"] == ""
        assert [c.number for c in linked(site["pengaduan"], "REG-1")] == [number]

    login(testapp, "analis", "Rahasia-2026x")
    page = testapp.get(f"/pengaduan/{number}")
    # a step cannot be finished before the complaint is classified
    testapp.post(f"/pengaduan/{number}/langkah", {"csrf_token": _csrf(page), "action": "advance"},
                 status=422)
    testapp.post(f"/pengaduan/{number}/langkah", {"csrf_token": _csrf(page), "action": "classify",
                                                  "category": "pengaduan"}, status=303)
    for step in STEPS:
        data = {"csrf_token": _csrf(page), "action": "advance"}
        if step.name == "collect":
            data["invited"] = "DINKES, DISPERKIMTAN"
        if step.name == "draft":
            testapp.post(f"/pengaduan/{number}/langkah", data, status=422)   # the reply text is needed
            data["comment"] = "Berkas Anda telah diproses dan izin terbit."
        testapp.post(f"/pengaduan/{number}/langkah", data, status=303)
    with edit_site() as site:
        complaint = site["pengaduan"][number]
        assert complaint.state == "closed"
        assert [e["step"] for e in complaint.step_log] == [s.name for s in STEPS]
        assert complaint.reply_number and complaint.invitation_number
        assert complaint.survey_token        # the survey link was given at the reply
        for i, (step, entered, left) in enumerate(TIMES):
            complaint.step_log[i] = dict(complaint.step_log[i], entered=entered, left=left)
    page = testapp.get(f"/pengaduan/{number}")
    rows = page.html.select("table.silat-steps tbody tr")
    assert [r["data-step"] for r in rows] == [s.name for s in STEPS]
    assert [float(r.select_one(".silat-spent").text) for r in rows] == [float(s) for s in SPENT]
    assert [r["data-step"] for r in rows if "silat-late" in r.get("class", [])] == ["identify"]
    for letter in ("surat-balasan.pdf", "undangan.pdf"):
        assert testapp.get(f"/pengaduan/{number}/{letter}").body.startswith(b"%PDF")
    testapp.get("/keluar", status="*")

    # the supervisors see the late step; the public sees steps, not people
    login(testapp, "awas", "Rahasia-2026x")
    late = testapp.get("/pemantauan").click(href="/pengaduan/terlambat")
    assert [r["data-step"] for r in late.html.select("table.silat-late tbody tr")] == ["identify"]
    testapp.get("/keluar", status="*")
    status = testapp.get(f"/api/v1/complaints/{number}?code={code}").json
    assert [s["late"] for s in status["steps"]].count(True) == 1 and "Budi" not in json.dumps(status)
    testapp.get(f"/api/v1/complaints/{number}?code=XXXX", status=404)
    # the complainant rates the reply once, and reads the reply letter
    track = testapp.get(f"/pengaduan/lacak?nomor={number}&kode={code}")
    assert testapp.get(f"/pengaduan/lacak?nomor={number}&kode={code}&surat=balasan").body.startswith(b"%PDF")
    testapp.post("/pengaduan/lacak", {"csrf_token": _csrf(track), "nomor": number, "kode": code,
                                      "rating": "9"}, status=422)
    testapp.post("/pengaduan/lacak", {"csrf_token": _csrf(track), "nomor": number, "kode": code,
                                      "rating": "4"})
    testapp.post("/pengaduan/lacak", {"csrf_token": _csrf(track), "nomor": number, "kode": code,
                                      "rating": "5"}, status=409)


def test_api_filing_and_referral(testapp, make_user, edit_site, smtp_sink):
    pw = make_user("warga", "pemohon", email="warga@example.org")
    make_user("analis", "analis_pengaduan")
    token = api_token(testapp, "warga", pw)
    testapp.post("/api/v1/complaints", json.dumps({"subject": "x"}), content_type="application/json",
                 status=401)
    bad = testapp.post("/api/v1/complaints", json.dumps({"subject": 5}), content_type="application/json",
                       headers=bearer(token), status=422)
    assert "subject" in bad.json["error"]["fields"]
    res = testapp.post("/api/v1/complaints", json.dumps({"subject": "Jalan rusak", "body": "Mohon diperbaiki",
                                                         "name": "Warga"}),
                       content_type="application/json", headers=bearer(token), status=201)
    number = res.json["number"]
    login(testapp, "analis", "Rahasia-2026x")
    page = testapp.get(f"/pengaduan/{number}")
    testapp.post(f"/pengaduan/{number}/langkah", {"csrf_token": _csrf(page), "action": "classify",
                                                  "category": "bukan_kewenangan"}, status=422)
    testapp.post(f"/pengaduan/{number}/langkah", {"csrf_token": _csrf(page), "action": "classify",
                                                  "category": "bukan_kewenangan",
                                                  "referral": "Dinas Bina Marga"}, status=303)
    with edit_site() as site:
        complaint = site["pengaduan"][number]
        assert complaint.state == "referred" and complaint.channel == "online"
        assert complaint.owner == "warga" and complaint.referral == "Dinas Bina Marga"
    # the complainant is told (their account's email)
    assert any(m["to"] == ["warga@example.org"] and number in m["body"] for m in smtp_sink.wait(1))
