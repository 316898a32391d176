"""Permits (freeze, revoke, expire, renewal), complaints and information
requests follow their own declared workflows through the same engine."""
import datetime as dt

import pytest

from silat.resources.complaint import Complaint, InformationRequest
from silat.workflow import WorkflowError, transition
from silat.workflow.calendar import calendar_for
from silat.workflow.cases import file_case, renew
from tests.web import login
from tests.workflow.test_ui_walk import as_user, offered, take


def test_permit_freeze_unfreeze_revoke(testapp, make_dossier, edit_site, seeded):
    number = make_dossier("SILAT-2026-000901", state="issued")
    url = f"{number}/izin"
    as_user(testapp, "penandatangan", seeded)
    assert offered(testapp, url)[1] == ["freeze", "revoke"]
    page = take(testapp, url, "freeze")
    assert "Alasan wajib diisi untuk tindakan ini." in page.text
    page = take(testapp, url, "freeze", "Bangunan tidak sesuai gambar")
    assert "Status sekarang: Dibekukan" in page.text
    assert offered(testapp, url)[1] == ["revoke", "unfreeze"]
    take(testapp, url, "unfreeze")
    take(testapp, url, "revoke", "Melanggar ketentuan tata ruang")
    assert offered(testapp, url)[1] == []
    as_user(testapp, "pemohon", seeded)
    assert "Dicabut" in testapp.get(f"/berkas/{url}/riwayat").text
    with edit_site() as site:
        permit = site["berkas"][number].permit
        steps = [(e["data"]["transition"], e["comment"]) for e in permit.history if e["action"] == "transition"]
        assert steps == [("freeze", "Bangunan tidak sesuai gambar"), ("unfreeze", ""),
                         ("revoke", "Melanggar ketentuan tata ruang")]
        assert permit.history.verify() is None
        with pytest.raises(WorkflowError) as refused:
            renew(permit, None, "SILAT-2026-000999", actor="pemohon", check_permission=False)
        assert refused.value.code == "not_renewable"


def test_expiry_and_renewal(testapp, app, make_dossier, edit_site, seeded):
    number = make_dossier("SILAT-2026-000902", state="issued")
    with edit_site() as site:
        permit = site["berkas"][number].permit
        with pytest.raises(WorkflowError) as refused:
            transition(permit, "expire", registry=app.registry, check_permission=False, actor="system")
        assert "belum berakhir" in refused.value.reason
        permit.valid_until = dt.date(2025, 12, 31)
    as_user(testapp, "admin", seeded)
    take(testapp, f"{number}/izin", "expire")
    with edit_site() as site:
        permit = site["berkas"][number].permit
        assert permit.state == "expired"
        new = renew(permit, None, "SILAT-2026-000903", actor="pemohon", check_permission=False)
        assert new.state == "draft" and new.renews == {"permit": permit.number, "registration_number": number}
        assert new.owner == "pemohon" and new.applicant["name"] == "Budi Santoso"
        assert permit.renewed_by == "SILAT-2026-000903"
        assert [e["action"] for e in permit.history][-1] == "renewal"
        with pytest.raises(WorkflowError) as refused:
            renew(permit, None, "SILAT-2026-000904", actor="pemohon", check_permission=False)
        assert refused.value.code == "renewal_open"
    as_user(testapp, "pemohon", seeded)        # the renewal is the applicant's draft
    assert offered(testapp, "SILAT-2026-000903")[1] == ["submit", "withdraw"]


def test_complaint_workflow(testapp, seeded, edit_site):
    with edit_site() as site:
        case = Complaint("ADU-2026-0001", "Berkas lambat", "Sudah tiga minggu.",
                         {"name": "Budi", "email": "budi@example.org"}, owner="pemohon")
        file_case(site["pengaduan"], case, "pemohon")
        assert case.state == "received" and case.due_date is not None
    url = "/pengaduan/ADU-2026-0001"
    login(testapp, "pengaduan", seeded)
    page = testapp.get(url + "/transisi")
    assert sorted(k for k in page.forms if str(k).startswith("transisi-")) == ["transisi-accept", "transisi-dismiss"]
    page.forms["transisi-accept"].submit("jalankan")
    form = testapp.get(url + "/transisi").forms["transisi-answer"]
    form["comment"] = "Berkas sudah diproses hari ini."
    form.submit("jalankan")
    as_user(testapp, "pemohon", seeded)
    page = testapp.get(url + "/transisi")
    assert [k for k in page.forms if str(k).startswith("transisi-")] == ["transisi-reopen"]
    form = page.forms["transisi-reopen"]
    form["comment"] = "Belum ada kabar."
    form.submit("jalankan")
    with edit_site() as site:
        case = site["pengaduan"]["ADU-2026-0001"]
        assert case.state == "in_progress"
        assert [e["actor"] for e in case.history if e["action"] == "transition"] == \
            ["pengaduan", "pengaduan", "pemohon"]
    testapp.reset()
    login(testapp, "verifikator", seeded)
    testapp.get(url + "/riwayat", status=403)


def test_dismissing_a_complaint_and_refusing_information_need_a_reason(app, seeded, edit_site):
    """Both once crashed: the permit letter writer took them for dossiers."""
    with edit_site() as site:
        case = Complaint("ADU-2026-0002", "Tidak jelas", "-", {"name": "Budi"}, owner="pemohon")
        file_case(site["pengaduan"], case, "pemohon")
        with pytest.raises(WorkflowError):
            transition(case, "dismiss", registry=app.registry, check_permission=False, actor="pengaduan")
        transition(case, "dismiss", registry=app.registry, check_permission=False, actor="pengaduan",
                   comment="Bukan kewenangan DPMPTSP")
        request = InformationRequest("PPID-2026-0002", "Data pribadi", "-", {"name": "Sari"}, owner=None)
        file_case(site["informasi"], request, "pengaduan")
        transition(request, "process", registry=app.registry, check_permission=False, actor="pengaduan")
        transition(request, "reject", registry=app.registry, check_permission=False, actor="pengaduan",
                   comment="Informasi yang dikecualikan")
        assert (case.state, request.state) == ("dismissed", "rejected")
        assert case.history.verify() is None and request.history.verify() is None
        assert not getattr(case, "letters", ()) and not getattr(request, "letters", ())


def test_information_request_extension_adds_seven_working_days(app, seeded, edit_site):
    with edit_site() as site:
        case = InformationRequest("PPID-2026-0001", "Data izin 2025", "Mohon rekap.",
                                  {"name": "Sari"}, owner=None)
        file_case(site["informasi"], case, "pengaduan")
        due = case.due_date
        transition(case, "process", registry=app.registry, check_permission=False, actor="pengaduan")
        with pytest.raises(WorkflowError) as refused:
            transition(case, "extend", registry=app.registry, check_permission=False, actor="pengaduan")
        assert refused.value.status == 422
        transition(case, "extend", registry=app.registry, check_permission=False, actor="pengaduan",
                   comment="Data perlu dihimpun dari OPD")
        assert case.due_date == calendar_for(site).add_working_days(due, 7)
        transition(case, "grant", registry=app.registry, check_permission=False, actor="pengaduan")
        assert case.sla.stopped_at is not None and case.history.verify() is None
