"""A PPID request through extension and objection, dates on the calendar."""
import datetime as dt
import json

from silat.information.model import PpidRequest
from silat.resources.site import ZODB_ROOT_KEY
from silat.workflow.calendar import calendar_for
from tests.web import api_token, bearer, login


def _csrf(page):
    return page.html.find("input", {"name": "csrf_token"})["value"]


def test_request_extension_objection(testapp, make_user, edit_site, db, smtp_sink):
    pw = make_user("warga", "pemohon", email="warga@example.org")
    make_user("ppid", "analis_pengaduan")
    token = api_token(testapp, "warga", pw)
    bad = testapp.post("/api/v1/information-requests", json.dumps({"subject": ""}),
                       content_type="application/json", headers=bearer(token), status=422)
    assert "subject" in bad.json["error"]["fields"]
    res = testapp.post("/api/v1/information-requests", json.dumps({
        "name": "Warga Bekasi", "email": "warga@example.org", "subject": "Daftar izin terbit 2026",
        "purpose": "Penelitian", "delivery": "email"}),
        content_type="application/json", headers=bearer(token), status=201)
    number, code = res.json["number"], res.json["tracking_code"]
    with edit_site() as site:
        obj = site["informasi"][number]
        calendar = calendar_for(site)
        filed = obj.filed_on
        assert res.json["due_date"] == calendar.add_working_days(filed, 10).isoformat()
        assert calendar.working_days_between(filed, obj.answer_due) == 10
    # public status needs the code
    testapp.get(f"/api/v1/information-requests/{number}?code=WRONG", status=404)
    status = testapp.get(f"/api/v1/information-requests/{number}?code={code}").json
    assert status["state"] == "received" and "name" not in json.dumps(status)

    # the officer asks the agency holding the information, then extends once with a reason
    from silat.resources.agency import Agency
    with edit_site() as site:
        site["opd"].add("DISKOMINFO", Agency("DISKOMINFO", "Dinas Komunikasi dan Informatika"))
    make_user("kominfo", "petugas_opd", agency="DISKOMINFO", email="kominfo@example.org")
    login(testapp, "ppid", "Rahasia-2026x")
    page = testapp.get(f"/informasi/{number}")
    testapp.post(f"/informasi/{number}/tindakan", {"csrf_token": _csrf(page), "action": "forward",
                                                   "agency": "NOPE"}, status=422)
    testapp.post(f"/informasi/{number}/tindakan", {"csrf_token": _csrf(page), "action": "forward",
                                                   "agency": "DISKOMINFO"}, status=303)
    assert testapp.get(f"/informasi/{number}").html.select_one(".silat-holder").text == "DISKOMINFO"
    assert any(m["to"] == ["kominfo@example.org"] and number in m["body"] for m in smtp_sink.wait(1))
    testapp.post(f"/informasi/{number}/tindakan", {"csrf_token": _csrf(page), "action": "extend",
                                                   "comment": ""}, status=422)
    testapp.post(f"/informasi/{number}/tindakan", {"csrf_token": _csrf(page), "action": "extend",
                                                   "comment": "Informasi di OPD lain"}, status=303)
    res = testapp.post(f"/informasi/{number}/tindakan", {"csrf_token": _csrf(page), "action": "extend",
                                                         "comment": "lagi"}, status=409)
    with edit_site() as site:
        obj = site["informasi"][number]
        assert obj.answer_due == calendar.add_working_days(calendar.add_working_days(filed, 10), 7)
        assert calendar.working_days_between(filed, obj.answer_due) == 17
        extended_due = obj.answer_due
    # refusal needs the exemption reason; then the letter is there
    testapp.post(f"/informasi/{number}/tindakan", {"csrf_token": _csrf(page), "action": "refuse",
                                                   "comment": ""}, status=422)
    testapp.post(f"/informasi/{number}/tindakan", {"csrf_token": _csrf(page), "action": "refuse",
                                                   "comment": "Pasal 17 huruf h UU 14/2008"}, status=303)
    pdf = testapp.get(f"/informasi/lacak?nomor={number}&kode={code}&surat=jawaban")
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF")
    testapp.get("/keluar", status="*")

    # the requester objects (public page, with code); answer due in 30 working days
    anon = testapp.__class__(testapp.app, extra_environ={"REMOTE_ADDR": "127.0.0.2"})
    track = anon.get(f"/informasi/lacak?nomor={number}&kode={code}")
    track = anon.post("/informasi/lacak", {"csrf_token": _csrf(track), "nomor": number, "kode": code,
                                           "reason": "Informasi ini terbuka"})
    with edit_site() as site:
        obj = site["informasi"][number]
        assert obj.state == "objection"
        filed_obj = obj.objection["filed"]
        assert obj.objection["due"] == calendar.add_working_days(filed_obj, 30)
        assert calendar.working_days_between(filed_obj, obj.objection["due"]) == 30
        assert filed_obj <= obj.objection_deadline(calendar)
    assert obj.objection["due"].isoformat() in track.text
    # the register shows no personal data; the yearly figures count it
    register = anon.get("/informasi/register")
    assert number in register.text and "Warga Bekasi" not in register.text
    assert extended_due


def test_objection_window_closes(app, edit_site):
    """An objection after 30 working days from the decision is refused."""
    from silat.information import service
    from silat.workflow.engine import WorkflowError
    import pytest

    class Req:                                   # a system request for the engine
        registry = app.registry
        user = None
        tm = None

        def has_permission(self, *a):
            return True

    with edit_site() as site:
        calendar = calendar_for(site)
        obj = service.file_request(site, {"name": "A", "email": "a@b.c", "subject": "x", "purpose": "y",
                                          "delivery": "email"}, None, "t", today=dt.date(2026, 12, 1))
        assert obj.answer_due == calendar.add_working_days(dt.date(2026, 12, 1), 10)
        service.act(obj, Req(), "refuse", "Pasal 17", today=dt.date(2026, 12, 2))
        last = obj.objection_deadline(calendar)
        with pytest.raises(WorkflowError) as refused:
            service.object_to(obj, Req(), "terlambat", today=last + dt.timedelta(days=1))
        assert refused.value.code == "too_late"
        service.object_to(obj, Req(), "tepat waktu", today=last)
        assert obj.state == "objection"
        assert isinstance(obj, PpidRequest) and ZODB_ROOT_KEY
